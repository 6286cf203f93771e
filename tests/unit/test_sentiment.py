import math

import pytest

from meeting.evidence import sentiment
from meeting.evidence.sentiment import NEGATIVE_BELOW, is_negative, sentiment_scores


def test_scores_come_back_in_order_with_neutral_for_nothing_said():
    scores = sentiment_scores(["Terrible, awful service.", None, "", "   ", float("nan"), "Great service, thank you!"])
    assert len(scores) == 6
    assert scores[0] < -0.5 and scores[5] > 0.5
    assert scores[1:5] == [0.0, 0.0, 0.0, 0.0]
    assert all(isinstance(s, float) for s in scores)


def test_accepts_any_iterable_and_an_empty_one():
    assert sentiment_scores(iter(["bad"])) == sentiment_scores(["bad"])
    assert sentiment_scores([]) == []


@pytest.mark.parametrize("text,negative", [
    ("The installer was rude and the job is broken.", True),
    ("not good at all", True),            # negation
    ("not bad at all", False),
    ("It was bad.", True),
    ("It was REALLY bad!!!", True),       # intensifiers push further
    ("The engineer arrived on Tuesday.", False),
    ("Friendly and quick.", False),
])
def test_negative_reading(text, negative):
    (score,) = sentiment_scores([text])
    assert is_negative(score) is negative


def test_intensifiers_and_capitals_make_it_more_negative():
    plain, loud = sentiment_scores(["It was bad.", "It was REALLY bad!!!"])
    assert loud < plain < 0


@pytest.mark.parametrize("score,negative", [(-0.06, True), (NEGATIVE_BELOW, False), (-0.04, False), (0.0, False),
                                            (-1.0, True)])
def test_is_negative_boundary(score, negative):
    assert NEGATIVE_BELOW == -0.05
    assert is_negative(score) is negative


def test_one_analyser_is_built_lazily_and_shared(monkeypatch):
    monkeypatch.setattr(sentiment, "_analysers", {})
    sentiment_scores([None, ""])  # nothing to read: no analyser needed
    assert sentiment._analysers == {}
    sentiment_scores(["fine"])
    first = sentiment._analysers["en"]
    sentiment_scores(["bad"])
    assert first is not None and sentiment._analysers["en"] is first and list(sentiment._analysers) == ["en"]


def test_scores_are_bounded():
    scores = sentiment_scores(["awful " * 50, "wonderful " * 50])
    assert all(-1.0 <= s <= 1.0 and not math.isnan(s) for s in scores)
