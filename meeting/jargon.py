"""A jargon check on what customers read: the meeting title and section prompts on the Join page, and the
"You said, we did" note. Flagged to the GM before they go out, with a plainer word where the list has one.

Three kinds of flag:
- words and phrases from the editable list ``meeting/data/jargon.csv`` (term, kind, suggestion): matched as whole
  words, any case, except acronyms, which match as written ("NPS", not "nps" inside a sentence);
- internal acronyms not in the list: a word of two to six capitals (digits allowed, "P1", "SD-WAN"), unless
  it is one that customers use too (``PLAIN_ACRONYMS``: UK, EU, VAT...);
- team and system names: the unit's staff teams as imported (``staff_inputs.team``), which customers do not
  know by name.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from meeting import store
from meeting.resources import DATA_DIR
from meeting.sections import SECTIONS
from meeting.store import evidence as stored
from meeting.store import meetings as stored_meetings

# Capitals customers know as well as we do; anything else in capitals reads as an internal acronym.
PLAIN_ACRONYMS = frozenset("""UK EU US USA UN OK TV PC IT AM PM VAT GDPR PDF FAQ FAQS ID PIN ATM SMS GP NHS HSE BBC
CEO CFO COO CTO HR PO Q1 Q2 Q3 Q4 I II III IV A AN""".split())
# A word in capitals (digits and inner hyphens allowed, a plural "s" too): "FTTP", "P1", "SD-WAN", "SLAs".
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*s?(?![\w-])")
KINDS = ("acronym", "system", "team", "jargon")


@dataclass(frozen=True)
class JargonTerm:
    term: str
    kind: str
    suggestion: str | None


@dataclass(frozen=True)
class JargonFlag:
    where: str            # "Meeting title", "Customer section prompt", "Follow-up note"...
    term: str             # as written in the text
    kind: str             # acronym, system, team or jargon
    suggestion: str | None

    def message(self) -> str:
        plainer = f" Plainer: \u201c{self.suggestion}\u201d." if self.suggestion else ""
        what = {"acronym": "an internal acronym", "system": "a system name", "team": "a team name"}.get(self.kind, "jargon")
        return f"{self.where}: \u201c{self.term}\u201d is {what} customers may not know.{plainer}"


def jargon_path() -> Path:
    return DATA_DIR / "jargon.csv"


def load_jargon(path: str | Path | None = None) -> tuple[JargonTerm, ...]:
    """The editable list; a row without a term, or with an unknown kind, is an error naming its line."""
    path = Path(path) if path else jargon_path()
    terms = []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            term = (row.get("term") or "").strip()
            kind = (row.get("kind") or "jargon").strip().casefold() or "jargon"
            if not term:
                raise ValueError(f"{path}, line {line}, column term: empty")
            if kind not in KINDS:
                raise ValueError(f"{path}, line {line}, column kind: {kind!r} is not one of {', '.join(KINDS)}")
            terms.append(JargonTerm(term, kind, (row.get("suggestion") or "").strip() or None))
    return tuple(terms)


def _term_pattern(term: JargonTerm) -> re.Pattern:
    flags = 0 if term.kind == "acronym" else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + re.escape(term.term).replace(r"\ ", r"\s+") + r"(?![\w-])", flags)


def check_text(text: str | None, where: str, terms: tuple[JargonTerm, ...] | None = None,
               team_names=()) -> list[JargonFlag]:
    """Flags for one text, in the order they appear, each term once."""
    text = text or ""
    terms = load_jargon() if terms is None else terms
    found: list[tuple[int, JargonFlag]] = []
    covered: list[tuple[int, int]] = []
    listed = [*terms, *(JargonTerm(name, "team", None) for name in team_names if name and name.strip())]
    for term in sorted(listed, key=lambda t: -len(t.term)):  # "deep dive" before "dive"
        match = _term_pattern(term).search(text)
        if match and not any(s < match.end() and match.start() < e for s, e in covered):
            covered.append(match.span())
            found.append((match.start(), JargonFlag(where, match.group(0), term.kind, term.suggestion)))
    for match in _ACRONYM.finditer(text):
        word = match.group(0)
        core = word[:-1] if word.endswith("s") else word
        if len(core.replace("-", "")) < 2 or core in PLAIN_ACRONYMS or len(core.replace("-", "")) > 8:
            continue
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        covered.append(match.span())
        found.append((match.start(), JargonFlag(where, word, "acronym", None)))
    seen, flags = set(), []
    for _, flag in sorted(found, key=lambda pair: pair[0]):
        if flag.term.casefold() not in seen:
            seen.add(flag.term.casefold())
            flags.append(flag)
    return flags


def team_names(db: store.Database, unit_id: int) -> list[str]:
    return stored.team_names(db, unit_id)


def customer_facing_texts(title: str) -> list[tuple[str, str]]:
    """(where, text) for what the Join page shows customers: the title and every section's prompts."""
    texts = [("Meeting title", title)]
    for section in SECTIONS:
        texts += [(f"{section.title} section prompt", prompt) for prompt in section.prompts]
    return texts


def check_meeting(db: store.Database, meeting_id: int, terms: tuple[JargonTerm, ...] | None = None) -> list[JargonFlag]:
    """Jargon in what a meeting's invited customers will read on the Join page."""
    meeting = stored_meetings.get_meeting(db, meeting_id)  # LookupError for an unknown id
    terms = load_jargon() if terms is None else terms
    teams = team_names(db, meeting["unit_id"])
    return [flag for where, text in customer_facing_texts(meeting["title"])
            for flag in check_text(text, where, terms, teams)]
