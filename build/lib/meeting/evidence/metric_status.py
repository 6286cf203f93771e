"""A metric's status, computed, never typed in: green when it meets its target, amber when it misses by at
most ``amber_tolerance`` of the target, red otherwise; direction-aware (higher or lower is better)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from meeting.config import DEFAULTS, Thresholds
from meeting.evidence.taxonomy import normalise_label

STATUSES = ("green", "amber", "red")
DIRECTIONS = ("higher", "lower")
# Float slack for "meets the target exactly" (0.1 + 0.2 vs 0.3), relative to the target's size.
_EPS = 1e-9


def _check_direction(direction: object) -> str:
    value = normalise_label(direction)
    if value not in DIRECTIONS:
        raise ValueError(f"Direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    return value


def _gap(target, actual, higher):
    """How far the actual is better (+) or worse (-) than the target, in the metric's own units."""
    return np.where(higher, actual - target, target - actual)


def _attainment(target, actual, higher):
    # 1 + gap relative to the target's size: actual/target for higher-is-better, 2 - actual/target for
    # lower-is-better, so > 1 is always better and the amber band is [1 - tolerance, 1). A zero target has
    # no size: the gap is then read in the metric's own units (0 faults against a target of 0 is 1.0; 3
    # faults is -2.0), which keeps the chart's point finite and on the right side of the target line.
    size = np.where(target == 0, 1.0, np.abs(target))
    return 1.0 + _gap(target, actual, higher) / size


def _status(target, actual, higher, tolerance: float):
    gap = _gap(target, actual, higher)
    slack = _EPS * np.maximum(1.0, np.abs(target))
    # tolerance * |target|: for a target of 0 the amber band is empty. A lower-is-better target of 0
    # ("no repeat faults") is green only at 0 (or below); one fault is red, because 5% of nothing is nothing.
    amber_band = tolerance * np.abs(target)
    return np.where(gap >= -slack, "green", np.where(gap >= -amber_band - slack, "amber", "red"))


def metric_status(target: float, actual: float, direction: str, tolerance: float) -> str:
    """"green" when ``actual`` meets ``target``; "amber" when it misses by at most ``tolerance`` x |target|."""
    if target is None or actual is None or math.isnan(float(target)) or math.isnan(float(actual)):
        raise ValueError("A metric needs both a target and an actual to have a status")
    higher = _check_direction(direction) == "higher"
    return str(_status(np.float64(target), np.float64(actual), higher, float(tolerance)))


def with_status(metrics: pd.DataFrame, thresholds: Thresholds = DEFAULTS) -> pd.DataFrame:
    """A copy of ``metrics`` with ``status`` (green/amber/red) and ``attainment`` (> 1 better than target)."""
    out = metrics.copy()
    if out.empty:
        out["status"] = pd.Series(dtype="str")
        out["attainment"] = pd.Series(dtype="float64")
        return out
    direction = out["direction"].astype(str).str.strip().str.casefold()
    bad = sorted(set(direction) - set(DIRECTIONS))
    if bad:
        raise ValueError(f"Direction(s) {', '.join(map(repr, bad))} not one of {', '.join(DIRECTIONS)}")
    target = out["target"].astype("float64").to_numpy()
    actual = out["actual"].astype("float64").to_numpy()
    if np.isnan(target).any() or np.isnan(actual).any():
        raise ValueError("Every metric needs both a target and an actual to have a status")
    higher = (direction == "higher").to_numpy()
    out["status"] = pd.array(_status(target, actual, higher, thresholds.amber_tolerance), dtype="str")
    out["attainment"] = _attainment(target, actual, higher)
    return out

