"""Theme tags and sentiment, computed once per response and stored with the taxonomy version they were
computed under (issue 12: reading 11 regexes and VADER over two whole months on every agenda was 58% of it).

- Themes: one Aho-Corasick automaton (``pyahocorasick``) over every keyword of every theme, then the
  regex word-boundary rule (``\\b``) checked at each hit: the same answer as each theme's own
  ``\\b(?:kw|...)\\b`` search, in one pass over the text (~3 us per narrative instead of ~40).
- Sentiment: VADER is slow (~100 us per text), so it is stored only where a figure needs it, for every
  narrative without a score (a narrative-only touchpoint is judged on it), and for the few hundred quote
  candidates a month (``meeting.evidence.months``).
- Version: a hash of the parsed themes and touchpoints; editing either gives a new version, and every
  month summarised under an older one is re-tagged when next read (``ensure_months``), or all at once by
  ``retag`` (``python -m meeting retag``), which reports progress.

``tag_written_responses`` is the hook for a writer (the importer) to call per batch, so a month's first
agenda after an import does not pay for tagging.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Iterable

import pandas as pd

from meeting.evidence.sentiment import sentiment_scores
from meeting.evidence.taxonomy import Theme, TouchpointRule

TAG_BATCH = 20_000


def _is_word(char: str) -> bool:
    # What re's \w matches in a str pattern: Unicode letters and digits, and the underscore.
    return char.isalnum() or char == "_"


class ThemeMatcher:
    """Which themes a text mentions, as a bitmask (bit i = ``themes[i]``)."""

    def __init__(self, themes: tuple[Theme, ...]):
        import ahocorasick

        self.themes = themes
        bits: dict[str, int] = {}
        for index, theme in enumerate(themes):
            for keyword in theme.keywords:
                bits[keyword] = bits.get(keyword, 0) | (1 << index)
        self._automaton = ahocorasick.Automaton()
        for keyword, mask in bits.items():
            self._automaton.add_word(keyword, (len(keyword), mask))
        self._empty = not bits
        if not self._empty:
            self._automaton.make_automaton()

    def mask(self, text: object) -> int:
        if not isinstance(text, str) or self._empty:
            return 0
        text = text.casefold()  # keywords are casefolded when the taxonomy is read
        size, found = len(text), 0
        for end, (length, bits) in self._automaton.iter(text):
            start = end - length + 1
            # \b at both ends: word-ness changes across each edge (as the regex tests it).
            if (start > 0 and _is_word(text[start - 1])) == _is_word(text[start]):
                continue
            if _is_word(text[end]) == (end + 1 < size and _is_word(text[end + 1])):
                continue
            found |= bits
        return found


@lru_cache(maxsize=8)
def matcher(themes: tuple[Theme, ...]) -> ThemeMatcher:
    return ThemeMatcher(themes)


def theme_masks(texts: Iterable[object], themes: tuple[Theme, ...]) -> list[int]:
    match = matcher(themes).mask
    return [match(text) for text in texts]


def tags_frame(masks: pd.Series | list[int], themes: tuple[Theme, ...], index=None) -> pd.DataFrame:
    """One boolean column per theme from stored bitmasks (the shape ``tag_themes`` returns)."""
    values = pd.Series(masks, index=index).fillna(0).astype("int64")
    return pd.DataFrame({theme.name: (values & (1 << i)).ne(0) for i, theme in enumerate(themes)}, index=values.index)


def has_text(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


def needs_sentiment(score, scale) -> bool:
    """A narrative without an NPS/CSAT score is judged on its words: its sentiment is stored at tagging."""
    return score is None or score != score or scale not in ("nps", "csat")


def taxonomy_hash(themes: tuple[Theme, ...], rules: tuple[TouchpointRule, ...]) -> str:
    content = json.dumps([[list(map(str, (t.name, t.section, *t.keywords))) for t in themes],
                          [[r.name, r.section, r.moment_of_truth, *r.aliases] for r in rules]])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def find_version(db, themes, rules) -> int | None:
    row = db.execute("SELECT id FROM taxonomy_versions WHERE hash = ?", [taxonomy_hash(themes, rules)]).fetchone()
    return row[0] if row else None


def version_id(db, themes, rules) -> int:
    """The id of this taxonomy's version, recorded on first use (call inside a write transaction)."""
    found = find_version(db, themes, rules)
    if found is not None:
        return found
    cursor = db.execute("INSERT INTO taxonomy_versions (hash, themes) VALUES (?, ?)",
                        [taxonomy_hash(themes, rules), json.dumps([t.name for t in themes])])
    return cursor.lastrowid


def tag_rows(db, rows: list[tuple], themes: tuple[Theme, ...], version: int) -> int:
    """Tag ``rows`` of (id, narrative, score, scale, sentiment) and store the tags; returns how many.

    A stored sentiment is kept (the text has not changed: an edit clears it, by trigger), so re-tagging
    after a taxonomy edit costs the keyword pass only.
    """
    match = matcher(themes).mask
    unread = [i for i, (_, text, score, scale, sentiment) in enumerate(rows)
              if sentiment is None and has_text(text) and needs_sentiment(score, scale)]
    read = dict(zip(unread, sentiment_scores(rows[i][1] for i in unread)))
    db.conn.executemany(
        "UPDATE voc_responses SET themes = ?, has_text = ?, sentiment = ?, tagged_version = ? WHERE id = ?",
        [(match(text), int(has_text(text)), read.get(i, sentiment), version, row_id)
         for i, (row_id, text, score, scale, sentiment) in enumerate(rows)])
    return len(rows)


def store_sentiment(db, ids_and_texts: list[tuple[int, str]]) -> None:
    """Read and store VADER's score for rows that lack one (quote candidates)."""
    scores = sentiment_scores(text for _, text in ids_and_texts)
    db.conn.executemany("UPDATE voc_responses SET sentiment = ? WHERE id = ?",
                        [(score, row_id) for (row_id, _), score in zip(ids_and_texts, scores)])


def tag_written_responses(db, ids: list[int], themes=None, rules=None) -> int:
    """The writer's hook: tag the responses just written (call inside the writer's transaction, per batch).

    Their months' summaries are dropped, so the next read re-counts those months from the stored tags.
    """
    from meeting.evidence.taxonomy import load_themes, load_touchpoints

    themes = load_themes() if themes is None else tuple(themes)
    rules = load_touchpoints() if rules is None else tuple(rules)
    version = version_id(db, themes, rules)
    tagged = 0
    for start in range(0, len(ids), TAG_BATCH):
        chunk = list(ids[start:start + TAG_BATCH])
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(f"SELECT id, narrative, score, scale, sentiment FROM voc_responses WHERE id IN ({marks})",
                          chunk).fetchall()
        tagged += tag_rows(db, rows, themes, version)
        db.execute(f"DELETE FROM voc_month_state WHERE (unit_id, period) IN (SELECT DISTINCT unit_id, "
                   f"substr(received_on, 1, 7) FROM voc_responses WHERE id IN ({marks}))", chunk)
    return tagged
