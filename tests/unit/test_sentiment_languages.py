"""Issue 20: sentiment read in each comment's own language. Oracles: hand labels (tests/fixtures/labelled) and
the hand-written cases below; the polarity cut-off is VADER's published one (-0.05 / +0.05), written out."""
import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from support import raw_evidence

from meeting.evidence.sentiment import sentiment_scores

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "comments.csv"


def polarity(score: float) -> str:
    return "neg" if score < -0.05 else ("pos" if score > 0.05 else "neu")


@pytest.mark.parametrize("language", ["en", "fr", "de", "es", "nl"])
def test_sentiment_agrees_with_the_labels_in_each_language(language):
    with open(LABELLED, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["language"] == language]
    scores = sentiment_scores([row["text"] for row in rows], [language] * len(rows))
    agree = sum(polarity(score) == row["polarity"] for score, row in zip(scores, rows))
    assert agree / len(rows) >= 0.80, [(row["text"], score) for score, row in zip(scores, rows)
                                       if polarity(score) != row["polarity"]]


@pytest.mark.parametrize("text,language,expected", [
    ("nicht schlecht", "de", "pos"), ("Nicht zufrieden", "de", "neg"), ("Das Problem ist nicht gelöst", "de", "neg"),
    ("10/10, kein Problem seit Monaten", "de", "pos"),   # the German 10/10 read as negative
    ("pas du tout satisfait", "fr", "neg"), ("pas mal du tout", "fr", "pos"),
    ("niet slecht", "nl", "pos"), ("helemaal niet tevreden", "nl", "neg"),
    ("no está nada mal", "es", "pos"), ("nada satisfecho", "es", "neg"),
    ("not bad at all", "en", "pos"),
    # Service complaints told as plain facts, which VADER alone reads as neutral.
    ("we chased it for a week", "en", "neg"), ("rebooked twice and still nobody came", "en", "neg"),
    ("sorted on the first visit", "en", "pos"),
])
def test_negation_and_plain_fact_complaints(text, language, expected):
    (score,) = sentiment_scores([text], [language])
    assert polarity(score) == expected, score


def test_a_language_without_a_lexicon_is_not_scored_rather_than_read_as_english():
    assert sentiment_scores(["Servizio pessimo", "", None], ["it", "it", None]) == [None, 0.0, 0.0]
    # No language given: English, as before.
    assert sentiment_scores(["Terrible service"])[0] < -0.05


def test_the_quote_picker_falls_back_on_the_score_when_a_text_is_not_scored():
    rows = pd.DataFrame([
        {"id": 1, "narrative": "Servizio pessimo", "score": 1.0, "scale": "nps", "touchpoint": "Repair",
         "channel": None, "segment": None, "received_on": "2026-10-01", "language": "it"},
        {"id": 2, "narrative": "Servizio ottimo", "score": 10.0, "scale": "nps", "touchpoint": "Repair",
         "channel": None, "segment": None, "received_on": "2026-10-02", "language": "it"},
    ])
    reasons = pd.Series("touchpoint: Repair", index=rows.index)
    complaint = raw_evidence.pick_quotes(rows, reasons, negative=True, count=3, rules=())
    praise = raw_evidence.pick_quotes(rows, reasons, negative=False, count=3, rules=())
    assert [q["text"] for q in complaint] == ["Servizio pessimo"] and complaint[0]["language"] == "it"
    assert [q["text"] for q in praise] == ["Servizio ottimo"]
    assert not math.isnan(complaint[0]["score"])
