"""Each response of a unit's month as the evidence reads it: its language, themes and sentiment (issue 20), for
analysts and for checking the tagging from outside (``python -m meeting responses``)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from meeting.evidence import months
from meeting.evidence.scores import DETRACTOR_MAX, LOW_CSAT_MAX, PROMOTER_MIN
from meeting.evidence.sentiment import NEGATIVE_BELOW, sentiment_scores
from meeting.periods import parse_period, shift_period
from meeting.store.responses import month_responses, taxonomy_version_themes


@dataclass(frozen=True)
class ResponseReading:
    id: int                      # voc_responses.id
    response_id: str | None      # the source's own id, where it had one
    received_on: str
    touchpoint: str | None
    score: float | None
    scale: str | None
    language: str | None         # detected at import among the unit's languages; None: no narrative
    themes: tuple[str, ...]      # the themes its narrative mentions, in taxonomy order
    sentiment: float | None      # -1..1 in its own language; None: no narrative, or a language not scored
    polarity: str | None         # what the customer felt: the text's reading when it leans one way (below -0.05 /
                                 # above 0.05), else their own score's; "neutral"; None with neither
    polarity_from: str | None    # "text" or "score": which of the two said it
    narrative: str | None


def _polarity(sentiment: float | None) -> str | None:
    if sentiment is None:
        return None
    if sentiment < NEGATIVE_BELOW:
        return "negative"
    return "positive" if sentiment > -NEGATIVE_BELOW else "neutral"


def _score_polarity(score: float | None, scale: str | None) -> str | None:
    """A detractor or a CSAT of 1-2 complains, a promoter or 4-5 praises (the app's own lines, scores.py)."""
    if score is None or scale not in ("nps", "csat"):
        return None
    low, high = (DETRACTOR_MAX, PROMOTER_MIN) if scale == "nps" else (LOW_CSAT_MAX, LOW_CSAT_MAX + 2)
    return "negative" if score <= low else "positive" if score >= high else "neutral"


def _felt(sentiment: float | None, score: float | None, scale: str | None) -> tuple[str | None, str | None]:
    """Plain-fact complaints ("the engineer came late") read neutral to every lexicon; the customer's own score
    says what the words do not, so it decides when the text does not lean either way."""
    text = _polarity(sentiment)
    if text in ("negative", "positive"):
        return text, "text"
    scored = _score_polarity(score, scale)
    if scored is not None:
        return scored, "score"
    return text, "text" if text else None


def read_responses(db, unit_id: int, period: str) -> list[ResponseReading]:
    """The month's responses, tagged first if stale; sentiment is read for narratives whose reading was not
    needed by any figure yet (a scored response), without storing it."""
    period = parse_period(period)
    months.ensure_months(db, unit_id, [period])
    rows = month_responses(db, unit_id, f"{period}-01", f"{shift_period(period, 1)}-01")
    names: dict[int, list[str]] = {}
    unread = [i for i, row in enumerate(rows) if row["sentiment"] is None and (row["narrative"] or "").strip()]
    read = dict(zip(unread, sentiment_scores([rows[i]["narrative"] for i in unread], [rows[i]["language"] for i in unread])))
    out = []
    for i, row in enumerate(rows):
        version = row["tagged_version"]
        if version is not None and version not in names:
            names[version] = taxonomy_version_themes(db, version)
        theme_names = names.get(version, [])
        mask = row["themes"] or 0
        has_text = bool((row["narrative"] or "").strip())
        sentiment = (read.get(i, row["sentiment"]) if has_text else None)
        out.append(ResponseReading(
            id=row["id"], response_id=row["response_id"], received_on=row["received_on"], touchpoint=row["touchpoint"],
            score=row["score"], scale=row["scale"], language=row["language"],
            themes=tuple(name for bit, name in enumerate(theme_names) if mask >> bit & 1),
            sentiment=None if sentiment is None else round(float(sentiment), 4),
            **dict(zip(("polarity", "polarity_from"), _felt(sentiment, row["score"], row["scale"]))),
            narrative=row["narrative"]))
    return out


def responses_json(readings: list[ResponseReading]) -> str:
    return json.dumps({"responses": [{**asdict(r), "themes": list(r.themes)} for r in readings]},
                      ensure_ascii=False, indent=2)


def responses_text(readings: list[ResponseReading], unit: str, period: str) -> str:
    lines = [f"{unit} {period}: {len(readings)} responses"]
    for r in readings:
        score = "" if r.score is None else f" {r.scale} {r.score:g}"
        feeling = "not scored" if r.sentiment is None and r.narrative else (
            "" if r.sentiment is None else f"{r.polarity} {r.sentiment:+.2f}")
        lines.append(f"#{r.id} {r.received_on[:10]} {r.touchpoint or '-'}{score} [{r.language or '-'}] "
                     f"{feeling} | {'; '.join(r.themes) or 'no theme'}")
    return "\n".join(lines)
