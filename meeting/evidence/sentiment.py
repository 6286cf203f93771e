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

Other languages (issue 20): a text is scored only by a lexicon of its own language, never by the English
one (which read a German 10/10 "kein Problem" as negative). French: ``vaderSentiment-fr``, VADER's rules
with a French lexicon, offline. German, Spanish and Dutch: no maintained offline lexicon on PyPI reached
the English level on our labelled comments, so they are "not scored" (None) and the quote picker and the
complaint counts fall back on the score.
"""
from __future__ import annotations

import threading
from typing import Iterable

NEGATIVE_BELOW = -0.05  # VADER's authors' cut-off: a compound score below this reads as negative

# The languages a lexicon reads, and where it comes from; any other language is "not scored".
LEXICONS = {"en": "vaderSentiment.vaderSentiment", "fr": "vaderSentiment_fr.vaderSentiment"}
SCORED_LANGUAGES = tuple(LEXICONS)

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
    return language is None or language in LEXICONS


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
        elif not is_scored(language):
            scores.append(None)
        else:
            scores.append(float(_get_analyser(language or "en").polarity_scores(text)["compound"]))
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
