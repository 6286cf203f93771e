"""The SQLite database: where it lives, how it is opened, its schema and migrations.

This is the only module that knows the database path and the schema. Everything else asks it for a
connection (``open_db``) and uses sqlite-utils on it.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "outside_in.db"
BUSY_TIMEOUT_MS = 10_000

SECTION_KEYS = ("customer", "employees", "operations", "marketing", "sales", "finance")
_SECTION_CHECK = "({col} IN ('customer','employees','operations','marketing','sales','finance'))"

# Schema history. A migration, once released, is never edited: add a new one instead, so that a newer
# app opens an older file without losing data.
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


@migrations()
def m004_redaction_and_retention(db: sqlite_utils.Database) -> None:
    # Issue 10: aliases a roster person is also known by (redaction cannot derive them); when the anonymised
    # minutes were last exported and when the raw live contributions were purged (retention).
    db.execute("ALTER TABLE participants ADD COLUMN aliases TEXT")
    db.execute("ALTER TABLE meetings ADD COLUMN minutes_exported_at TEXT")
    db.execute("ALTER TABLE meetings ADD COLUMN contributions_purged_at TEXT")


def resolve_db_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit path, else ``OUTSIDE_IN_DB``, else ``data/outside_in.db``.

    Read on every call (not at import) so tests and AppTest can point it elsewhere.
    """
    if path:
        return Path(path)
    env = os.environ.get("OUTSIDE_IN_DB")
    return Path(env) if env else DEFAULT_DB_PATH


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database with WAL, a busy timeout and foreign keys on; bring the schema up to date."""
    db_path = resolve_db_path(path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: Streamlit may run a script run's callbacks on another thread; a connection
    # is still never shared between sessions (one per script run or per thread).
    conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if db.journal_mode != "wal":  # outside any transaction, as SQLite requires
        db.enable_wal()
    if migrate:
        migrate_db(db)
    return db


def migrate_db(db: sqlite_utils.Database) -> None:
    if not migrations.pending(db):
        return
    # Under one write lock, so a second process starting at the same moment waits, then finds nothing left.
    with write_transaction(db):
        migrations.apply(db)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All-or-nothing write that takes the write lock up front.

    ``BEGIN IMMEDIATE`` rather than sqlite-utils' deferred ``BEGIN``: a read-then-write transaction under a
    deferred begin fails with "database is locked" when another writer is active, whatever the timeout.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        db.execute("COMMIT")


def schema_version(db: sqlite_utils.Database) -> int:
    """How many migrations this file has had applied."""
    return len(migrations.applied(db))


def get_or_create_unit(db: sqlite_utils.Database, name: str) -> int:
    """The id of the unit called ``name`` (case-insensitive), creating it if new."""
    clean = " ".join(str(name).split())
    if not clean:
        raise ValueError("A unit needs a name.")
    row = db.execute("SELECT id FROM units WHERE name = ? COLLATE NOCASE", [clean]).fetchone()
    if row:
        return row[0]
    return db.table("units").insert({"name": clean}).last_pk


def find_unit(db: sqlite_utils.Database, name_or_id: str | int) -> dict | None:
    """A unit by id or by name (case-insensitive), or None."""
    text = str(name_or_id).strip()
    if text.isdigit():
        rows = list(db.query("SELECT * FROM units WHERE id = ?", [int(text)]))
        if rows:
            return rows[0]
    rows = list(db.query("SELECT * FROM units WHERE name = ? COLLATE NOCASE", [" ".join(text.split())]))
    return rows[0] if rows else None


def list_units(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT id, name FROM units ORDER BY name"))
