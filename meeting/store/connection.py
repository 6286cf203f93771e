"""The SQLite database: where it lives, how it is opened, and the one write path.

This is the only module that knows the database path. Everything else asks it for a connection
(``open_db``), writes inside ``write_transaction`` and uses sqlite-utils on it.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import sqlite_utils

from meeting.store.schema import CLOSED_MEETING_ERROR, migrations

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The names the rest of the code uses for the database and its errors, so stages need not know the engine.
Database = sqlite_utils.Database
DatabaseBusy = sqlite3.OperationalError
IntegrityError = sqlite3.IntegrityError


def is_postgres(db) -> bool:
    """Whether ``db`` is on the PostgreSQL engine: the one test a store module may branch on, where a statement
    cannot be written once for both (an index hint, a lock)."""
    return getattr(db, "engine", "sqlite") == "postgresql"


def workspace_root() -> Path:
    """Where the database and exports go by default: the checkout when run from one, else the current folder
    (an installed package must not write into site-packages)."""
    return PROJECT_ROOT if (PROJECT_ROOT / "pyproject.toml").is_file() else Path.cwd()


DEFAULT_DB_PATH = workspace_root() / "data" / "outside_in.db"
BUSY_TIMEOUT_MS = 10_000
# One writer at a time within this process (a Streamlit server runs every session's script in one process):
# threads queue on a lock instead of SQLite's busy handler, which sleeps in growing steps and let some of
# 300 flat-out writers starve past the timeout (bench/live_bench.py). BEGIN IMMEDIATE still orders writers
# across processes (the CLI, a second server).
_WRITE_LOCK = threading.Lock()

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
    # Under WAL, NORMAL stays consistent after a crash (a power cut may lose the last commits, never corrupt);
    # it saves an fsync per commit: flat-out Join sends went from 59 to 280 a second (bench/live_bench.py).
    db.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        migrate_db(db)
    return db


def migrate_db(db: sqlite_utils.Database) -> None:
    if not migrations.pending(db):
        return
    # Under one write lock, so a second process starting at the same moment waits, then finds nothing left.
    with write_transaction(db):
        migrations.apply(db)


class MeetingClosed(PermissionError):
    """A write to a closed meeting's roster, agenda, entries or contributions (refused by the store's guard)."""

    def __init__(self, message: str = "This meeting is closed: its roster, agenda and minutes are the record now. "
                                      "Only action statuses can still change."):
        super().__init__(message)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database, *, changes_evidence: bool = True) -> Iterator[sqlite_utils.Database]:
    """All-or-nothing write that takes the write lock up front; the one write path.

    ``BEGIN IMMEDIATE`` rather than sqlite-utils' deferred ``BEGIN``: a read-then-write transaction under a
    deferred begin fails with "database is locked" when another writer is active, whatever the timeout.
    Unless ``changes_evidence`` is False (live contributions, section moves: nothing a cached page shows),
    the change counter is bumped, so every cache keyed on ``data_version`` refreshes.
    """
    try:
        if db.conn.in_transaction:
            with db.atomic():
                yield db
                if changes_evidence:
                    _bump(db)
            return
        if not _WRITE_LOCK.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked (waited for this server's other writers)")
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                if changes_evidence:
                    _bump(db)
            except BaseException:
                db.rollback()
                raise
            else:
                db.execute("COMMIT")
        finally:
            _WRITE_LOCK.release()
    except sqlite3.IntegrityError as error:
        if CLOSED_MEETING_ERROR in str(error):
            raise MeetingClosed() from None
        raise


def _bump(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE change_counter SET changes = changes + 1 WHERE id = 1")


def data_version(db: sqlite_utils.Database) -> int:
    """How many write transactions the file has seen: one read, a cache key for every page."""
    row = db.execute("SELECT changes FROM change_counter WHERE id = 1").fetchone()
    return row[0] if row else 0


def schema_version(db: sqlite_utils.Database) -> int:
    """How many migrations this file has had applied."""
    return len(migrations.applied(db))
