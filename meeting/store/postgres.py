"""The PostgreSQL engine: a connection that offers the store's portable subset (meeting.store.engine.Database).

Why psycopg 3 and portable SQL rather than SQLAlchemy Core: the store's statements are plain SQL strings run on
a ``db`` passed around (``db.execute(sql, params)``, ``db.query``, ``db.executemany``). Keeping that shape means
no statement changes its form, only the few SQLite-only constructs change their spelling; SQLAlchemy Core would
rewrite every statement (``text()`` with ``:name`` binds, or expression objects) and add a second abstraction
over the SQLite engine for no gain in what is checked. What this class adds is small and tested
(tests/unit/test_postgres.py): ``?`` placeholders become ``%s`` outside string literals, quoted names and
comments (and a literal ``%`` becomes ``%%``, psycopg's escape); integer 0/1 for booleans; ``numeric`` results
(SUM, AVG of integers) come back as int or float, as SQLite returns them; psycopg's errors become the store's
(``IntegrityError``, ``DatabaseBusy``) so callers catch one class whichever engine runs.

psycopg is imported only when a PostgreSQL URL is opened: the CLI's start-up does not pay for it on SQLite.
"""
from __future__ import annotations

import functools
import sqlite3
from typing import Any, Iterable, Iterator, Sequence

from meeting.store.engine import Database, DatabaseBusy, check_params

URL_SCHEMES = ("postgresql://", "postgres://")
# SQLSTATEs that mean "another transaction is in the way; try again": lock_not_available (lock_timeout),
# serialization_failure, deadlock_detected, query_canceled (statement_timeout).
_BUSY_STATES = {"55P03", "40001", "40P01", "57014"}


def is_url(target: Any) -> bool:
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


class PostgresIntegrityError(sqlite3.IntegrityError):
    """A constraint or a guard refused the change (SQLSTATE class 23); an ``IntegrityError`` like SQLite's."""


class PostgresBusy(DatabaseBusy):
    """A lock or serialization wait gave up; a ``DatabaseBusy`` like SQLite's "database is locked"."""


def translate_error(error: Exception) -> Exception:
    """The store's error for a psycopg error, or the error itself when it means a mistake in the SQL."""
    state = getattr(error, "sqlstate", None) or ""
    message = _message(error)
    if state.startswith("23"):
        return PostgresIntegrityError(message)
    if state in _BUSY_STATES:
        return PostgresBusy(f"database is locked ({message})")
    return error


def _message(error: Exception) -> str:
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    return primary or str(error)


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """``?`` -> ``%s`` outside '...' literals, "..." names and comments; every ``%`` -> ``%%`` (psycopg reads
    ``%`` everywhere in a statement that has parameters, literals included)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in ("'", '"'):
            end = i + 1
            while end < n:
                if sql[end] == char:
                    if end + 1 < n and sql[end + 1] == char:  # a doubled quote is the quote itself
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i:end + 1].replace("%", "%%"))
            i = end + 1
        elif char == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif char == "/" and sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif char == "?":
            out.append("%s")
            i += 1
        elif char == "%":
            out.append("%%")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _prepare(sql: str, params) -> tuple[str, list | None]:
    """The statement and parameters psycopg gets: untouched without parameters (psycopg then reads no ``%``)."""
    params = check_params(params)
    if not params:
        return sql, None
    return translate(sql), params


def _adapt(conn) -> None:
    """As on SQLite: booleans are stored as integers 0/1, a float NaN as NULL (sqlite3 binds NaN as NULL, and
    pandas gives NaN for an empty cell), numeric results (SUM, AVG of integers) load as int when whole, else
    float."""
    import math

    from psycopg.adapt import Dumper, Loader
    from psycopg.postgres import types
    from psycopg.types.numeric import FloatDumper

    class FloatNanAsNull(FloatDumper):
        def dump(self, obj):
            return None if math.isnan(obj) else super().dump(obj)

    class BoolAsInteger(Dumper):
        oid = types["int8"].oid

        def dump(self, obj):
            return b"1" if obj else b"0"

    class NumericAsNumber(Loader):
        def load(self, data):
            text = bytes(data).decode()
            try:
                return int(text)
            except ValueError:
                return float(text)

    conn.adapters.register_dumper(bool, BoolAsInteger)
    conn.adapters.register_dumper(float, FloatNanAsNull)
    conn.adapters.register_loader("numeric", NumericAsNumber)


class PostgresDatabase(Database):
    """One PostgreSQL session in autocommit mode: each statement outside ``write_transaction`` commits on its
    own, as on SQLite; ``write_transaction`` opens a real transaction (``transaction()``)."""

    engine = "postgresql"

    def __init__(self, url: str, *, lock_timeout_ms: int):
        import psycopg

        self._psycopg = psycopg
        try:
            # lock_timeout: a writer waiting longer than SQLite's busy timeout gets DatabaseBusy, not a hang.
            # Kept private: psycopg's own connection takes %s, not ?, and has no executemany; stages must not reach it.
            self._conn = psycopg.connect(url, autocommit=True, application_name="outside-in",
                                         options=f"-c lock_timeout={int(lock_timeout_ms)}")
        except psycopg.OperationalError as error:
            raise sqlite3.OperationalError(f"cannot connect to PostgreSQL: {_message(error)}") from None
        _adapt(self._conn)

    def execute(self, sql: str, params: Iterable | None = None):
        sql, params = _prepare(sql, params)
        cursor = self._conn.cursor()
        try:
            cursor.execute(sql, params)
        except self._psycopg.Error as error:
            raise _translated(error)
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence]):
        cursor = self._conn.cursor()
        try:
            cursor.executemany(translate(sql), rows)
        except self._psycopg.Error as error:
            raise _translated(error)
        return cursor

    def executescript(self, sql: str):
        """Several statements, no parameters (simple query protocol); not committed by itself, unlike SQLite's."""
        return self.execute(sql)

    def query(self, sql: str, params: Iterable | None = None) -> Iterator[dict]:
        from psycopg.rows import dict_row

        sql, params = _prepare(sql, params)
        cursor = self._conn.cursor(row_factory=dict_row)
        try:  # now, not when the rows are first read: an INSERT ... RETURNING happens even if they never are
            cursor.execute(sql, params)
        except self._psycopg.Error as error:
            raise _translated(error)
        return iter(cursor)

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE

    def transaction(self):
        """A transaction, or a savepoint inside one (psycopg's own nesting)."""
        return self._conn.transaction()

    def rollback(self) -> None:
        if self.in_transaction:
            self._conn.rollback()

    def close(self) -> None:
        self._conn.close()

    def __repr__(self) -> str:
        info = self._conn.info
        return f"<PostgresDatabase {info.user}@{info.host}:{info.port}/{info.dbname}>"  # never the password


def _translated(error: Exception) -> Exception:
    translated = translate_error(error)
    if translated is not error:
        translated.__cause__ = error
        translated.__suppress_context__ = True
        setattr(translated, "sqlstate", getattr(error, "sqlstate", None))  # the driver's code, kept for logs
    return translated
