"""Watermelon severity: responses x gap below the poor line, moments of truth weighted up, flags ranked by it."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from support.raw_evidence import detect_watermelons

from meeting import cli, store
from meeting.config import DEFAULTS
from meeting.evidence.severity import MOMENT_OF_TRUTH_WEIGHT, severity
from meeting.evidence.taxonomy import TouchpointRule
from meeting.evidence.watermelons import detect_for_unit

PERIOD = "2026-05"
# Neither touchpoint is a moment of truth here, so volume and gap alone decide.
PLAIN = (TouchpointRule("Installation", "operations", False, ()), TouchpointRule("Billing", "finance", False, ()))
MOMENT = (TouchpointRule("Installation", "operations", True, ()), TouchpointRule("Billing", "finance", False, ()))


def responses(touchpoint, scores):
    return [{"received_on": f"{PERIOD}-{(i % 28) + 1:02d}", "touchpoint": touchpoint, "score": s, "scale": "nps",
             "narrative": None, "channel": "survey"} for i, s in enumerate(scores)]


def green(touchpoint, name):
    return {"period": PERIOD, "touchpoint": touchpoint, "name": name, "target": 90, "actual": 95, "direction": "higher"}


# Installation: 10 answers, NPS -80 (8 detractors, 2 passives): a deep gap, few voices. 10 x 0.8 = 8.
DEEP_FEW = [0] * 8 + [7] * 2
# Billing: 100 answers, NPS -20 (30 detractors, 10 promoters, 60 passives): shallow, many voices. 100 x 0.2 = 20.
SHALLOW_MANY = [3] * 30 + [10] * 10 + [8] * 60


def run(rules):
    metrics = pd.DataFrame([green("Installation", "Installs on time %"), green("Billing", "Bills right first time %")])
    voc = pd.DataFrame(responses("Installation", DEEP_FEW) + responses("Billing", SHALLOW_MANY))
    return detect_watermelons(metrics, voc, PERIOD, DEFAULTS, rules)["watermelons"]


def test_volume_times_gap_outranks_the_worst_score():
    flags = run(PLAIN)
    assert [(f["touchpoint"], f["severity"]) for f in flags] == [("Billing", 20.0), ("Installation", 8.0)]


def test_a_moment_of_truth_is_weighted_up():
    flags = run(MOMENT)
    weighted = 8.0 * MOMENT_OF_TRUTH_WEIGHT
    by_name = {f["touchpoint"]: f for f in flags}
    assert by_name["Installation"]["severity"] == weighted
    assert by_name["Installation"]["moment_of_truth"] is True
    assert [f["severity"] for f in flags] == sorted([f["severity"] for f in flags], reverse=True)


@pytest.mark.parametrize("n, score, moment, expected", [
    (40, -65.0, True, 52.0),     # 40 x 0.65 x 2
    (39, -60.0, False, 23.4),
    (12, 15.0, False, 0.0),      # above the line: no gap
    (12, None, False, 0.0),
])
def test_severity_formula(n, score, moment, expected):
    assert severity(n, score, moment) == pytest.approx(expected)


def test_demo_watermelons_json_carries_severity_highest_first(demo_db, capsys):
    assert cli.main(["watermelons", "--unit", "United Kingdom", "--period", "2026-10", "--json"]) == 0
    flags = json.loads(capsys.readouterr().out)["watermelons"]
    assert len(flags) >= 2
    # Installation (a moment of truth) is the worst hurt: responses x NPS points below the line (0) / 100 x 2.
    top = flags[0]
    assert top["touchpoint"] == "Installation" and top["moment_of_truth"]
    assert top["severity"] == pytest.approx(top["responses"] * -top["nps"] / 100 * 2, abs=0.05)
    severities = [f["severity"] for f in flags]
    assert severities == sorted(severities, reverse=True) and all(s > 0 for s in severities)


def test_agenda_operations_section_is_ranked_by_severity(demo_db, capsys):
    assert cli.main(["agenda", "2", "--json"]) == 0
    sections = {s["key"]: s for s in json.loads(capsys.readouterr().out)["sections"]}
    flags = sections["operations"]["evidence"]["watermelons"]["watermelons"]
    assert flags and all("severity" in f for f in flags)
    assert [f["severity"] for f in flags] == sorted((f["severity"] for f in flags), reverse=True)


def test_insights_page_lists_flags_most_severe_first(demo_db):
    from support.gm_app import open_as_gm

    at = open_as_gm("insights.py", unit_id=1, meeting_id=2)
    flags = [m.value for m in at.markdown if "watermelon for" in m.value]
    assert len(flags) >= 2
    db = store.open_db(demo_db)
    top = detect_for_unit(db, 1, "2026-10")["watermelons"][0]
    db.close()
    assert flags[0].startswith("**Installation**") and f"severity {top['severity']:.0f}" in flags[0]
    shown = [float(text.split("severity ")[1].split("]")[0].replace(",", "")) for text in flags]
    assert shown == sorted(shown, reverse=True)
