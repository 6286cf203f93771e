"""The jargon check on what customers read: list words, internal acronyms, team names; the Prepare page warns."""
from __future__ import annotations

import pytest
from support.gm_app import open_as_gm

from meeting import store
from meeting.jargon import JargonTerm, check_meeting, check_text, load_jargon
from meeting.store import meetings

TERMS = (JargonTerm("NPS", "acronym", "how likely you are to recommend us"),
         JargonTerm("touchpoint", "jargon", "contact with us"),
         JargonTerm("deep dive", "jargon", "close look"))


def flagged(text, teams=()):
    return [(f.term, f.kind, f.suggestion) for f in check_text(text, "Meeting title", TERMS, teams)]


@pytest.mark.parametrize("text, expected", [
    ("Q4 review: NPS and the FTTP rollout", [("NPS", "acronym", "how likely you are to recommend us"),
                                             ("FTTP", "acronym", None)]),
    ("A Deep Dive on every touchpoint", [("Deep Dive", "jargon", "close look"), ("touchpoint", "jargon", "contact with us")]),
    ("SD-WAN upgrades in the UK", [("SD-WAN", "acronym", None)]),   # UK is plain, SD-WAN is ours
    ("How customer-focused are we?", []),
    ("Snapshot of our NPSs", [("NPSs", "acronym", None)]),           # an unlisted plural is still an acronym
    ("Field Ops and the Cork depot", [("Field Ops", "team", None)]),
])
def test_flags(text, expected):
    assert flagged(text, teams=["Field Ops"]) == expected


def test_the_shipped_list_loads_and_a_bad_row_names_its_line(tmp_path):
    assert any(t.term == "NPS" and t.suggestion for t in load_jargon())
    bad = tmp_path / "jargon.csv"
    bad.write_text("term,kind,suggestion\nSLA,acronym,promise\n,jargon,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 3, column term"):
        load_jargon(bad)


def test_internal_acronym_in_a_demo_meeting_title(demo_db):
    db = store.open_db(demo_db)
    meetings.update_meeting(db, 2, title="UK Q4 leadership meeting: CSAT, SLAs and the FTTP backlog")
    flags = check_meeting(db, 2)
    db.close()
    title_terms = {f.term for f in flags if f.where == "Meeting title"}
    assert {"CSAT", "SLAs", "FTTP", "backlog"} <= title_terms
    assert "UK" not in title_terms and "Q4" not in title_terms


def test_prepare_page_warns_before_customers_read_it(demo_db):
    db = store.open_db(demo_db)
    meetings.update_meeting(db, 2, title="November MTTR review")
    db.close()
    at = open_as_gm("prepare.py", unit_id=1, meeting_id=2, timeout=60)
    warnings = " ".join(w.value for w in at.warning)
    assert "MTTR" in warnings and "how long a fix takes" in warnings

