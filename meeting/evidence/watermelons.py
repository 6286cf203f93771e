"""Watermelon metrics: green on the outside (the metric meets its target), red inside (the customers of
that touchpoint, in the same month, say the experience is poor). "If all of our SLAs are green and the
customer feedback is poor, then obviously we are measuring the wrong things."

The rules, with their defaults in ``meeting.config.Thresholds`` (overridable per unit):

- status: green when a metric meets its target, amber when it misses by at most ``amber_tolerance`` of
  the target, red otherwise; direction-aware (higher or lower is better).
- poor feedback: the whole 95% interval of the touchpoint's NPS lies below ``nps_poor_below``, or that of
  its mean CSAT below ``csat_poor_below`` (a score is judged from 5 responses, ``meeting.config``); a
  touchpoint with narratives but no scores is poor when at least ``negative_share_poor`` of its (at least
  ``min_responses``) narratives read negative (VADER, see ``meeting.sentiment``).
- watermelon: a green metric on a touchpoint with poor feedback. A green metric whose interval reaches
  across the poor line is on ``watch``; fewer responses: "too few to judge". The reverse (a red metric
  whose customers are shown not to be unhappy) is reported for information.

Touchpoints of metrics and of responses meet through ``meeting.taxonomy.touchpoint_key``: case- and
whitespace-insensitive, with the alias list in ``meeting/data/touchpoints.csv`` ("Install" = "Installation").

Everything is vectorised over the responses (one groupby); VADER reads only the narratives of touchpoints
that have no scores, and a handful of quote candidates per flag.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from meeting.config import DEFAULTS, Thresholds, as_dict, load_thresholds
from meeting.evidence.feedback import (  # noqa: F401  (re-exported: the module's public face)
    VOC_COLUMNS,
    _display_names,
    _feedback_table,
    _keys,
    _locate,
    _prepare_voc,
    _rules,
    feedback_by_touchpoint,
    judge_feedback,
)
from meeting.evidence.metric_status import DIRECTIONS, STATUSES, metric_status, with_status  # noqa: F401
from meeting.evidence.quotes import drop_near_duplicates
from meeting.evidence.sentiment import NEGATIVE_BELOW, languages_of, sentiment_scores
from meeting.evidence.severity import rank_by_severity
from meeting.evidence.watermelon_report import format_number, result_json, result_text  # noqa: F401
from meeting.i18n import current_language, fixed_decimals, tr
from meeting.periods import parse_period, shift_period
from meeting.store import evidence as stored
from meeting.store import meetings as stored_meetings

# Narratives read by VADER per flag to find its most negative quotes: the lowest-scored ones first.
QUOTE_CANDIDATES = 30

METRIC_COLUMNS = ("period", "touchpoint", "name", "target", "actual", "direction")


# --- detection ----------------------------------------------------------------------------------------

def _num(value, digits: int | None = None):
    """A plain Python number for JSON (None for NaN), optionally rounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    value = float(value)
    return round(value, digits) if digits is not None else value


def interval_text(value, low, high, n, places: int = 0) -> str:
    """"-40 (-67 to -5, n=30)": a score as people should read it, with its 95% interval and base; in the language
    of the unit's documents when one is being built (issue 27), "3,9 (3,7 à 4,1, n=30)"."""
    if current_language() == "en":  # exactly as it always was (Python's rounding, no grouping)
        return f"{value:.{places}f} ({low:.{places}f} to {high:.{places}f}, n={n:.0f})"
    return tr("{value} ({low} to {high}, n={n})").format(
        value=fixed_decimals(value, places), low=fixed_decimals(low, places), high=fixed_decimals(high, places),
        n=fixed_decimals(n, 0))


def _customer_phrase(row, thresholds: Thresholds) -> str:
    """What the customers said, in a few words: the scale(s) whose whole interval lies on the poor side."""
    name, phrases = row["touchpoint"], []
    if row["nps_high"] < thresholds.nps_poor_below:
        phrases.append(tr("customers score {name} NPS {interval}").format(
            name=name, interval=interval_text(row["nps"], row["nps_low"], row["nps_high"], row["nps_responses"])))
    if row["csat_high"] < thresholds.csat_poor_below:
        phrases.append(tr("customers score {name} CSAT {interval} of 5").format(
            name=name, interval=interval_text(row["csat"], row["csat_low"], row["csat_high"], row["csat_responses"], 1)))
    if row["basis"] == "narrative":
        phrases.append(tr("{share} of {count} {name} comments read negative").format(
            share=f"{row['negative_share']:.0%}", count=f"{row['narratives']:.0f}", name=name))
    return tr(" and ").join(phrases)


def _uncertainty(row) -> dict:
    """A flag's or a watch item's scores with their n and 95% intervals, for JSON."""
    # A score on too few responses (no interval) is not given as a number at all.
    return {"nps": _num(row["nps"], 1) if _num(row["nps_low"]) is not None else None, "nps_n": int(row["nps_responses"]),
            "nps_low": _num(row["nps_low"], 1), "nps_high": _num(row["nps_high"], 1),
            "csat": _num(row["csat"], 2) if _num(row["csat_low"]) is not None else None, "csat_n": int(row["csat_responses"]),
            "csat_low": _num(row["csat_low"], 2), "csat_high": _num(row["csat_high"], 2)}


def _watch_reading(row, thresholds: Thresholds) -> str:
    parts = []
    if not math.isnan(row["nps_low"]) and row["nps_low"] < thresholds.nps_poor_below:
        parts.append(f"NPS {interval_text(row['nps'], row['nps_low'], row['nps_high'], row['nps_responses'])}")
    if not math.isnan(row["csat_low"]) and row["csat_low"] < thresholds.csat_poor_below:
        parts.append(f"CSAT {interval_text(row['csat'], row['csat_low'], row['csat_high'], row['csat_responses'], 1)}")
    return tr("Green on {metric}; customers' {scores} reaches across the poor line: not shown to be poor, worth "
              "watching.").format(metric=row["metric"], scores=tr(" and ").join(parts))


def _reading(row, thresholds: Thresholds) -> str:
    lower = tr(", lower is better") if row["direction"] == "lower" else ""
    return tr("Green on {metric} ({actual} vs target {target}{lower}); {customers}: the metric misses what customers "
              "feel.").format(metric=row["metric"], actual=format_number(row["actual"]),
                              target=format_number(row["target"]), lower=lower,
                              customers=_customer_phrase(row, thresholds))


def touchpoint_candidates(month: pd.DataFrame, compound: pd.Series, keys) -> dict[str, pd.DataFrame]:
    """Per touchpoint key, the narratives of the month a flag's quotes are picked from, in order: the
    lowest-scored first (narrative-only rows by their ``compound`` reading), one per distinct wording,
    at most ``QUOTE_CANDIDATES``. ``month`` is prepared rows (``_prepare_voc``) in the order received."""
    rows = month[month["key"].isin(set(keys)) & month["narrative"].ne("")]
    if rows.empty:
        return {}
    # Scores on one 0 (worst) .. 1 (best) scale, so the lowest-scored few dozen are the candidates VADER
    # reads rather than every comment; narrative-only rows were read already and rank by that reading.
    score01 = np.where(rows["scale"].eq("nps"), rows["score"] / 10.0,
                       np.where(rows["scale"].eq("csat"), (rows["score"] - 1.0) / 4.0, np.nan))
    low = (rows["scale"].eq("nps") & rows["score"].le(6)) | (rows["scale"].eq("csat") & rows["score"].le(2))
    rows = rows.assign(q_score01=score01, q_low=low, q_compound=compound.reindex(rows.index)).sort_values(
        ["key", "q_score01", "q_compound", "received_on", "id"], na_position="last", kind="stable")
    out = {}
    for key, group in rows.groupby("key", sort=False):
        wording = group["narrative"].map(lambda text: " ".join(text.casefold().split()))
        out[key] = group[~wording.duplicated()].head(QUOTE_CANDIDATES)
    return out


def touchpoint_quotes(candidates: pd.DataFrame, limit: int, name: str) -> list[dict]:
    """A flag's ``limit`` most negative narratives from its candidates (``q_compound`` read for every one).

    A narrative qualifies when VADER reads it as negative, or as not positive with a low score of its own
    (NPS 0-6, CSAT 1-2): "the engineer came late" is neutral to VADER but not from a detractor. Praise
    never qualifies, whatever its score. Near-duplicates (most words shared) are quoted once.
    """
    from meeting.anonymise import mask_identifiers  # the one masker, shared with minutes and agenda

    def rank(row) -> tuple:
        return (row.q_compound, math.inf if math.isnan(row.q_score01) else row.q_score01, row.received_on, row.id)

    if limit <= 0:
        return []
    ranked = sorted((row for row in candidates.itertuples() if row.q_compound < NEGATIVE_BELOW
                     or (row.q_low and row.q_compound < -NEGATIVE_BELOW)), key=rank)
    # Three wordings of one complaint tell the room less than three complaints: the agenda's rule.
    chosen = [ranked[i] for i in drop_near_duplicates([row.narrative for row in ranked])][:limit]
    return [{
        "text": mask_identifiers(row.narrative),
        "touchpoint": name,
        "received_on": row.received_on,
        "channel": None if pd.isna(row.channel) else str(row.channel),
        "score": _num(row.score),
        "scale": row.scale or None,
        "sentiment": round(float(row.q_compound), 3),
    } for row in chosen]


def _quotes(month: pd.DataFrame, compound: pd.Series, keys, limit: int, names: dict[str, str]) -> dict[str, list[dict]]:
    """Per touchpoint key, the ``limit`` most negative narratives of the month, identifiers masked; VADER
    reads the candidates it has not read yet."""
    quotes: dict[str, list[dict]] = {key: [] for key in keys}
    for key, candidates in touchpoint_candidates(month, compound, keys).items():
        unread = candidates["q_compound"].isna()
        candidates = candidates.assign(q_compound=candidates["q_compound"].where(
            ~unread, pd.Series(sentiment_scores(candidates.loc[unread, "narrative"], languages_of(candidates.loc[unread])),
                               index=candidates.index[unread], dtype="float64")))
        quotes[key] = touchpoint_quotes(candidates, limit, names.get(key, key))
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
    return {"period": None, "watermelons": [], "watch": [], "too_few": [], "reverse": [],
            "statuses": pd.DataFrame(columns=STATUS_COLUMNS), "points": pd.DataFrame(columns=POINT_COLUMNS)}


STATUS_COLUMNS = ["touchpoint", "touchpoint_key", "metric", "target", "actual", "direction", "status", "attainment",
                  "responses", "judged", "poor", "watermelon", "reverse"]
POINT_COLUMNS = ["touchpoint", "touchpoint_key", "attainment", "customer_score", "customer_label", "responses",
                 "judged", "poor", "is_watermelon", "category", "metrics", "age_months"]


def _customer_label(row) -> str:
    parts = []
    if row["nps_responses"] > 0:
        parts.append(f"NPS {interval_text(row['nps'], row['nps_low'], row['nps_high'], row['nps_responses'])}"
                     if not math.isnan(row["nps_low"]) else f"NPS too few (n={row['nps_responses']:.0f})")
    if row["csat_responses"] > 0:
        parts.append(f"CSAT {interval_text(row['csat'], row['csat_low'], row['csat_high'], row['csat_responses'], 1)} of 5"
                     if not math.isnan(row["csat_low"]) else f"CSAT too few (n={row['csat_responses']:.0f})")
    if row["basis"] == "narrative":
        parts.append(f"{row['negative_share']:.0%} of {row['narratives']:.0f} comments negative")
    return "; ".join(parts) or "no feedback"


def _ages(metrics: pd.DataFrame, period: str, current: list[tuple[str, str]], poor_in) -> dict[tuple[str, str], int]:
    """Consecutive months, up to and including ``period``, in which each (key, metric) was a watermelon.

    ``poor_in(keys, periods)`` gives the (period, key) pairs whose feedback was judged poor.
    """
    if not current:
        return {}
    keys = {key for key, _ in current}
    earlier = metrics[metrics["period"].lt(period) & metrics["key"].isin(keys) & metrics["status"].eq("green")]
    wm: set[tuple[str, str, str]] = set()
    if not earlier.empty:
        # Only the months and touchpoints that could extend a streak are aggregated (and read by VADER).
        poor = poor_in(keys, sorted(set(earlier["period"])))
        wm = {(p, k, m) for p, k, m in zip(earlier["period"], earlier["key"], earlier["metric_key"]) if (p, k) in poor}
    ages = {}
    for key, metric_key in current:
        age, month = 1, shift_period(period, -1)
        while (month, key, metric_key) in wm:
            age, month = age + 1, shift_period(month, -1)
        ages[(key, metric_key)] = age
    return ages


def _poor_pairs(table: pd.DataFrame) -> set[tuple[str, str]]:
    bad = table[table["judged"].astype(bool) & table["poor"].astype(bool)]
    return set(zip(bad["period"], bad["key"]))


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
      watch (green metrics whose touchpoint's interval reaches across the poor line: touchpoint, metric, target,
        actual, responses, nps, nps_n, nps_low, nps_high, csat, csat_n, csat_low, csat_high, reading),
      too_few (touchpoints with a green metric and too few responses to judge: touchpoint, touchpoint_key,
        responses, metrics), reverse (red metric, customers not unhappy: touchpoint, metric, target,
        actual, direction, status, responses, nps, csat, negative_share),
      statuses (DataFrame: every metric of the month with status), points (DataFrame: one row per
        touchpoint with a metric, for ``meeting.charts.quadrant_chart``).
    """
    return _detect(metrics, voc, period, thresholds, rules, evidence=True)


def _month_metrics(metrics, period: str, thresholds: Thresholds, rules):
    """Every metric with its status, and the review month's; (None, None) when the month has none."""
    if metrics is None or metrics.empty:
        return None, None
    all_metrics = _prepare_metrics(metrics, thresholds, rules)
    month = all_metrics[all_metrics["period"].eq(period)]
    return (None, None) if month.empty else (all_metrics, month)


def _shell(period: str, thresholds: Thresholds) -> dict:
    result = _empty_result()
    result["period"] = period
    result["thresholds"] = as_dict(thresholds)
    return result


def _detect(metrics, voc, period: str, thresholds: Thresholds, rules, *, evidence: bool) -> dict:
    # From the raw rows. evidence=False: which touchpoints are flagged, without ages or quotes.
    period = parse_period(period)
    rules = _rules(rules)
    all_metrics, month = _month_metrics(metrics, period, thresholds, rules)
    if month is None:
        return _shell(period, thresholds)
    voc = voc if voc is not None and len(voc) else _empty_voc()
    located = _locate(voc, rules)
    month_rows = located["period"].eq(period) & located["key"].isin(set(month["key"]))
    in_month = _prepare_voc(voc[month_rows], rules, located[month_rows])
    feedback, compound = _feedback_table(in_month, thresholds, ["key"])

    def poor_in(keys, periods):
        wanted = located["key"].isin(keys) & located["period"].isin(set(periods))
        table, _ = _feedback_table(_prepare_voc(voc[wanted], rules, located[wanted]), thresholds, ["period", "key"])
        return _poor_pairs(table)

    def quotes(keys, names):
        return _quotes(in_month, compound, keys, thresholds.quotes_per_section, names)

    return _assemble(all_metrics, month, feedback, in_month[["key", "label"]], period, thresholds, rules,
                     poor_in if evidence else None, quotes if evidence else None)


def _assemble(all_metrics, month, feedback, voc_labels, period, thresholds, rules, poor_in, quotes) -> dict:
    """The result from the month's metrics and its feedback per key, however the feedback was counted.

    ``voc_labels``: (key, label) of the month's responses in the order received, for display names;
    ``poor_in``/``quotes``: how to judge earlier months and pick quotes (None: ages 1, no quotes).
    """
    result = _shell(period, thresholds)
    names = _display_names(pd.concat([month[["key", "label"]], voc_labels]), rules)

    joined = month.merge(feedback, on="key", how="left", validate="many_to_one")
    for column in ("responses", "nps_responses", "csat_responses", "narratives"):
        joined[column] = joined[column].fillna(0).astype("int64")
    joined["judged"] = joined["judged"].fillna(False).astype(bool)
    joined["poor"] = joined["poor"].fillna(False).astype(bool)
    joined["watch"] = joined["watch"].fillna(False).astype(bool)
    joined["basis"] = joined["basis"].fillna("none").astype("str")
    joined["touchpoint"] = joined["key"].map(names).astype("str")
    joined["watermelon"] = joined["status"].eq("green") & joined["judged"] & joined["poor"]
    joined["on_watch"] = joined["status"].eq("green") & joined["judged"] & joined["watch"]
    # "Customers not unhappy" only when the interval says so, not when it reaches across the poor line.
    joined["reverse"] = joined["status"].eq("red") & joined["judged"] & ~joined["poor"] & ~joined["watch"]
    joined = joined.sort_values(["touchpoint", "metric"], kind="stable").reset_index(drop=True)

    flagged = joined[joined["watermelon"]].sort_values(["customer_score", "touchpoint", "metric"], kind="stable")
    pairs = list(zip(flagged["key"], flagged["metric_key"]))
    keys = list(pd.unique(flagged["key"]))
    ages = _ages(all_metrics, period, pairs, poor_in) if poor_in else dict.fromkeys(pairs, 1)
    quotes_by_key = quotes(keys, names) if quotes else dict.fromkeys(keys, [])
    for _, row in flagged.iterrows():
        uses_nps = row["nps_responses"] > 0
        result["watermelons"].append({
            "touchpoint": row["touchpoint"], "touchpoint_key": row["key"], "metric": row["metric"],
            "target": _num(row["target"]), "actual": _num(row["actual"]), "direction": row["direction"],
            "status": row["status"], "attainment": _num(row["attainment"], 4),
            "responses": int(row["responses"]),
            "detractor_share": _num(row["detractor_share"] if uses_nps else row["low_score_share"], 3),
            "negative_share": _num(row["negative_share"], 3), "basis": row["basis"],
            "age_months": ages[(row["key"], row["metric_key"])], **_uncertainty(row),
            "quotes": quotes_by_key[row["key"]],
            "reading": _reading(row, thresholds),
        })

    for _, row in joined[joined["on_watch"]].iterrows():
        result["watch"].append({
            "touchpoint": row["touchpoint"], "touchpoint_key": row["key"], "metric": row["metric"],
            "target": _num(row["target"]), "actual": _num(row["actual"]), "direction": row["direction"],
            "status": row["status"], "responses": int(row["responses"]), **_uncertainty(row),
            "reading": _watch_reading(row, thresholds),
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
    # One place for both paths (raw rows and stored summaries): flags ranked by responses x gap.
    return rank_by_severity(result, _rules(rules))


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


# --- the database -------------------------------------------------------------------------------------

def _load_metrics(db, unit_id: int, first: str, last: str) -> pd.DataFrame:
    return stored.metrics_between(db, unit_id, first, last)


def _load_voc(db, unit_id: int, first: str, last: str, period: str, labels: list[str] | None = None) -> pd.DataFrame:
    # Months before ``period`` only give flags their age, and detection reads nothing of a scored
    # response there but its score: their narratives and channels stay in the database. Narratives
    # without a score are kept: they are how a touchpoint without a score question is judged.
    return stored.watermelon_responses(db, unit_id, f"{first}-01", f"{period}-01", f"{shift_period(last, 1)}-01",
                                       labels)


def load_period_frames(db, unit_id: int, period: str, months_back: int = 24) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A unit's metrics and customer responses for ``period`` and the ``months_back`` - 1 months before it.

    The earlier months only give each flag its age (so ages are capped at ``months_back``); their scored
    responses come without narrative and channel, which detection does not read.
    """
    period = parse_period(period)
    first = shift_period(period, -(max(int(months_back), 1) - 1))
    return _load_metrics(db, unit_id, first, period), _load_voc(db, unit_id, first, period, period)


def detect_for_unit(db, unit_id: int, period: str, rules=None, months_back: int = 24) -> dict:
    """``detect_watermelons`` for a unit's month, with the unit's own thresholds, from stored summaries.

    The same result as detecting over every row of ``load_period_frames`` (the tests hold it to that), read
    from each month's stored counts and quote candidates (``meeting.evidence.months``): the cost follows
    the number of touchpoints and months, not of responses. Months not summarised yet (new rows, an edited
    taxonomy) are summarised first: the month itself, then only the earlier months a flag's age needs.
    """
    from meeting.evidence import months

    period = parse_period(period)
    rules = _rules(rules)
    thresholds = load_thresholds(db, unit_id)
    first = shift_period(period, -(max(int(months_back), 1) - 1))
    all_metrics, month = _month_metrics(_load_metrics(db, unit_id, first, period), period, thresholds, rules)
    if month is None:
        return _shell(period, thresholds)
    months.ensure_months(db, unit_id, [period], rules=rules, candidates=[period])
    wanted = set(month["key"])

    def counted(periods, by):
        stats = months.month_stats(db, unit_id, periods)
        stats["key"] = _keys(stats["touchpoint"], rules)
        stats = stats[stats["key"].isin(wanted)]
        return stats, judge_feedback(months.feedback_counts(stats, by), thresholds, by)

    stats, feedback = counted([period], ["key"])
    voc_labels = stats.sort_values("first_id")[["key", "touchpoint"]].rename(columns={"touchpoint": "label"})

    def poor_in(keys, periods):
        months.ensure_months(db, unit_id, periods, rules=rules)
        _, table = counted(periods, ["period", "key"])
        return _poor_pairs(table[table["key"].isin(keys)])

    def quotes(keys, names):
        stored = months.touchpoint_candidates(db, unit_id, period, keys)
        return {key: touchpoint_quotes(stored[key], thresholds.quotes_per_section, names.get(key, key))
                if key in stored else [] for key in keys}

    return _assemble(all_metrics, month, feedback, voc_labels, period, thresholds, rules, poor_in, quotes)


def available_periods(db, unit_id: int) -> list[str]:
    """Months with metrics for the unit, latest first."""
    return stored.metric_periods(db, unit_id)


def periods_to_review(db, unit_id: int, meeting_id: int | None = None) -> tuple[list[str], str | None]:
    """Months with metrics (newest first) and the one to show by default: the chosen meeting's review month
    (listed even without metrics, so the page says so), else the newest."""
    periods = available_periods(db, unit_id)
    reviewed = None
    if meeting_id:
        try:
            meeting = stored_meetings.get_meeting(db, meeting_id)
        except LookupError:
            meeting = None
        reviewed = meeting["period"] if meeting and meeting["unit_id"] == int(unit_id) else None
    if reviewed and reviewed not in periods:
        periods = sorted([*periods, reviewed], reverse=True)
    return periods, reviewed or (periods[0] if periods else None)
