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

from meeting.config import Thresholds, as_dict, load_thresholds
from meeting.evidence import months
from meeting.evidence.feedback import VOC_COLUMNS, display_names, judge_feedback, rules_or_shipped, touchpoint_keys  # noqa: F401  (re-exported: the module's public face)
from meeting.evidence.flag_quotes import plain_number, touchpoint_quotes
from meeting.evidence.metric_status import DIRECTIONS, STATUSES, metric_status, with_status  # noqa: F401
from meeting.evidence.severity import rank_by_severity
from meeting.evidence.watermelon_report import format_number, result_json, result_text  # noqa: F401
from meeting.i18n import current_language, fixed_decimals, tr
from meeting.periods import parse_period, shift_period
from meeting.store import evidence as stored
from meeting.store import meetings as stored_meetings

# Narratives read by VADER per flag to find its most negative quotes: the lowest-scored ones first.
METRIC_COLUMNS = ("period", "touchpoint", "name", "target", "actual", "direction")


# --- detection ----------------------------------------------------------------------------------------

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
    return {"nps": plain_number(row["nps"], 1) if plain_number(row["nps_low"]) is not None else None, "nps_n": int(row["nps_responses"]),
            "nps_low": plain_number(row["nps_low"], 1), "nps_high": plain_number(row["nps_high"], 1),
            "csat": plain_number(row["csat"], 2) if plain_number(row["csat_low"]) is not None else None, "csat_n": int(row["csat_responses"]),
            "csat_low": plain_number(row["csat_low"], 2), "csat_high": plain_number(row["csat_high"], 2)}


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


def _prepare_metrics(metrics: pd.DataFrame, thresholds: Thresholds, rules) -> pd.DataFrame:
    missing = [c for c in METRIC_COLUMNS if c not in metrics.columns]
    if missing:
        raise ValueError(f"Metrics lack column(s): {', '.join(missing)}")
    frame = with_status(metrics.reset_index(drop=True), thresholds)
    frame["direction"] = frame["direction"].astype("str").str.strip().str.casefold()
    frame["key"] = touchpoint_keys(frame["touchpoint"], rules)
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


def poor_pairs(table: pd.DataFrame) -> set[tuple[str, str]]:
    bad = table[table["judged"].astype(bool) & table["poor"].astype(bool)]
    return set(zip(bad["period"], bad["key"]))


def metrics_of_month(metrics, period: str, thresholds: Thresholds, rules):
    """Every metric with its status, and the review month's; (None, None) when the month has none."""
    if metrics is None or metrics.empty:
        return None, None
    all_metrics = _prepare_metrics(metrics, thresholds, rules)
    month = all_metrics[all_metrics["period"].eq(period)]
    return (None, None) if month.empty else (all_metrics, month)


def result_shell(period: str, thresholds: Thresholds) -> dict:
    result = _empty_result()
    result["period"] = period
    result["thresholds"] = as_dict(thresholds)
    return result


def assemble(all_metrics, month, feedback, voc_labels, period, thresholds, rules, poor_in, quotes) -> dict:
    """The result from the month's metrics and its feedback per key, however the feedback was counted.

    ``voc_labels``: (key, label) of the month's responses in the order received, for display names;
    ``poor_in``/``quotes``: how to judge earlier months and pick quotes (None: ages 1, no quotes).
    """
    result = result_shell(period, thresholds)
    names = display_names(pd.concat([month[["key", "label"]], voc_labels]), rules)

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
            "target": plain_number(row["target"]), "actual": plain_number(row["actual"]), "direction": row["direction"],
            "status": row["status"], "attainment": plain_number(row["attainment"], 4),
            "responses": int(row["responses"]),
            "detractor_share": plain_number(row["detractor_share"] if uses_nps else row["low_score_share"], 3),
            "negative_share": plain_number(row["negative_share"], 3), "basis": row["basis"],
            "age_months": ages[(row["key"], row["metric_key"])], **_uncertainty(row),
            "quotes": quotes_by_key[row["key"]],
            "reading": _reading(row, thresholds),
        })

    for _, row in joined[joined["on_watch"]].iterrows():
        result["watch"].append({
            "touchpoint": row["touchpoint"], "touchpoint_key": row["key"], "metric": row["metric"],
            "target": plain_number(row["target"]), "actual": plain_number(row["actual"]), "direction": row["direction"],
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
            "target": plain_number(row["target"]), "actual": plain_number(row["actual"]), "direction": row["direction"],
            "status": row["status"], "responses": int(row["responses"]), "nps": plain_number(row["nps"], 1),
            "csat": plain_number(row["csat"], 2), "negative_share": plain_number(row["negative_share"], 3),
        })

    statuses = joined.rename(columns={"key": "touchpoint_key"})
    result["statuses"] = statuses[STATUS_COLUMNS].reset_index(drop=True)
    result["points"] = _points(joined, ages)
    # One place for both paths (raw rows and stored summaries): flags ranked by responses x gap.
    return rank_by_severity(result, rules_or_shipped(rules))


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


# --- the database -------------------------------------------------------------------------------------

def _load_metrics(db, unit_id: int, first: str, last: str) -> pd.DataFrame:
    return stored.metrics_between(db, unit_id, first, last)


def detect_for_unit(db, unit_id: int, period: str, rules=None, months_back: int = 24) -> dict:
    """``detect_watermelons`` for a unit's month, with the unit's own thresholds, from stored summaries.

    The same result as detecting over every row of ``load_period_frames`` (the tests hold it to that), read
    from each month's stored counts and quote candidates (``meeting.evidence.months``): the cost follows
    the number of touchpoints and months, not of responses. Months not summarised yet (new rows, an edited
    taxonomy) are summarised first: the month itself, then only the earlier months a flag's age needs.
    """
    period = parse_period(period)
    rules = rules_or_shipped(rules)
    thresholds = load_thresholds(db, unit_id)
    first = shift_period(period, -(max(int(months_back), 1) - 1))
    all_metrics, month = metrics_of_month(_load_metrics(db, unit_id, first, period), period, thresholds, rules)
    if month is None:
        return result_shell(period, thresholds)
    months.ensure_months(db, unit_id, [period], rules=rules, candidates=[period])
    wanted = set(month["key"])

    def counted(periods, by):
        stats = months.month_stats(db, unit_id, periods)
        stats["key"] = touchpoint_keys(stats["touchpoint"], rules)
        stats = stats[stats["key"].isin(wanted)]
        return stats, judge_feedback(months.feedback_counts(stats, by), thresholds, by)

    stats, feedback = counted([period], ["key"])
    voc_labels = stats.sort_values("first_id")[["key", "touchpoint"]].rename(columns={"touchpoint": "label"})

    def poor_in(keys, periods):
        months.ensure_months(db, unit_id, periods, rules=rules)
        _, table = counted(periods, ["period", "key"])
        return poor_pairs(table[table["key"].isin(keys)])

    def quotes(keys, names):
        stored = months.touchpoint_candidates(db, unit_id, period, keys)
        return {key: touchpoint_quotes(stored[key], thresholds.quotes_per_section, names.get(key, key))
                if key in stored else [] for key in keys}

    return assemble(all_metrics, month, feedback, voc_labels, period, thresholds, rules, poor_in, quotes)


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
