"""The review: what redaction will replace, and what may still identify someone and is not replaced.

Possibly identifying, in what the redactor leaves: capitalised words and runs that are neither ordinary
words nor the unit's own vocabulary (touchpoints, themes, section names), self-descriptions ("the only
woman on ...", "our largest account"), site and place names ("the Tampines depot"), and job titles that
are not on the roster ("Head of Cold Chain"). A person decides: the Minutes page redacts a span in one
click, ``python -m meeting export --redact`` does it from the command line.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from babel.numbers import list_currencies

from meeting.anonymise.folding import UP, strip_accents
from meeting.anonymise.matching import GERMAN_ARTICLE_BEFORE as _GERMAN_ARTICLE_BEFORE
from meeting.anonymise.patterns import HONORIFICS
from meeting.anonymise.redactor import Redactor, build_redactor
from meeting.anonymise.wordlists import JOB_TITLE_WORDS, LISTS_DIR, NOT_NAME, is_common_word, is_foreign_everyday, zipf, zipf_in

SELF_DESCRIPTIONS = tuple(
    re.compile(line.strip(), re.IGNORECASE)
    for line in (LISTS_DIR / "self_descriptions.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))
SITE_WORDS = frozenset(w.strip() for w in (LISTS_DIR / "site_words.txt").read_text(encoding="utf-8").splitlines()
                       if w.strip() and not w.startswith("#"))
_CAP_RUN = re.compile(rf"{UP}[\w'’&-]*(?:[^\S\r\n]+(?:(?:of|the|and|de|van|von|&|[-–])[^\S\r\n]+)?{UP}[\w'’&-]*)*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“(\[•*\n])[\s'‘’\"“]*$")
_PLACE_BEFORE = re.compile(r"(?i)\b(?:in|at|from|near|to|outside|via)\s+(?:the\s+)?$")
_ACRONYM_TITLE = re.compile(r"^C[A-Z]{1,2}O$")
_CALENDAR = frozenset(m.lower() for m in (*calendar.month_name, *calendar.day_name) if m)
# Letters of scripts other than Latin (Cyrillic, Greek, CJK, Arabic ...), words joined by spaces.
_OTHER_SCRIPT_RUN = re.compile(r"[^\W\d_\u0000-\u024f\u1e00-\u1eff]+(?:[ \u3000][^\W\d_\u0000-\u024f\u1e00-\u1eff]+)*")


_CURRENCIES = frozenset(list_currencies())


# Endings that make German nouns and no surname: "Mahnungen", "Reklamationen", "Pünktlichkeit".
_GERMAN_NOUN_ENDING = re.compile(r"(?:ung|heit|keit|schaft|tion|sion|tät|nis|ismus|erei)(?:en|e|se|sse)?$")


def _german_noun(word: str) -> bool:
    """A German noun by its shape: a noun-making ending, or a compound ending in an everyday German noun of
    five letters or more ("Kundendienst", "Lieferscheine"; not "Sommerfeld", whose "feld" is too short to
    tell a compound from a surname)."""
    lowered = word.lower()
    if len(lowered) > 5 and _GERMAN_NOUN_ENDING.search(lowered):
        return True
    return any(zipf_in(lowered[cut:], "de") >= 3.5 for cut in range(3, len(lowered) - 4))


@dataclass(frozen=True)
class Redaction:
    entry: object
    text: str
    label: str


@dataclass(frozen=True)
class Flag:
    entry: object
    text: str
    why: str


def _clean(word: str) -> str:
    return strip_accents(word.strip(".,'’-&")).lower()


def possibly_identifying(text: str, spans: list[tuple[int, int, str]], vocabulary: frozenset[str] = frozenset()
                         ) -> list[tuple[str, str]]:
    """(span of ``text``, why) for what may identify someone but is not among ``spans`` (being replaced)."""
    from wordfreq import zipf_frequency  # here, not at the top: importing this module loads no wordfreq (issue 30)

    covered = [(s, e) for s, e, _ in spans]

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in covered)

    found: list[tuple[int, int, str]] = []
    for pattern in SELF_DESCRIPTIONS:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), "describes the speaker or someone else"))
    for match in _CAP_RUN.finditer(text):
        start, end = match.span()
        run = match.group().rstrip(".,'’-&")
        lead = re.match(r"(?:(?:the|our|their|a|an|this|that|der|die|das|den|dem|des|ein|eine|einen|einem|"
                        r"einer|eines|unser|unsere|le|la|les|el|los|las|de|het|een)\s+)+", run, re.IGNORECASE)
        if lead and len(lead.group()) < len(run):  # "The Head of Cold Chain" is flagged from "Head"
            start, run = start + len(lead.group()), run[len(lead.group()):]
        end = start + len(run)
        if not run or not free(start, end) or run.startswith("["):
            continue
        words = [w for w in re.split(r"[\s-]+", run) if w]
        keys = [_clean(w) for w in words]
        if " ".join(keys) in vocabulary or all(k in vocabulary for k in keys):
            continue
        if all(w in _CURRENCIES for w in words):  # "GBP", "SGD": ISO 4217 codes (babel's CLDR list)
            continue
        titles = [k for k in keys if k in JOB_TITLE_WORDS] or [w for w in words if _ACRONYM_TITLE.match(w)]
        after = text[end:end + 20].lower().split()
        at_start = bool(_SENTENCE_END.search(text[max(0, start - 4):start])) or start == 0
        if titles:
            found.append((start, end, "a job title not on the roster"))
            continue
        # "the Leeds depot": a named site, however common the name is as a word.
        if after and after[0].strip(".,;:") in SITE_WORDS and not all(k in NOT_NAME for k in keys):
            found.append((start, end + 1 + len(after[0].strip(".,;:")), "a site or place name"))
            continue
        if _PLACE_BEFORE.search(text[max(0, start - 16):start]) and not at_start and \
                not any(k in NOT_NAME or k in _CALENDAR for k in keys):
            found.append((start, end, "a place name"))  # "in Leeds", "at Jurong West": even a common name
            continue
        # An everyday word of any of the meetings' languages ("Angebot", "Rechnung") is not a name.
        if len(words) == 1 and (_german_noun(words[0]) or (
                _GERMAN_ARTICLE_BEFORE.search(text, max(0, start - 8), start) and
                zipf_frequency(words[0].lower(), "de") > 2.0)):
            continue  # "die Gutschrift", "Mahnungen": German capitalises every noun
        unusual = [k for k in keys if k not in NOT_NAME and k not in vocabulary and not is_common_word(k)
                   and not is_foreign_everyday(k)
                   and k.lower() not in {h.lower() for h in HONORIFICS} and any(c.isalpha() for c in k)]
        if not unusual:
            continue
        # One word opening a sentence is capitalised anyway: flagged only if it is really rare ("Refresher"
        # opening a note is a word; "Tampines" is not).
        if len(words) == 1 and at_start and (len(keys[0]) < 3 or zipf(keys[0]) >= 2.5 or is_foreign_everyday(keys[0])):
            continue
        if _PLACE_BEFORE.search(text[max(0, start - 16):start]):
            found.append((start, end, "a place name"))
        else:
            found.append((start, end, "a capitalised name that is not an ordinary word"))
    for match in _OTHER_SCRIPT_RUN.finditer(text):
        if free(*match.span()):
            found.append((match.start(), match.end(), "written in another script: may be a name"))
    # The widest of nested flags; overlapping ones all stay (each can be redacted on its own).
    found.sort(key=lambda f: (f[0], -f[1]))
    out, last_end = [], -1
    for start, end, why in found:
        if end <= last_end:
            continue
        out.append((text[start:end], why))
        last_end = end
    return out


def unit_vocabulary(touchpoints=(), themes=(), sections=()) -> frozenset[str]:
    """The unit's own words, lower case and accent-free: never flagged."""
    words: set[str] = set()
    for phrase in (*touchpoints, *themes, *sections):
        phrase = _clean(str(phrase or ""))
        if phrase:
            words.add(phrase)
            words.update(_clean(w) for w in re.split(r"[\s/&-]+", phrase) if w)
    return frozenset(words)


def review_texts(redactor: Redactor, texts: list[tuple[object, str]], vocabulary: frozenset[str] = frozenset()
                 ) -> tuple[list[Redaction], list[Flag]]:
    """Redactions and flags for (entry reference, text) pairs."""
    redactions: list[Redaction] = []
    flags: list[Flag] = []
    for entry, raw in texts:
        text = redactor.normalise(raw)
        spans = redactor.find_spans(text)
        redactions.extend(Redaction(entry, text[s:e], label) for s, e, label in spans)
        flags.extend(Flag(entry, span, why) for span, why in possibly_identifying(text, spans, vocabulary))
    return redactions, flags


def review_meeting(db, meeting_id: int, *, extra_terms=(), by_group: bool = False) -> dict:
    """``{"meeting": id, "redactions": [{entry, text, label}], "possibly_identifying": [{entry, text, why}]}``.

    ``entry`` is a minutes entry's id, "title", or "contribution <id>" for a live contribution."""
    from meeting.evidence.taxonomy import load_themes, load_touchpoints
    from meeting.sections import SECTIONS
    from meeting.store import entries as entry_store
    from meeting.store import plans as plan_store
    from meeting.store.meetings import get_meeting, list_participants

    meeting = get_meeting(db, meeting_id)
    redactor = build_redactor(list_participants(db, meeting_id), extra_terms, by_group=by_group)
    texts: list[tuple[object, str]] = [("title", meeting["title"])]
    texts += [(row["id"], row["text"]) for row in entry_store.entry_texts(db, meeting_id)]
    texts += [(f"contribution {row['id']}", row["text"]) for row in entry_store.visible_contribution_texts(db, meeting_id)]
    unit_touchpoints = plan_store.unit_touchpoints(db, meeting["unit_id"])
    vocabulary = unit_vocabulary(
        [*unit_touchpoints, *(t.name for t in load_touchpoints()),
         *(alias for t in load_touchpoints() for alias in t.aliases)],
        [t.name for t in load_themes()], [s.title for s in SECTIONS] + [meeting["unit"]])
    redactions, flags = review_texts(redactor, texts, vocabulary)
    return {"meeting": int(meeting_id),
            "redactions": [{"entry": r.entry, "text": r.text, "label": r.label} for r in redactions],
            "possibly_identifying": [{"entry": f.entry, "text": f.text, "why": f.why} for f in flags]}


def distinct(items: list[dict], key: str) -> list[dict]:
    """One item per distinct (text, ``key``) in order of first appearance, with how often it occurs and in
    which entries: a checklist a person reads, not one line per occurrence."""
    out: dict[tuple, dict] = {}
    for item in items:
        found = out.setdefault((item["text"], item[key]), {"text": item["text"], key: item[key], "count": 0,
                                                           "entries": []})
        found["count"] += 1
        if item["entry"] not in found["entries"]:
            found["entries"].append(item["entry"])
    return list(out.values())


def review_text(review: dict) -> str:
    """The review for a terminal: what will be replaced, then what may still identify someone, one line per
    distinct span with its count and entries."""
    def where(item: dict) -> str:
        times = f" ×{item['count']}" if item["count"] > 1 else ""
        return f"{times} (in {', '.join(str(e) for e in item['entries'])})"

    redactions = distinct(review["redactions"], "label")
    lines = [f"Meeting {review['meeting']}: {len(review['redactions'])} replacements, {len(redactions)} distinct."]
    lines += [f"  {r['text']!r} -> {r['label']}{where(r)}" for r in redactions]
    flags = distinct(review["possibly_identifying"], "why")
    lines.append(f"Possibly identifying, not replaced ({len(flags)}): add with --redact if it identifies someone.")
    lines += [f"  {f['text']!r}: {f['why']}{where(f)}" for f in flags]
    return "\n".join(lines)
