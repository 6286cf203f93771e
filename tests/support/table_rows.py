"""Rows written and read by hand in tests, in SQL both engines run (the sqlite-utils table API is SQLite's only).

Test code only: table and column names come from the test itself, never from input, so they are put into the
SQL as they are; values always go as ``?`` parameters.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Mapping

from meeting import store


def insert_rows(db, table: str, rows: Mapping | Iterable[Mapping]) -> list[int]:
    """Insert one row (a dict) or several, committed; their ids in order. As sqlite-utils' ``insert_all`` does,
    every row gets the columns of all of them (NULL where a row has none)."""
    rows = [rows] if isinstance(rows, Mapping) else list(rows)
    columns = list(dict.fromkeys(column for row in rows for column in row))
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
           "RETURNING id")
    with store.write_transaction(db):
        return [db.execute(sql, [row.get(column) for column in columns]).fetchone()[0] for row in rows]


def count_rows(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def get_row(db, table: str, row_id: int) -> dict:
    """The row with this id (as a dict); KeyError when there is none."""
    found = list(db.query(f"SELECT * FROM {table} WHERE id = ?", [int(row_id)]))
    if not found:
        raise KeyError(f"no row {row_id} in {table}")
    return found[0]


def update_row(db, table: str, row_id: int, values: Mapping) -> None:
    """Set these columns of the row with this id, committed."""
    sets = ", ".join(f"{column} = ?" for column in values)
    with store.write_transaction(db):
        db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), int(row_id)])


def table_columns(db, table: str) -> list[tuple[str, bool, bool]]:
    """(name, NOT NULL, has a default) of each column, in order: each engine's own catalogue (an identity
    column counts as having a default on PostgreSQL, as an INTEGER PRIMARY KEY is filled in by SQLite)."""
    if store.is_postgres(db):
        return [(name, nullable == "NO", default is not None or identity == "YES") for name, nullable, default, identity
                in db.execute("SELECT column_name, is_nullable, column_default, is_identity FROM information_schema.columns "
                              "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                              [table]).fetchall()]
    return [(row[1], bool(row[3]), row[4] is not None) for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


class _Plain:
    """psycopg's connection with sqlite3's ``?`` marks (the tests' own SQL has no ``?`` or ``%`` in literals)."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, params=()):
        return self._conn.execute(sql.replace("?", "%s"), list(params) or None)

    def executemany(self, sql, rows):
        with self._conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)


@contextlib.contextmanager
def plain_connection(db_path):
    """The database opened with its engine's own driver, not through the store (sqlite3 for a file, psycopg for
    a URL), so a test can check what a store function wrote by other means; committed on leaving."""
    if str(db_path).startswith("postgresql://"):
        import psycopg

        with psycopg.connect(str(db_path)) as conn:  # commits on a clean exit
            yield _Plain(conn)
        return
    with contextlib.closing(sqlite3.connect(db_path)) as conn, conn:
        yield conn


def plain_read(db_path, sql, params=()) -> list[tuple]:
    with plain_connection(db_path) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]
