"""Customer feedback rows for the demo: scores drawn to the design, narratives composed from phrase banks.

Customers' words are composed from fragments in ``meeting/data/demo_source/phrases.json``: an opening, an episode
specific to the touchpoint and the sentiment, a detail, a consequence and a closing. Placeholders in braces
are filled per response (``_fill``).
"""
from __future__ import annotations

import calendar
import random
import re
import unicodedata
from dataclasses import dataclass

from meeting.config import BASE_TOO_FEW_BELOW, DEFAULTS
from meeting.demo.plan import (
    CHANNEL_MIX,
    MIN_JUDGED,
    MONTHLY_VOLUME,
    PERIODS,
    PHONE_FORMS,
    SCALES,
    SEGMENT_WEIGHTS,
    SEGMENTS,
    TOUCHPOINTS,
    UnitSpec,
    date_in,
    days_in,
    read_source,
)
from meeting.evidence.scores import DETRACTOR_MAX, PROMOTER_MIN, csat_interval, nps_interval

_PHRASES = read_source("phrases")
_NARRATIVE = _PHRASES["narrative"]
EPISODES: dict[str, dict[str, list[str]]] = _NARRATIVE["episodes"]  # touchpoint -> tone -> episodes
# Details, consequences and the like that fit any touchpoint, plus "field_*" ones that only make sense where
# an engineer visits (what a dead line does to a business, for one).
FIELD_TOUCHPOINTS = ("Installation", "Urgent fault")
_FILL = _PHRASES["fill"]
_IDENTITY = _PHRASES["identity"]  # customers who name themselves: accents, apostrophes, hyphens on purpose
IDENTIFIER_SHARE = 0.04  # real survey exports carry an identifier in about 4% of narratives
NARRATIVE_RATE = {"email survey": 0.8, "web": 0.75, "SMS": 0.55, "phone": 0.85}

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"})


def ascii_slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII for email local parts and domains: "Ó Dónaill" -> "odonaill"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.casefold().replace("'", ""))
    return sep.join(words)


def email_address(first: str, last: str, organisation: str) -> str:
    return f"{ascii_slug(first)}.{ascii_slug(last, '-')}@{ascii_slug(organisation, '-')}.example.com"


def _phone(rng: random.Random) -> str:
    international, local = rng.choice(PHONE_FORMS)
    return rng.choice((international, local)).format(n=rng.randrange(1000))


@dataclass(frozen=True)
class Customer:
    ref: str
    segment: str
    organisation: str


def _customers(rng: random.Random, count: int) -> list[Customer]:
    refs = rng.sample(range(100000, 1000000), count)
    return [
        Customer(f"ACC-{ref}", rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0],
                 f"{rng.choice(_IDENTITY['org_prefixes'])} {rng.choice(_IDENTITY['org_suffixes'])}")
        for ref in refs
    ]


def _fill(rng: random.Random, text: str, unit: UnitSpec) -> str:
    if "{" not in text:
        return text
    return text.format(
        days=rng.randint(2, 9), days2=rng.randint(8, 15), weeks=rng.randint(2, 6), hours=rng.randint(5, 30),
        mins=rng.choice((25, 30, 40, 45, 55, 70)), months=rng.randint(2, 7),
        times=rng.choice(_FILL["number_words"]), pct=rng.choice((12, 15, 18, 22, 25, 30)),
        weekday=rng.choice(_FILL["weekdays"]), product=rng.choice(_FILL["products"]),
        site=f"{rng.choice(unit.cities)} {rng.choice(_FILL['sites'])}", staff=rng.choice(_FILL["agent_names"]),
        amount=f"{unit.currency}{rng.randint(2, 95) * 20:,}", years=rng.randint(2, 12),
        staff_count=rng.choice((8, 12, 20, 35, 60)), fix_hours=rng.choice(("two", "three", "four")),
    )


def _identifier_sentence(rng: random.Random, customer: Customer) -> tuple[str, bool]:
    """A sentence carrying a customer identifier, and whether it opens the narrative."""
    first, last = rng.choice(_IDENTITY["first_names"]), rng.choice(_IDENTITY["surnames"])
    org = customer.organisation
    # Each form draws from rng only when chosen (hence lambdas): the draws, and so the files, stay the same.
    forms = (
        lambda: (f"This is {first} {last} from {org}.", True),
        lambda: (f"Please ask for {rng.choice(_IDENTITY['titles'])} {last}, our office manager.", False),
        lambda: (f"You can reach me on {_phone(rng)}.", False),
        lambda: (f"Email me at {email_address(first, last, org)} if you need the details.", False),
        lambda: (f"Our account number is {customer.ref}.", False),
        lambda: (f"Ref {customer.ref}, {org}.", True),
        lambda: (f"Call {first} on {_phone(rng)} or email {email_address(first, last, org)}.", False),
    )
    return forms[rng.randrange(len(forms))]()


def _bank(name: str, tone: str, touchpoint: str) -> list[str]:
    """A phrase bank for ``tone``, with its field-only phrases where an engineer visits."""
    field_only = _NARRATIVE[f"field_{name}"][tone] if touchpoint in FIELD_TOUCHPOINTS else []
    return _NARRATIVE[name][tone] + field_only


def _compose(rng: random.Random, unit: UnitSpec, touchpoint: str, tone: str, channel: str) -> str:
    if tone == "mixed":
        core = _fill(rng, rng.choice(EPISODES[touchpoint]["pos"]), unit)
        doubts = _NARRATIVE["mixed_neg"] + _NARRATIVE["mixed_neg_by_touchpoint"][touchpoint]
        return f"{core} {rng.choice(_NARRATIVE['mixed_links'])} {rng.choice(doubts)}"
    episode = _fill(rng, rng.choice(EPISODES[touchpoint][tone]), unit)
    if channel == "SMS":  # texts are short, and people type them in lower case
        short = episode if rng.random() < 0.3 else f"{episode} {rng.choice(_NARRATIVE['sms_tails'][tone])}"
        return short.lower().rstrip(".") if rng.random() < 0.3 else short
    parts = [_fill(rng, rng.choice(_NARRATIVE["openings"][tone]), unit)]
    if parts[0].endswith(","):  # "As a customer of 5 years," runs into the episode
        parts = [f"{parts[0]} {episode[0].lower()}{episode[1:]}"]
    else:
        parts.append(episode)
    if rng.random() < 0.7:
        parts.append(_fill(rng, rng.choice(_bank("details", tone, touchpoint)), unit))
    if touchpoint != "Cancellation" and rng.random() < 0.6:  # "we stay with you" from a leaver reads wrong
        parts.append(_fill(rng, rng.choice(_bank("consequences", tone, touchpoint)), unit))
    parts.append(rng.choice(_NARRATIVE["closings"][tone]))
    return " ".join(p for p in parts if p)


class ToneCheck:
    """Checks that a composed narrative reads the way its score says (VADER, as the app reads it).

    Complaints told as plain facts read neutral to VADER, and that is fine for scored responses (the score
    judges them); they must only never read the opposite way, or a detractor's words would be quoted as
    praise. Where there is no score (``strict``), the narrative is the verdict: a complaint must read
    negative (compound below -0.05, the app's cut-off) and praise must not.
    """

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyser = SentimentIntensityAnalyzer()

    def agrees(self, text: str, tone: str, strict: bool) -> bool:
        compound = self._analyser.polarity_scores(text)["compound"]
        if tone == "neg":
            return compound < (-0.05 if strict else 0.05)
        if tone == "pos":
            return compound >= -0.05 if strict else compound > -0.05
        return True


def _narrative(rng, tone_check, unit, customer, touchpoint, tone, channel) -> str:
    # Re-compose until VADER agrees with the intended tone, so the most negative quotes the app picks
    # come from detractors, and narrative-only touchpoints are judged as designed. Bounded, deterministic.
    strict = SCALES[touchpoint] is None
    for _ in range(30):
        text = _compose(rng, unit, touchpoint, tone, channel)
        if tone_check.agrees(text, tone, strict):
            break
    else:
        raise RuntimeError(f"No {tone} narrative for {touchpoint} reads {tone}: fix the fragments")
    if rng.random() < IDENTIFIER_SHARE:
        sentence, opens = _identifier_sentence(rng, customer)
        text = f"{sentence} {text}" if opens else f"{text} {sentence}"
    return text


# --- scores -------------------------------------------------------------------------------------------

def _scores(rng: random.Random, scale: str, feedback: str, n: int) -> list[int]:
    """``n`` scores whose 95% interval lands clearly on the designed side of the poor-feedback line: wholly
    below it for poor ("P", "F") months, wholly above for good ones (issue 21: a flag rests on the interval).

    Judged by the app's own intervals (``meeting.evidence.scores``), so the design is judged as the app judges it.
    """
    for _ in range(400):
        if scale == "nps":
            bands = (0.09, 0.21, 0.70) if feedback in "PF" else (0.60, 0.30, 0.10)
            scores = []
            for _i in range(n):
                band = rng.choices(("promoter", "passive", "detractor"), bands)[0]
                scores.append(rng.choice((9, 10)) if band == "promoter" else rng.choice((7, 8)) if band == "passive"
                              else rng.choices(range(7), (1, 1, 2, 3, 3, 4, 4))[0])
            interval = nps_interval(sum(s >= PROMOTER_MIN for s in scores), sum(s <= DETRACTOR_MAX for s in scores), n)
            poor_line, margin = DEFAULTS.nps_poor_below, 5.0
        else:
            weights = (26, 26, 20, 18, 10) if feedback in "PF" else (2, 3, 10, 38, 47)
            scores = rng.choices(range(1, 6), weights, k=n)
            interval = csat_interval(float(sum(scores)), float(sum(s * s for s in scores)), n)
            poor_line, margin = DEFAULTS.csat_poor_below, 0.1
        if feedback == "F":  # too few to judge at all: any draw on the poor side will do
            return scores
        if interval and ((feedback == "P" and interval[1] <= poor_line - margin)
                         or (feedback == "G" and interval[0] >= poor_line + margin)):
            return scores
    raise RuntimeError("Could not draw scores for the design")  # pragma: no cover - 400 draws never miss


def _tone_of(scale: str, score: int) -> str:
    if scale == "nps":
        return "neg" if score <= 6 else "mixed" if score <= 8 else "pos"
    return "neg" if score <= 2 else "mixed" if score == 3 else "pos"


def voc_rows(seed: int, unit: UnitSpec, tone_check: ToneCheck) -> list[dict]:
    """One unit's feedback rows, in arrival order, as ``meeting/data/demo/voc.csv`` holds them."""
    rng = random.Random(f"{seed}:{unit.code}:voc")
    customers = _customers(rng, 700 if unit.volume >= 1 else 520)
    rows = []
    for index, period in enumerate(PERIODS):
        month_share = days_in(period) / calendar.monthrange(*map(int, period.split("-")))[1]
        for touchpoint in TOUCHPOINTS:
            feedback = unit.schedule[touchpoint][1][index]
            if feedback == "F":  # "too few to judge": fewer than the 5 a score needs
                n = rng.randint(2, BASE_TOO_FEW_BELOW - 1)
            else:
                n = round(MONTHLY_VOLUME[touchpoint] * unit.volume * month_share * rng.uniform(0.85, 1.15))
                n = max(n, MIN_JUDGED)
            scale = SCALES[touchpoint]
            if scale:
                tones_scores: list[tuple[str, int | None]] = [(_tone_of(scale, s), s) for s in _scores(rng, scale, feedback, n)]
            else:
                # Narrative-only: the share of negative narratives decides, so fix it per month.
                negative = round(n * (rng.uniform(0.65, 0.8) if feedback in "PF" else rng.uniform(0.15, 0.3)))
                no_score: int | None = None
                tones_scores = [("neg", no_score)] * negative + [("pos", no_score)] * (n - negative)
                rng.shuffle(tones_scores)
            mix = CHANNEL_MIX[touchpoint]
            for tone, score in tones_scores:
                channel = rng.choices(list(mix), list(mix.values()))[0]
                customer = rng.choice(customers)
                wants_text = scale is None or rng.random() < (0.9 if tone == "neg" else NARRATIVE_RATE[channel])
                received_on = date_in(rng, period)  # drawn before the narrative, as the files were made
                narrative = _narrative(rng, tone_check, unit, customer, touchpoint, tone, channel) if wants_text else ""
                rows.append({
                    "unit": unit.name, "response_id": "", "received_on": received_on,
                    "channel": channel, "touchpoint": touchpoint, "segment": customer.segment,
                    "customer_ref": customer.ref, "score": "" if score is None else str(score),
                    "scale": scale or "",
                    "narrative": narrative,
                })
    # Ids follow arrival order, as a survey tool numbers its responses.
    rows.sort(key=lambda r: (r["received_on"], TOUCHPOINTS.index(r["touchpoint"])))
    for number, row in enumerate(rows, start=1):
        row["response_id"] = f"{unit.code}-{number:06d}"
    return rows
