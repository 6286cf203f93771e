"""Scores with their uncertainty computed straight from the formulas of issue 21, with scipy: the oracle the
product's hand-written statistics (meeting.evidence.scores, meeting.evidence.student_t) are held to. Shares no
code with them: thresholds (30, 5, 95%) and formulas are written out here again on purpose."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats


def base(n: int) -> str:
    return "ok" if n >= 30 else "low" if n >= 5 else "too_few"


def _clean(scores) -> np.ndarray:
    values = np.asarray([float(s) for s in scores if s is not None and not (isinstance(s, float) and math.isnan(s))])
    return values


def nps_figures(scores) -> dict:
    values = _clean(scores)
    n = len(values)
    if base(n) == "too_few":
        return {"nps": None, "nps_n": n, "nps_low": None, "nps_high": None, "nps_base": base(n)}
    promoters, detractors = int((values >= 9).sum()), int((values <= 6).sum())
    p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    se = 100 * math.sqrt((p + d - (p - d) ** 2) / (n + 3))
    centre = 100 * (p - d)
    return {"nps": round(100 * (promoters - detractors) / n, 1), "nps_n": n,
            "nps_low": round(max(-100.0, centre - 1.96 * se), 1), "nps_high": round(min(100.0, centre + 1.96 * se), 1),
            "nps_base": base(n)}


def csat_figures(scores) -> dict:
    values = _clean(scores)
    n = len(values)
    if base(n) == "too_few":
        return {"csat": None, "csat_n": n, "csat_low": None, "csat_high": None, "csat_base": base(n)}
    mean, sem = values.mean(), stats.sem(values)
    low, high = (mean, mean) if sem == 0 else stats.t.interval(0.95, n - 1, loc=mean, scale=sem)
    return {"csat": round(float(mean), 2), "csat_n": n, "csat_low": round(float(low), 2),
            "csat_high": round(float(high), 2), "csat_base": base(n)}


def nps_change_significant(now, before) -> bool | None:
    a, b = _clean(now), _clean(before)
    if base(len(a)) == "too_few" or base(len(b)) == "too_few":
        return None

    def nps_and_variance(values):
        p, d = (values >= 9).mean(), (values <= 6).mean()
        return 100 * (p - d), p + d - (p - d) ** 2

    (x, v1), (y, v2) = nps_and_variance(a), nps_and_variance(b)
    return bool(abs(x - y) > 1.96 * 100 * math.sqrt(v1 / len(a) + v2 / len(b)))


def csat_change_significant(now, before) -> bool | None:
    a, b = _clean(now), _clean(before)
    if base(len(a)) == "too_few" or base(len(b)) == "too_few":
        return None
    return bool(stats.ttest_ind(a, b, equal_var=False).pvalue < 0.05)  # undefined (nan) is not below 0.05


def month_figures(nps_scores, csat_scores) -> dict:
    return {**nps_figures(nps_scores), **csat_figures(csat_scores)}


def compared(nps_now, nps_before, csat_now, csat_before) -> dict:
    """The contract's fields for a month against the one before."""
    now, before = month_figures(nps_now, csat_now), month_figures(nps_before, csat_before)
    out = dict(now)
    for scale, places in (("nps", 1), ("csat", 2)):
        out[f"{scale}_before"] = before[scale]
        out[f"{scale}_change"] = (None if now[scale] is None or before[scale] is None
                                  else round(now[scale] - before[scale], places))
    out["nps_change_significant"] = nps_change_significant(nps_now, nps_before)
    out["csat_change_significant"] = csat_change_significant(csat_now, csat_before)
    return out
