"""What goes wrong in an import, said with file, row and column; and what a successful import did."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

MAX_REPORTED = 20

@dataclass(frozen=True)
class Problem:
    row: int | None       # spreadsheet row (header = 1); None for the file or a whole column
    column: str | None    # the file's own column name where there is one, else the canonical name
    message: str

    def describe(self, filename: str) -> str:
        where = [filename]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(ValueError):
    """Bad input: nothing was imported. ``str()`` is the report for the user."""

    def __init__(self, filename: str, problems: Iterable[Problem], total: int | None = None):
        self.filename = filename
        self.problems = list(problems)
        self.total = len(self.problems) if total is None else total
        super().__init__(self.report())

    def report(self) -> str:
        count = f"{self.total} problem{'s' if self.total != 1 else ''}"
        lines = [f"Cannot import {self.filename}: {count}."]
        lines += [f"  {problem.describe(self.filename)}" for problem in self.problems[:MAX_REPORTED]]
        if self.total > MAX_REPORTED:
            rest = self.total - MAX_REPORTED
            lines.append(f"  ... and {rest} more problem{'s' if rest != 1 else ''}")
        lines.append("Nothing was imported.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def problems_frame(problems: Iterable[Problem], filename: str) -> pd.DataFrame:
    """Problems as a table (file, row, column, message) for the Import page."""
    rows = [{"file": filename, "row": p.row, "column": p.column or "", "message": p.message} for p in problems]
    frame = pd.DataFrame(rows, columns=["file", "row", "column", "message"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    duplicates: int  # rows already there (for metrics, finance, plans and participants: updated in place)
    units: tuple[str, ...] = field(default=(), compare=False)  # units the rows went to
    skipped: tuple[tuple[str, int], ...] = field(default=(), compare=False)  # (reason, rows) not responses
    rejected: int = field(default=0, compare=False)  # bad rows left out (only with skip_bad_rows)
    mapping: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (canonical, file column) used

    def describe_duplicates(self, replaced: bool) -> str:
        """``3 already there`` or, where a re-import replaces values (metrics, finance...), say so."""
        return f"{self.duplicates:,} already there" + (", their values replaced" if replaced and self.duplicates
                                                         else "")

    @property
    def total(self) -> int:
        return self.inserted + self.duplicates



def describe_skipped(skipped) -> str:
    """``10 unfinished responses skipped; 2 preview, test or spam responses skipped`` (or "")."""
    return "; ".join(f"{count} {reason} skipped" for reason, count in dict(skipped).items() if count)
