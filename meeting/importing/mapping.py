"""Which column of the file holds which canonical column: suggested from headers, checked against values."""
from __future__ import annotations

import re
from typing import Mapping

from meeting.importing.kinds import Field, get_kind, normalise_header

def _keyword_pattern(keyword: str) -> re.Pattern:
    word = normalise_header(keyword.rstrip("*"))
    tail = "" if keyword.endswith("*") else r"\b"
    return re.compile(r"\b" + re.escape(word) + tail)


def _match_score(spec_field: Field, header: str) -> float:
    if header == normalise_header(spec_field.name):
        return 100.0
    synonyms = [normalise_header(s) for s in spec_field.synonyms]
    if header in synonyms:
        return 90.0 - synonyms.index(header) * 0.1
    for rank, keyword in enumerate(spec_field.keywords):
        if _keyword_pattern(keyword).search(header):
            # Stronger keywords first; among equals, a shorter header is the more specific one.
            return 70.0 - rank * 2 - min(len(header), 80) * 0.01
    return 0.0


def suggest_mapping(kind: str, headers: list[str]) -> dict[str, str | None]:
    """For each canonical column of ``kind``, the file's column that most likely holds it (or None).

    Exact names first, then known synonyms (``RecordedDate``, ``Tell us why``...), then keywords; each file
    column is used at most once.
    """
    spec = get_kind(kind)
    fields = spec.all_fields
    candidates = []
    for field_rank, spec_field in enumerate(fields):
        for header_rank, header in enumerate(headers):
            score = _match_score(spec_field, normalise_header(header))
            if score > 0:
                candidates.append((-score, field_rank, header_rank, spec_field.name, header))
    mapping: dict[str, str | None] = {f.name: None for f in fields}
    used: set[str] = set()
    for _, _, _, canonical, header in sorted(candidates):
        if mapping[canonical] is None and header not in used:
            mapping[canonical] = header
            used.add(header)
    return mapping


def resolve_mapping(kind: str, headers: list[str], mapping: Mapping[str, str | None] | None) -> dict:
    """The user's mapping, with suggestions for the canonical columns it does not mention.

    A canonical column given as None (or "") stays unmapped; one left out gets the suggestion, unless the
    suggested file column is already used.
    """
    spec = get_kind(kind)
    given = {k: (v or None) for k, v in (mapping or {}).items()}
    taken = {v for v in given.values() if v}
    remaining = [h for h in headers if h not in taken]
    suggested = suggest_mapping(kind, remaining)
    known = [f.name for f in spec.all_fields]
    return {name: given[name] if name in given else suggested[name] for name in known} | {
        k: v for k, v in given.items() if k not in known}

