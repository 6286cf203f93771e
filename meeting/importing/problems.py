"""What goes wrong in an import, said with file, row and column; and what a successful import did."""
from __future__ import annotations

import re
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
        groups = group_problems(self.problems)
        lines += [f"  {group.describe(self.filename)}" for group in groups[:MAX_REPORTED]]
        shown = sum(len(g.rows) or 1 for g in groups[:MAX_REPORTED])
        if self.total > shown:
            rest = self.total - shown
            lines.append(f"  ... and {rest} more problem{'s' if rest != 1 else ''}")
        lines.append("Nothing was imported.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


# A problem's kind, whatever the cell held: quoted values and numbers are what differ between its rows.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class ProblemGroup:
    """One kind of problem in one column: the rows it is on and the first row's message."""
    column: str | None
    rows: tuple[int, ...]   # () for a problem of the file or a whole column
    message: str

    def describe(self, filename: str) -> str:
        where = [filename] + ([f"column '{self.column}'"] if self.column is not None else [])
        if not self.rows:
            return f"{', '.join(where)}: {self.message}"
        if len(self.rows) == 1:
            return (f"{', '.join([filename, f'row {self.rows[0]}', *where[1:]])}: {self.message}; or skip the row "
                    "with --skip-bad-rows REJECTS.csv")
        return (f"{', '.join(where)}: {len(self.rows):,} rows ({rows_shown(self.rows)}), the first: {self.message}; "
                "or skip them with --skip-bad-rows REJECTS.csv")


def group_problems(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """One line per kind of problem and column (file and column problems first, each on its own)."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        key = (problem.column, _VARYING.sub("#", problem.message)) if problem.row is not None else (id(problem),)
        groups.setdefault(key, []).append(problem)
    out = [ProblemGroup(found[0].column, tuple(sorted({p.row for p in found if p.row is not None})),
                        found[0].message) for found in groups.values()]
    return sorted(out, key=lambda g: (bool(g.rows), g.rows[:1]))


def rows_shown(rows: Iterable[int], limit: int = 5) -> str:
    """``rows 1076-1093, 2338, ...``: runs of rows joined, the first few shown."""
    rows = sorted({int(r) for r in rows})
    runs: list[list[int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    shown = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in runs[:limit])
    return ("row " if len(rows) == 1 else "rows ") + shown + (", ..." if len(runs) > limit else "")


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
    batch_id: int | None = field(default=None, compare=False)  # the import batch (undo: python -m meeting import undo)

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
