"""Rows written and read by hand in tests, in SQL both engines run (the sqlite-utils table API is SQLite's only).

Test code only: table and column names come from the test itself, never from input, so they are put into the
SQL as they are; values always go as ``?`` parameters.
"""
from __future__ import annotations

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
