"""NPS and CSAT, defined once: every page, chart, flag and SQL aggregate uses these."""
from __future__ import annotations

import pandas as pd

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
