"""The schema, as numbered migrations run at start-up, on either engine.

A migration, once released, is never edited: add a new one instead, so that a newer app opens an older
file without losing data.

PostgreSQL (meeting.store.postgres_schema) starts from a baseline equal to what m001..m101 leave; every migration
after m101 runs on both engines, so write it in portable SQL with ``db.execute`` (not executescript) or branch
on ``_is_postgres(db)`` where one statement cannot serve both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from meeting.store.engine import Database

SECTION_KEYS = ("customer", "employees", "operations", "marketing", "sales", "finance")
_SECTION_CHECK = "({col} IN ('customer','employees','operations','marketing','sales','finance'))"



@dataclass(frozen=True)
class Migration:
    name: str
    fn: Callable[[Database], None]


@dataclass(frozen=True)
class AppliedMigration:
    name: str
    applied_at: str  # ISO 8601, UTC (sqlite-utils wrote "2026-07-04 12:00:00.000000+00:00" for older ones)


class Migrations:
    """Named migration functions, applied in the order registered, each recorded as applied in the same
    transaction as its changes.

    The record is the table sqlite-utils' ``Migrations`` kept (``_sqlite_migrations``: id, migration_set, name,
    applied_at; read here the same way), so a file made by an older release opens and upgrades. On
    PostgreSQL it is ``schema_migrations`` with the same columns, and an empty database starts from the
    baseline (meeting.store.postgres_schema), recorded as m001..``BASELINE_LAST`` applied.
    """

    SQLITE_TABLE = "_sqlite_migrations"

    def __init__(self, name: str):
        self.name = name  # the migration set, one of the table's columns
        self._migrations: list[Migration] = []

    def __call__(self, *, name: str | None = None) -> Callable:
        def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            migration_name = name or fn.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"migration {migration_name!r} is already registered in {self.name!r}")
            self._migrations.append(Migration(migration_name, fn))
            return fn

        return register

    @property
    def all(self) -> list[Migration]:
        return list(self._migrations)

    def table(self, db: Database) -> str:
        if _is_postgres(db):
            from meeting.store import postgres_schema

            return postgres_schema.MIGRATIONS_TABLE
        return self.SQLITE_TABLE

    def applied(self, db: Database) -> list[AppliedMigration]:
        """The applied migrations, in the order applied (read only)."""
        table = self.table(db)
        if not _table_exists(db, table):
            return []
        # rowid on SQLite: sqlite-utils' table's id is its alias (and the oldest versions of it had no id).
        order = "id" if _is_postgres(db) else "rowid"
        return [AppliedMigration(name, applied_at) for name, applied_at in db.execute(
            f"SELECT name, applied_at FROM {table} WHERE migration_set = ? ORDER BY {order}", [self.name]).fetchall()]

    def pending(self, db: Database) -> list[Migration]:
        done = {migration.name for migration in self.applied(db)}
        return [migration for migration in self._migrations if migration.name not in done]

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending migrations in order, each with its record in one transaction (a savepoint inside
        the caller's ``write_transaction``): one that fails leaves no trace and stays pending. ``stop_before``
        names a migration not to reach (tests build older files with it)."""
        stop = {stop_before} if isinstance(stop_before, str) else set(stop_before or ())
        done = {migration.name for migration in self.applied(db)}
        if stop & done:
            raise ValueError(f"cannot stop before {', '.join(sorted(stop & done))}: already applied")
        table = self.table(db)
        create_table(db, f"""CREATE TABLE IF NOT EXISTS {table} (
            id INTEGER PRIMARY KEY,
            migration_set TEXT NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            UNIQUE (migration_set, name)
        )""")
        if _is_postgres(db) and not done:
            from meeting.store import postgres_schema

            with db.transaction():
                baseline = postgres_schema.build_baseline(db, [m.name for m in self._migrations],
                                                          install_closed_meeting_guard)
                if stop & set(baseline):
                    raise ValueError("PostgreSQL starts at its baseline: cannot stop before one of its migrations")
                for name in baseline:
                    self._record(db, table, name)
            done = set(baseline)
        elif _is_postgres(db):
            from meeting.store import postgres_schema

            if not set(postgres_schema.baseline_names([m.name for m in self._migrations])) <= done:
                raise RuntimeError("this PostgreSQL database has a partial baseline; restore it or start from an "
                                   "empty one")
        for migration in self._migrations:
            if migration.name in done:
                continue
            if migration.name in stop:
                return
            with db.transaction():
                migration.fn(db)
                self._record(db, table, migration.name)

    def _record(self, db: Database, table: str, name: str) -> None:
        from meeting import clock

        db.execute(f"INSERT INTO {table} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                   [self.name, name, clock.now_precise().isoformat()])

    def __repr__(self) -> str:
        return f"<Migrations {self.name!r}: {', '.join(m.name for m in self._migrations)}>"


migrations = Migrations("outside_in")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            settings TEXT NOT NULL DEFAULT '{{}}'  -- JSON: per-unit overrides of meeting.config.Thresholds
        );
        CREATE TABLE voc_responses (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            source_key TEXT NOT NULL,           -- the source's response id, else a content hash
            response_id TEXT,
            received_on TEXT NOT NULL,          -- ISO date
            channel TEXT,
            touchpoint TEXT NOT NULL,
            segment TEXT,
            customer_ref TEXT,
            score REAL,
            scale TEXT CHECK (scale IN ('nps', 'csat')),
            narrative TEXT,
            UNIQUE (unit_id, source_key)
        );
        CREATE INDEX voc_unit_date ON voc_responses(unit_id, received_on);
        CREATE TABLE staff_inputs (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            source_key TEXT NOT NULL,
            submitted_on TEXT NOT NULL,
            team TEXT,
            role TEXT,
            touchpoint TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('challenge', 'idea', 'praise')),
            text TEXT NOT NULL,
            engagement REAL,
            UNIQUE (unit_id, source_key)
        );
        CREATE INDEX staff_unit_date ON staff_inputs(unit_id, submitted_on);
        CREATE TABLE metrics (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,               -- YYYY-MM
            touchpoint TEXT NOT NULL,
            name TEXT NOT NULL,
            target REAL NOT NULL,
            actual REAL NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
            UNIQUE (unit_id, period, touchpoint, name)
        );
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            source_key TEXT NOT NULL,
            section TEXT NOT NULL CHECK (section IN ('marketing', 'sales')),
            title TEXT NOT NULL,
            segment TEXT,
            starts_on TEXT,
            detail TEXT,
            UNIQUE (unit_id, source_key)
        );
        CREATE TABLE finance (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            line TEXT NOT NULL,
            actual REAL NOT NULL,
            budget REAL NOT NULL,
            UNIQUE (unit_id, period, line)
        );
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            held_on TEXT NOT NULL,
            period TEXT NOT NULL,               -- the month it reviews, YYYY-MM
            total_minutes INTEGER NOT NULL DEFAULT 120,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'closed')),
            current_section TEXT CHECK (current_section IS NULL OR {_SECTION_CHECK.format(col='current_section')}),
            section_started_at TEXT,
            join_code TEXT UNIQUE,
            started_at TEXT,
            closed_at TEXT
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            organisation TEXT,
            role TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('leader', 'customer', 'frontline', 'guest')),
            email TEXT,
            phone TEXT,
            UNIQUE (meeting_id, name)
        );
        CREATE TABLE agenda_items (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK {_SECTION_CHECK.format(col='section')},
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            minutes INTEGER,
            owner TEXT,
            evidence_refs TEXT                  -- JSON list, why the item is there
        );
        CREATE INDEX agenda_meeting ON agenda_items(meeting_id, section, position);
        CREATE TABLE contributions (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK {_SECTION_CHECK.format(col='section')},
            author_token TEXT NOT NULL,         -- the contributor's browser session, to show them their own
            display_name TEXT,
            text TEXT NOT NULL,
            rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
            created_at TEXT NOT NULL,
            hidden INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX contributions_meeting ON contributions(meeting_id, id);
        CREATE TABLE minutes_entries (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK {_SECTION_CHECK.format(col='section')},
            kind TEXT NOT NULL CHECK (kind IN ('note', 'decision', 'action')),
            text TEXT NOT NULL,
            speaker TEXT,                       -- a participant's name
            owner TEXT,                         -- a participant's name, for actions
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
            created_at TEXT,
            source_key TEXT,
            UNIQUE (meeting_id, source_key)
        );
        """
    )


@migrations()
def m002_app_settings(db: Database) -> None:
    # App-wide key/value settings; first use: the salted hash of a generated GM passcode (meeting.accounts.passcode).
    db.execute("CREATE TABLE IF NOT EXISTS app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m003_voc_score_index(db: Database) -> None:
    # Covering index: the 12-month trend and the watermelon history read only these columns, and scanning
    # the index instead of the table halves that time on a 200,000-response unit.
    db.execute("CREATE INDEX IF NOT EXISTS voc_unit_date_scores ON voc_responses(unit_id, received_on, touchpoint, scale, score)")


# Tables whose rows belong to one meeting. Once the meeting is closed they are the record: a removed
# participant would un-redact the anonymised minutes, an edited entry would change what was agreed.
_FROZEN_WITH_MEETING = ("participants", "agenda_items", "minutes_entries", "contributions", "section_visits")
CLOSED_MEETING_ERROR = "closed meeting"  # the trigger's message; meeting.store.connection turns it into MeetingClosed
# What may still change on a closed meeting: an action's status (tracked between meetings), and the raw
# contributions' text, names and tokens (purged under the retention rule). Everything else is refused.
_STILL_EDITABLE = {"minutes_entries": ("status",), "contributions": ("text", "display_name", "author_token")}


_MEETING_BOOKKEEPING = ("minutes_exported_at", "contributions_purged_at")


def _is_postgres(db) -> bool:
    return getattr(db, "engine", "sqlite") == "postgresql"


def create_table(db, ddl: str) -> None:
    """A migration's CREATE TABLE, written once in SQLite's words and run on either engine: on PostgreSQL an
    ``id INTEGER PRIMARY KEY`` becomes an identity and INTEGER / REAL their 64-bit forms, as in the baseline
    (tests/unit/test_postgres_schema.py compares the two)."""
    if _is_postgres(db):
        ddl = re.sub(r"\bINTEGER PRIMARY KEY(?: AUTOINCREMENT)?", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                     ddl)
        ddl = re.sub(r"\bINTEGER\b", "BIGINT", ddl)
        ddl = re.sub(r"\bREAL\b", "DOUBLE PRECISION", ddl)
    db.execute(ddl)


def _columns(db, table: str) -> list[str]:
    if _is_postgres(db):
        from meeting.store import postgres_schema

        return postgres_schema.columns(db, table)
    # The table name comes from this module's fixed lists, never from input.
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


def _table_exists(db, table: str) -> bool:
    if _is_postgres(db):
        from meeting.store import postgres_schema

        return postgres_schema.table_exists(db, table)
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None


def _frozen_columns(db, table: str) -> list[str]:
    return [c for c in _columns(db, table) if c not in _STILL_EDITABLE.get(table, ()) and c != "id"]


@migrations()
def m004_change_counter_and_closed_guard(db: Database) -> None:
    # One cheap cache key: every write transaction bumps this counter (meeting.store.write_transaction), so
    # a page can tell "anything changed?" with one read instead of scanning tables.
    db.execute("CREATE TABLE IF NOT EXISTS change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "changes INTEGER NOT NULL)")
    db.execute("INSERT OR IGNORE INTO change_counter (id, changes) VALUES (1, 0)")
    install_closed_meeting_guard(db)


def install_closed_meeting_guard(db) -> None:
    """Triggers that refuse any change to a closed meeting's rows, whoever writes: page, CLI or import.

    Re-run (drop and create) by a later migration that adds columns, so the UPDATE OF lists stay complete. On
    PostgreSQL the same triggers (names, events, column lists, message) call PL/pgSQL functions
    (meeting.store.postgres_schema).
    """
    if _is_postgres(db):
        _install_closed_meeting_guard_postgres(db)
        return
    closed = "(SELECT status FROM meetings WHERE id = {row}.meeting_id) = 'closed'"
    fail = f"SELECT RAISE(ABORT, '{CLOSED_MEETING_ERROR}');"
    for table in _FROZEN_WITH_MEETING:
        if not _table_exists(db, table):  # added by a later migration, which re-runs this guard
            continue
        columns = ", ".join(_frozen_columns(db, table))
        for event, row, what in (("INSERT", "NEW", "INSERT"), ("DELETE", "OLD", "DELETE"),
                                 ("UPDATE", "OLD", f"UPDATE OF {columns}")):
            name = f"{table}_closed_{event.lower()}"
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            if table == "contributions" and event == "DELETE":
                continue  # retention may delete a closed meeting's raw contributions
            db.execute(f"CREATE TRIGGER {name} BEFORE {what} ON {table} "
                       f"WHEN {closed.format(row=row)} BEGIN {fail} END")
    db.execute("DROP TRIGGER IF EXISTS meetings_closed_update")
    # A closed meeting may still record when its anonymised minutes were exported and its raw
    # contributions purged (retention, meeting.anonymise.retention); nothing else about it changes.
    meeting_columns = ", ".join(c for c in _columns(db, "meetings") if c not in _MEETING_BOOKKEEPING)
    db.execute(f"CREATE TRIGGER meetings_closed_update BEFORE UPDATE OF {meeting_columns} ON meetings "
               f"WHEN OLD.status = 'closed' BEGIN {fail} END")


def _install_closed_meeting_guard_postgres(db) -> None:
    from meeting.store import postgres_schema

    db.execute(postgres_schema.closed_meeting_functions(CLOSED_MEETING_ERROR))
    for table in _FROZEN_WITH_MEETING:
        if not _table_exists(db, table):
            continue
        for event in ("INSERT", "DELETE", "UPDATE"):
            for statement in postgres_schema.closed_meeting_triggers(table, event, _frozen_columns(db, table)):
                db.execute(statement)
    for statement in postgres_schema.meetings_closed_trigger(
            [c for c in _columns(db, "meetings") if c not in _MEETING_BOOKKEEPING]):
        db.execute(statement)


@migrations()
def m005_action_status_audit(db: Database) -> None:
    # Action statuses change between meetings (also on a closed meeting, the one change its guard allows):
    # each change is recorded by a trigger, so it is audited whichever path wrote it (page, CLI, script).
    # One statement per execute: executescript would commit the migration's write transaction half-way.
    db.execute("""CREATE TABLE IF NOT EXISTS action_status_changes (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES minutes_entries(id) ON DELETE CASCADE,
            old_status TEXT NOT NULL,
            new_status TEXT NOT NULL,
            changed_at TEXT NOT NULL            -- UTC, ISO 8601
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS action_status_changes_entry ON action_status_changes(entry_id, id)")
    db.execute("DROP TRIGGER IF EXISTS minutes_entries_status_audit")
    db.execute("""CREATE TRIGGER minutes_entries_status_audit AFTER UPDATE OF status ON minutes_entries
        WHEN OLD.status IS NOT NEW.status BEGIN
            INSERT INTO action_status_changes (entry_id, old_status, new_status, changed_at)
            VALUES (NEW.id, OLD.status, NEW.status, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
        END""")


@migrations()
def m006_redaction_and_retention(db: Database) -> None:
    # Issue 10: aliases a roster person is also known by (redaction cannot derive them); when the anonymised
    # minutes were last exported and when the raw live contributions were purged (retention). The guard is
    # re-installed so that its column lists include the new columns.
    db.execute("ALTER TABLE participants ADD COLUMN aliases TEXT")
    db.execute("ALTER TABLE meetings ADD COLUMN minutes_exported_at TEXT")
    db.execute("ALTER TABLE meetings ADD COLUMN contributions_purged_at TEXT")
    install_closed_meeting_guard(db)


@migrations()
def m007_users_and_audit(db: Database) -> None:
    # Accounts (meeting.accounts): one role each; gm and viewer see only the units listed in user_units.
    # password_hash is NULL for an account that signs in only through single sign-on, or for the built-in
    # `admin` account, whose password is the app passcode.
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'gm', 'viewer')),
            password_hash TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS user_units (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            PRIMARY KEY (user_id, unit_id)
        );
        -- A signed-in browser: the token carries this id; signing out deletes the row, so the token dies.
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        -- Who did what and when. actor is the account's email (or 'cli' / a customer's join), kept as text so
        -- the trail survives the account's removal.
        CREATE TABLE IF NOT EXISTS audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
        """
    )


@migrations()
def m008_live_meeting_safety(db: Database) -> None:
    # Issue 13. Per-meeting room settings: the pace of one device's contributions, and pre-moderation.
    db.execute("ALTER TABLE meetings ADD COLUMN contribution_interval_seconds INTEGER NOT NULL DEFAULT 5")
    db.execute("ALTER TABLE meetings ADD COLUMN premoderate INTEGER NOT NULL DEFAULT 0")
    # 1 = may show on the room screen; 0 = waiting for the GM (only when the meeting pre-moderates).
    db.execute("ALTER TABLE contributions ADD COLUMN approved INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX IF NOT EXISTS contributions_author ON contributions(meeting_id, author_token, id)")
    # Time actually spent: one row per stay in a section, written by the section moves (meeting.live.state).
    db.executescript(f"""
        CREATE TABLE IF NOT EXISTS section_visits (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            section TEXT NOT NULL CHECK {_SECTION_CHECK.format(col='section')},
            started_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE INDEX IF NOT EXISTS section_visits_meeting ON section_visits(meeting_id, id);
        -- Guessing limiter (meeting.limiter): every wrong passcode or join code, and successes that reset
        -- a client's count, kept server-side so a reload or a fresh session does not start again from zero.
        CREATE TABLE IF NOT EXISTS guess_attempts (
            id INTEGER PRIMARY KEY,
            scope TEXT NOT NULL,
            client TEXT NOT NULL,
            at REAL NOT NULL,
            ok INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS guess_attempts_client ON guess_attempts(scope, client, at);
        CREATE INDEX IF NOT EXISTS guess_attempts_scope ON guess_attempts(scope, ok, at);
    """)
    # A meeting already live when this migration runs: its current stay starts where its clock started.
    db.execute("INSERT INTO section_visits (meeting_id, section, started_at) SELECT id, current_section, "
               "section_started_at FROM meetings WHERE status = 'live' AND current_section IS NOT NULL "
               "AND section_started_at IS NOT NULL")
    install_closed_meeting_guard(db)


@migrations()
def m009_stored_tags_and_month_summaries(db: Database) -> None:
    # Issue 12: an agenda's cost follows the month reviewed, not the unit's history. Each response's theme
    # tags and (where a figure needs it) VADER sentiment are computed once and stored with the taxonomy
    # version they were computed under; each month's figures and quote candidates are summarised once per
    # (data, taxonomy) state. meeting.evidence.tagging and meeting.evidence.months own all of this.
    for column, kind in (("themes", "INTEGER"),          # bit i = the version's i-th theme is mentioned
                         ("has_text", "INTEGER"),        # the narrative has any non-blank character
                         ("sentiment", "REAL"),          # VADER compound, where read (else NULL)
                         ("tagged_version", "INTEGER")):  # taxonomy_versions.id; NULL = not tagged yet
        db.execute(f"ALTER TABLE voc_responses ADD COLUMN {column} {kind}")
    db.executescript("""
        CREATE TABLE taxonomy_versions (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,          -- sha256 of themes.csv + touchpoints.csv as parsed
            themes TEXT NOT NULL                -- JSON list of theme names, in bit order
        );
        CREATE TABLE voc_month_state (          -- a unit's month is summarised under this taxonomy version
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            version INTEGER NOT NULL,
            candidates INTEGER NOT NULL DEFAULT 0,  -- quote candidates chosen too
            max_id INTEGER NOT NULL DEFAULT 0,      -- the highest response id when built: newer rows may be new here
            PRIMARY KEY (unit_id, period)
        );
        CREATE TABLE voc_month_stats (          -- one month's responses counted per touchpoint label, segment, scale
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            touchpoint TEXT NOT NULL,
            segment TEXT,
            scale TEXT,
            first_seen TEXT NOT NULL,           -- received_on and id of the label's first row, for naming
            first_id INTEGER NOT NULL,          -- the label's lowest id
            responses INTEGER NOT NULL,
            scored INTEGER NOT NULL,
            promoters INTEGER NOT NULL,
            detractors INTEGER NOT NULL,
            score_sum REAL NOT NULL,
            low_scores INTEGER NOT NULL,        -- score <= 2 (CSAT 1-2)
            narratives INTEGER NOT NULL,
            negatives INTEGER NOT NULL          -- narratives of unscored rows that VADER reads as negative
        );
        CREATE INDEX voc_month_stats_unit ON voc_month_stats(unit_id, period);
        CREATE TABLE voc_month_themes (
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            theme TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (unit_id, period, theme)
        );
        CREATE TABLE voc_quote_candidates (     -- per pool and direction, the ranked few a quote is picked from
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            pool TEXT NOT NULL,                 -- a section key, 'any', 'segment:<key>' or 'touchpoint:<key>'
            negative INTEGER NOT NULL,
            rank INTEGER NOT NULL,
            response_id INTEGER NOT NULL,
            PRIMARY KEY (unit_id, period, pool, negative, rank)
        );
        -- A deleted or edited response makes its month's summary stale (its old month and its new one). New
        -- rows are found by id (above max_id), not by an index: an index would slow every import's inserts.
        CREATE TRIGGER voc_month_stale_delete AFTER DELETE ON voc_responses BEGIN
            DELETE FROM voc_month_state WHERE unit_id = OLD.unit_id AND period = substr(OLD.received_on, 1, 7);
        END;
        CREATE TRIGGER voc_month_stale_update
        AFTER UPDATE OF unit_id, received_on, touchpoint, segment, score, scale, narrative ON voc_responses BEGIN
            DELETE FROM voc_month_state WHERE unit_id = OLD.unit_id AND period = substr(OLD.received_on, 1, 7);
            DELETE FROM voc_month_state WHERE unit_id = NEW.unit_id AND period = substr(NEW.received_on, 1, 7);
            UPDATE voc_responses SET tagged_version = NULL, themes = NULL, sentiment = NULL WHERE id = NEW.id;
        END;
    """)


@migrations()
def m010_month_complaint_themes(db: Database) -> None:
    # "Already known?" (meeting.evidence.known) counts each month's complaints by touchpoint and theme: kept
    # with the month's other summaries, so six months cost six small reads, not six months of rows.
    db.execute("""CREATE TABLE IF NOT EXISTS voc_month_complaints (
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            period TEXT NOT NULL,
            touchpoint TEXT NOT NULL,           -- the label as received; aliases are merged when read
            theme TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (unit_id, period, touchpoint, theme)
        )""")
    db.execute("DELETE FROM voc_month_state")  # every month is summarised again, with this table, when next read


@migrations()
def m011_action_status_changes_on_the_one_clock(db: Database) -> None:
    # The audit trigger stamped changes with SQLite's own 'now', a second clock beside meeting.clock that tests
    # cannot freeze (an action done "tomorrow" in a frozen test). The one store function that changes a status
    # (minutes.entries.set_action_status) now records the change itself, with the one clock.
    db.execute("DROP TRIGGER IF EXISTS minutes_entries_status_audit")


@migrations()
def m030_month_score_squares(db: Database) -> None:
    # Issue 21: a CSAT mean is shown with its t-interval and compared month to month by Welch's test, which need
    # each month's sum of squared scores beside its sum. Summaries are caches: every month is rebuilt when next read.
    db.execute("ALTER TABLE voc_month_stats ADD COLUMN score_squares REAL NOT NULL DEFAULT 0")
    db.execute("DELETE FROM voc_month_state")


@migrations()
def m070_response_language(db: Database) -> None:
    # Issue 20: the language each narrative is written in, detected once at tagging (meeting.evidence.language)
    # and read by the tagger (that language's cues) and by sentiment (that language's lexicon, or none). An edit
    # of the text clears it with the other derived columns; every month is re-tagged under the new taxonomy.
    db.execute("ALTER TABLE voc_responses ADD COLUMN language TEXT")
    db.executescript("""
        DROP TRIGGER IF EXISTS voc_month_stale_update;
        CREATE TRIGGER voc_month_stale_update
        AFTER UPDATE OF unit_id, received_on, touchpoint, segment, score, scale, narrative ON voc_responses BEGIN
            DELETE FROM voc_month_state WHERE unit_id = OLD.unit_id AND period = substr(OLD.received_on, 1, 7);
            DELETE FROM voc_month_state WHERE unit_id = NEW.unit_id AND period = substr(NEW.received_on, 1, 7);
            UPDATE voc_responses SET tagged_version = NULL, themes = NULL, sentiment = NULL, language = NULL
             WHERE id = NEW.id;
        END;
    """)
    db.execute("DELETE FROM voc_month_state")


# Tables an import writes rows into, with the column that dates each row (its month is what a meeting reviews).
BATCH_TABLES = {"voc_responses": "received_on", "staff_inputs": "submitted_on", "metrics": "period",
                "plans": "starts_on", "finance": "period"}


@migrations()
def m090_import_batches(db: Database) -> None:
    # Issue 25: every import is a batch (file, kind, rows, when, who) whose rows carry its id, so one import can be
    # listed and undone exactly. Rows written before this migration belong to no batch and are never undone.
    db.executescript("""
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            file TEXT NOT NULL,
            rows INTEGER NOT NULL DEFAULT 0,
            inserted INTEGER NOT NULL DEFAULT 0,
            replaced INTEGER NOT NULL DEFAULT 0,   -- rows already there whose values it replaced: not undoable
            units TEXT NOT NULL DEFAULT '',        -- the unit names, comma-separated
            at TEXT NOT NULL,
            who TEXT,
            undone_at TEXT
        );
    """)
    for table in BATCH_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN import_batch_id INTEGER REFERENCES import_batches(id)")
        db.execute(f"CREATE INDEX {table}_import_batch ON {table}(import_batch_id)")


@migrations()
def m100_minutes_records(db: Database) -> None:
    # Issue 28: the record's life after the meeting closes (draft -> final -> approved). Its own table, not columns
    # of `meetings`, whose closed-meeting guard freezes every column. No row means the minutes are still a draft.
    # `canonical` is the named minutes' canonical text at finalise and `fingerprint` its SHA-256
    # (meeting.minutes.record); neither ever changes, and an approval, once given, stays. `frozen_actions` keeps
    # the action statuses and the carried actions as they stood at finalise, so the record's documents do not
    # move when the action register does.
    db.execute("""CREATE TABLE IF NOT EXISTS minutes_records (
            meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('final', 'approved')),
            canonical TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            finalised_at TEXT NOT NULL,
            finalised_by TEXT NOT NULL,
            approved_by TEXT,
            approved_on TEXT,
            approved_at TEXT,
            approved_by_actor TEXT,
            frozen_actions TEXT NOT NULL DEFAULT '{}'  -- JSON: action statuses and carried actions at finalise
        )""")
    db.execute("DROP TRIGGER IF EXISTS minutes_records_fixed")
    db.execute("""CREATE TRIGGER minutes_records_fixed BEFORE UPDATE ON minutes_records
        WHEN OLD.status = 'approved' OR NEW.canonical IS NOT OLD.canonical OR NEW.fingerprint IS NOT OLD.fingerprint
             OR NEW.frozen_actions IS NOT OLD.frozen_actions
        BEGIN SELECT RAISE(ABORT, 'The finalised minutes are the record: their text, their fingerprint and an approval once given never change.'); END""")
    db.execute("DROP TRIGGER IF EXISTS minutes_records_kept")
    db.execute("""CREATE TRIGGER minutes_records_kept BEFORE DELETE ON minutes_records
        WHEN (SELECT COUNT(*) FROM meetings WHERE id = OLD.meeting_id) > 0
        BEGIN SELECT RAISE(ABORT, 'The finalised minutes are the record and cannot be deleted.'); END""")


@migrations()
def m101_meeting_invitations(db: Database) -> None:
    # Issue 28: a meeting's calendar invitation keeps one UID; each re-issue raises its SEQUENCE (RFC 5545), so a
    # calendar updates the event instead of adding a second one. Its own table: the closed guard freezes meetings.
    db.execute("""CREATE TABLE IF NOT EXISTS meeting_invitations (
            meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
            uid TEXT NOT NULL UNIQUE,
            sequence INTEGER NOT NULL DEFAULT 0,
            issued_at TEXT NOT NULL
        )""")


@migrations()
def m110_unit_document_language(db: Database) -> None:
    # Issue 27: the language a unit's meeting writes its documents and room text in, set explicitly (never guessed
    # from the customers' languages, m070): every existing unit stays English until someone sets it.
    db.execute("ALTER TABLE units ADD COLUMN document_language TEXT NOT NULL DEFAULT 'en'")


@migrations()
def m120_meeting_start_and_cancelled_invitations(db: Database) -> None:
    # Issue 28: a meeting starts at a time the GM sets (local "HH:MM" on its day, held_on), never a guessed one: NULL
    # until set, and the invitation is refused until then. Its length is the existing total_minutes. The guard is
    # re-run so a closed meeting's start time is frozen with the rest of it. An invitation, once cancelled
    # (METHOD:CANCEL), remembers when; issuing it again reinstates the event and clears it.
    db.execute("ALTER TABLE meetings ADD COLUMN start_time TEXT")
    install_closed_meeting_guard(db)
    db.execute("ALTER TABLE meeting_invitations ADD COLUMN cancelled_at TEXT")


@migrations()
def m121_circulation_sends(db: Database) -> None:
    # Issue 28: what `circulate --send` delivered, one row per draft and recipient, written only after the SMTP
    # server accepted that recipient: a failure half-way leaves the others unmarked, and sending again skips
    # whoever already has their copy.
    create_table(db, """CREATE TABLE IF NOT EXISTS circulation_sends (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            draft TEXT NOT NULL,
            recipient TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            UNIQUE (meeting_id, draft, recipient)
        )""")
