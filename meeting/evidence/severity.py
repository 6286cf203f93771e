"""How much a watermelon hurts: how many customers said so, times how far below the "poor" line they are.

    severity = responses x gap x weight

- responses: the flag's judged responses on the touchpoint that month (scored responses, or narratives
  where the touchpoint has no score question).
- gap: how far the customers' feedback sits below the poor-feedback threshold, on the detector's common
  customer axis (``customer_score``: each scale mapped to -100..100 with its poor line at 0), as a share
  of the way from the line to the worst possible (0..1). With the default thresholds an NPS of -30 is a
  gap of 0.30 (30 NPS points below 0), a mean CSAT of 2.5 is (3.5 - 2.5) / (3.5 - 1) = 0.40, and 80%
  negative narratives against a 50% line is (0.8 - 0.5) / 0.5 = 0.60.
- weight: ``MOMENT_OF_TRUTH_WEIGHT`` for a touchpoint marked as a moment of truth in
  ``meeting/data/touchpoints.csv`` (installation, urgent faults, billing disputes...), else 1: a bad moment
  of truth loses the customer, a bad routine contact annoys them.

So 200 customers 10 points under the line (20) outrank 20 customers 50 points under it (10), which is
the point: volume times gap, as experience tools rank hotspots. Flags are ranked by severity, highest
first; ties keep the detector's order (worst customer score first).

``rank_by_severity`` takes the detector's result and is called in one place (``detect_watermelons``).
"""
from __future__ import annotations

import math

from meeting.evidence.taxonomy import TouchpointRule, is_moment_of_truth, load_touchpoints

MOMENT_OF_TRUTH_WEIGHT = 2.0


def severity(responses: int, customer_score: float | None, moment_of_truth: bool) -> float:
    """``responses`` x gap below the poor line (0..1) x the moment-of-truth weight, rounded to 0.1."""
    if customer_score is None or (isinstance(customer_score, float) and math.isnan(customer_score)):
        return 0.0
    gap = max(0.0, -float(customer_score)) / 100.0
    weight = MOMENT_OF_TRUTH_WEIGHT if moment_of_truth else 1.0
    return round(int(responses) * gap * weight, 1)


def rank_by_severity(result: dict, rules: tuple[TouchpointRule, ...] | None = None) -> dict:
    """The detection ``result`` with a ``severity`` (and ``moment_of_truth``) on each flag, flags sorted by
    severity, highest first. The customer score comes from ``result["points"]`` (one row per touchpoint)."""
    rules = load_touchpoints() if rules is None else tuple(rules)
    points = result.get("points")
    scores = {}
    if points is not None and len(points):
        scores = dict(zip(points["touchpoint_key"], points["customer_score"]))
    for flag in result["watermelons"]:
        moment = is_moment_of_truth(flag["touchpoint_key"], rules)
        flag["moment_of_truth"] = moment
        flag["severity"] = severity(flag["responses"], scores.get(flag["touchpoint_key"]), moment)
    result["watermelons"] = sorted(result["watermelons"], key=lambda flag: -flag["severity"])
    return result
