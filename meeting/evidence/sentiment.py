"""Sentiment of customers' free text: VADER's compound score, -1 (very negative) .. +1 (very positive).

Why VADER (``vaderSentiment``): it runs fully offline, its lexicon ships inside the wheel (no model
download, nothing to fetch on a locked-down laptop or in CI), it is deterministic, and it is fast (~20 µs
per short narrative on a 2-core machine). Its rules handle what matters in short survey comments:
negation ("not good"), intensifiers ("really slow"), capitals and exclamation marks. Honestly: it is a
2014 lexicon-and-rules model tuned on social-media English, stable rather than actively developed (3.3.2,
2020); it misses sarcasm and other languages, and service complaints told as plain facts read neutral
("the engineer was late", "waited three weeks", "the line is down" all score 0.0), so a negative share
from it is a floor, not an estimate. It is good enough to rank a touchpoint's comments and
to judge the share of negative ones where no score exists, which is all this project asks of it. A
transformer model would read better but needs a model download of hundreds of MB and far more CPU per text.

The cut-off is VADER's published one, -0.05; a score of exactly -0.05 counts as neutral here (the
contract everyone codes against is "compound below -0.05").

Issue 20, every language, and what customers of a service actually write. A text is read only in its own
language, never with the English lexicon (which read a German 10/10 "kein Problem" as negative):

- Service cues (``meeting/data/sentiment_cues.csv``, per language: complaint and praise phrases, and the
  negators that turn them: "nicht schlecht" is praise, "pas du tout satisfait" a complaint), matched on
  the tagger's stems. They read what VADER calls neutral: "we chased it for a week", "rebooked twice".
- English and French: the cues' reading combined with VADER's (``vaderSentiment``; French:
  ``vaderSentiment-fr``, VADER's rules with a French lexicon, offline): ``_combined``; VADER alone where
  no cue is found.
- German, Spanish and Dutch: no maintained offline lexicon on PyPI (TextBlob's need NLTK data or Pattern,
  vader-multi translates online), so the cues alone; a text with none of them is neutral (0.0).
- A language with no cues at all is "not scored" (None): the quote picker and the complaint counts then
  fall back on the score.

Measured on the labelled comments (tests/fixtures/labelled): ``bench/language_bench.py``.
"""
from __future__ import annotations

import csv
import re
import threading
from functools import lru_cache
from typing import Iterable

from meeting.evidence.cue_matching import TOKEN, CueLanguage, fold, matches_at, phrase_segments
from meeting.resources import DATA_DIR

NEGATIVE_BELOW = -0.05  # VADER's authors' cut-off: a compound score below this reads as negative

# The languages a VADER lexicon reads, and where it comes from.
LEXICONS = {"en": "vaderSentiment.vaderSentiment", "fr": "vaderSentiment_fr.vaderSentiment"}
CUES_PATH = DATA_DIR / "sentiment_cues.csv"
NEGATION_WINDOW = 3   # a negator up to this many words before a cue turns it ("not at all bad", "pas du tout satisfait")
_CLAUSE = re.compile(r"[,.;:!?()\n]+| - | but | mais | aber | pero | maar ")
CUE_WEIGHT = 0.6      # a text's cue reading, -1..1, scaled to where VADER puts a plainly negative or positive comment


class _CueReader:
    """One language's complaint and praise cues, on stems, with its negators."""

    def __init__(self, language: str, rows: dict[str, tuple[str, ...]]):
        self._stems = CueLanguage(language, ())
        self._fold = fold
        self.negators = {self._stems.stem(fold(word)) for word in rows.get("negator", ())}
        self.phrases: dict[str, list[tuple[tuple[tuple[str, ...], ...], int]]] = {}
        for polarity, sign in (("neg", -1), ("pos", 1)):
            for cue in rows.get(polarity, ()):
                segments = phrase_segments(fold(cue), self._stems.stem)
                if segments:
                    self.phrases.setdefault(segments[0][0], []).append((segments, sign))

    def score(self, text: str) -> float | None:
        """Praise minus complaints over all cues found, -1..1; None when there is none."""
        total = found = 0
        # Clause by clause: "never turned up, still waiting" does not negate "still waiting".
        for clause in _CLAUSE.split(self._fold(text)):
            stems = [self._stems.stem(token) for token in TOKEN.findall(clause)]
            for i, stem in enumerate(stems):
                for segments, sign in self.phrases.get(stem, ()):
                    if matches_at(stems, i, segments):
                        negated = any(word in self.negators for word in stems[max(0, i - NEGATION_WINDOW):i])
                        total += -sign if negated else sign
                        found += 1
        return total / found if found else None


@lru_cache(maxsize=1)
def _cue_rows() -> dict[str, dict[str, tuple[str, ...]]]:
    rows: dict[str, dict[str, tuple[str, ...]]] = {}
    with open(CUES_PATH, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cues = tuple(cue.strip() for cue in row["cues"].split(";") if cue.strip())
            rows.setdefault(row["language"], {})[row["polarity"]] = cues
    return rows


_readers: dict[str, _CueReader] = {}


def _cue_reader(language: str) -> _CueReader | None:
    reader = _readers.get(language)
    if reader is None and language in _cue_rows():
        with _lock:
            reader = _readers.get(language) or _CueReader(language, _cue_rows()[language])
            _readers[language] = reader
    return reader


def scored_languages() -> tuple[str, ...]:
    return tuple(dict.fromkeys([*LEXICONS, *_cue_rows()]))

_analysers: dict[str, object] = {}
_lock = threading.Lock()


def _get_analyser(language: str = "en"):
    # One analyser per language and process, built on first use (loading a lexicon takes ~10-90 ms). It is
    # read-only after construction, so sharing it between Streamlit sessions and threads is safe.
    analyser = _analysers.get(language)
    if analyser is None:
        with _lock:
            analyser = _analysers.get(language)
            if analyser is None:
                import importlib
                import warnings

                with warnings.catch_warnings():
                    # fuzzywuzzy (vaderSentiment-fr's) warns that it is pure Python: it is, and fast enough here.
                    warnings.simplefilter("ignore", UserWarning)
                    module = importlib.import_module(LEXICONS[language])
                analyser = _analysers[language] = module.SentimentIntensityAnalyzer()
    return analyser


def is_scored(language: str | None) -> bool:
    """Whether text in ``language`` gets a sentiment (None: unknown, read as English, as before issue 20)."""
    return language is None or language in LEXICONS or language in _cue_rows()


def _combined(compound: float, cues: float) -> float:
    """VADER's reading and the cues': the cues' where VADER hears nothing, the stronger where they agree (so
    "Awful. Terrible. Worst ever!!" still outranks a plain complaint), their mean where they disagree."""
    if abs(compound) <= -NEGATIVE_BELOW:
        return cues
    if (compound < 0) == (cues < 0) and cues != 0:
        return compound if abs(compound) >= abs(cues) else cues
    return (compound + cues) / 2


def read_sentiment(text: str, language: str | None = None) -> float | None:
    """One non-blank text's reading in ``language`` (None: English), -1..1, or None (not scored)."""
    language = language or "en"
    reader = _cue_reader(language)
    cues = reader.score(text) if reader else None
    if language in LEXICONS:
        compound = float(_get_analyser(language).polarity_scores(text)["compound"])
        return compound if cues is None else _combined(compound, CUE_WEIGHT * cues)
    if reader is None:
        return None
    return 0.0 if cues is None else CUE_WEIGHT * cues


def sentiment_scores(texts: Iterable[str | None], languages: Iterable[str | None] | None = None) -> list[float | None]:
    """VADER compound score per text, in order, read in its language (``languages``, one per text; English
    when not given); 0.0 (neutral) for None, NaN, empty or blank text; None (not scored) for a language
    no lexicon reads."""
    texts = list(texts)
    languages = [None] * len(texts) if languages is None else list(languages)
    scores: list[float | None] = []
    for text, language in zip(texts, languages):
        # NaN from pandas is a float, not text: treat every non-string as "nothing said".
        if not isinstance(text, str) or not text.strip():
            scores.append(0.0)
        else:
            scores.append(read_sentiment(text, language))
    return scores


def is_negative(score: float) -> bool:
    """Does a compound score read as negative?"""
    return score < NEGATIVE_BELOW


def languages_of(frame) -> list[str | None] | None:
    """A frame's ``language`` column as ``sentiment_scores`` takes it (None where missing), or None without one."""
    if "language" not in frame:
        return None
    column = frame["language"].astype(object)
    return column.where(column.notna(), None).tolist()
