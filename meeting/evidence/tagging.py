"""Theme tags and sentiment, computed once per response and stored with the taxonomy version they were
computed under (issue 12: reading 11 regexes and VADER over two whole months on every agenda was 58% of it).

- Language (issue 20): detected once, where not stored yet, among the unit's languages
  (``meeting.evidence.language``), and stored with the tags.
- Themes: read with the cues of the narrative's language (``ThemeMatcher``): folded words (case, accents)
  stemmed by ``snowballstemmer`` (each word's stem remembered, so a narrative costs ~10-25 us), phrases
  matched word after word, "a ... b" parts a few words apart, and in German and Dutch one Aho-Corasick pass
  (``pyahocorasick``) for cues that are a compound's first or last part.
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

from meeting.evidence.cue_matching import STEMMER_NAMES, CueLanguage, fold
from meeting.evidence.language import detect_languages, unit_languages
from meeting.evidence.sentiment import sentiment_scores
from meeting.evidence.taxonomy import Theme, TouchpointRule, load_themes, load_touchpoints
from meeting.store import evidence as stored
from meeting.store.evidence import TAG_COLUMNS  # noqa: F401 (what tag_rows' tuples hold, in order)

TAG_BATCH = 20_000


class ThemeMatcher:
    """Which themes a text mentions, as a bitmask (bit i = ``themes[i]``), read with the cues of the language
    it is written in (every language's when that is unknown).

    Words are folded (case, accents) and stemmed (``snowballstemmer``, offline), so "waited", "waiting" and
    "waits" all carry the cue "wait"; a cue of several words is a phrase, matched word after word on stems
    ("nobody came"). In German and Dutch a cue is also a compound's first or last part.
    """

    def __init__(self, themes: tuple[Theme, ...]):
        self.themes = themes
        self._languages: dict[str | None, CueLanguage | _AnyLanguage] = {}

    def _language(self, language: str | None) -> CueLanguage | _AnyLanguage:
        reader = self._languages.get(language)
        if reader is None:
            reader = CueLanguage(language, self.themes) if language else _AnyLanguage(self.themes)
            self._languages[language] = reader
        return reader

    def mask(self, text: object, language: str | None = "en") -> int:
        if not isinstance(text, str) or not text:
            return 0
        return self._language(language).mask(fold(text))


class _AnyLanguage:
    """Language unknown: the union of every language's reading."""

    def __init__(self, themes: tuple[Theme, ...]):
        self._readers = [CueLanguage(language, themes) for language in STEMMER_NAMES]

    def mask(self, folded: str) -> int:
        found = 0
        for reader in self._readers:
            found |= reader.mask(folded)
        return found


@lru_cache(maxsize=8)
def matcher(themes: tuple[Theme, ...]) -> ThemeMatcher:
    return ThemeMatcher(themes)


def theme_masks(texts: Iterable[object], themes: tuple[Theme, ...], languages: Iterable[str | None] | None = None) -> list[int]:
    """Each text's themes; ``languages`` (one per text) says which cues read it, English when not given."""
    match = matcher(themes).mask
    if languages is None:
        return [match(text) for text in texts]
    return [match(text, language) for text, language in zip(texts, languages)]


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
    content = json.dumps([[list(map(str, (t.name, t.section, *t.keywords))) + [[lang, *cues] for lang, cues in t.cues]
                           for t in themes],
                          [[r.name, r.section, r.moment_of_truth, *r.aliases] for r in rules]])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def find_version(db, themes, rules) -> int | None:
    return stored.find_taxonomy_version(db, taxonomy_hash(themes, rules))


def version_id(db, themes, rules) -> int:
    """The id of this taxonomy's version, recorded on first use (call inside a write transaction)."""
    found = find_version(db, themes, rules)
    if found is not None:
        return found
    return stored.add_taxonomy_version(db, taxonomy_hash(themes, rules), json.dumps([t.name for t in themes]))


def _row_languages(db, rows: list[tuple]) -> list[str | None]:
    """Each row's language: as stored, else detected now among its unit's languages (``language``)."""
    languages = [row[6] for row in rows]
    missing: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        if row[6] is None and has_text(row[1]):
            missing.setdefault(row[5], []).append(i)
    for unit_id, indexes in missing.items():
        for i, found in zip(indexes, detect_languages([rows[i][1] for i in indexes], unit_languages(db, unit_id))):
            languages[i] = found
    return languages


def tag_rows(db, rows: list[tuple], themes: tuple[Theme, ...], version: int) -> int:
    """Tag ``rows`` of ``TAG_COLUMNS`` and store the tags; returns how many.

    The language is detected once (where not stored yet) and read with that language's cues. A stored
    sentiment is kept (the text has not changed: an edit clears it, by trigger), so re-tagging after a
    taxonomy edit costs the keyword pass only.
    """
    match = matcher(themes).mask
    languages = _row_languages(db, rows)
    unread = [i for i, (_, text, score, scale, sentiment, *_) in enumerate(rows)
              if sentiment is None and has_text(text) and needs_sentiment(score, scale)]
    read = dict(zip(unread, sentiment_scores([rows[i][1] for i in unread], [languages[i] for i in unread])))
    stored.save_tags(db, [(match(row[1], language), int(has_text(row[1])), read.get(i, row[4]), language, version, row[0])
                          for i, (row, language) in enumerate(zip(rows, languages))])
    return len(rows)


def store_sentiment(db, rows: list[tuple[int, str, str | None]]) -> None:
    """Read and store the sentiment of rows (id, narrative, language) that lack one (quote candidates)."""
    scores = sentiment_scores([text for _, text, _ in rows], [language for _, _, language in rows])
    stored.save_sentiments(db, [(score, row_id) for (row_id, _, _), score in zip(rows, scores) if score is not None])


def tag_written_responses(db, ids: list[int], themes=None, rules=None) -> int:
    """The writer's hook: tag the responses just written (call inside the writer's transaction, per batch).

    Their months' summaries are dropped, so the next read re-counts those months from the stored tags.
    """
    themes = load_themes() if themes is None else tuple(themes)
    rules = load_touchpoints() if rules is None else tuple(rules)
    version = version_id(db, themes, rules)
    tagged = 0
    for start in range(0, len(ids), TAG_BATCH):
        chunk = list(ids[start:start + TAG_BATCH])
        tagged += tag_rows(db, stored.rows_to_tag_by_id(db, chunk), themes, version)
        stored.drop_month_states_of(db, chunk)
    return tagged


def tag_themes(texts: pd.Series, themes: tuple[Theme, ...], languages: tuple[str, ...] = ("en",)) -> pd.DataFrame:
    """One boolean column per theme: does each text mention it? Each text is read in its language, detected
    among ``languages`` (a unit's: ``meeting.evidence.language``), with that language's cues
    (``ThemeMatcher``)."""
    values = texts.tolist()
    return tags_frame(theme_masks(values, themes, detect_languages(values, tuple(languages))), themes, index=texts.index)
