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
"""
from __future__ import annotations

import threading
from typing import Iterable

NEGATIVE_BELOW = -0.05  # VADER's authors' cut-off: a compound score below this reads as negative

_analyser = None
_lock = threading.Lock()


def _get_analyser():
    # One analyser per process, built on first use (loading the lexicon takes ~10 ms). It is read-only
    # after construction, so sharing it between Streamlit sessions and threads is safe.
    global _analyser
    if _analyser is None:
        with _lock:
            if _analyser is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                _analyser = SentimentIntensityAnalyzer()
    return _analyser


def sentiment_scores(texts: Iterable[str | None]) -> list[float]:
    """VADER compound score per text, in order; 0.0 (neutral) for None, NaN, empty or blank text."""
    analyser = None
    scores = []
    for text in texts:
        # NaN from pandas is a float, not text: treat every non-string as "nothing said".
        if not isinstance(text, str) or not text.strip():
            scores.append(0.0)
            continue
        analyser = analyser or _get_analyser()
        scores.append(float(analyser.polarity_scores(text)["compound"]))
    return scores


def is_negative(score: float) -> bool:
    """Does a compound score read as negative?"""
    return score < NEGATIVE_BELOW
