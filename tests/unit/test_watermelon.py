"""The watermelon detector on small hand-made tables where the right answer is known."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from support.raw_evidence import detect_watermelons, feedback_by_touchpoint, load_period_frames
from support.table_rows import insert_rows, update_row

from meeting import store
from meeting.config import DEFAULTS, Thresholds
from meeting.evidence.taxonomy import TouchpointRule
from meeting.evidence.watermelons import detect_for_unit, display_names, metric_status, with_status

PERIOD = "2026-05"
RULES = (TouchpointRule("Installation", "operations", True, ("install", "installs", "install visit")),
         TouchpointRule("Billing", "finance", False, ("invoice",)))


def metric(touchpoint, name, target, actual, direction="higher", period=PERIOD):
    return {"period": period, "touchpoint": touchpoint, "name": name, "target": target, "actual": actual,
            "direction": direction}


def scored(touchpoint, scale, scores, period=PERIOD, narratives=None):
    narratives = narratives or [None] * len(scores)
    return [{"received_on": f"{period}-{(i % 28) + 1:02d}", "touchpoint": touchpoint, "score": s, "scale": scale,
             "narrative": n, "channel": "survey"} for i, (s, n) in enumerate(zip(scores, narratives))]


def texts(touchpoint, narratives, period=PERIOD):
    return [{"received_on": f"{period}-{(i % 28) + 1:02d}", "touchpoint": touchpoint, "score": None, "scale": None,
             "narrative": n, "channel": "email"} for i, n in enumerate(narratives)]


# 30 responses each: enough for a 95% interval to lie wholly on one side of the poor line (issue 21).
POOR_NPS = ([2] * 7 + [9] * 3) * 3          # NPS -40, 70% detractors; adjusted Wald interval about -67 to -5
GOOD_NPS = ([10] * 6 + [8] * 2 + [5] * 2) * 3  # NPS +40
POOR_CSAT = [1, 2, 3, 3, 3, 4, 4, 3, 2, 5] * 3  # mean 3.0, 9 of 30 scored 1-2; t-interval about 2.58 to 3.42
GOOD_CSAT = [5, 4, 4, 5, 4, 4, 5, 4, 4, 5] * 3  # mean 4.4
NEGATIVE = "This was terrible, awful service and I am angry."
POSITIVE = "Great, friendly and quick. Thank you!"


def adjusted_wald(promoters, detractors, n):
    """The issue's formula, written out: 3 pseudo-responses, centre +/- 1.96 se, clipped, rounded as the JSON is."""
    p, d = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    se = 100 * ((p + d - (p - d) ** 2) / (n + 3)) ** 0.5
    return round(max(-100, 100 * (p - d) - 1.96 * se), 1), round(min(100, 100 * (p - d) + 1.96 * se), 1)


POOR_NPS_INTERVAL = adjusted_wald(9, 21, 30)  # about (-67.3, -5.4): wholly below the line at 0


def frames(metrics, responses):
    return pd.DataFrame(metrics), pd.DataFrame(responses, columns=["received_on", "touchpoint", "score", "scale",
                                                                    "narrative", "channel"])


def detect(metrics, responses, period=PERIOD, thresholds=DEFAULTS):
    m, v = frames(metrics, responses)
    return detect_watermelons(m, v, period, thresholds, RULES)


def flags(result):
    return [(w["touchpoint"], w["metric"]) for w in result["watermelons"]]


# --- status -------------------------------------------------------------------------------------------

STATUS_CASES = [
    # target, actual, direction, tolerance, status, attainment
    (90, 92, "higher", 0.05, "green", 92 / 90),
    (90, 90, "higher", 0.05, "green", 1.0),
    (90, 85.5, "higher", 0.05, "amber", 0.95),      # misses by exactly 5%: still amber
    (90, 85.49, "higher", 0.05, "red", 85.49 / 90),
    (90, 89.99, "higher", 0.0, "red", 89.99 / 90),   # no tolerance, no amber
    (0.3, 0.1 + 0.2, "higher", 0.05, "green", 1.0),  # float noise is not a miss
    (5, 4, "lower", 0.05, "green", 1.2),
    (5, 5.25, "lower", 0.05, "amber", 0.95),
    (5, 5.26, "lower", 0.05, "red", 2 - 5.26 / 5),
    (0, 0, "lower", 0.05, "green", 1.0),             # "no repeat faults": green only at zero
    (0, 1, "lower", 0.05, "red", 0.0),               # 5% of nothing is nothing: no amber band
    (0, 3, "lower", 0.05, "red", -2.0),
    (0, 0, "higher", 0.05, "green", 1.0),
    (0, -1, "higher", 0.05, "red", 0.0),
    (-2, -1, "higher", 0.05, "green", 1.5),          # a negative target (e.g. NPS -2) is measured by its size
    (300, 310, " Lower ", 0.05, "amber", 2 - 310 / 300),
]


@pytest.mark.parametrize("target,actual,direction,tolerance,status,attainment", STATUS_CASES)
def test_metric_status(target, actual, direction, tolerance, status, attainment):
    assert metric_status(target, actual, direction, tolerance) == status
    out = with_status(pd.DataFrame([metric("X", "m", target, actual, direction)]),
                      Thresholds(amber_tolerance=tolerance))
    assert out["status"].tolist() == [status]
    assert out["attainment"].iloc[0] == pytest.approx(attainment)


def test_with_status_is_vectorised_and_keeps_rows_in_order():
    rows = [metric("X", f"m{i}", t, a, d) for i, (t, a, d, tol, _, _) in enumerate(STATUS_CASES) if tol == 0.05]
    out = with_status(pd.DataFrame(rows))
    assert out["status"].tolist() == [s for t, a, d, tol, s, _ in STATUS_CASES if tol == 0.05]
    assert out["name"].tolist() == [r["name"] for r in rows]


@pytest.mark.parametrize("direction", ["up", "", None])
def test_unknown_direction_is_refused(direction):
    with pytest.raises(ValueError, match="not one of"):
        metric_status(1, 1, direction, 0.05)
    with pytest.raises(ValueError, match="not one of"):
        with_status(pd.DataFrame([metric("X", "m", 1, 1, direction)]))


def test_missing_actual_is_refused():
    with pytest.raises(ValueError, match="target and an actual"):
        metric_status(90, float("nan"), "higher", 0.05)


# --- the scenarios of the issue -------------------------------------------------------------------------

SCENARIOS = {
    "green metric, poor NPS: flag": (
        [metric("Installation", "Installs within 5 days", 90, 92)],
        scored("Installation", "nps", POOR_NPS),
        [("Installation", "Installs within 5 days")], [], []),
    "green metric, good NPS: no flag": (
        [metric("Installation", "Installs within 5 days", 90, 92)],
        scored("Installation", "nps", GOOD_NPS),
        [], [], []),
    "red metric, poor NPS: the metric already tells the truth": (
        [metric("Installation", "Installs within 5 days", 90, 70)],
        scored("Installation", "nps", POOR_NPS),
        [], [], []),
    "amber metric, poor NPS: not green, no flag": (
        [metric("Installation", "Installs within 5 days", 90, 86)],
        scored("Installation", "nps", POOR_NPS),
        [], [], []),
    "green metric, 3 poor responses: too few to judge": (
        [metric("Installation", "Installs within 5 days", 90, 92)],
        scored("Installation", "nps", [0, 1, 2]),
        [], [("Installation", 3)], []),
    "green metric, no responses at all: too few to judge": (
        [metric("Installation", "Installs within 5 days", 90, 92)],
        scored("Billing", "nps", POOR_NPS),
        [], [("Installation", 0)], []),
    "lower is better, green, poor NPS: flag": (
        [metric("Installation", "Days to install", 5, 4, "lower")],
        scored("Installation", "nps", POOR_NPS),
        [("Installation", "Days to install")], [], []),
    "lower is better, over target, poor NPS: red, no flag": (
        [metric("Installation", "Days to install", 5, 7, "lower")],
        scored("Installation", "nps", POOR_NPS),
        [], [], []),
    "CSAT-only touchpoint, poor: flag": (
        [metric("Billing", "Bills right first time", 98, 99)],
        scored("Billing", "csat", POOR_CSAT),
        [("Billing", "Bills right first time")], [], []),
    "CSAT-only touchpoint, good: no flag": (
        [metric("Billing", "Bills right first time", 98, 99)],
        scored("Billing", "csat", GOOD_CSAT),
        [], [], []),
    "narrative-only touchpoint, mostly negative: flag": (
        [metric("Website", "Uptime %", 99, 99.9)],
        texts("Website", [NEGATIVE] * 5 + [POSITIVE] * 5),
        [("Website", "Uptime %")], [], []),
    "narrative-only touchpoint, mostly positive: no flag": (
        [metric("Website", "Uptime %", 99, 99.9)],
        texts("Website", [NEGATIVE] * 4 + [POSITIVE] * 6),
        [], [], []),
    "narrative-only touchpoint, 9 narratives: too few": (
        [metric("Website", "Uptime %", 99, 99.9)],
        texts("Website", [NEGATIVE] * 9),
        [], [("Website", 9)], []),
    "red metric, happy customers: reverse": (
        [metric("Billing", "Calls answered in 20 s", 80, 60)],
        scored("Billing", "csat", GOOD_CSAT),
        [], [], [("Billing", "Calls answered in 20 s")]),
    "NPS fine but CSAT poor on the same touchpoint: poor on any scale is poor": (
        [metric("Billing", "Bills right first time", 98, 99)],
        scored("Billing", "nps", GOOD_NPS) + scored("Billing", "csat", POOR_CSAT),
        [("Billing", "Bills right first time")], [], []),
    "another month's poor feedback does not count": (
        [metric("Installation", "Installs within 5 days", 90, 92)],
        scored("Installation", "nps", POOR_NPS, period="2026-04") + scored("Installation", "nps", GOOD_NPS),
        [], [], []),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario(name):
    metrics, responses, expected_flags, expected_too_few, expected_reverse = SCENARIOS[name]
    result = detect(metrics, responses)
    assert flags(result) == expected_flags
    assert [(t["touchpoint"], t["responses"]) for t in result["too_few"]] == expected_too_few
    assert [(r["touchpoint"], r["metric"]) for r in result["reverse"]] == expected_reverse
    assert len(result["statuses"]) == len(metrics)


def test_a_flag_carries_its_evidence():
    result = detect([metric("Install", "Installs within 5 days", 90, 92)], scored(" installation ", "nps", POOR_NPS))
    (flag,) = result["watermelons"]
    assert {k: v for k, v in flag.items() if k != "quotes"} == {
        "touchpoint": "Installation", "touchpoint_key": "installation", "metric": "Installs within 5 days",
        "target": 90.0, "actual": 92.0, "direction": "higher", "status": "green", "attainment": 1.0222,
        "responses": 30, "nps": -40.0, "csat": None, "detractor_share": 0.7, "negative_share": None,
        "basis": "nps", "age_months": 1,
        "nps_n": 30, "nps_low": POOR_NPS_INTERVAL[0], "nps_high": POOR_NPS_INTERVAL[1],
        "csat_n": 0, "csat_low": None, "csat_high": None,
        # 30 responses x 40 NPS points below the line x 2 (Installation is a moment of truth in RULES)
        "severity": 24.0, "moment_of_truth": True,
        "reading": "Green on Installs within 5 days (92 vs target 90); customers score Installation NPS -40 "
                   "(-67 to -5, n=30): the metric misses what customers feel.",
    }
    assert flag["quotes"] == []  # nobody wrote anything
    json.dumps({k: v for k, v in result.items() if k in ("watermelons", "too_few", "reverse")})


@pytest.mark.parametrize("metric_label,voc_label,key", [
    ("Install", "Installation", "installation"),
    ("Installation", "  installation ", "installation"),
    ("INSTALLATION", "install visit", "installation"),
    ("  Install   Visit", "INSTALLS", "installation"),
    ("billing", "Invoice", "billing"),
    ("Call  centre", "call centre ", "call centre"),  # not in the alias list: case and spaces still match
])
def test_touchpoints_match_through_case_spaces_and_aliases(metric_label, voc_label, key):
    result = detect([metric(metric_label, "m", 90, 92)], scored(voc_label, "nps", POOR_NPS))
    assert [w["touchpoint_key"] for w in result["watermelons"]] == [key]


def test_unrelated_touchpoints_do_not_match():
    result = detect([metric("Installation", "m", 90, 92)], scored("Instillation", "nps", POOR_NPS))
    assert result["watermelons"] == []
    assert result["too_few"] == [{"touchpoint": "Installation", "touchpoint_key": "installation", "responses": 0,
                                  "metrics": ["m"]}]


def test_shipped_alias_list_is_the_default():
    m, v = frames([metric("Install", "m", 90, 92)], scored("Installation", "nps", POOR_NPS))
    assert [w["touchpoint"] for w in detect_watermelons(m, v, PERIOD)["watermelons"]] == ["Installation"]


# CSAT 3.0 from 30 answers, sd sqrt(36/29): t(29) 2.045 x 0.203 = 0.42 either side, so 2.6 to 3.4.
CSAT_READING = ("Green on Bills right first time (99 vs target 98); customers score Billing CSAT 3.0 (2.6 to 3.4, n=30) of 5: "
                "the metric misses what customers feel.")
TEXT_READING = ("Green on Uptime % (99.9 vs target 99); 50% of 10 Website comments read negative: the metric misses "
                "what customers feel.")
LOWER_READING = ("Green on Days to install (4 vs target 5, lower is better); customers score Installation NPS -40 "
                 "(-67 to -5, n=30): the metric misses what customers feel.")


@pytest.mark.parametrize("name,expected", [
    ("CSAT-only touchpoint, poor: flag", {"csat": 3.0, "nps": None, "detractor_share": 0.3, "basis": "csat",
                                          "negative_share": None, "responses": 30, "reading": CSAT_READING}),
    ("narrative-only touchpoint, mostly negative: flag", {"csat": None, "nps": None, "detractor_share": None,
                                                          "basis": "narrative", "negative_share": 0.5,
                                                          "responses": 10, "reading": TEXT_READING}),
    ("lower is better, green, poor NPS: flag", {"csat": None, "nps": -40.0, "detractor_share": 0.7, "basis": "nps",
                                                "negative_share": None, "responses": 30, "reading": LOWER_READING}),
])
def test_feedback_figures_per_scale(name, expected):
    metrics, responses, *_ = SCENARIOS[name]
    (flag,) = detect(metrics, responses)["watermelons"]
    assert {k: flag[k] for k in expected} == expected


def test_min_responses_now_counts_comments_where_there_is_no_score():
    metrics = [metric("Website", "m", 90, 92)]
    responses = texts("Website", [NEGATIVE] * 4)
    assert flags(detect(metrics, responses, thresholds=Thresholds(min_responses=4))) == [("Website", "m")]
    assert flags(detect(metrics, responses, thresholds=Thresholds(min_responses=5))) == []


def test_a_score_is_judged_from_five_responses_whatever_min_responses_says():
    metrics = [metric("Installation", "m", 90, 92)]
    four, five = scored("Installation", "nps", [0] * 4), scored("Installation", "nps", [0] * 5)
    assert [t["touchpoint"] for t in detect(metrics, four, thresholds=Thresholds(min_responses=50))["too_few"]] == [
        "Installation"]
    # Five detractors out of five: the adjusted interval (-100 to about -44) lies wholly below 0.
    assert flags(detect(metrics, five, thresholds=Thresholds(min_responses=50))) == [("Installation", "m")]


def test_a_point_score_below_the_line_on_a_small_base_goes_on_watch_not_flagged():
    metrics = [metric("Installation", "m", 90, 92)]
    result = detect(metrics, scored("Installation", "nps", [2] * 7 + [9] * 3))  # NPS -40 from 10: interval to +17
    assert flags(result) == [] and result["reverse"] == []
    (item,) = result["watch"]
    low, high = adjusted_wald(3, 7, 10)
    assert (item["metric"], item["nps"], item["nps_n"], item["nps_low"], item["nps_high"]) == ("m", -40.0, 10, low, high)
    assert low < 0 < high


@pytest.mark.parametrize("thresholds,expected", [
    (Thresholds(nps_poor_below=-50), []),  # NPS -40 is not poor when the line is -50
    (Thresholds(nps_poor_below=-5.5), []),  # the interval's top (about -5.4) reaches above the line: watch, no flag
    (Thresholds(nps_poor_below=-5.3), [("Installation", "m")]),  # the whole interval lies below it
])
def test_poor_line_comes_from_the_thresholds(thresholds, expected):
    assert flags(detect([metric("Installation", "m", 90, 92)], scored("Installation", "nps", POOR_NPS),
                        thresholds=thresholds)) == expected


# --- age ----------------------------------------------------------------------------------------------

def month_of(period, actual, nps_scores, n_metric=True):
    metrics = [metric("Installation", "Installs within 5 days", 90, actual, period=period)] if n_metric else []
    return metrics, scored("install", "nps", nps_scores, period=period)


@pytest.mark.parametrize("history,age", [
    # months 2026-01 .. 2026-05: (actual, scores, has metric row)
    ([(92, POOR_NPS, True)] * 5, 5),
    ([(92, POOR_NPS, True), (70, POOR_NPS, True), (92, POOR_NPS, True), (92, POOR_NPS, True),
      (92, POOR_NPS, True)], 3),   # red in February breaks the streak
    ([(92, POOR_NPS, True), (92, POOR_NPS, True), (92, GOOD_NPS, True), (92, POOR_NPS, True),
      (92, POOR_NPS, True)], 2),   # customers were happy in March
    ([(92, POOR_NPS, True), (92, POOR_NPS, True), (92, POOR_NPS, True), (92, POOR_NPS[:3], True),
      (92, POOR_NPS, True)], 1),   # too few responses in April: not a watermelon that month
    ([(92, POOR_NPS, True), (92, POOR_NPS, True), (92, POOR_NPS, True), (92, POOR_NPS, False),
      (92, POOR_NPS, True)], 1),   # no reading of the metric in April
])
def test_age_counts_consecutive_months_up_to_the_period(history, age):
    metrics, responses = [], []
    for month, (actual, scores, has_metric) in zip(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"], history):
        m, r = month_of(month, actual, scores, has_metric)
        metrics += m
        responses += r
    (flag,) = detect(metrics, responses)["watermelons"]
    assert flag["age_months"] == age


def test_age_is_per_metric():
    metrics = [metric("Installation", "A", 90, 92, period="2026-04"), metric("Installation", "A", 90, 92),
               metric("Installation", "B", 90, 70, period="2026-04"), metric("Installation", "B", 90, 92)]
    responses = scored("Installation", "nps", POOR_NPS, "2026-04") + scored("Installation", "nps", POOR_NPS)
    result = detect(metrics, responses)
    assert [(w["metric"], w["age_months"]) for w in result["watermelons"]] == [("A", 2), ("B", 1)]


# --- quotes -------------------------------------------------------------------------------------------

def with_silent_detractors(scores, narratives, extra=20):
    """``extra`` detractors who wrote nothing: enough responses for the flag, no effect on the quotes."""
    return scores + [0] * extra, narratives + [None] * extra


def test_quotes_are_the_three_most_negative_distinct_narratives():
    narratives = [POSITIVE, "Awful. Terrible. Worst ever!!", "The engineer came late.", "bad service",
                  "awful.  terrible.  WORST ever!!", "It was horrible and I hate it", "ok", "fine", None, ""]
    scores, narratives = with_silent_detractors([10, 0, 3, 5, 1, 2, 9, 8, 0, 0], narratives)
    result = detect([metric("Installation", "m", 90, 92)], scored("Installation", "nps", scores, narratives=narratives))
    (flag,) = result["watermelons"]
    texts_shown = [q["text"] for q in flag["quotes"]]
    # Issue 20: "came late" is a complaint told as a plain fact, which the service cues read as negative (VADER
    # alone heard nothing), so the detractor's 3/10 now outranks the passive's "bad service".
    assert texts_shown == ["Awful. Terrible. Worst ever!!", "It was horrible and I hate it", "The engineer came late."]
    assert [q["score"] for q in flag["quotes"]] == [0.0, 2.0, 3.0]
    assert all(q["sentiment"] < 0 for q in flag["quotes"])


def test_near_duplicate_complaints_are_quoted_once():
    episode = "The engineer said the survey notes were wrong, so the installation was delayed again."
    narratives = [f"{episode} Awful.", f"{episode} Disappointed again.", f"{episode.lower()} very poor",
                  "Nobody called back, terrible.", "Awful, the router is still broken."] + [None] * 5
    scores, narratives = with_silent_detractors([0, 1, 2, 3, 4, 2, 2, 9, 9, 9], narratives)
    result = detect([metric("Installation", "m", 90, 92)], scored("Installation", "nps", scores, narratives=narratives))
    quoted = [q["text"] for q in result["watermelons"][0]["quotes"]]
    assert len(quoted) == 3 and sum(episode.casefold() in q.casefold() for q in quoted) == 1
    assert set(quoted) - {f"{episode} Awful.", f"{episode} Disappointed again.", f"{episode.lower()} very poor"} == {
        "Nobody called back, terrible.", "Awful, the router is still broken."}


def test_a_detractors_plain_complaint_is_quoted_but_praise_never_is():
    narratives = ["The engineer came late.", POSITIVE] + [None] * 8  # the praise comes with a score of 1
    scores, narratives = with_silent_detractors([3, 1] + [2] * 5 + [9] * 3, narratives)
    result = detect([metric("Installation", "m", 90, 92)], scored("Installation", "nps", scores, narratives=narratives))
    assert [q["text"] for q in result["watermelons"][0]["quotes"]] == ["The engineer came late."]


# --- feedback table, chart points, database -----------------------------------------------------------

def test_feedback_by_touchpoint_figures():
    responses = (scored("Installation", "nps", POOR_NPS) + scored("Billing", "csat", GOOD_CSAT)
                 + texts("Website", [NEGATIVE] * 6 + [POSITIVE] * 6) + scored("Delivery", "nps", [10, 10]))
    table = feedback_by_touchpoint(pd.DataFrame(responses), DEFAULTS, RULES)
    got = table.set_index("touchpoint_key")
    assert table["touchpoint_key"].tolist() == ["billing", "delivery", "installation", "website"]
    assert got.loc["installation", ["responses", "nps", "detractor_share", "judged", "poor", "basis"]].tolist() == \
        [30, -40.0, 0.7, True, True, "nps"]
    assert got.loc["billing", ["responses", "csat", "low_score_share", "judged", "poor", "basis"]].tolist() == \
        [30, 4.4, 0.0, True, False, "csat"]
    assert got.loc["website", ["responses", "negative_share", "judged", "poor", "basis"]].tolist() == \
        [12, 0.5, True, True, "narrative"]
    assert got.loc["delivery", ["responses", "nps", "judged", "poor"]].tolist() == [2, 100.0, False, False]
    assert pd.isna(got.loc["installation", "csat"]) and pd.isna(got.loc["billing", "nps"])
    # One customer axis, the poor line at 0: NPS as is, CSAT 3.5 -> 0 and 5 -> 100, negative share 0.5 -> 0.
    assert got["customer_score"].round(6).to_dict() == {"billing": 60.0, "delivery": 100.0, "installation": -40.0,
                                                        "website": 0.0}


def test_points_one_per_touchpoint_with_watermelons_marked():
    metrics = [metric("Installation", "A", 90, 92), metric("Installation", "B", 90, 99),
               metric("Billing", "C", 98, 90), metric("Website", "D", 99, 99.5)]
    responses = scored("Installation", "nps", POOR_NPS) + scored("Billing", "csat", GOOD_CSAT)
    points = detect(metrics, responses)["points"]
    assert points[["touchpoint", "is_watermelon", "category", "responses"]].values.tolist() == [
        ["Billing", False, "red metric, customers not unhappy", 30],
        ["Installation", True, "watermelon", 30],
        ["Website", False, "too few responses", 0],
    ]
    assert points["attainment"].round(4).tolist() == [round(90 / 98, 4), round(92 / 90, 4), round(99.5 / 99, 4)]
    assert points["customer_score"].tolist()[:2] == [pytest.approx(60.0), -40.0]
    assert pd.isna(points["customer_score"].iloc[2])


def test_no_metrics_in_the_period_gives_empty_lists():
    result = detect([metric("Installation", "m", 90, 92, period="2026-04")], scored("Installation", "nps", POOR_NPS))
    assert (result["watermelons"], result["too_few"], result["reverse"]) == ([], [], [])
    assert result["statuses"].empty and result["points"].empty


@pytest.mark.parametrize("period", ["2026-13", "May 2026", "2026/05", ""])
def test_malformed_period_is_refused(period):
    with pytest.raises(ValueError, match="YYYY-MM"):
        detect([metric("Installation", "m", 90, 92)], [], period=period)


def seed(db, unit, settings=None):
    unit_id = store.get_or_create_unit(db, unit)
    if settings:
        update_row(db, "units", unit_id, {"settings": json.dumps(settings)})
    rows = [metric("Install", "Installs within 5 days", 90, 92, period=p) for p in ("2026-03", "2026-04", PERIOD)]
    insert_rows(db, "metrics", [{**r, "unit_id": unit_id} for r in rows])
    responses = []
    for p in ("2026-03", "2026-04", PERIOD):
        responses += scored("Installation", "nps", POOR_NPS, period=p)
    insert_rows(db, "voc_responses", [{**r, "unit_id": unit_id, "source_key": f"k{i}"} for i, r in enumerate(responses)])
    return unit_id


def test_detect_for_unit_reads_the_database_and_the_units_own_thresholds(fresh_db):
    nordics = seed(fresh_db, "Nordics")
    strict = seed(fresh_db, "Iberia", {"nps_poor_below": -50})
    result = detect_for_unit(fresh_db, nordics, PERIOD)
    assert [(w["touchpoint"], w["age_months"], w["responses"]) for w in result["watermelons"]] == [("Installation", 3, 30)]
    strict_result = detect_for_unit(fresh_db, strict, PERIOD)
    assert strict_result["watermelons"] == []
    # Iberia's line at -50 cuts through the interval (about -67 to -5): on watch, not flagged.
    assert [(w["touchpoint"], w["nps_n"]) for w in strict_result["watch"]] == [("Installation", 30)]


def test_load_period_frames_keeps_to_the_unit_and_the_window(fresh_db):
    nordics = seed(fresh_db, "Nordics")
    seed(fresh_db, "Iberia")
    metrics, voc = load_period_frames(fresh_db, nordics, PERIOD, months_back=2)
    assert sorted(metrics["period"].unique()) == ["2026-04", "2026-05"]
    assert sorted(voc["received_on"].str.slice(0, 7).unique()) == ["2026-04", "2026-05"]
    assert len(voc) == 2 * len(POOR_NPS)


def test_quotes_mask_customers_identifiers():
    narrative = "Terrible. Mrs Jane Smith (jane.smith@example.com, 07700 900123) on ACC-123456 waited, awful."
    result = detect([metric("Installation", "m", 90, 92)],
                    scored("Installation", "nps", POOR_NPS, narratives=[narrative] + [None] * (len(POOR_NPS) - 1)))
    (quote,) = result["watermelons"][0]["quotes"]
    # The shared masker decides the exact wording; what matters here is that it was applied.
    from meeting.anonymise import mask_identifiers

    assert quote["text"] == mask_identifiers(narrative)
    assert not any(part in quote["text"] for part in ("Jane", "Smith", "example.com", "07700", "ACC-123456"))
    assert all(tag in quote["text"] for tag in ("[name]", "[email]", "[phone]", "[account]"))
    assert (quote["received_on"], quote["channel"], quote["score"], quote["scale"]) == ("2026-05-01", "survey", 2.0, "nps")


# --- command line -------------------------------------------------------------------------------------

def run_cli(capsys, *argv):
    from meeting.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json(fresh_db, db_path, capsys):
    seed(fresh_db, "Nordics")
    code, out, err = run_cli(capsys, "--db", str(db_path), "watermelons", "--unit", "nordics", "--period", PERIOD, "--json")
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert set(payload) == {"period", "thresholds", "watermelons", "watch", "too_few", "reverse", "statuses"}
    (flag,) = payload["watermelons"]
    assert {k: flag[k] for k in ("touchpoint", "metric", "target", "actual", "status", "responses", "nps", "csat",
                                 "age_months", "quotes")} == {
        "touchpoint": "Installation", "metric": "Installs within 5 days", "target": 90.0, "actual": 92.0,
        "status": "green", "responses": 30, "nps": -40.0, "csat": None, "age_months": 3, "quotes": []}
    assert payload["statuses"][0]["status"] == "green" and payload["thresholds"]["min_responses"] == 10


def test_cli_text(fresh_db, db_path, capsys):
    seed(fresh_db, "Nordics")
    code, out, _ = run_cli(capsys, "--db", str(db_path), "watermelons", "--unit", "Nordics", "--period", PERIOD)
    assert code == 0
    assert out.splitlines()[:4] == [
        "Nordics, 2026-05: 1 watermelon", "",
        "* Installation / Installs within 5 days (a watermelon for 3 months)",
        "  Green on Installs within 5 days (92 vs target 90); customers score Installation NPS -40 (-67 to -5, "
        "n=30): the metric misses what customers feel."]


@pytest.mark.parametrize("unit,period,code,message", [
    ("Atlantis", PERIOD, 1, "No unit 'Atlantis'"),
    ("Nordics", "2026-5x", 2, "is not a month in the form YYYY-MM"),
])
def test_cli_refuses_unknown_units_and_malformed_periods(fresh_db, db_path, capsys, unit, period, code, message):
    seed(fresh_db, "Nordics")
    got, out, err = run_cli(capsys, "--db", str(db_path), "watermelons", "--unit", unit, "--period", period)
    assert (got, out) == (code, "")
    assert message in err


def test_detect_for_unit_reads_in_two_steps_but_agrees_with_the_full_read(fresh_db):
    unit_id = store.get_or_create_unit(fresh_db, "Nordics")
    rows, responses = [], []
    for i, p in enumerate(["2026-01", "2026-02", "2026-03", "2026-04", PERIOD]):
        rows += [metric("Install", "Installs within 5 days", 90, 92, period=p), metric("Billing", "Bills right", 98, 90, period=p),
                 metric("Website", "Uptime", 99, 99.9, period=p)]
        # Earlier months name the touchpoint differently: the alias list still joins them.
        responses += scored("install visit" if i % 2 else "Installation", "nps", POOR_NPS, period=p,
                            narratives=[f"{NEGATIVE} {p}"] + [None] * (len(POOR_NPS) - 1))
        responses += scored("Billing", "csat", GOOD_CSAT, period=p)
        responses += texts("website", [NEGATIVE] * 6 + [POSITIVE] * 4, period=p)
    insert_rows(fresh_db, "metrics", [{**r, "unit_id": unit_id} for r in rows])
    insert_rows(fresh_db, "voc_responses", [{**r, "unit_id": unit_id, "source_key": f"k{i}"} for i, r in enumerate(responses)])
    two_steps = detect_for_unit(fresh_db, unit_id, PERIOD, RULES)
    full = detect_watermelons(*load_period_frames(fresh_db, unit_id, PERIOD), PERIOD, DEFAULTS, RULES)
    assert [(w["touchpoint"], w["age_months"]) for w in two_steps["watermelons"]] == [("Installation", 5), ("Website", 5)]
    for key in ("watermelons", "watch", "too_few", "reverse"):
        assert two_steps[key] == full[key]
    pd.testing.assert_frame_equal(two_steps["statuses"], full["statuses"])
    pd.testing.assert_frame_equal(two_steps["points"], full["points"])
    assert two_steps["watermelons"][0]["quotes"][0]["text"] == f"{NEGATIVE} {PERIOD}"


# --- properties -----------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda v: round(v, 3))


@settings(max_examples=200, deadline=None)
@given(target=finite, actual=finite, direction=st.sampled_from(["higher", "lower"]),
       tolerance=st.sampled_from([0.0, 0.05, 0.1]))
def test_status_and_attainment_agree(target, actual, direction, tolerance):
    """Green exactly when attainment reaches 1; amber within the tolerance below it; scalar = vectorised."""
    status = metric_status(target, actual, direction, tolerance)
    out = with_status(pd.DataFrame([metric("X", "m", target, actual, direction)]), Thresholds(amber_tolerance=tolerance))
    attainment = out["attainment"].iloc[0]
    assert out["status"].iloc[0] == status
    if abs(attainment - 1) > 1e-6 and abs(attainment - (1 - tolerance)) > 1e-6:
        expected = "green" if attainment > 1 else "amber" if target != 0 and attainment > 1 - tolerance else "red"
        assert status == expected


def test_display_name_prefers_a_mixed_case_spelling_over_shouting_or_lowercase_exports():
    """Regression: a KPI export in capitals ("CHECK-IN") named the flag although the survey said "Check-in"."""
    labels = pd.DataFrame({"key": ["check-in"] * 3, "label": ["CHECK-IN", "check-in", "Check-in"]})
    assert display_names(labels, ()) == {"check-in": "Check-in"}
