"""Rows a test seeds straight into a table, through the portable subset (``db.executemany`` inside a write
transaction), so the same seed runs on SQLite and on PostgreSQL."""
from meeting import store

_NAME = set("abcdefghijklmnopqrstuvwxyz_0123456789")


def insert_rows(db, table: str, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts, column -> value) into ``table``, committed; rows with the same columns go in one
    ``executemany``."""
    groups: dict[tuple[str, ...], list[tuple]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(tuple(row.values()))
    for name in (table, *(column for columns in groups for column in columns)):
        if not set(name) <= _NAME:  # identifiers are pasted into the SQL: test-written names only
            raise ValueError(f"not a plain identifier: {name!r}")
    with store.write_transaction(db):
        for columns, values in groups.items():
            sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
                   f"VALUES ({', '.join('?' for _ in columns)})")
            db.executemany(sql, values)


def insert_row(db, table: str, row: dict) -> int:
    """Insert one row, committed; its id."""
    for name in (table, *row):
        if not set(name) <= _NAME:
            raise ValueError(f"not a plain identifier: {name!r}")
    with store.write_transaction(db):
        sql = (f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)}) RETURNING id")
        return db.execute(sql, list(row.values())).fetchone()[0]


def get_row(db, table: str, row_id: int) -> dict:
    """The row with this id, as a dict (sqlite-utils' ``db[table].get``); KeyError if there is none."""
    if not set(table) <= _NAME:
        raise ValueError(f"not a plain identifier: {table!r}")
    for row in db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]):
        return row
    raise KeyError(row_id)


def count_rows(db, table: str) -> int:
    """How many rows ``table`` holds."""
    if not set(table) <= _NAME:
        raise ValueError(f"not a plain identifier: {table!r}")
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
