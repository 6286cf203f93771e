"""Charts are pure functions of the evidence: check they encode what a GM compares, and read at a glance
(issue 16: every category labelled, axes formatted for what they count, heights that fit the categories)."""
import pytest

from meeting import charts

TOUCHPOINTS = ["Installation", "Billing", "Contract", "Renewal", "Cancellation", "Urgent fault", "Support call",
               "Account management", "Website", "Billing dispute"]


def touchpoint_rows(names):
    return [{"touchpoint": name, "moment_of_truth": i % 2 == 0, "responses": 10 + i, "nps": -33.3 + 7 * i,
             "nps_change": 1.5, "csat": None, "csat_change": None} for i, name in enumerate(names)]


def data(spec):
    return spec["datasets"][next(iter(spec["datasets"]))]


def layers(spec):
    return spec.get("layer", [spec])


def unit_specs(spec):
    """Every single-mark view of a (nested) layered chart, in order."""
    return [unit for layer in layers(spec) for unit in (unit_specs(layer) if "layer" in layer else [layer])]


def test_touchpoint_chart_plots_nps_and_maps_csat_onto_the_same_axis():
    spec = charts.touchpoint_chart([
        {"touchpoint": "Installation", "moment_of_truth": True, "responses": 40, "nps": -62.0, "nps_change": -10.0,
         "csat": None, "csat_change": None},
        {"touchpoint": "Billing", "moment_of_truth": False, "responses": 30, "nps": None, "nps_change": None,
         "csat": 4.0, "csat_change": 0.2},
    ]).to_dict()
    values = {row["touchpoint"]: row["score"] for row in data(spec)}
    assert values == {"Installation": -62.0, "Billing": 50.0}
    bars, whiskers = unit_specs(spec)
    assert bars["encoding"]["x"]["field"] == "score"
    assert whiskers["mark"]["type"] == "errorbar"
    assert (whiskers["encoding"]["x"]["field"], whiskers["encoding"]["x2"]["field"]) == ("low", "high")


def test_touchpoint_chart_draws_each_interval_and_leaves_too_few_out():
    spec = charts.touchpoint_chart([
        {"touchpoint": "Installation", "moment_of_truth": True, "responses": 20, "nps": -60.0, "nps_low": -78.0,
         "nps_high": -31.0, "nps_n": 20, "nps_base": "low", "nps_change": None, "csat": None, "csat_n": 0},
        {"touchpoint": "Billing", "moment_of_truth": False, "responses": 60, "nps": None, "nps_n": 0, "csat": 3.6,
         "csat_low": 3.4, "csat_high": 3.8, "csat_n": 60, "csat_base": "ok"},
        {"touchpoint": "Renewal", "moment_of_truth": True, "responses": 3, "nps": None, "nps_n": 3, "nps_base": "too_few"},
    ]).to_dict()
    rows = {row["touchpoint"]: row for row in data(spec)}
    assert set(rows) == {"Installation", "Billing"}  # too few: not drawn at all
    assert (rows["Installation"]["low"], rows["Installation"]["high"], rows["Installation"]["base"]) == (
        -78.0, -31.0, "low base (5-29)")
    # CSAT mapped as its score is: (x - 3) x 50.
    assert rows["Billing"]["low"] == pytest.approx(20.0) and rows["Billing"]["high"] == pytest.approx(40.0)


@pytest.mark.parametrize("count", [3, 10])
def test_touchpoint_chart_names_every_touchpoint_in_whole_nps_points(count):
    spec = charts.touchpoint_chart(touchpoint_rows(TOUCHPOINTS[:count])).to_dict()
    bars = unit_specs(spec)[0]
    y = bars["encoding"]["y"]
    assert y["axis"]["labelOverlap"] is False  # Vega-Lite would otherwise drop every second name
    assert y["axis"]["labelLimit"] >= len("Account management") * 7
    assert y["sort"] == {"field": "score", "order": "ascending"}  # bars in the order of their length
    assert bars["encoding"]["x"]["axis"]["format"] == "d"
    assert spec["height"] >= 20 * count  # at least 20 px a bar: a 12 px label fits beside each


def test_bar_heights_grow_with_the_number_of_categories():
    heights = [charts.touchpoint_chart(touchpoint_rows(TOUCHPOINTS[:n])).to_dict()["height"] for n in (6, 8, 10)]
    assert heights[0] < heights[1] < heights[2]
    assert heights[2] - heights[1] == heights[1] - heights[0]


def test_themes_chart_counts_are_whole_and_every_theme_is_named():
    rows = [{"theme": f"Theme number {i}", "section": "customer", "mentions": i, "before": 1} for i in range(1, 4)]
    spec = charts.themes_chart(rows).to_dict()
    x, y = spec["encoding"]["x"], spec["encoding"]["y"]
    assert x["axis"]["format"] == "d" and x["axis"]["tickMinStep"] == 1  # no 0.05 ticks on a small unit
    assert y["axis"]["labelOverlap"] is False
    assert y["sort"] == ["Theme number 1", "Theme number 2", "Theme number 3"]
    assert spec["height"] >= 2 * 20 * 3  # two bars (this month, last month) per theme


def test_trend_chart_names_both_lines_and_skips_missing_months():
    spec = charts.trend_chart([
        {"period": "2026-09", "responses": 10, "nps": 5.0, "csat": None, "nps_low": -40.0, "nps_high": 45.0},
        {"period": "2026-10", "responses": 12, "nps": -3.0, "csat": 3.9, "nps_low": -45.0, "nps_high": 40.0},
    ]).to_dict()
    rows = data(spec)
    assert sorted((r["period"], r["measure"]) for r in rows) == [
        ("2026-09", "NPS (-100..100)"), ("2026-10", "CSAT (1..5)"), ("2026-10", "NPS (-100..100)")]
    nps, bars, csat = unit_specs(spec)
    assert bars["mark"]["type"] == "errorbar"
    assert (bars["encoding"]["y"]["field"], bars["encoding"]["y2"]["field"]) == ("nps_low", "nps_high")
    assert nps["encoding"]["y"]["axis"]["format"] == "d"
    assert csat["encoding"]["y"]["axis"]["format"] == ".1f"
    assert nps["encoding"]["color"]["legend"] is not None  # a legend names each line
    assert nps["encoding"]["x"]["axis"]["labelAngle"] == 0


def test_finance_chart_compares_actual_and_budget_per_line_and_names_every_line():
    lines = [{"line": name, "actual": 4185100.0, "budget": 4452000.0, "variance": -266900.0, "variance_pct": -6.0}
             for name in ("Revenue", "Cost of service", "Credits and refunds", "Marketing spend", "Staff costs")]
    spec = charts.finance_chart(lines).to_dict()
    assert sorted({(r["kind"], r["amount"]) for r in data(spec)}) == [("Actual", 4185100.0), ("Budget", 4452000.0)]
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False
    assert spec["encoding"]["y"]["sort"] == [line["line"] for line in lines]
    assert spec["encoding"]["x"]["axis"]["format"] == ",.0f"  # 4,185,100, never 4.1851e+06
    assert spec["encoding"]["color"]["legend"] is not None
    assert spec["height"] >= 2 * 20 * 5


def test_units_chart_is_tall_enough_and_names_each_unit():
    rows = [{"unit": unit, "period": f"2026-{m:02d}", "responses": 100, "nps": 10.0 * m, "csat": 3.5}
            for unit in ("Ireland", "United Kingdom") for m in range(1, 13)]
    spec = charts.units_chart(rows).to_dict()
    assert spec["height"] >= 300  # the Home chart was squashed to ~80 px
    assert spec["encoding"]["color"]["legend"] is not None
    assert spec["encoding"]["y"]["axis"]["format"] == "d"


def test_quadrant_labels_of_touchpoints_at_one_spot_do_not_overlap():
    # Issue 16: two touchpoints near one point printed their names over each other on Insights.
    import pandas as pd

    points = pd.DataFrame([
        {"touchpoint": "Billing", "attainment": 1.02, "customer_score": -20.0, "customer_label": "NPS -20",
         "responses": 40, "category": "watermelon", "metrics": "m", "age_months": 1, "is_watermelon": True},
        {"touchpoint": "Website", "attainment": 1.021, "customer_score": -21.0, "customer_label": "NPS -21",
         "responses": 40, "category": "watermelon", "metrics": "m", "age_months": 1, "is_watermelon": True},
        {"touchpoint": "Renewal", "attainment": 0.5, "customer_score": -20.0, "customer_label": "NPS -20",
         "responses": 40, "category": "metric and customers agree", "metrics": "m", "age_months": 0,
         "is_watermelon": False},
    ])
    spec = charts.quadrant_chart(points).to_dict()
    text_layer = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    rows = {row["touchpoint"]: row for row in spec["datasets"][text_layer.get("data", {}).get("name")
                                                             or spec["data"]["name"]]}
    assert abs(rows["Billing"]["label_y"] - rows["Website"]["label_y"]) >= charts.LABEL_LINE
    assert rows["Renewal"]["label_y"] == -20.0  # far away on x: stays at its point
