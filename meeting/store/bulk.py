"""Rows read straight into a DataFrame, for the store modules that hand evidence its frames.

pandas is imported only when a DataFrame is asked for, so commands that never build one (``--help``, the JSON
readers of the record) do not pay its ~0.3 s import.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def frame(db, sql: str, params: Sequence, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``sql`` as a DataFrame with these column names, typed as ``pandas.read_sql_query`` types them
    (floats coerced, text as pandas' string dtype; no rows: object columns)."""
    import pandas as pd

    rows = db.execute(sql, list(params)).fetchall()
    if not rows:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame.from_records(rows, columns=list(columns), coerce_float=True)
