""""Already known?": recurring complaint themes over six months, and whether a meeting acted on them."""
from __future__ import annotations

import json

import pandas as pd
from support.table_rows import insert_rows

from meeting import cli, store
from meeting.evidence import months
from meeting.evidence.known import already_known, names_both, top_themes_by_month
from meeting.evidence.taxonomy import Theme, TouchpointRule

THEMES = (Theme("Waiting and delays", "operations", ("late", "waited")),
          Theme("Billing refunds and credits", "finance", ("refund", "credit")))
RULES = (TouchpointRule("Installation", "operations", True, ("install",)),
         TouchpointRule("Billing", "finance", False, ()))


def test_top_themes_per_month_by_touchpoint_and_theme():
    counts = pd.DataFrame([("2026-01", "install", "Waiting and delays", 4),
                           ("2026-01", "Installation", "Waiting and delays", 1),   # an alias: the same place
                           ("2026-01", "Billing", "Billing refunds and credits", 5),
                           ("2026-01", "Billing", "Waiting and delays", 2)],       # below the minimum of three
                          columns=["period", "touchpoint", "problem", "mentions"])
    top = top_themes_by_month(counts, RULES, top=5, min_mentions=3)
    assert list(zip(top["touchpoint"], top["problem"], top["mentions"])) == [
        ("Billing", "Billing refunds and credits", 5), ("Installation", "Waiting and delays", 5)]


def test_month_summary_counts_complaints_only(fresh_db):
    # Hand-made month: a detractor, a low CSAT and a negative unscored narrative complain; a promoter, a
    # passive and a happy unscored narrative do not.
    unit = store.get_or_create_unit(fresh_db, "Testland")
    rows = [(0, "nps", "The installer was late again"), (2, "csat", "The engineer came late"),
            (None, None, "Terrible: the install was late and nobody called"),
            (10, "nps", "Late but lovely"), (7, "nps", "A little late"), (None, None, "Great, not late at all, thanks!")]
    insert_rows(fresh_db, "voc_responses", [
        {"unit_id": unit, "source_key": f"k{i}", "received_on": "2026-01-05", "touchpoint": "Installation",
         "score": score, "scale": scale, "narrative": text} for i, (score, scale, text) in enumerate(rows)])
    months.ensure_months(fresh_db, unit, ["2026-01"], themes=THEMES, rules=RULES)
    found = months.month_complaints(fresh_db, unit, ["2026-01"])
    assert list(zip(found["touchpoint"], found["problem"], found["mentions"])) == [
        ("Installation", "Waiting and delays", 3)]


def test_naming_the_place_and_the_problem():
    place, problem = ["Urgent fault", "outage"], ["Faults and reliability", "fault", "broken"]
    assert names_both("Add time-to-fix for urgent faults and broken kit to the dashboard", place, problem)
    assert not names_both("Every detractor on Urgent fault gets a call back", place, problem)  # the place alone
    assert not names_both("Fix the broken router stock", place, problem)  # the problem, elsewhere
    assert names_both("Report the cost of billing-dispute credits", ["Billing dispute"], ["credit"])


def test_demo_installation_complaints_are_already_known(demo_db, capsys):
    db = store.open_db(demo_db)
    known = already_known(db, 1, "2026-10")
    db.close()
    installation = [k for k in known if k.touchpoint == "Installation"]
    assert installation, [k.theme for k in known]
    for item in installation:
        assert len(item.months) >= 3 and all("2026-05" <= m <= "2026-10" for m in item.months)
    # The October meeting (reviewing September) named installs, but neither the installers' attitude nor
    # the waiting: those are heard month after month and not acted on.
    assert not any(k.addressed for k in installation)
    assert cli.main(["agenda", "2", "--json"]) == 0
    customer = json.loads(capsys.readouterr().out)["sections"][0]
    assert customer["key"] == "customer"
    listed = customer["evidence"]["already_known"]
    assert {"theme", "months", "addressed"} <= set(listed[0])
    assert any("installation" in k["theme"].casefold() and len(k["months"]) >= 3 for k in listed)


def test_an_action_naming_place_and_problem_addresses_it(demo_db):
    db = store.open_db(demo_db)
    # The October meeting (reviewing 2026-09) decided about billing-dispute credits: addressed.
    known = {k.theme: k for k in already_known(db, 1, "2026-10")}
    assert known["Billing dispute: Billing refunds and credits"].addressed
    # Reviewing September itself, that same meeting's decisions do not count yet: it is the one being prepared.
    before = {k.theme: k for k in already_known(db, 1, "2026-09")}
    assert not before.get("Billing dispute: Billing refunds and credits") or \
        not before["Billing dispute: Billing refunds and credits"].addressed
    db.close()
