"""Watermelon metrics: green on the outside (the metric meets its target), red inside (the customers of
that touchpoint, in the same month, say the experience is poor). "If all of our SLAs are green and the
customer feedback is poor, then obviously we are measuring the wrong things."

The rules, with their defaults in ``meeting.config.Thresholds`` (overridable per unit):

- status: green when a metric meets its target, amber when it misses by at most ``amber_tolerance`` of
  the target, red otherwise; direction-aware (higher or lower is better).
- poor feedback, given at least ``min_responses`` responses on the touchpoint in the month: NPS below
  ``nps_poor_below``, or mean CSAT below ``csat_poor_below``; a touchpoint with narratives but no scores
  is poor when at least ``negative_share_poor`` of its narratives read negative (VADER, see
  ``meeting.sentiment``).
- watermelon: a green metric on a touchpoint with poor feedback. Fewer responses: no flag, but "too few
  to judge". The reverse (a red metric whose customers are not unhappy) is reported for information.

Touchpoints of metrics and of responses meet through ``meeting.taxonomy.touchpoint_key``: case- and
whitespace-insensitive, with the alias list in ``data/touchpoints.csv`` ("Install" = "Installation").

Everything is vectorised over the responses (one groupby); VADER reads only the narratives of touchpoints
that have no scores, and a handful of quote candidates per flag.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from meeting.config import DEFAULTS, Thresholds, as_dict, load_thresholds
from meeting.evidence.quotes import drop_near_duplicates
from meeting.evidence.scores import DETRACTOR_MAX, PROMOTER_MIN, nps_from_counts
from meeting.evidence.sentiment import NEGATIVE_BELOW, sentiment_scores
from meeting.evidence.taxonomy import TouchpointRule, load_touchpoints, normalise_label, touchpoint_key
from meeting.periods import parse_period, shift_period

STATUSES = ("green", "amber", "red")
DIRECTIONS = ("higher", "lower")
# Float slack for "meets the target exactly" (0.1 + 0.2 vs 0.3), relative to the target's size.
_EPS = 1e-9
# Narratives read by VADER per flag to find its most negative quotes: the lowest-scored ones first.
QUOTE_CANDIDATES = 30

METRIC_COLUMNS = ("period", "touchpoint", "name", "target", "actual", "direction")
VOC_COLUMNS = ("received_on", "touchpoint", "score", "scale", "narrative")


# --- metric status ------------------------------------------------------------------------------------

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


# --- customer feedback per touchpoint -----------------------------------------------------------------

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
    names: dict[str, str] = {}
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
    }, index=voc.index)
    return frame


def _piecewise(values, low: float, cut: float, high: float):
    """Map ``values`` on [low, high] to -100..100 so that ``cut`` (the poor-feedback line) lands on 0."""
    values = np.asarray(values, dtype="float64")
    below = -100.0 * (cut - values) / max(cut - low, _EPS)
    above = 100.0 * (values - cut) / max(high - cut, _EPS)
    return np.clip(np.where(values < cut, below, above), -100.0, 100.0)


def _feedback_table(prep: pd.DataFrame, thresholds: Thresholds, by: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Feedback per group of ``by`` (["key"] or ["period", "key"]), and VADER's score per row it read."""
    columns = [*by, "responses", "nps_responses", "nps", "csat_responses", "csat", "detractor_share",
               "low_score_share", "narratives", "negative_share", "basis", "judged", "poor", "customer_score"]
    if prep.empty:
        return pd.DataFrame(columns=columns), pd.Series(dtype="float64")
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
        "csat_low": (is_csat & (prep["score"] <= 2)).astype("int64"),
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
        compound = pd.Series(sentiment_scores(prep.loc[rows, "narrative"].tolist()), index=prep.index[rows], dtype="float64")
        negatives = (compound < NEGATIVE_BELOW).groupby([prep.loc[rows, c] for c in by]).sum()
        table.loc[negatives.index, "negatives"] = negatives.astype("int64")

    t = thresholds
    nps_n, csat_n, narr_n = table["nps_responses"], table["csat_responses"], table["narratives"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["nps"] = nps_from_counts(table["promoters"], table["detractors"], nps_n).where(nps_n > 0)
        table["csat"] = (table["csat_sum"] / csat_n).where(csat_n > 0)
        table["detractor_share"] = (table["detractors"] / nps_n).where(nps_n > 0)
        table["low_score_share"] = (table["csat_low"] / csat_n).where(csat_n > 0)
        table["negative_share"] = (table["negatives"] / narr_n).where(text_only)
    nps_judged = nps_n >= t.min_responses
    csat_judged = csat_n >= t.min_responses
    text_judged = text_only & (narr_n >= t.min_responses)
    nps_poor = nps_judged & (table["nps"] < t.nps_poor_below)
    csat_poor = csat_judged & (table["csat"] < t.csat_poor_below)
    text_poor = text_judged & (table["negative_share"] >= t.negative_share_poor)
    table["judged"] = nps_judged | csat_judged | text_judged
    table["poor"] = nps_poor | csat_poor | text_poor
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
    return table.reset_index()[columns], compound


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


# --- detection ----------------------------------------------------------------------------------------

def _num(value, digits: int | None = None):
    """A plain Python number for JSON (None for NaN), optionally rounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    value = float(value)
    return round(value, digits) if digits is not None else value


def format_number(value: float) -> str:
    """92 -> "92", 99.5 -> "99.5", 1234.567 -> "1,234.57", 0.0042 -> "0.0042": how figures read in flags."""
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.3g}"  # small rates keep their significant digits
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _customer_phrase(row, thresholds: Thresholds) -> str:
    """What the customers said, in a few words: the scale(s) that found the feedback poor."""
    name, phrases = row["touchpoint"], []
    if row["nps_responses"] >= thresholds.min_responses and row["nps"] < thresholds.nps_poor_below:
        phrases.append(f"customers score {name} NPS {row['nps']:.0f} (n={row['nps_responses']:.0f})")
    if row["csat_responses"] >= thresholds.min_responses and row["csat"] < thresholds.csat_poor_below:
        phrases.append(f"customers score {name} CSAT {row['csat']:.1f} of 5 (n={row['csat_responses']:.0f})")
    if row["basis"] == "narrative":
        phrases.append(f"{row['negative_share']:.0%} of {row['narratives']:.0f} {name} comments read negative")
    return " and ".join(phrases)


def _reading(row, thresholds: Thresholds) -> str:
    lower = ", lower is better" if row["direction"] == "lower" else ""
    return (f"Green on {row['metric']} ({format_number(row['actual'])} vs target {format_number(row['target'])}{lower}); "
            f"{_customer_phrase(row, thresholds)}: the metric misses what customers feel.")


def _quotes(month: pd.DataFrame, compound: pd.Series, keys, limit: int, names: dict[str, str]) -> dict[str, list[dict]]:
    """Per touchpoint key, the ``limit`` most negative narratives of the month, identifiers masked.

    A narrative qualifies when VADER reads it as negative, or as not positive with a low score of its own
    (NPS 0-6, CSAT 1-2): "the engineer came late" is neutral to VADER but not from a detractor. Praise
    never qualifies, whatever its score. Near-duplicates (most words shared) are quoted once.
    """
    quotes: dict[str, list[dict]] = {key: [] for key in keys}
    rows = month[month["key"].isin(set(keys)) & month["narrative"].ne("")]
    if rows.empty or limit <= 0:
        return quotes
    # Scores on one 0 (worst) .. 1 (best) scale, so the lowest-scored few dozen are the candidates VADER
    # reads rather than every comment; narrative-only rows were read already and rank by that reading.
    score01 = np.where(rows["scale"].eq("nps"), rows["score"] / 10.0,
                       np.where(rows["scale"].eq("csat"), (rows["score"] - 1.0) / 4.0, np.nan))
    low = (rows["scale"].eq("nps") & rows["score"].le(6)) | (rows["scale"].eq("csat") & rows["score"].le(2))
    rows = rows.assign(q_score01=score01, q_low=low, q_compound=compound.reindex(rows.index)).sort_values(
        ["key", "q_score01", "q_compound", "received_on", "id"], na_position="last", kind="stable")

    from meeting.anonymise import mask_identifiers  # the one masker, shared with minutes and agenda

    def rank(row) -> tuple:
        return (row.q_compound, math.inf if math.isnan(row.q_score01) else row.q_score01, row.received_on, row.id)

    for key, group in rows.groupby("key", sort=False):
        candidates, seen = [], set()
        for row in group.itertuples():  # already in candidate order: stop once there are enough
            text_key = " ".join(row.narrative.casefold().split())
            if text_key not in seen:
                seen.add(text_key)
                candidates.append(row)
                if len(candidates) == QUOTE_CANDIDATES:
                    break
        unread = [i for i, row in enumerate(candidates) if math.isnan(row.q_compound)]
        for i, score in zip(unread, sentiment_scores(candidates[i].narrative for i in unread)):
            candidates[i] = candidates[i]._replace(q_compound=score)
        ranked = sorted((row for row in candidates if row.q_compound < NEGATIVE_BELOW
                         or (row.q_low and row.q_compound < -NEGATIVE_BELOW)), key=rank)
        # Three wordings of one complaint tell the room less than three complaints: the agenda's rule.
        chosen = [ranked[i] for i in drop_near_duplicates([row.narrative for row in ranked])][:limit]
        quotes[key] = [{
            "text": mask_identifiers(row.narrative),
            "touchpoint": names.get(key, key),
            "received_on": row.received_on,
            "channel": None if pd.isna(row.channel) else str(row.channel),
            "score": _num(row.score),
            "scale": row.scale or None,
            "sentiment": round(float(row.q_compound), 3),
        } for row in chosen]
    return quotes


def _prepare_metrics(metrics: pd.DataFrame, thresholds: Thresholds, rules) -> pd.DataFrame:
    missing = [c for c in METRIC_COLUMNS if c not in metrics.columns]
    if missing:
        raise ValueError(f"Metrics lack column(s): {', '.join(missing)}")
    frame = with_status(metrics.reset_index(drop=True), thresholds)
    frame["direction"] = frame["direction"].astype("str").str.strip().str.casefold()
    frame["key"] = _keys(frame["touchpoint"], rules)
    frame["label"] = frame["touchpoint"].astype("str")
    frame["metric"] = frame["name"].astype("str").str.split().str.join(" ")
    frame["metric_key"] = frame["metric"].str.casefold()
    frame["period"] = frame["period"].astype("str").str.strip()
    return frame


def _empty_result() -> dict:
    return {"period": None, "watermelons": [], "too_few": [], "reverse": [],
            "statuses": pd.DataFrame(columns=STATUS_COLUMNS), "points": pd.DataFrame(columns=POINT_COLUMNS)}


STATUS_COLUMNS = ["touchpoint", "touchpoint_key", "metric", "target", "actual", "direction", "status", "attainment",
                  "responses", "judged", "poor", "watermelon", "reverse"]
POINT_COLUMNS = ["touchpoint", "touchpoint_key", "attainment", "customer_score", "customer_label", "responses",
                 "judged", "poor", "is_watermelon", "category", "metrics", "age_months"]


def _customer_label(row) -> str:
    parts = []
    if row["nps_responses"] > 0:
        parts.append(f"NPS {row['nps']:.0f} (n={row['nps_responses']:.0f})")
    if row["csat_responses"] > 0:
        parts.append(f"CSAT {row['csat']:.1f} of 5 (n={row['csat_responses']:.0f})")
    if row["basis"] == "narrative":
        parts.append(f"{row['negative_share']:.0%} of {row['narratives']:.0f} comments negative")
    return "; ".join(parts) or "no feedback"


def _ages(metrics: pd.DataFrame, voc: pd.DataFrame, located: pd.DataFrame, rules, period: str,
          current: list[tuple[str, str]], thresholds: Thresholds) -> dict[tuple[str, str], int]:
    """Consecutive months, up to and including ``period``, in which each (key, metric) was a watermelon."""
    if not current:
        return {}
    keys = {key for key, _ in current}
    earlier = metrics[metrics["period"].lt(period) & metrics["key"].isin(keys) & metrics["status"].eq("green")]
    wm: set[tuple[str, str, str]] = set()
    if not earlier.empty:
        # Only the months and touchpoints that could extend a streak are aggregated (and read by VADER).
        wanted = located["key"].isin(keys) & located["period"].isin(set(earlier["period"]))
        table, _ = _feedback_table(_prepare_voc(voc[wanted], rules, located[wanted]), thresholds, ["period", "key"])
        poor = set(zip(table.loc[table["judged"] & table["poor"], "period"], table.loc[table["judged"] & table["poor"], "key"]))
        wm = {(p, k, m) for p, k, m in zip(earlier["period"], earlier["key"], earlier["metric_key"]) if (p, k) in poor}
    ages = {}
    for key, metric_key in current:
        age, month = 1, shift_period(period, -1)
        while (month, key, metric_key) in wm:
            age, month = age + 1, shift_period(month, -1)
        ages[(key, metric_key)] = age
    return ages


def detect_watermelons(metrics: pd.DataFrame, voc: pd.DataFrame, period: str, thresholds: Thresholds = DEFAULTS,
                       rules=None) -> dict:
    """Watermelons (green metric, poor feedback) of one month, with the evidence behind each.

    ``metrics`` has period, touchpoint, name, target, actual, direction; ``voc`` has received_on,
    touchpoint, score, scale, narrative (and optionally id, channel). Earlier months in either frame
    are used only for each flag's age. ``rules`` is the touchpoint alias list (default: the shipped one).

    Returns a dict:
      period, thresholds (the values used, as a dict), watermelons (list of dicts: touchpoint, touchpoint_key, metric, target, actual, direction,
        status, attainment, responses, nps, csat, detractor_share, negative_share, basis, age_months,
        severity and moment_of_truth (``meeting.evidence.severity``; flags are ranked by severity),
        quotes [{text, touchpoint, received_on, channel, score, scale, sentiment}], reading),
      too_few (touchpoints with a green metric and fewer than min_responses: touchpoint, touchpoint_key,
        responses, metrics), reverse (red metric, customers not unhappy: touchpoint, metric, target,
        actual, direction, status, responses, nps, csat, negative_share),
      statuses (DataFrame: every metric of the month with status), points (DataFrame: one row per
        touchpoint with a metric, for ``meeting.charts.quadrant_chart``).
    """
    from meeting.evidence.severity import rank_by_severity  # responses x gap, moments of truth weighted up

    return rank_by_severity(_detect(metrics, voc, period, thresholds, rules, evidence=True), _rules(rules))


def _detect(metrics, voc, period: str, thresholds: Thresholds, rules, *, evidence: bool) -> dict:
    # evidence=False: which touchpoints are flagged, without ages or quotes (a first, cheap pass).
    period = parse_period(period)
    rules = _rules(rules)
    result = _empty_result()
    result["period"] = period
    result["thresholds"] = as_dict(thresholds)
    if metrics is None or metrics.empty:
        return result
    all_metrics = _prepare_metrics(metrics, thresholds, rules)
    month = all_metrics[all_metrics["period"].eq(period)]
    if month.empty:
        return result
    voc = voc if voc is not None and len(voc) else _empty_voc()
    located = _locate(voc, rules)
    month_rows = located["period"].eq(period) & located["key"].isin(set(month["key"]))
    in_month = _prepare_voc(voc[month_rows], rules, located[month_rows])
    feedback, compound = _feedback_table(in_month, thresholds, ["key"])
    names = _display_names(pd.concat([month[["key", "label"]], in_month[["key", "label"]]]), rules)

    joined = month.merge(feedback, on="key", how="left", validate="many_to_one")
    for column in ("responses", "nps_responses", "csat_responses", "narratives"):
        joined[column] = joined[column].fillna(0).astype("int64")
    joined["judged"] = joined["judged"].fillna(False).astype(bool)
    joined["poor"] = joined["poor"].fillna(False).astype(bool)
    joined["basis"] = joined["basis"].fillna("none").astype("str")
    joined["touchpoint"] = joined["key"].map(names).astype("str")
    joined["watermelon"] = joined["status"].eq("green") & joined["judged"] & joined["poor"]
    joined["reverse"] = joined["status"].eq("red") & joined["judged"] & ~joined["poor"]
    joined = joined.sort_values(["touchpoint", "metric"], kind="stable").reset_index(drop=True)

    flagged = joined[joined["watermelon"]].sort_values(["customer_score", "touchpoint", "metric"], kind="stable")
    pairs = list(zip(flagged["key"], flagged["metric_key"]))
    keys = list(pd.unique(flagged["key"]))
    ages = _ages(all_metrics, voc, located, rules, period, pairs, thresholds) if evidence else dict.fromkeys(pairs, 1)
    quotes_by_key = _quotes(in_month, compound, keys, thresholds.quotes_per_section, names) if evidence else dict.fromkeys(keys, [])
    for _, row in flagged.iterrows():
        uses_nps = row["nps_responses"] > 0
        result["watermelons"].append({
            "touchpoint": row["touchpoint"], "touchpoint_key": row["key"], "metric": row["metric"],
            "target": _num(row["target"]), "actual": _num(row["actual"]), "direction": row["direction"],
            "status": row["status"], "attainment": _num(row["attainment"], 4),
            "responses": int(row["responses"]), "nps": _num(row["nps"], 1), "csat": _num(row["csat"], 2),
            "detractor_share": _num(row["detractor_share"] if uses_nps else row["low_score_share"], 3),
            "negative_share": _num(row["negative_share"], 3), "basis": row["basis"],
            "age_months": ages[(row["key"], row["metric_key"])],
            "quotes": quotes_by_key[row["key"]],
            "reading": _reading(row, thresholds),
        })

    green_unjudged = joined[joined["status"].eq("green") & ~joined["judged"]]
    for key, group in green_unjudged.groupby("key", sort=False):
        result["too_few"].append({"touchpoint": group["touchpoint"].iloc[0], "touchpoint_key": key,
                                  "responses": int(group["responses"].iloc[0]), "metrics": group["metric"].tolist()})

    for _, row in joined[joined["reverse"]].iterrows():
        result["reverse"].append({
            "touchpoint": row["touchpoint"], "touchpoint_key": row["key"], "metric": row["metric"],
            "target": _num(row["target"]), "actual": _num(row["actual"]), "direction": row["direction"],
            "status": row["status"], "responses": int(row["responses"]), "nps": _num(row["nps"], 1),
            "csat": _num(row["csat"], 2), "negative_share": _num(row["negative_share"], 3),
        })

    statuses = joined.rename(columns={"key": "touchpoint_key"})
    result["statuses"] = statuses[STATUS_COLUMNS].reset_index(drop=True)
    result["points"] = _points(joined, ages)
    return result


def _points(joined: pd.DataFrame, ages: dict) -> pd.DataFrame:
    """One row per touchpoint: where it sits between its measures (x) and its customers (y)."""
    if joined.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    rows = joined.assign(
        wm_attainment=joined["attainment"].where(joined["watermelon"]),
        metric_text=[f"{m}: {format_number(a)} vs {format_number(t)} ({s})" for m, a, t, s in
                     zip(joined["metric"], joined["actual"], joined["target"], joined["status"])],
        age=[ages.get((k, m), 0) for k, m in zip(joined["key"], joined["metric_key"])],
    )
    grouped = rows.groupby("key", sort=True)
    per_key = grouped.first()  # feedback columns are the touchpoint's, the same on each of its metrics
    watermelon = grouped["watermelon"].any()
    # A flagged touchpoint sits at its (green) watermelon metric; any other at its weakest metric, so a
    # touchpoint with one red metric is not hidden behind its green ones.
    attainment = grouped["wm_attainment"].min().where(watermelon, grouped["attainment"].min())
    category = np.select(
        [watermelon, grouped["reverse"].any(), ~per_key["judged"]],
        ["watermelon", "red metric, customers not unhappy", "too few responses"], default="metric and customers agree")
    points = pd.DataFrame({
        "touchpoint": per_key["touchpoint"], "touchpoint_key": per_key.index, "attainment": attainment,
        "customer_score": per_key["customer_score"].astype("float64"),
        "customer_label": [_customer_label(row) for _, row in per_key.iterrows()],
        "responses": per_key["responses"].astype("int64"), "judged": per_key["judged"].astype(bool),
        "poor": per_key["poor"].astype(bool), "is_watermelon": watermelon.astype(bool), "category": category,
        "metrics": grouped["metric_text"].agg("; ".join), "age_months": grouped["age"].max().astype("int64"),
    })
    return points[POINT_COLUMNS].reset_index(drop=True).astype({"attainment": "float64"})


def _empty_voc() -> pd.DataFrame:
    return pd.DataFrame({"id": pd.Series(dtype="int64"), "received_on": pd.Series(dtype="str"),
                         "channel": pd.Series(dtype="str"), "touchpoint": pd.Series(dtype="str"),
                         "score": pd.Series(dtype="float64"), "scale": pd.Series(dtype="str"),
                         "narrative": pd.Series(dtype="str")})


# --- output for the command line and scripts ----------------------------------------------------------

def result_json(result: dict) -> str:
    """The detection as JSON: period, thresholds, watermelons, too_few, reverse, and statuses as records."""
    statuses = result["statuses"].astype(object).where(result["statuses"].notna(), None)
    payload = {key: result[key] for key in ("period", "thresholds", "watermelons", "too_few", "reverse")}
    payload["statuses"] = statuses.to_dict("records")
    return json.dumps(payload, indent=2, ensure_ascii=False)


def result_text(result: dict, unit_name: str) -> str:
    """The detection as short readable text, flags first."""
    flags, lines = result["watermelons"], []
    lines.append(f"{unit_name}, {result['period']}: {len(flags)} watermelon{'' if len(flags) == 1 else 's'}")
    if result["statuses"].empty:
        lines.append("No metrics for this month.")
    for flag in flags:
        months = "month" if flag["age_months"] == 1 else "months"
        lines += ["", f"* {flag['touchpoint']} / {flag['metric']} (a watermelon for {flag['age_months']} {months})",
                  f"  {flag['reading']}"]
        lines += [f"  - \u201c{q['text']}\u201d ({q['received_on']})" for q in flag["quotes"]]
    if result["too_few"]:
        lines += ["", f"Too few responses to judge (fewer than {result['thresholds']['min_responses']}):"]
        lines += [f"  {t['touchpoint']}: {t['responses']} ({'; '.join(t['metrics'])})" for t in result["too_few"]]
    if result["reverse"]:
        lines += ["", "Red metrics whose customers are not unhappy (for information):"]
        lines += [f"  {r['touchpoint']} / {r['metric']}: {format_number(r['actual'])} vs target "
                  f"{format_number(r['target'])}" for r in result["reverse"]]
    return "\n".join(lines)


# --- the database -------------------------------------------------------------------------------------

_VOC_SQL = (
    "SELECT id, received_on, CASE WHEN received_on >= :start THEN channel END AS channel, touchpoint, score, scale, "
    "CASE WHEN received_on >= :start OR score IS NULL THEN narrative END AS narrative FROM voc_responses "
    "WHERE unit_id = :unit AND received_on >= :first AND received_on < :end")


def _load_metrics(db, unit_id: int, first: str, last: str) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT id, period, touchpoint, name, target, actual, direction FROM metrics "
        "WHERE unit_id = ? AND period BETWEEN ? AND ? ORDER BY period, id", db.conn, params=[unit_id, first, last])


def _load_voc(db, unit_id: int, first: str, last: str, period: str, labels: list[str] | None = None) -> pd.DataFrame:
    # Months before ``period`` only give flags their age, and detection reads nothing of a scored
    # response there but its score: their narratives and channels stay in the database. Narratives
    # without a score are kept: they are how a touchpoint without a score question is judged.
    params = {"start": f"{period}-01", "unit": unit_id, "first": f"{first}-01", "end": f"{shift_period(last, 1)}-01"}
    sql = _VOC_SQL
    if labels is not None:
        names = {f"l{i}": label for i, label in enumerate(labels)}
        sql += f" AND touchpoint IN ({', '.join(':' + name for name in names) or 'NULL'})"
        params.update(names)
    return pd.read_sql_query(sql + " ORDER BY id", db.conn, params=params)


def load_period_frames(db, unit_id: int, period: str, months_back: int = 24) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A unit's metrics and customer responses for ``period`` and the ``months_back`` - 1 months before it.

    The earlier months only give each flag its age (so ages are capped at ``months_back``); their scored
    responses come without narrative and channel, which detection does not read.
    """
    period = parse_period(period)
    first = shift_period(period, -(max(int(months_back), 1) - 1))
    return _load_metrics(db, unit_id, first, period), _load_voc(db, unit_id, first, period, period)


def detect_for_unit(db, unit_id: int, period: str, rules=None, months_back: int = 24) -> dict:
    """``detect_watermelons`` for a unit's month, with the unit's own thresholds.

    Same result as detecting over ``load_period_frames``, read in two steps: the month itself, then the
    earlier months of the flagged touchpoints only (for their age). A 200,000-response unit then reads a
    few thousand rows rather than all of them.
    """
    period = parse_period(period)
    rules = _rules(rules)
    thresholds = load_thresholds(db, unit_id)
    first = shift_period(period, -(max(int(months_back), 1) - 1))
    metrics = _load_metrics(db, unit_id, first, period)
    current = _load_voc(db, unit_id, period, period, period)
    result = _detect(metrics, current, period, thresholds, rules, evidence=False)
    flagged = {flag["touchpoint_key"] for flag in result["watermelons"]}
    if not flagged or first == period:
        return detect_watermelons(metrics, current, period, thresholds, rules) if flagged else result
    earlier = shift_period(period, -1)
    seen = [row[0] for row in db.execute(
        "SELECT DISTINCT touchpoint FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ?",
        [unit_id, f"{first}-01", f"{period}-01"]).fetchall()]
    labels = [label for label in seen if touchpoint_key(label or "", rules) in flagged]
    history = _load_voc(db, unit_id, first, earlier, period, labels)
    return detect_watermelons(metrics, pd.concat([history, current], ignore_index=True), period, thresholds, rules)


def available_periods(db, unit_id: int) -> list[str]:
    """Months with metrics for the unit, latest first."""
    return [row[0] for row in db.execute(
        "SELECT DISTINCT period FROM metrics WHERE unit_id = ? ORDER BY period DESC", [unit_id]).fetchall()]


def periods_to_review(db, unit_id: int, meeting_id: int | None = None) -> tuple[list[str], str | None]:
    """Months with metrics (newest first) and the one to show by default: the chosen meeting's review month
    (listed even without metrics, so the page says so), else the newest."""
    periods = available_periods(db, unit_id)
    reviewed = None
    if meeting_id:
        row = db.execute("SELECT period FROM meetings WHERE id = ? AND unit_id = ?", [meeting_id, unit_id]).fetchone()
        reviewed = row[0] if row else None
    if reviewed and reviewed not in periods:
        periods = sorted([*periods, reviewed], reverse=True)
    return periods, reviewed or (periods[0] if periods else None)
