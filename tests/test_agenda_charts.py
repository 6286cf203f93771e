"""Charts are pure functions of the evidence: check they encode what a GM compares."""
from meeting import charts


def test_touchpoint_chart_plots_nps_and_maps_csat_onto_the_same_axis():
    spec = charts.touchpoint_chart([
        {"touchpoint": "Installation", "moment_of_truth": True, "responses": 40, "nps": -62.0, "nps_change": -10.0,
         "csat": None, "csat_change": None},
        {"touchpoint": "Billing", "moment_of_truth": False, "responses": 30, "nps": None, "nps_change": None,
         "csat": 4.0, "csat_change": 0.2},
    ]).to_dict()
    values = {row["touchpoint"]: row["score"] for row in spec["datasets"][next(iter(spec["datasets"]))]}
    assert values == {"Installation": -62.0, "Billing": 50.0}
    assert spec["encoding"]["x"]["field"] == "score"


def test_trend_chart_has_a_panel_per_measure_and_skips_missing_months():
    spec = charts.trend_chart([
        {"period": "2026-09", "responses": 10, "nps": 5.0, "csat": None},
        {"period": "2026-10", "responses": 12, "nps": -3.0, "csat": 3.9},
    ]).to_dict()
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert sorted((r["period"], r["measure"]) for r in rows) == [
        ("2026-09", "NPS (-100..100)"), ("2026-10", "CSAT (1..5)"), ("2026-10", "NPS (-100..100)")]
    assert spec["facet"]["row"]["field"] == "measure"


def test_finance_chart_compares_actual_and_budget_per_line():
    spec = charts.finance_chart([{"line": "Revenue", "actual": 110.0, "budget": 100.0, "variance": 10.0,
                                         "variance_pct": 10.0}]).to_dict()
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert sorted((r["kind"], r["amount"]) for r in rows) == [("actual", 110.0), ("budget", 100.0)]
