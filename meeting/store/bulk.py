"""Many rows at once, for the store modules: one ``executemany`` and rows read straight into a DataFrame.

pandas is imported only when a DataFrame is asked for, so commands that never build one (``--help``, the JSON
readers of the record) do not pay its ~0.3 s import.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def executemany(db, sql: str, rows: Iterable[Sequence]) -> None:
    """Run one statement for every row (inside the caller's write transaction); both engines run a batch in one
    driver call (SQLite: one C loop, the importer's ceiling, bench/import_bench.py)."""
    db.executemany(sql, rows)


def frame(db, sql: str, params: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``sql`` as a DataFrame with these column names, typed as ``pandas.read_sql_query`` types them
    (floats coerced, text as pandas' string dtype; no rows: object columns)."""
    import pandas as pd

    rows = db.execute(sql, list(params)).fetchall()
    if not rows:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=True)
