"""Customer feedback per touchpoint (and month): counts, NPS, CSAT, the share of negative narratives where
there is no score, and whether it is enough to judge and poor. Two ways in, one judgement: from a frame of
responses (``count_responses``) or from stored monthly counts (``meeting.evidence.months``), both
judged by ``judge_feedback``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from meeting.config import DEFAULTS, Thresholds
from meeting.evidence.scores import DETRACTOR_MAX, LOW_CSAT_MAX, PROMOTER_MIN, base, csat_interval, nps_from_counts, nps_interval
from meeting.evidence.sentiment import NEGATIVE_BELOW, languages_of, sentiment_scores
from meeting.evidence.taxonomy import TouchpointRule, load_touchpoints, normalise_label, touchpoint_key

_EPS = 1e-9
VOC_COLUMNS = ("received_on", "touchpoint", "score", "scale", "narrative")


def _rules(rules) -> tuple[TouchpointRule, ...]:
    return load_touchpoints() if rules is None else tuple(rules)


def _keys(labels: pd.Series, rules: tuple[TouchpointRule, ...]) -> pd.Series:
    # touchpoint_key per distinct label (a few dozen), then a vectorised map over the rows.
    mapping = {label: touchpoint_key(label, rules) for label in pd.unique(labels.fillna(""))}
    return labels.fillna("").map(mapping).astype("str")


def _display_names(keys_and_labels: pd.DataFrame, rules: tuple[TouchpointRule, ...]) -> dict[str, str]:
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


def _locate(voc: pd.DataFrame, rules) -> pd.DataFrame:
    """Each response's touchpoint key and month: all detection needs to know about every row."""
    missing = [c for c in VOC_COLUMNS if c not in voc.columns]
    if missing:
        raise ValueError(f"Customer responses lack column(s): {', '.join(missing)}")
    return pd.DataFrame({"key": _keys(voc["touchpoint"], rules),
                         "period": voc["received_on"].astype("str").str.slice(0, 7)}, index=voc.index)


def _prepare_voc(voc: pd.DataFrame, rules, located: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tidy responses for aggregation. Called on the rows that matter only (a month, a few touchpoints):
    string clean-up over 200,000 narratives would cost more than the detection itself."""
    located = _locate(voc, rules) if located is None else located
    frame = pd.DataFrame({
        "key": located["key"],
        "label": voc["touchpoint"].fillna("").astype("str"),
        "period": located["period"],
        "received_on": voc["received_on"].astype("str"),
        "score": pd.to_numeric(voc["score"], errors="coerce").astype("float64"),
        "scale": voc["scale"].fillna("").astype("str").str.strip().str.casefold(),
        "narrative": voc["narrative"].fillna("").astype("str").str.strip(),
        "channel": voc["channel"].astype("str") if "channel" in voc.columns else pd.Series(pd.NA, index=voc.index, dtype="str"),
        "id": voc["id"] if "id" in voc.columns else pd.Series(voc.index, index=voc.index),
        # The language each narrative was written in (stored at import), so it is read with its own lexicon.
        "language": voc["language"] if "language" in voc.columns else pd.Series(None, index=voc.index, dtype=object),
    }, index=voc.index)
    return frame


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


def _feedback_table(prep: pd.DataFrame, thresholds: Thresholds, by: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Feedback per group of ``by`` (["key"] or ["period", "key"]), and VADER's score per row it read."""
    if prep.empty:
        return pd.DataFrame(columns=[*by, *FEEDBACK_COLUMNS]), pd.Series(dtype="float64")
    table, compound = count_responses(prep, by)
    return judge_feedback(table, thresholds, by), compound


def count_responses(prep: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """``COUNT_COLUMNS`` per group of ``by`` from prepared rows, and VADER's score per row it read."""
    scored = prep["score"].notna()
    is_nps = scored & prep["scale"].eq("nps")
    is_csat = scored & prep["scale"].eq("csat")
    has_text = prep["narrative"].ne("")
    parts = pd.DataFrame({
        **{column: prep[column] for column in by},
        "nps_responses": is_nps.astype("int64"),
        "promoters": (is_nps & (prep["score"] >= PROMOTER_MIN)).astype("int64"),
        "detractors": (is_nps & (prep["score"] <= DETRACTOR_MAX)).astype("int64"),
        "csat_responses": is_csat.astype("int64"),
        "csat_sum": prep["score"].where(is_csat, 0.0),
        "csat_squares": (prep["score"] ** 2).where(is_csat, 0.0),
        "csat_low_scores": (is_csat & (prep["score"] <= LOW_CSAT_MAX)).astype("int64"),
        "narratives": has_text.astype("int64"),
    })
    table = parts.groupby(by, sort=True).sum()

    # Narrative-only groups (no score at all): VADER reads their narratives, and only theirs.
    text_only = (table["nps_responses"] + table["csat_responses"]).eq(0) & table["narratives"].gt(0)
    compound = pd.Series(dtype="float64")
    table["negatives"] = 0
    if text_only.any():
        group_of_row = pd.MultiIndex.from_frame(prep[by]) if len(by) > 1 else pd.Index(prep[by[0]])
        rows = has_text & group_of_row.isin(table.index[text_only])
        compound = pd.Series(sentiment_scores(prep.loc[rows, "narrative"].tolist(), languages_of(prep.loc[rows])),
                             index=prep.index[rows], dtype="float64")
        negatives = (compound < NEGATIVE_BELOW).groupby([prep.loc[rows, c] for c in by]).sum()
        table.loc[negatives.index, "negatives"] = negatives.astype("int64")
    return table, compound


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


def feedback_by_touchpoint(voc: pd.DataFrame, thresholds: Thresholds = DEFAULTS, rules=None) -> pd.DataFrame:
    """Customer feedback per touchpoint key over all of ``voc`` (pass one month's responses).

    Columns: touchpoint_key, touchpoint (a readable name), responses (scored responses, or narratives
    where there are no scores), nps_responses, nps, csat_responses, csat, detractor_share (NPS 0-6),
    low_score_share (CSAT 1-2), narratives, negative_share (narrative-only touchpoints), basis, judged
    (enough responses), poor, customer_score (-100..100, 0 = the poor-feedback line). Missing figures are
    NaN.
    """
    rules = _rules(rules)
    prep = _prepare_voc(voc, rules)
    table, _ = _feedback_table(prep, thresholds, ["key"])
    names = _display_names(prep, rules)
    table.insert(1, "touchpoint", table["key"].map(names).astype("str"))
    return table.rename(columns={"key": "touchpoint_key"})

