"""Which column of the file holds which canonical column: suggested from headers, checked against values.

A header that is the canonical name, or one of its known synonyms, is a strong suggestion. A keyword found
in a longer header is a weak one: it is taken only when the header is short (a label, not a survey question)
for label-like columns, never from an id column, and only when the column's values look like what the field
holds (a score column holds scores of a scale, a team column is not numbers). Explicit ``--map`` choices are
never second-guessed here; validation checks their values.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from meeting.importing.kinds import Field, get_kind, normalise_header
from meeting.importing.scorelabels import is_label

SAMPLE = 2_000           # values looked at per candidate column
_ID_WORDS = re.compile(r"\b(id|ids|number|no|code|key|uuid|guid|ip|address|latitude|longitude)\b")
# Words in a header that say the column is derived from a score, not the score itself (Qualtrics Q1_NPS_GROUP).
_NOT_A_SCORE = re.compile(r"\b(group|category|segment|type|id|topics?|sentiment|timing|click|count)\b")
_LEADING_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)")
_DATE_LIKE = re.compile(r"\d{1,4}\s*[-/.]\s*(\d{1,2}|[A-Za-z]{3,9})\s*[-/.]\s*\d{2,4}|\d{4}-\d{2}-\d{2}|"
                        r"[A-Za-z]{3,9}\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}|^\d{5}(\.\d+)?$")


def _keyword_pattern(keyword: str) -> re.Pattern:
    word = normalise_header(keyword.rstrip("*"))
    tail = "" if keyword.endswith("*") else r"\b"
    return re.compile(r"\b" + re.escape(word) + tail)


def _match_score(spec_field: Field, header: str) -> tuple[float, bool]:
    """How well a normalised header names the field, and whether that is a keyword guess (weak)."""
    if header == normalise_header(spec_field.name):
        return 100.0, False
    synonyms = [normalise_header(s) for s in spec_field.synonyms]
    if header in synonyms:
        return 90.0 - synonyms.index(header) * 0.1, False
    for rank, keyword in enumerate(spec_field.keywords):
        if _keyword_pattern(keyword).search(header):
            # Stronger keywords first; among equals, a shorter header is the more specific one.
            return 70.0 - rank * 2 - min(len(header), 80) * 0.01, True
    return 0.0, False


def _keyword_allowed(spec_field: Field, header: str, raw: str) -> bool:
    """Keyword guesses for short, label-like fields need a short header that is not an id or a question."""
    if spec_field.type in ("text", "score") and spec_field.name != "response_id" and spec_field.name != "customer_ref":
        return True
    if _ID_WORDS.search(header) and spec_field.name not in ("response_id", "customer_ref"):
        return False
    return len(header.split()) <= 4 and not raw.strip().endswith("?")


def _sample(frame: pd.DataFrame | None, column: str) -> pd.Series | None:
    if frame is None or column not in frame:
        return None
    values = frame[column].head(SAMPLE * 2).astype("str").str.strip()
    values = values[values.notna() & (values != "")]
    return values.head(SAMPLE)


def values_fit(spec_field: Field, header: str, values: pd.Series | None, weak: bool = True) -> bool:
    """Do a candidate column's first values look like what the field holds? (No values: nothing to say.)

    A header that names the field (a synonym) is checked only where a wrong guess stores wrong numbers
    silently, the score; a keyword guess is checked for every field. Stray bad values are left for validation
    to report with their rows.
    """
    if values is None:
        return True
    if values.empty:
        return spec_field.type != "score"  # an empty column is never the score
    if not weak and spec_field.type != "score":
        return True
    name = spec_field.name
    numeric = pd.to_numeric(values.str.extract(_LEADING_NUMBER, expand=False).str.replace(",", ".", regex=False),
                            errors="coerce")
    plain_numbers = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce").notna()
    if spec_field.type == "score":
        if _NOT_A_SCORE.search(header):
            return False
        words = values[numeric.isna()]
        if not words.empty and (words.map(is_label).mean() >= 0.8 or (
                not weak and words.nunique() <= 11 and words.str.len().max() <= 60)):
            # Choice text ("Very satisfied"), or short labels under a header naming the score: read (or
            # refused naming the labels) in validation, never left out of the mapping silently.
            return True
        if numeric.isna().mean() > 0.2:
            return False
        found = numeric.dropna()
        if (~found.between(0, 10) | (found % 1 != 0)).mean() > 0.5:  # a few stray values are errors to report
            return False
        # 1/2/3 only under an NPS header: detractor/passive/promoter codes, not 0-10 answers.
        return not (found.isin([1, 2, 3]).all() and re.search(r"\bnps\b|\brecommend", header))
    if spec_field.type in ("label", "enum") or name in ("customer_ref",):
        if name == "customer_ref":
            return True
        if plain_numbers.mean() > 0.2:  # a team, channel or touchpoint column full of numbers is suspect
            return False
        if spec_field.type == "enum" and spec_field.choices:
            known = values.map(lambda v: normalise_header(v) in spec_field.choices)
            return known.mean() >= 0.8
        return values.str.len().mean() <= 60 and values.nunique() <= max(60, len(values) // 2)
    if spec_field.type == "date":
        return values.map(lambda v: bool(_DATE_LIKE.search(v))).mean() >= 0.8
    if spec_field.type in ("number",):
        return numeric.notna().mean() >= 0.8
    if name == "response_id":
        return values.is_unique
    return True


def suggest_mapping(kind: str, headers: list[str], frame: pd.DataFrame | None = None,
                    questions: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """For each canonical column of ``kind``, the file's column that most likely holds it (or None).

    Exact names first, then known synonyms (``RecordedDate``, ``Tell us why``...), then keywords, matched on
    the header and on the question text a survey export puts under it (``questions``, or ``frame.attrs``);
    with ``frame``, a guess whose values do not fit the field is dropped for the next one. Each file column is
    used at most once.
    """
    spec = get_kind(kind)
    fields = spec.all_fields
    if questions is None and frame is not None:
        questions = frame.attrs.get("questions") or {}
    questions = questions or {}
    candidates = []
    for field_rank, spec_field in enumerate(fields):
        for header_rank, header in enumerate(headers):
            best, best_weak = 0.0, True
            for raw, penalty in ((header, 0.0), (questions.get(header) or "", 5.0)):
                if not raw:
                    continue
                words = normalise_header(raw)
                score, weak = _match_score(spec_field, words)
                if score and weak and not _keyword_allowed(spec_field, words, raw):
                    score = 0.0
                if score and score - penalty > best:
                    best, best_weak = score - penalty, weak
            if best > 0 and spec_field.name != "unit":
                candidates.append((-best, field_rank, header_rank, spec_field, header, best_weak))
            elif spec_field.name == "unit" and normalise_header(header) == "unit":
                # Only a column called "unit" is taken as the unit on its own; any other needs --map unit=...
                candidates.append((-100.0, field_rank, header_rank, spec_field, header, False))
    mapping: dict[str, str | None] = {f.name: None for f in fields}
    used: set[str] = set()
    for _, _, _, spec_field, header, weak in sorted(candidates, key=lambda c: c[:3]):
        canonical = spec_field.name
        if mapping[canonical] is not None or header in used:
            continue
        exact = normalise_header(header) == normalise_header(canonical)
        if not exact and not values_fit(spec_field, normalise_header(header + " " + questions.get(header, "")),
                                        _sample(frame, header), weak):
            continue
        mapping[canonical] = header
        used.add(header)
    return mapping


def resolve_mapping(kind: str, headers: list[str], mapping: Mapping[str, str | None] | None,
                    frame: pd.DataFrame | None = None) -> dict:
    """The user's mapping, with suggestions for the canonical columns it does not mention.

    A canonical column given as None (or "") stays unmapped; one left out gets the suggestion, unless the
    suggested file column is already used.
    """
    spec = get_kind(kind)
    given = {k: (v or None) for k, v in (mapping or {}).items()}
    taken = {v for v in given.values() if v}
    remaining = [h for h in headers if h not in taken]
    suggested = suggest_mapping(kind, remaining, frame)
    known = [f.name for f in spec.all_fields]
    return {name: given[name] if name in given else suggested[name] for name in known} | {
        k: v for k, v in given.items() if k not in known}


def describe_mapping(mapping: Mapping[str, str | None]) -> str:
    """One line: ``received_on <- RecordedDate, score <- Q1, ...`` (columns not in the file left out)."""
    used = [f"{canonical} <- {header}" for canonical, header in mapping.items() if header]
    return ", ".join(used) if used else "(no column of the file is used)"
