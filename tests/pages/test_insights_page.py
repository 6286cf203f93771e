"""The Insights page through the real app (AppTest): flags first, chart, too few, reverse, empty states."""
import json

import pytest
from streamlit.testing.v1 import AppTest
from support.gm_app import open_as_gm
from support.table_rows import count_rows, insert_rows

from meeting import importing, store
from meeting.store import meetings

MARKUP = "**Bold** [click](http://evil.example) <b>x</b> $5"


def add_month(db, unit_id, period, *, install_actual=92, install_scores=None, narratives=None):
    # NPS -40 from 30: enough for its 95% interval (about -67 to -5) to lie wholly below the poor line.
    scores = install_scores if install_scores is not None else ([2] * 7 + [9] * 3) * 3
    narratives = narratives or [None] * len(scores)
    insert_rows(db, "metrics", [
        {"unit_id": unit_id, "period": period, "touchpoint": "Install", "name": "Installs within 5 days",
         "target": 90, "actual": install_actual, "direction": "higher"},
        {"unit_id": unit_id, "period": period, "touchpoint": "Billing", "name": "Bills right first time",
         "target": 98, "actual": 90, "direction": "higher"},
        {"unit_id": unit_id, "period": period, "touchpoint": "Website", "name": "Uptime", "target": 99,
         "actual": 99.9, "direction": "higher"},
    ])
    rows = [{"received_on": f"{period}-{i + 1:02d}", "touchpoint": "Installation", "score": s, "scale": "nps",
             "narrative": n} for i, (s, n) in enumerate(zip(scores, narratives))]
    rows += [{"received_on": f"{period}-{i + 1:02d}", "touchpoint": "billing", "score": 5, "scale": "csat",
              "narrative": None} for i in range(12)]
    rows += [{"received_on": f"{period}-01", "touchpoint": "Website", "score": 3, "scale": "csat", "narrative": None}]
    start = count_rows(db, "voc_responses")
    insert_rows(db, "voc_responses", [{**r, "unit_id": unit_id, "source_key": f"{period}-{start + i}"}
                                    for i, r in enumerate(rows)])


@pytest.fixture
def unit(db_path):
    db = store.open_db(db_path)
    unit_id = store.get_or_create_unit(db, "Nordics")
    add_month(db, unit_id, "2026-04")
    add_month(db, unit_id, "2026-05", install_actual=80)  # red in the latest month: no watermelon there
    db.close()
    return unit_id


def open_insights(unit_id=None, meeting_id=None) -> AppTest:
    return open_as_gm("insights.py", unit_id=unit_id, meeting_id=meeting_id)


def texts(at):
    return [t.value for t in at.text]


def test_latest_month_by_default_then_the_flag_when_another_month_is_picked(unit):
    at = open_insights(unit)
    assert at.selectbox(key="insights_period").value == "2026-05"
    assert at.subheader[0].value == "Watermelons in 2026-05: 0"
    at.selectbox(key="insights_period").select("2026-04").run()
    assert not at.exception
    assert at.subheader[0].value == "Watermelons in 2026-04: 1"
    assert texts(at)[0] == ("Green on Installs within 5 days (92 vs target 90); customers score Installation NPS -40 "
                            "(-67 to -5, n=30): the metric misses what customers feel.")
    assert "watermelon for 1 month" in at.markdown[0].value
    assert [m.value for m in at.metric][:4] == ["92", "-40 (-67 to -5), n=30", "70%", "30"]
    assert [s.value for s in at.subheader] == ["Watermelons in 2026-04: 1", "Measures against customers",
                                               "On watch", "Too few responses to judge",
                                               "Red metrics whose customers are not unhappy"]


def test_the_meetings_review_month_is_the_default(unit, db_path):
    db = store.open_db(db_path)
    meeting_id = meetings.create_meeting(db, unit, "2026-05-12")  # reviews April
    db.close()
    at = open_insights(unit, meeting_id)
    assert at.selectbox(key="insights_period").value == "2026-04"
    assert at.subheader[0].value == "Watermelons in 2026-04: 1"


def test_too_few_and_reverse_lists(unit):
    at = open_insights(unit)
    too_few, reverse = at.dataframe[0].value, at.dataframe[1].value
    assert too_few.to_dict("records") == [{"touchpoint": "Website", "responses": 1, "metrics": "Uptime"}]
    assert reverse[["touchpoint", "metric"]].values.tolist() == [["Billing", "Bills right first time"]]


def test_the_quadrant_chart_is_drawn(unit):
    at = open_insights(unit)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "rule", "circle", "text"]
    assert spec["layer"][2]["encoding"]["x"]["field"] == "x" and spec["layer"][2]["encoding"]["y"]["field"] == "customer_score"


def test_new_data_is_seen_without_waiting_for_the_cache(unit, db_path, tmp_path):
    at = open_insights(unit)
    assert at.subheader[0].value == "Watermelons in 2026-05: 0"
    # A corrected figure, re-imported as a user would (the CLI, another process): the same row, a new actual.
    db = store.open_db(db_path)
    row = db.execute("SELECT period, touchpoint, name, target, direction FROM metrics "
                     "WHERE period = '2026-05' AND touchpoint = 'Install'").fetchone()
    correction = tmp_path / "correction.csv"
    correction.write_text("period,touchpoint,name,target,actual,direction\n"
                          f"{row[0]},{row[1]},{row[2]},{row[3]},95,{row[4]}\n")
    importing.import_file(db, "metrics", correction, unit=unit)
    db.close()
    at.run()
    assert at.subheader[0].value == "Watermelons in 2026-05: 1"


def test_no_units_gives_a_message_not_an_exception(db_path):
    at = open_insights()
    assert any("No unit yet" in info.value for info in at.info)


def test_a_unit_without_metrics_gives_a_message(db_path):
    db = store.open_db(db_path)
    unit_id = store.get_or_create_unit(db, "Empty")
    db.close()
    at = open_insights(unit_id)
    assert "no metrics yet" in at.info[0].value


def test_a_month_without_metrics_gives_a_message(unit, db_path):
    db = store.open_db(db_path)
    meeting_id = meetings.create_meeting(db, unit, "2026-02-10")  # reviews January: no metrics then
    db.close()
    at = open_insights(unit, meeting_id)
    assert at.selectbox(key="insights_period").value == "2026-01"
    assert at.info[0].value.startswith("No metrics for 2026-01")


def test_customer_text_is_shown_as_plain_text_never_markup(db_path):
    db = store.open_db(db_path)
    unit_id = store.get_or_create_unit(db, "Nordics")
    add_month(db, unit_id, "2026-05", narratives=[f"Awful, terrible {MARKUP}"] + [None] * 29)
    db.close()
    at = open_insights(unit_id)
    quotes = [t for t in texts(at) if "Awful" in t]
    assert len(quotes) == 1 and MARKUP in quotes[0]
    assert not any("evil.example" in m.value for m in at.markdown)


def test_quadrant_chart_spec_highlights_watermelons_and_keeps_the_evidence():
    import pandas as pd

    from meeting.charts import quadrant_chart

    points = pd.DataFrame([
        {"touchpoint": "Installation", "attainment": 1.02, "customer_score": -40.0, "customer_label": "NPS -40 (n=10)",
         "responses": 10, "category": "watermelon", "metrics": "Installs: 92 vs 90 (green)", "age_months": 3,
         "is_watermelon": True},
        {"touchpoint": "Billing", "attainment": 5.0, "customer_score": 60.0, "customer_label": "CSAT 4.4 of 5 (n=10)",
         "responses": 10, "category": "metric and customers agree", "metrics": "x", "age_months": 0,
         "is_watermelon": False},
        {"touchpoint": "Website", "attainment": 1.0, "customer_score": None, "customer_label": "no feedback",
         "responses": 0, "category": "too few responses", "metrics": "y", "age_months": 0, "is_watermelon": False},
    ])
    spec = quadrant_chart(points).to_dict()
    target, poor, dots, labels = spec["layer"]
    data = spec["datasets"][dots["data"]["name"]]
    assert [(d["touchpoint"], d["x"]) for d in data] == [("Installation", 1.02), ("Billing", 2.0)]  # clipped, unplaced dropped
    assert dots["encoding"]["size"] == {"condition": [{"test": "datum.is_watermelon", "value": 420}], "value": 140}
    assert [t["field"] for t in dots["encoding"]["tooltip"]] == [
        "touchpoint", "category", "metrics", "attainment", "customer_label", "responses", "age_months"]
    assert spec["datasets"][target["data"]["name"]] == [{"x": 1.0, "label": "target"}]
    assert spec["datasets"][poor["data"]["name"]] == [{"customer_score": 0.0, "label": "poor-feedback line"}]
    assert target["encoding"]["x"]["scale"] == dots["encoding"]["x"]["scale"]
    assert labels["encoding"]["text"]["field"] == "touchpoint"
    assert dots["encoding"]["x"]["scale"]["domain"] == [0.85, 2.0]  # zoomed on the data, target line inside
    assert quadrant_chart(points.iloc[0:0]).to_dict()["layer"][2]["mark"]["type"] == "circle"  # empty: no crash


def test_a_green_metric_on_a_small_poor_base_is_on_watch_not_flagged(db_path):
    db = store.open_db(db_path)
    unit_id = store.get_or_create_unit(db, "Nordics")
    add_month(db, unit_id, "2026-05", install_scores=[2] * 7 + [9] * 3)  # NPS -40 from 10: the interval reaches +17
    db.close()
    at = open_insights(unit_id)
    assert at.subheader[0].value == "Watermelons in 2026-05: 0"
    (watch,) = [frame.value for frame in at.dataframe if "customers" in frame.value.columns]
    assert watch["touchpoint"].tolist() == ["Installation"]
    assert watch["customers"].iloc[0].startswith("NPS -40 (") and watch["customers"].iloc[0].endswith("n=10, low base")
