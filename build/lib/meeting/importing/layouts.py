"""The header layouts survey tools and service desks write, recognised from the first rows of a file.

A layout says which row names the columns, which rows under it are not data (question texts, import ids,
sub-answers) and what each column's question was. Reading CSV and XLSX both go through ``detect_layout``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HEAD_ROWS = 15  # rows looked at to find the header: title rows above it are short, the header is wide
_SURVEYMONKEY_SUBS = {"response", "open-ended response", "open ended response"}
_QUALTRICS_LEGACY_ID = re.compile(r"^V\d+$")


@dataclass(frozen=True)
class Layout:
    name: str                     # qualtrics, qualtrics-legacy, surveymonkey, or plain
    columns: tuple[str, ...]      # one unique name per column
    data_start: int               # 0-based index, in the rows given, of the first data row
    questions: dict[str, str] = field(default_factory=dict, compare=False)  # column -> its question text


def _filled(row: list) -> int:
    return sum(1 for cell in row if str(cell).strip())


def _unique(names: list[str]) -> tuple[str, ...]:
    """Repeated headers (Jira repeats 'Sprint', 'Labels', 'Comment'...) get ' (2)', ' (3)'; blanks 'Column N'."""
    seen: dict[str, int] = {}
    out = []
    for index, name in enumerate(names):
        name = " ".join(str(name).split()) or f"Column {index + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(out)


def find_header_row(rows: list[list]) -> int:
    """The first row at least half as filled as the widest of the first rows: a title row above it is not."""
    widest = max((_filled(r) for r in rows[:HEAD_ROWS]), default=0)
    for index, row in enumerate(rows[:HEAD_ROWS]):
        if _filled(row) >= max(2, widest / 2) or (widest < 2 and _filled(row)):
            return index
    return 0


def detect_layout(rows: list[list], header_row: int | None = None) -> Layout:
    """The layout of a file from its first rows (lists of cell texts). ``header_row`` is 1-based, as the user
    sees rows in a spreadsheet; without it the header is found."""
    index = header_row - 1 if header_row else find_header_row(rows)
    header = [str(c).strip() for c in (rows[index] if index < len(rows) else [])]
    below = [str(c).strip() for c in rows[index + 1]] if index + 1 < len(rows) else []
    third = [str(c).strip() for c in rows[index + 2]] if index + 2 < len(rows) else []
    below += [""] * (len(header) - len(below))
    width = len(header)

    if third and sum(c.startswith('{"ImportId"') for c in third) > width / 2:
        # Qualtrics (since 2017): ids, then question texts, then {"ImportId": ...}.
        columns = _unique(header)
        return Layout("qualtrics", columns, index + 3, _questions(columns, below))
    if (sum(bool(_QUALTRICS_LEGACY_ID.match(h)) for h in header) >= 3 and
            any(c.casefold() == "responseid" for c in below)):
        # Qualtrics' older layout: V1..Vn over the real names in row 2; question ids (Q1) over question texts.
        names = [b if _QUALTRICS_LEGACY_ID.match(h) and b else h for h, b in zip(header, below)]
        columns = _unique(names)
        questions = {c: b for c, h, b in zip(columns, header, below) if not _QUALTRICS_LEGACY_ID.match(h) and b}
        return Layout("qualtrics-legacy", columns, index + 2, questions)
    if any(c.casefold() in _SURVEYMONKEY_SUBS for c in below):
        # SurveyMonkey: a question over its answers; a blank header continues the question to its left.
        names, kinds, current = [], [], ""
        for head, sub in zip(header, below):
            current = head or current
            if not sub or sub.casefold() in _SURVEYMONKEY_SUBS:
                names.append(head or current)
            else:
                names.append(f"{current} - {sub}" if current else sub)
            kinds.append(sub)
        columns = _unique(names)
        # "Open-Ended Response" says the column holds free text: the question text a mapping can match.
        questions = {c: f"{c} (open-ended response)" for c, sub in zip(columns, kinds)
                     if sub.casefold() in ("open-ended response", "open ended response")}
        return Layout("surveymonkey", columns, index + 2, questions)
    return Layout("plain", _unique(header), index + 1)


def _questions(columns: tuple[str, ...], texts: list[str]) -> dict[str, str]:
    return {c: t for c, t in zip(columns, texts) if t and t != c}
