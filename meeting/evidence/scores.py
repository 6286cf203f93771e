"""NPS and CSAT, defined once: every page, chart, flag and SQL aggregate uses these."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from meeting.config import BASE_LOW_BELOW, BASE_TOO_FEW_BELOW, CONFIDENCE, Z
from meeting.evidence.student_t import quantile, two_sided_p

PROMOTER_MIN = 9   # NPS 9-10: promoters
DETRACTOR_MAX = 6  # NPS 0-6: detractors
LOW_CSAT_MAX = 2   # CSAT 1-2: a complaint, as a detractor is


def nps_from_counts(promoters, detractors, responses):
    """% promoters minus % detractors (-100..100). Works on numbers and on pandas Series alike."""
    return 100.0 * (promoters - detractors) / responses


def nps(scores: pd.Series) -> float | None:
    """Net Promoter Score (-100..100): % promoters (9-10) minus % detractors (0-6); None without scores."""
    scores = scores.dropna()
    if scores.empty:
        return None
    return round(nps_from_counts(int((scores >= PROMOTER_MIN).sum()), int((scores <= DETRACTOR_MAX).sum()), len(scores)), 1)


def csat(scores: pd.Series) -> float | None:
    scores = scores.dropna()
    return None if scores.empty else round(float(scores.mean()), 2)


# --- how far a score can be trusted (issue 21) ---------------------------------------------------------
# Formulas as the issue writes them; thresholds in meeting.config.

def base(n: int) -> str:
    """"ok", "low" or "too_few": how many responses a score rests on."""

    return "ok" if n >= BASE_LOW_BELOW else "low" if n >= BASE_TOO_FEW_BELOW else "too_few"


def nps_interval(promoters: int, detractors: int, n: int) -> tuple[float, float] | None:
    """95% adjusted Wald interval: 3 pseudo-responses (0.75 promoter, 1.5 passive, 0.75 detractor) added."""

    if n <= 0:
        return None
    p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    centre = 100.0 * (p - d)
    half = Z * 100.0 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / (n + 3))
    return max(-100.0, centre - half), min(100.0, centre + half)


def _nps_variance(promoters: int, detractors: int, n: int) -> float:
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def nps_change_significant(now: tuple[int, int, int], before: tuple[int, int, int]) -> bool | None:
    """Whether two months' NPS differ by more than noise; each month as (promoters, detractors, n).
    None when either month has too few responses to say."""

    if base(now[2]) == "too_few" or base(before[2]) == "too_few":
        return None
    change = nps_from_counts(*now) - nps_from_counts(*before)
    noise = Z * 100.0 * math.sqrt(_nps_variance(*now) / now[2] + _nps_variance(*before) / before[2])
    return abs(change) > noise


def _csat_variance(total: float, squares: float, n: int) -> float:
    """Sample variance (n-1) from a sum and a sum of squares; never below 0 from rounding."""
    return max((squares - total * total / n) / (n - 1), 0.0)


def csat_interval(total: float, squares: float, n: int) -> tuple[float, float] | None:
    """95% t-interval of the mean CSAT, n-1 degrees of freedom, as the formula gives it (not clipped to 1-5:
    the contract clips only NPS, and a reader compares against the plain formula)."""

    if n < 2:
        return None
    mean = total / n
    half = quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * math.sqrt(_csat_variance(total, squares, n) / n)
    return mean - half, mean + half


def csat_change_significant(now: tuple[float, float, int], before: tuple[float, float, int]) -> bool | None:
    """Welch's two-sided t-test, p < 0.05, on two months' (sum, sum of squares, n). None on too few."""

    if base(now[2]) == "too_few" or base(before[2]) == "too_few":
        return None
    (s1, q1, n1), (s2, q2, n2) = now, before
    a, b = _csat_variance(s1, q1, n1) / n1, _csat_variance(s2, q2, n2) / n2
    difference = s1 / n1 - s2 / n2
    if a + b == 0:  # every answer the same in both months: the test is undefined (scipy gives p = nan), so
        return False  # the change is not shown to be more than noise
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    return two_sided_p(difference / math.sqrt(a + b), df) < 1 - CONFIDENCE


@dataclass(frozen=True)
class ScoreCounts:
    """What every score figure is computed from: counts, not rows, so stored month summaries serve too."""
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    csat_n: int = 0
    csat_sum: float = 0.0
    csat_squares: float = 0.0

    @classmethod
    def of(cls, scale: pd.Series, score: pd.Series) -> ScoreCounts:
        nps_scores = score[scale.eq("nps")].dropna()
        csat_scores = score[scale.eq("csat")].dropna().astype("float64")
        return cls(int(len(nps_scores)), int((nps_scores >= PROMOTER_MIN).sum()),
                   int((nps_scores <= DETRACTOR_MAX).sum()), int(len(csat_scores)),
                   float(csat_scores.sum()), float((csat_scores ** 2).sum()))


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _scale_fields(scale: str, now: tuple, before: tuple, places: int, value_of, interval_of, significant) -> dict:
    """One scale's figures; ``now`` and ``before`` are that scale's counts, n last."""
    shown_now, shown_before = base(now[-1]) != "too_few", base(before[-1]) != "too_few"
    value = round(value_of(*now), places) if shown_now else None
    earlier = round(value_of(*before), places) if shown_before else None
    interval = interval_of(*now) if shown_now else None
    return {scale: value, f"{scale}_before": earlier,
            f"{scale}_change": None if value is None or earlier is None else round(value - earlier, places),
            f"{scale}_n": now[-1], f"{scale}_low": _rounded(interval and interval[0], places),
            f"{scale}_high": _rounded(interval and interval[1], places), f"{scale}_base": base(now[-1]),
            f"{scale}_change_significant": significant(now, before)}


def score_fields(now: ScoreCounts, before: ScoreCounts | None = None) -> dict:
    """The figures of the agenda's contract: for NPS and CSAT the score, n, interval, base, the month before,
    the change and whether it is more than noise. A too-few score and its change are None, not a number."""
    before = before or ScoreCounts()
    return {
        **_scale_fields("nps", (now.promoters, now.detractors, now.nps_n),
                        (before.promoters, before.detractors, before.nps_n), 1, nps_from_counts, nps_interval,
                        nps_change_significant),
        **_scale_fields("csat", (now.csat_sum, now.csat_squares, now.csat_n),
                        (before.csat_sum, before.csat_squares, before.csat_n), 2,
                        lambda total, _squares, n: total / n, csat_interval, csat_change_significant),
    }


_COMPARISON_KEYS = ("nps_before", "nps_change", "nps_change_significant",
                    "csat_before", "csat_change", "csat_change_significant")


def month_fields(counts: ScoreCounts) -> dict:
    """``score_fields`` of one month on its own: score, n, interval and base, no comparison."""
    return {key: value for key, value in score_fields(counts).items() if key not in _COMPARISON_KEYS}
