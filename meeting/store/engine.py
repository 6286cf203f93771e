"""What a database connection offers, whichever engine: the one portable subset, written down once.

Both engines (meeting.store.connection.SQLiteDatabase, meeting.store.postgres.PostgresDatabase) subclass
``Database``, so they offer the same public methods (tests/unit/test_store.py checks it) and refuse the same
way what is not portable: sqlite-utils' table API (``db.table``, ``db["t"]``) and the driver's own connection
(``db.conn``), each with a message that says what to use instead. Nothing here imports a driver: the CLI's
start-up pays for neither sqlite-utils (which imports pandas) nor psycopg.
"""
from __future__ import annotations

import abc
import contextlib
import sqlite3
from typing import Any, Iterable, Iterator, Sequence

SUBSET = ("only db.execute(sql, params), db.query(sql, params), db.executemany(sql, rows) and "
          "store.write_transaction(db) are portable (see COMMON.md: INSERT ... RETURNING id, ON CONFLICT)")


class DatabaseBusy(sqlite3.OperationalError):
    """Another writer held the database past the busy timeout (SQLite's "database is locked", PostgreSQL's lock
    timeout): nothing was written, so trying again is safe. A subclass of sqlite3's error so older ``except``
    clauses still catch it, but its own class so that ``except DatabaseBusy`` never swallows a mistake in the
    SQL ("no such table" is an OperationalError too)."""


def is_busy_message(error: BaseException) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def check_params(params) -> list | None:
    """The parameters as a list (None for none): ``?`` placeholders only, so a statement runs on both engines."""
    if params is None:
        return None
    if isinstance(params, dict):
        raise TypeError("named parameters are SQLite-only here: use ? placeholders and a list")
    return list(params)


class Database(abc.ABC):
    """One connection to the store's database. Outside a transaction every statement commits on its own
    (autocommit); ``transaction()`` (and above it ``store.write_transaction``) groups statements, and nested
    calls become savepoints."""

    engine: str  # "sqlite" or "postgresql": the one thing a store module may branch on (store.is_postgres)

    @abc.abstractmethod
    def execute(self, sql: str, params: Iterable | None = None) -> Any:
        """Run one statement; the cursor's rows are tuples (``fetchone`` / ``fetchall``)."""

    @abc.abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence]) -> Any:
        """Run one statement for every row."""

    @abc.abstractmethod
    def executescript(self, sql: str) -> Any:
        """Several statements separated by ``;``, no parameters; part of the open transaction, if any."""

    @abc.abstractmethod
    def query(self, sql: str, params: Iterable | None = None) -> Iterator[dict]:
        """Run one statement now; its rows as dicts, column name to value."""

    @property
    @abc.abstractmethod
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this connection."""

    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager:
        """A transaction (committed at the end of the block, rolled back on an error), or a savepoint inside
        one."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Roll back the open transaction, if any."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection."""

    # What sqlite-utils offered beyond the portable subset fails with a message that says what to use instead.
    def __getattr__(self, name: str):
        raise AttributeError(f"{type(self).__name__} has no {name!r}: {SUBSET}")

    def __getitem__(self, table: str):
        raise TypeError(f"db[{table!r}] is sqlite-utils' table API: {SUBSET}")
