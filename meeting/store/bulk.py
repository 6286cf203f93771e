"""Many rows at once, for the store modules: one ``executemany`` and rows read straight into a DataFrame.

Kept apart so the two engines differ here only: sqlite-utils' Database has no ``executemany`` of its own (its
sqlite3 connection has, and runs a batch in one C loop: the importer's ceiling, bench/import_bench.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd


def executemany(db, sql: str, rows: Iterable[Sequence]) -> None:
    """Run one statement for every row (inside the caller's write transaction)."""
    many = getattr(db, "executemany", None)
    if many is not None:
        many(sql, rows)
    else:
        db.conn.executemany(sql, rows)


def frame(db, sql: str, params: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``sql`` as a DataFrame with these column names, typed as ``pandas.read_sql_query`` types them
    (floats coerced, text as pandas' string dtype; no rows: object columns)."""
    rows = db.execute(sql, list(params)).fetchall()
    if not rows:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=True)
