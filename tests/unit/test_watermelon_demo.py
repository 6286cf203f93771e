"""The demo organisation's watermelons are found, and nothing else is.

``meeting.demo.PLANNED`` is the design the demo data was generated to; the detector reads the generated
CSVs (as an import would) with the default thresholds and the shipped alias list, and must agree with the
design month by month: watermelons with their ages, too few to judge, reverse, honest reds and greens.
"""
import pandas as pd
import pytest
from support.raw_evidence import detect_watermelons

from meeting import demo, store
from meeting.config import DEFAULTS
from meeting.evidence.watermelons import detect_for_unit

CASES = [(unit, period) for unit, months in demo.PLANNED.items() for period in months]


@pytest.fixture(scope="module")
def frames():
    metrics = pd.read_csv(demo.DEMO_DIR / "metrics.csv")
    voc = pd.read_csv(demo.DEMO_DIR / "voc.csv", dtype={"narrative": "str", "scale": "str"})
    voc["id"] = range(1, len(voc) + 1)
    return {unit: (metrics[metrics["unit"] == unit], voc[voc["unit"] == unit]) for unit in demo.PLANNED}


def by_status(result, status, poor):
    rows = result["statuses"]
    chosen = rows[(rows["status"] == status) & rows["judged"] & (rows["poor"] == poor)]
    return sorted(chosen["touchpoint"])


@pytest.mark.parametrize("unit,period", CASES)
def test_detector_agrees_with_the_demo_design(frames, unit, period):
    planned = demo.PLANNED[unit][period]
    result = detect_watermelons(*frames[unit], period, DEFAULTS)
    assert {w["touchpoint"]: w["age_months"] for w in result["watermelons"]} == planned["ages"]
    assert sorted(w["touchpoint"] for w in result["watermelons"]) == sorted(planned["watermelons"])
    assert sorted(t["touchpoint"] for t in result["too_few"]) == sorted(planned["too_few"])
    assert sorted(r["touchpoint"] for r in result["reverse"]) == sorted(planned["reverse"])
    assert by_status(result, "red", True) == sorted(planned["red_poor"])
    assert by_status(result, "green", False) == sorted(planned["green_good"])
    listed = {*planned["watermelons"], *planned["too_few"], *planned["reverse"], *planned["red_poor"],
              *planned["green_good"]}
    amber = result["statuses"].loc[result["statuses"]["status"] == "amber", "touchpoint"]
    assert sorted(amber) == sorted(set(demo.TOUCHPOINTS) - listed)  # the design: everything else is amber


def test_review_month_through_the_importer_and_the_database(db_path):
    """End to end: the demo loaded by its loader, read back by ``detect_for_unit`` (aliases, history)."""
    db = store.open_db(db_path)
    try:
        demo.load_demo(db)
        for unit, months in demo.PLANNED.items():
            planned = months[demo.REVIEW_PERIOD]
            result = detect_for_unit(db, store.find_unit(db, unit)["id"], demo.REVIEW_PERIOD)
            assert {w["touchpoint"]: w["age_months"] for w in result["watermelons"]} == planned["ages"]
            assert sorted(t["touchpoint"] for t in result["too_few"]) == sorted(planned["too_few"])
            assert sorted(r["touchpoint"] for r in result["reverse"]) == sorted(planned["reverse"])
            for flag in result["watermelons"]:
                assert len(flag["quotes"]) == DEFAULTS.quotes_per_section
                assert not any("ACC-" in q["text"] or "example.com" in q["text"] for q in flag["quotes"])
    finally:
        db.close()
