"""The database: which engine and where, how it is opened, and the one write path.

This is the only module that knows the database's location. Everything else asks it for a connection
(``open_db``), writes inside ``write_transaction`` and runs portable SQL on it (``db.execute``, ``db.query``,
``db.executemany``). Two engines behind one interface (meeting.store.engine.Database): the SQLite file (the
default, plain sqlite3) and PostgreSQL when ``OUTSIDE_IN_DATABASE_URL`` (or an explicit ``postgresql://`` URL)
says so (meeting.store.postgres).
"""
from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from meeting.store import engine, postgres
from meeting.store.schema import CLOSED_MEETING_ERROR, migrations

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The names the rest of the code uses for the database and its errors, so stages need not know the engine.
# PostgreSQL's errors are translated into subclasses of these (meeting.store.postgres), so one ``except``
# serves both engines.
Database = engine.Database
DatabaseBusy = engine.DatabaseBusy
IntegrityError = sqlite3.IntegrityError
DATABASE_URL_ENV = "OUTSIDE_IN_DATABASE_URL"
# Any key serves, as long as every process uses the same one: the PostgreSQL counterpart of SQLite's one writer.
WRITE_LOCK_KEY = 0x0175_1DE1


class SQLiteDatabase(engine.Database):
    """One SQLite file on plain sqlite3, in autocommit mode as on PostgreSQL: a statement outside a transaction
    commits on its own; ``transaction()`` is ``BEGIN IMMEDIATE`` (a writer takes the file's write lock up front),
    or a savepoint inside one.

    Why not sqlite-utils any more: its import pulls in pandas (~0.5 s of every CLI command's start-up), and its
    table API (``db["t"].insert``) is what kept the code from running on PostgreSQL.
    """

    engine = "sqlite"

    def __init__(self, path: str | os.PathLike, *, busy_timeout_ms: int):
        # check_same_thread=False: Streamlit may run a script run's callbacks on another thread; a connection
        # is still never shared between sessions (one per script run or per thread).
        self._conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False,
                                     isolation_level=None)
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            # Triggers that fire triggers (a stale month marked by a trigger a delete fired), as sqlite-utils set it.
            self._conn.execute("PRAGMA recursive_triggers = ON")
            if self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._conn.execute("PRAGMA journal_mode = WAL")
            # Under WAL, NORMAL stays consistent after a crash (a power cut may lose the last commits, never
            # corrupt); it saves an fsync per commit: flat-out Join sends went from 59 to 280 a second
            # (bench/live_bench.py).
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            self._conn.close()
            raise

    def execute(self, sql: str, params: Iterable | None = None) -> sqlite3.Cursor:
        params = engine.check_params(params)
        try:
            return self._conn.execute(sql) if params is None else self._conn.execute(sql, params)
        except sqlite3.OperationalError as error:
            raise _busy_or(error) from None

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> sqlite3.Cursor:
        try:
            return self._conn.executemany(sql, rows)  # one C loop per batch: the importer's ceiling
        except sqlite3.OperationalError as error:
            raise _busy_or(error) from None

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """One statement at a time rather than sqlite3's ``executescript``, which commits the open transaction
        first (a migration would commit half-way)."""
        cursor = self._conn.cursor()
        for statement in _statements(sql):
            try:
                cursor.execute(statement)
            except sqlite3.OperationalError as error:
                raise _busy_or(error) from None
        return cursor

    def query(self, sql: str, params: Iterable | None = None) -> Iterator[dict]:
        cursor = self.execute(sql, params)  # now, not when the rows are first read
        keys = [column[0] for column in cursor.description or ()]
        return (dict(zip(keys, row)) for row in cursor)

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SQLiteDatabase]:
        if self._conn.in_transaction:
            savepoint = f"sp_{secrets.token_hex(8)}"
            self._conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) trigger ends the whole transaction, savepoints included: nothing to undo then.
                if self._conn.in_transaction:
                    self._conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self._conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            self._conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        # IMMEDIATE, not a deferred BEGIN: a read-then-write transaction under a deferred begin fails with
        # "database is locked" when another writer is active, whatever the timeout.
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    def __repr__(self) -> str:
        return f"<SQLiteDatabase {self._file()}>"

    def _file(self) -> str:
        row = self._conn.execute("PRAGMA database_list").fetchone()
        return row[2] if row else "?"


def _busy_or(error: sqlite3.OperationalError) -> sqlite3.OperationalError:
    """SQLite says "database is locked" / "busy" with the same class as a mistake in the SQL: tell them apart."""
    if isinstance(error, DatabaseBusy) or not engine.is_busy_message(error):
        return error
    return DatabaseBusy(str(error))


def _statements(script: str) -> Iterator[str]:
    """The statements of a script, split where SQLite itself says one is complete (so a ``;`` inside a
    trigger's body, a string or a comment does not split)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if _has_code(pending):
                yield pending
            pending = ""
    if _has_code(pending[:-1]):
        yield pending[:-1]


def _has_code(sql: str) -> bool:
    lines = (line.split("--", 1)[0] for line in sql.splitlines())
    return any(line.strip(" \t;") for line in lines)


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

def resolve_db_path(path: str | os.PathLike | None = None) -> Path | str:
    """The database: an explicit path or ``postgresql://`` URL, else ``OUTSIDE_IN_DATABASE_URL`` (a URL), else
    ``OUTSIDE_IN_DB``, else ``data/outside_in.db``. A URL is returned as the string, a file as a Path.

    Read on every call (not at import) so tests and AppTest can point it elsewhere.
    """
    if path:
        return str(path) if postgres.is_url(path) else Path(path)
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        if not postgres.is_url(url):
            raise ValueError(f"{DATABASE_URL_ENV} must be a postgresql:// URL")
        return url
    env = os.environ.get("OUTSIDE_IN_DB")
    return Path(env) if env else DEFAULT_DB_PATH


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> Database:
    """Open the database and bring its schema up to date. SQLite: WAL, a busy timeout and foreign keys on.
    PostgreSQL: one session in autocommit mode with a lock timeout equal to SQLite's busy timeout."""
    target = resolve_db_path(path)
    db: Database
    if isinstance(target, str):  # a postgresql:// URL
        db = postgres.PostgresDatabase(target, lock_timeout_ms=BUSY_TIMEOUT_MS)
        if migrate:
            migrate_db(db)
        return db
    target.parent.mkdir(parents=True, exist_ok=True)
    db = SQLiteDatabase(target, busy_timeout_ms=BUSY_TIMEOUT_MS)
    if migrate:
        migrate_db(db)
    return db


def migrate_db(db: Database) -> None:
    """Apply the pending migrations, if any, under the write lock: a second process starting at the same moment
    waits, then finds nothing left."""
    if not migrations.pending(db):
        return
    with write_transaction(db):
        migrations.apply(db)


class MeetingClosed(PermissionError):
    """A write to a closed meeting's roster, agenda, entries or contributions (refused by the store's guard)."""

    def __init__(self, message: str = "This meeting is closed: its roster, agenda and minutes are the record now. "
                                      "Only action statuses can still change."):
        super().__init__(message)


@contextlib.contextmanager
def write_transaction(db: Database, *, changes_evidence: bool = True) -> Iterator[Database]:
    """All-or-nothing write that takes the write lock up front; the one write path.

    On SQLite, ``BEGIN IMMEDIATE`` (``SQLiteDatabase.transaction``) behind a lock within this process.
    Unless ``changes_evidence`` is False (live contributions, section moves: nothing a cached page shows),
    the change counter is bumped, so every cache keyed on ``data_version`` refreshes.

    On PostgreSQL the transaction takes a transaction-scoped advisory lock first: writers queue one at a time
    across every process on the database, as ``BEGIN IMMEDIATE`` orders them on SQLite, so code that reads then
    writes inside one ``write_transaction`` stays correct with N app replicas. Reads are not blocked (MVCC), and
    a writer waiting past the busy timeout gets ``DatabaseBusy``. No threading lock: each connection waits on
    the server. Nested calls become savepoints on both engines.
    """
    if is_postgres(db):
        with _postgres_transaction(db, changes_evidence):
            yield db
        return
    try:
        if db.in_transaction:
            with db.transaction():  # a savepoint
                yield db
                if changes_evidence:
                    _bump(db)
            return
        if not _WRITE_LOCK.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise DatabaseBusy("database is locked (waited for this server's other writers)")
        try:
            with db.transaction():  # BEGIN IMMEDIATE
                yield db
                if changes_evidence:
                    _bump(db)
        finally:
            _WRITE_LOCK.release()
    except sqlite3.IntegrityError as error:
        if CLOSED_MEETING_ERROR in str(error):
            raise MeetingClosed() from None
        raise


@contextlib.contextmanager
def _postgres_transaction(db, changes_evidence: bool) -> Iterator:
    outermost = not db.in_transaction
    try:
        with db.transaction():
            if outermost:
                db.execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK_KEY])
            yield db
            if changes_evidence:
                _bump(db)
    except sqlite3.IntegrityError as error:
        if CLOSED_MEETING_ERROR in str(error):
            raise MeetingClosed() from None
        raise
    except db._psycopg.Error as error:  # raised by COMMIT itself (a serialization failure, say)
        raise postgres._translated(error)


def _bump(db: Database) -> None:
    db.execute("UPDATE change_counter SET changes = changes + 1 WHERE id = 1")


def data_version(db: Database) -> int:
    """How many write transactions the file has seen: one read, a cache key for every page."""
    row = db.execute("SELECT changes FROM change_counter WHERE id = 1").fetchone()
    return row[0] if row else 0


def schema_version(db: Database) -> int:
    """How many migrations this database has had applied."""
    return len(migrations.applied(db))
