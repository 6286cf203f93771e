"""Customer feedback per touchpoint (and month): counts, NPS, CSAT, the share of negative narratives where
there is no score, and whether it is enough to judge and poor. Two ways in, one judgement: from a frame of
responses (``count_responses``) or from stored monthly counts (``meeting.evidence.months``), both
judged by ``judge_feedback``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from meeting.config import Thresholds
from meeting.evidence.scores import base, csat_interval, nps_from_counts, nps_interval
from meeting.evidence.taxonomy import TouchpointRule, load_touchpoints, normalise_label, touchpoint_key

_EPS = 1e-9
VOC_COLUMNS = ("received_on", "touchpoint", "score", "scale", "narrative")


def rules_or_shipped(rules) -> tuple[TouchpointRule, ...]:
    return load_touchpoints() if rules is None else tuple(rules)


def touchpoint_keys(labels: pd.Series, rules: tuple[TouchpointRule, ...]) -> pd.Series:
    # touchpoint_key per distinct label (a few dozen), then a vectorised map over the rows.
    mapping = {label: touchpoint_key(label, rules) for label in pd.unique(labels.fillna(""))}
    return labels.fillna("").map(mapping).astype("str")


def display_names(keys_and_labels: pd.DataFrame, rules: tuple[TouchpointRule, ...]) -> dict[str, str]:
    """A readable name per key: the alias list's name, else the first label seen in mixed case ("Check-in"
    rather than a KPI export's "CHECK-IN" or a survey's "check-in"), else the first label, tidied."""
    canonical = {normalise_label(rule.name): rule.name for rule in rules}
    names: dict[str, tuple[str, bool]] = {}  # key -> (label, in mixed case)
    distinct = keys_and_labels.drop_duplicates(["key", "label"])  # a month repeats a few labels thousands of times
    for key, label in zip(distinct["key"], distinct["label"]):
        label = " ".join(str(label).split())
        mixed = label != label.upper() and label != label.lower()
        if key not in names or (mixed and not names[key][1]):
            names[key] = (label, mixed)
    return {key: canonical.get(key) or label for key, (label, _) in names.items()}


def _piecewise(values, low: float, cut: float, high: float):
    """Map ``values`` on [low, high] to -100..100 so that ``cut`` (the poor-feedback line) lands on 0."""
    values = np.asarray(values, dtype="float64")
    below = -100.0 * (cut - values) / max(cut - low, _EPS)
    above = 100.0 * (values - cut) / max(high - cut, _EPS)
    return np.clip(np.where(values < cut, below, above), -100.0, 100.0)


FEEDBACK_COLUMNS = ["responses", "nps_responses", "nps", "nps_low", "nps_high", "csat_responses", "csat", "csat_low",
                    "csat_high", "detractor_share", "low_score_share", "narratives", "negative_share", "basis", "judged",
                    "poor", "watch", "customer_score"]
COUNT_COLUMNS = ["nps_responses", "promoters", "detractors", "csat_responses", "csat_sum", "csat_squares",
                 "csat_low_scores", "narratives", "negatives"]


def _intervals(table: pd.DataFrame) -> None:
    """Each group's 95% NPS and CSAT intervals (``meeting.evidence.scores``), as columns; NaN where too few."""
    nps_bounds = [nps_interval(int(p), int(d), int(n)) if base(int(n)) != "too_few" else None
                  for p, d, n in zip(table["promoters"], table["detractors"], table["nps_responses"])]
    csat_bounds = [csat_interval(float(s), float(q), int(n)) if base(int(n)) != "too_few" else None
                   for s, q, n in zip(table["csat_sum"], table["csat_squares"], table["csat_responses"])]
    for name, bounds in (("nps", nps_bounds), ("csat", csat_bounds)):
        table[f"{name}_low"] = [b[0] if b else np.nan for b in bounds]
        table[f"{name}_high"] = [b[1] if b else np.nan for b in bounds]


def judge_feedback(table: pd.DataFrame, thresholds: Thresholds, by: list[str]) -> pd.DataFrame:
    """From ``COUNT_COLUMNS`` indexed by ``by``: the figures with their intervals, enough to judge, poor,
    on watch, the chart's axis.

    A score is judged from 5 responses (``meeting.config.BASE_TOO_FEW_BELOW``) and poor only when its whole 95%
    interval lies below the poor line; one whose interval reaches across the line is ``watch``: maybe poor,
    not shown to be. Narrative-only groups are judged from ``min_responses`` narratives on their negative share.
    """
    columns = [*by, *FEEDBACK_COLUMNS]
    if table.empty:
        return pd.DataFrame(columns=columns)
    table = table.copy()
    text_only = (table["nps_responses"] + table["csat_responses"]).eq(0) & table["narratives"].gt(0)
    t = thresholds
    nps_n, csat_n, narr_n = table["nps_responses"], table["csat_responses"], table["narratives"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["nps"] = nps_from_counts(table["promoters"], table["detractors"], nps_n).where(nps_n > 0)
        table["csat"] = (table["csat_sum"] / csat_n).where(csat_n > 0)
        table["detractor_share"] = (table["detractors"] / nps_n).where(nps_n > 0)
        table["low_score_share"] = (table["csat_low_scores"] / csat_n).where(csat_n > 0)
        table["negative_share"] = (table["negatives"] / narr_n).where(text_only)
    _intervals(table)
    nps_judged, csat_judged = table["nps_low"].notna(), table["csat_low"].notna()
    text_judged = text_only & (narr_n >= t.min_responses)
    nps_poor = nps_judged & (table["nps_high"] < t.nps_poor_below)
    csat_poor = csat_judged & (table["csat_high"] < t.csat_poor_below)
    text_poor = text_judged & (table["negative_share"] >= t.negative_share_poor)
    straddles = ((nps_judged & (table["nps_low"] < t.nps_poor_below))
                 | (csat_judged & (table["csat_low"] < t.csat_poor_below)))
    table["judged"] = nps_judged | csat_judged | text_judged
    table["poor"] = nps_poor | csat_poor | text_poor
    table["watch"] = straddles & ~table["poor"]
    table["responses"] = (nps_n + csat_n).where(~text_only, narr_n)
    table["basis"] = np.select(
        [nps_n.gt(0) & csat_n.gt(0), nps_n.gt(0), csat_n.gt(0), text_only],
        ["nps+csat", "nps", "csat", "narrative"], default="none")

    # One customer axis for the chart: each scale mapped to -100..100 with its poor line at 0. The
    # worst judged scale speaks for the touchpoint (poor on any scale is poor); unjudged ones only when
    # nothing was judged.
    normalised = pd.DataFrame({
        "nps": pd.Series(_piecewise(table["nps"], -100.0, t.nps_poor_below, 100.0), index=table.index).where(nps_n > 0),
        "csat": pd.Series(_piecewise(table["csat"], 1.0, t.csat_poor_below, 5.0), index=table.index).where(csat_n > 0),
        "narrative": pd.Series(_piecewise(1.0 - table["negative_share"], 0.0, 1.0 - t.negative_share_poor, 1.0),
                               index=table.index).where(text_only),
    })
    judged_mask = pd.DataFrame({"nps": nps_judged, "csat": csat_judged, "narrative": text_judged})
    judged_score = normalised.where(judged_mask).min(axis=1)
    table["customer_score"] = judged_score.where(table["judged"], normalised.min(axis=1))
    return table.reset_index()[columns]


