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
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

import pandas as pd

from meeting.evidence.sentiment import sentiment_scores
from meeting.evidence.taxonomy import Theme, TouchpointRule
from meeting.store import evidence as stored
from meeting.store.evidence import TAG_COLUMNS  # noqa: F401 (what tag_rows' tuples hold, in order)

TAG_BATCH = 20_000


# Snowball's name for each language the taxonomy has cues in.
STEMMER_NAMES = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "nl": "dutch"}
# Languages that write compounds as one word ("Wartezeit", "wachttijd"): a cue also matches as a word's first
# or last part, the last part perhaps inflected ("Verbindungsabbrüche" carries "abbruch").
COMPOUNDING = {"de", "nl"}
COMPOUND_PART_MIN = 4
INFLECTIONS = ("", "e", "n", "en", "s", "es", "er", "ern", "em")
GAP_WORDS = 6
_TOKEN = re.compile(r"[a-z0-9_]+")  # words as regex \w reads them (after folding)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


def fold(text: str) -> str:
    """Casefolded and without accents ("Très" -> "tres", "Straße" -> "strasse"): customers type both, and
    a cue need not list each spelling."""
    text = text.casefold()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return text.encode("ascii", "ignore").decode("ascii")


def _is_word(char: str) -> bool:
    # What re's \w matches in a str pattern: letters and digits, and the underscore.
    return char.isalnum() or char == "_"


class _Language:
    """One language's cues: phrases of stems, indexed by their first stem, and word parts (``*`` cues, and in
    compounding languages every single-word cue) found by one Aho-Corasick pass."""

    def __init__(self, language: str, themes: tuple[Theme, ...]):
        import ahocorasick
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer(STEMMER_NAMES.get(language, "english"))
        self._stems: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[tuple[tuple[str, ...], ...], int]]] = {}
        parts: dict[tuple[str, str], int] = {}   # (folded part, "start" | "end") -> mask
        for index, theme in enumerate(themes):
            bit = 1 << index
            for cue in theme.cues_for(language):
                folded = fold(cue).strip()
                if folded.endswith("*") or folded.startswith("*"):
                    word = folded.strip("*")
                    if _TOKEN.fullmatch(word):
                        where = "start" if folded.endswith("*") else "end"
                        parts[word, where] = parts.get((word, where), 0) | bit
                    continue
                segments = phrase_segments(folded, self.stem)
                if not segments:
                    continue
                self.phrases.setdefault(segments[0][0], []).append((segments, bit))
                stems = segments[0]
                if language in COMPOUNDING and len(segments) == 1 and len(stems) == 1 and len(folded) >= COMPOUND_PART_MIN:
                    for where in ("start", "end"):
                        parts[folded, where] = parts.get((folded, where), 0) | bit
        self._automaton = None
        if parts:
            self._automaton = ahocorasick.Automaton()
            by_word: dict[str, list[tuple[str, int]]] = {}
            for (word, where), mask in parts.items():
                by_word.setdefault(word, []).append((where, mask))
            for word, places in by_word.items():
                self._automaton.add_word(word, (len(word), tuple(places)))
            self._automaton.make_automaton()

    def stem(self, token: str) -> str:
        # Remembered per word: customers' vocabulary repeats, and snowball is ~5 us a word in pure Python.
        stem = self._stems.get(token)
        if stem is None:
            stem = self._stems[token] = self._stemmer.stemWord(token) if len(token) > 2 else token
        return stem

    @staticmethod
    def _head_of_compound(folded: str, start: int) -> bool:
        """A last part needs a first part of ``COMPOUND_PART_MIN`` letters or more before it (a "*" cue at a word's
        end aside): "Telefonwarteschleife" ends with "warteschleife", but "erwartet" is not "er" + "wartet"."""
        first = start
        while first > 0 and _is_word(folded[first - 1]):
            first -= 1
        return start == first or start - first >= COMPOUND_PART_MIN

    def mask(self, folded: str) -> int:
        found = 0
        if self.phrases:
            stems = [self.stem(token) for token in _TOKEN.findall(folded)]
            for i, stem in enumerate(stems):
                for segments, bit in self.phrases.get(stem, ()):
                    if not found & bit and _matches_at(stems, i, segments):
                        found |= bit
        if self._automaton is not None:
            size = len(folded)
            for end, (length, places) in self._automaton.iter(folded):
                start = end - length + 1
                at_start = start == 0 or not _is_word(folded[start - 1])
                tail_end = end + 1
                while tail_end < size and _is_word(folded[tail_end]):
                    tail_end += 1
                for where, bit in places:
                    if where == "start" and at_start:
                        found |= bit
                    elif where == "end" and folded[end + 1:tail_end] in INFLECTIONS and self._head_of_compound(folded, start):
                        found |= bit
        return found


def phrase_segments(folded_cue: str, stem) -> tuple[tuple[str, ...], ...]:
    """A cue as stems: "valt ... weg" is its parts in order, each within ``GAP_WORDS`` words of the one before
    (a separable verb, "nobody ... came"); () when a part has no word."""
    segments = tuple(tuple(stem(token) for token in _TOKEN.findall(part)) for part in folded_cue.split("..."))
    return segments if segments and all(segments) else ()


def _matches_at(stems: list[str], start: int, segments: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the first segment starts at ``start`` and each later one follows within ``GAP_WORDS`` words."""
    first = segments[0]
    if len(first) > 1 and tuple(stems[start:start + len(first)]) != first:
        return False
    position = start + len(first)
    for segment in segments[1:]:
        for offset in range(position, min(position + GAP_WORDS, len(stems) - len(segment) + 1)):
            if tuple(stems[offset:offset + len(segment)]) == segment:
                position = offset + len(segment)
                break
        else:
            return False
    return True


class ThemeMatcher:
    """Which themes a text mentions, as a bitmask (bit i = ``themes[i]``), read with the cues of the language
    it is written in (every language's when that is unknown).

    Words are folded (case, accents) and stemmed (``snowballstemmer``, offline), so "waited", "waiting" and
    "waits" all carry the cue "wait"; a cue of several words is a phrase, matched word after word on stems
    ("nobody came"). In German and Dutch a cue is also a compound's first or last part.
    """

    def __init__(self, themes: tuple[Theme, ...]):
        self.themes = themes
        self._languages: dict[str | None, _Language | _AnyLanguage] = {}

    def _language(self, language: str | None) -> _Language | _AnyLanguage:
        reader = self._languages.get(language)
        if reader is None:
            reader = self._languages[language] = _Language(language, self.themes) if language else _AnyLanguage(self.themes)
        return reader

    def mask(self, text: object, language: str | None = "en") -> int:
        if not isinstance(text, str) or not text:
            return 0
        return self._language(language).mask(fold(text))


class _AnyLanguage:
    """Language unknown: the union of every language's reading."""

    def __init__(self, themes: tuple[Theme, ...]):
        self._readers = [_Language(language, themes) for language in STEMMER_NAMES]

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
    from meeting.evidence.language import detect_languages, unit_languages

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
    from meeting.evidence.taxonomy import load_themes, load_touchpoints

    themes = load_themes() if themes is None else tuple(themes)
    rules = load_touchpoints() if rules is None else tuple(rules)
    version = version_id(db, themes, rules)
    tagged = 0
    for start in range(0, len(ids), TAG_BATCH):
        chunk = list(ids[start:start + TAG_BATCH])
        tagged += tag_rows(db, stored.rows_to_tag_by_id(db, chunk), themes, version)
        stored.drop_month_states_of(db, chunk)
    return tagged
