"""The schema, as numbered sqlite-utils migrations run at start-up.

A migration, once released, is never edited: add a new one instead, so that a newer app opens an older
file without losing data.
"""
from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

SECTION_KEYS = ("customer", "employees", "operations", "marketing", "sales", "finance")
_SECTION_CHECK = "({col} IN ('customer','employees','operations','marketing','sales','finance'))"

migrations = Migrations("outside_in")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
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
def m002_app_settings(db: sqlite_utils.Database) -> None:
    # App-wide key/value settings; first use: the salted hash of a generated GM passcode (meeting.auth).
    db.execute("CREATE TABLE IF NOT EXISTS app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m003_voc_score_index(db: sqlite_utils.Database) -> None:
    # Covering index: the 12-month trend and the watermelon history read only these columns, and scanning
    # the index instead of the table halves that time on a 200,000-response unit.
    db.execute("CREATE INDEX IF NOT EXISTS voc_unit_date_scores ON voc_responses(unit_id, received_on, touchpoint, scale, score)")


# Tables whose rows belong to one meeting. Once the meeting is closed they are the record: a removed
# participant would un-redact the anonymised minutes, an edited entry would change what was agreed.
_FROZEN_WITH_MEETING = ("participants", "agenda_items", "minutes_entries", "contributions")
CLOSED_MEETING_ERROR = "closed meeting"  # the trigger's message; meeting.store.connection turns it into MeetingClosed
# What may still change on a closed meeting: an action's status (tracked between meetings), and the raw
# contributions' text, names and tokens (purged under the retention rule). Everything else is refused.
_STILL_EDITABLE = {"minutes_entries": ("status",), "contributions": ("text", "display_name", "author_token")}


def _frozen_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [c.name for c in db[table].columns if c.name not in _STILL_EDITABLE.get(table, ()) and c.name != "id"]


@migrations()
def m004_change_counter_and_closed_guard(db: sqlite_utils.Database) -> None:
    # One cheap cache key: every write transaction bumps this counter (meeting.store.write_transaction), so
    # a page can tell "anything changed?" with one read instead of scanning tables.
    db.execute("CREATE TABLE IF NOT EXISTS change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "changes INTEGER NOT NULL)")
    db.execute("INSERT OR IGNORE INTO change_counter (id, changes) VALUES (1, 0)")
    install_closed_meeting_guard(db)


def install_closed_meeting_guard(db: sqlite_utils.Database) -> None:
    """Triggers that refuse any change to a closed meeting's rows, whoever writes: page, CLI or import.

    Re-run (drop and create) by a later migration that adds columns, so the UPDATE OF lists stay complete.
    """
    closed = "(SELECT status FROM meetings WHERE id = {row}.meeting_id) = 'closed'"
    fail = f"SELECT RAISE(ABORT, '{CLOSED_MEETING_ERROR}');"
    for table in _FROZEN_WITH_MEETING:
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
    db.execute(f"CREATE TRIGGER meetings_closed_update BEFORE UPDATE ON meetings WHEN OLD.status = 'closed' "
               f"BEGIN {fail} END")


@migrations()
def m005_stored_tags_and_month_summaries(db: sqlite_utils.Database) -> None:
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
