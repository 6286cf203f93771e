"""What an import writes: rows of the importable tables in bulk (voc_responses, staff_inputs, metrics, plans,
finance, participants, minutes_entries), the monthly metrics a ticket log becomes, and the counts the importer
reports. Writers run inside the importer's ``write_transaction``; the importer decides what the rows are.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from meeting.store.connection import is_postgres

# The tables an import writes, and whose columns own a row: every name put into SQL comes from here.
IMPORT_TABLES = {"voc_responses": "unit_id", "staff_inputs": "unit_id", "metrics": "unit_id", "plans": "unit_id",
                 "finance": "unit_id", "participants": "meeting_id", "minutes_entries": "meeting_id"}
_NAME = set("abcdefghijklmnopqrstuvwxyz_0123456789")


def _table(table: str) -> str:
    if table not in IMPORT_TABLES:
        raise ValueError(f"{table!r} is not a table an import writes")
    return table


def _columns(columns: Sequence[str]) -> list[str]:
    # Column names come from the import kinds' fixed field lists; refuse anything else rather than quote it.
    bad = [c for c in columns if not c or not set(c) <= _NAME]
    if bad:
        raise ValueError(f"not a column name: {bad[0]!r}")
    return list(columns)


@contextlib.contextmanager
def bulk_write(db) -> Iterator[None]:
    """Around one large import: SQLite gets a larger page cache for it (index inserts of 200k rows run ~25%
    faster), restored after; PostgreSQL needs nothing."""
    if is_postgres(db):
        yield
        return
    cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache_size)}")


def insert_statement(table: str, columns: Sequence[str], conflict: Sequence[str], update: Sequence[str] = (), *,
                     keep_existing: bool = False) -> str:
    """``INSERT ... ON CONFLICT (conflict)``: rows already there are left alone, or (``update``) have those
    columns replaced, or with ``keep_existing`` replaced only where the new value is not NULL. A replaced row
    takes the new ``import_batch_id`` when one is written."""
    table, columns = _table(table), _columns(columns)
    conflict, update = _columns(conflict), _columns(update)
    if update:
        sets = ", ".join(f"{c} = COALESCE(excluded.{c}, {table}.{c})" if keep_existing else f"{c} = excluded.{c}"
                         for c in update)
        if "import_batch_id" in columns:  # a replaced row is the newest import's now (undo refuses it)
            sets += ", import_batch_id = excluded.import_batch_id"
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(conflict)}) {action}")


def insert_rows(db, table: str, columns: Sequence[str], rows: Iterable[Sequence], conflict: Sequence[str],
                update: Sequence[str] = (), *, keep_existing: bool = False) -> None:
    """One batch of rows (tuples in ``columns`` order, None for NULL) in one ``executemany``; see
    ``insert_statement`` for rows already there."""
    db.executemany(insert_statement(table, columns, conflict, update, keep_existing=keep_existing), rows)


def count_rows(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {_table(table)}").fetchone()[0]


def newest_id(db, table: str) -> int:
    """The highest id in ``table`` (0 when empty): rows written after now have higher ids."""
    return db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(table)}").fetchone()[0]


def count_after(db, table: str, after_id: int) -> int:
    """How many rows of ``table`` have an id above ``after_id`` (the rows inserted since ``newest_id``)."""
    return db.execute(f"SELECT COUNT(*) FROM {_table(table)} WHERE id > ?", [after_id]).fetchone()[0]


def has_responses(db) -> bool:
    return db.execute("SELECT 1 FROM voc_responses LIMIT 1").fetchone() is not None


def database_location(db) -> str:
    """Where the data lives, for a message: the SQLite file's path, or the PostgreSQL database's name."""
    if is_postgres(db):
        return db.execute("SELECT current_database()").fetchone()[0]
    return db.execute("PRAGMA database_list").fetchone()[2]


# --- ticket logs: monthly metrics -------------------------------------------------------------------------

METRIC_COLUMNS = ("unit_id", "period", "touchpoint", "name", "target", "actual", "direction", "import_batch_id")


def delete_metric_months(db, unit_id: int, name: str, periods: Sequence[str]) -> int:
    """Remove the unit's readings of metric ``name`` for ``periods`` (a ticket log replaces them); how many."""
    periods = list(periods)
    marks = ", ".join("?" * len(periods)) or "NULL"
    where = f"FROM metrics WHERE unit_id = ? AND name = ? AND period IN ({marks})"
    params = [unit_id, name, *periods]
    removed = db.execute(f"SELECT COUNT(*) {where}", params).fetchone()[0]
    db.execute(f"DELETE {where}", params)
    return removed


def insert_metrics(db, rows: Iterable[Sequence]) -> None:
    """Rows of ``METRIC_COLUMNS``."""
    db.executemany(f"INSERT INTO metrics ({', '.join(METRIC_COLUMNS)}) VALUES ({', '.join('?' * len(METRIC_COLUMNS))})",
                rows)
