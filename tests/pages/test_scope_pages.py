"""Each GM sees their own unit (issue 14), through the real app (AppTest) on the demo organisation.

The demo has two units, United Kingdom and Ireland. A GM of Ireland must never meet the United Kingdom's
name, meeting titles, people or minutes on any page; a viewer gets the Documents page and nothing else.
"""
import pytest
from streamlit.testing.v1 import AppTest
from support.gm_app import APP, open_as, sign_in

from meeting import accounts, render, store
from meeting.store import meetings

GM, VIEWER = "gm.ireland@example.org", "viewer.ireland@example.org"
GM_PAGES = ["home.py", "run.py", "prepare.py", "insights.py", "import_data.py", "minutes.py", "documents.py"]
ADMIN_ONLY = ["users.py", "audit.py", "taxonomy.py"]


@pytest.fixture
def demo(demo_db, monkeypatch):
    monkeypatch.setenv("OUTSIDE_IN_PASSCODE", "scope test passcode")
    db = store.open_db(demo_db)
    uk, ie = store.find_unit(db, "United Kingdom")["id"], store.find_unit(db, "Ireland")["id"]
    accounts.add_user(db, GM, "gm", ["Ireland"], "gm ireland password")
    accounts.add_user(db, VIEWER, "viewer", ["Ireland"], "viewer ireland password")
    uk_meetings = meetings.list_meetings(db, uk)
    # What an Irish GM must never see: the other unit's name, its meetings, its people, its minutes.
    secrets = ["United Kingdom"] + [m["title"] for m in uk_meetings]
    secrets += [r[0] for r in db.execute("SELECT DISTINCT p.name FROM participants p JOIN meetings m ON m.id = p.meeting_id "
                                         "WHERE m.unit_id = ?", [uk])]
    secrets += [r[0][:40] for r in db.execute("SELECT e.text FROM minutes_entries e JOIN meetings m ON m.id = e.meeting_id "
                                              "WHERE m.unit_id = ?", [uk])]
    ie_meeting = next(m for m in meetings.list_meetings(db, ie) if m["status"] == "closed")["id"]
    uk_meeting = next(m for m in uk_meetings if m["status"] == "closed")["id"]
    ie_responses = db.execute("SELECT COUNT(*) FROM voc_responses WHERE unit_id = ?", [ie]).fetchone()[0]
    db.close()
    assert len(secrets) > 5
    return {"uk": uk, "ie": ie, "secrets": secrets, "ie_meeting": ie_meeting, "uk_meeting": uk_meeting,
            "ie_responses": ie_responses, "path": demo_db}


def everything_drawn(at: AppTest) -> str:
    return "\n".join(repr(getattr(node, "proto", node)) for node in [*at.main, *at.sidebar])


@pytest.mark.parametrize("page", GM_PAGES)
def test_a_gm_never_sees_another_units_name_people_or_minutes(demo, page):
    # Even with the other unit's meeting left in the session (a stale tab), the sidebar puts the GM back home.
    at = open_as(page, GM, timeout=60, unit_id=demo["uk"], meeting_id=demo["uk_meeting"])
    drawn = everything_drawn(at)
    leaked = [secret for secret in demo["secrets"] if secret in drawn]
    assert not leaked, f"{page} shows {leaked}"
    assert "Ireland" in drawn  # the control: the page did draw the GM's own unit
    assert at.session_state["unit_id"] == demo["ie"]


def test_the_admin_sees_both_units_on_home(demo):
    drawn = everything_drawn(open_as("home.py", "admin", timeout=60))
    assert "United Kingdom" in drawn and "Ireland" in drawn  # so the test above can fail


def test_home_counts_only_the_gms_units(demo):
    at = open_as("home.py", GM, timeout=60)
    responses = next(m for m in at.metric if m.label == "Customer responses")
    assert responses.value == f"{demo['ie_responses']:,}"
    assert next(m for m in at.metric if m.label == "Units").value == "1"


@pytest.mark.parametrize("page", ADMIN_ONLY)
def test_a_gm_has_no_admin_pages(demo, page):
    at = open_as("home.py", GM, timeout=60)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"views/{page}")


@pytest.mark.parametrize("page", [p for p in GM_PAGES + ADMIN_ONLY if p != "documents.py"])
def test_a_viewer_gets_documents_only(demo, page):
    at = open_as("documents.py", VIEWER, timeout=60)
    assert at.title[0].value == "Documents"
    assert all(b.label.startswith(("Minutes:", "Pre-read:")) for b in at.get("download_button"))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"views/{page}")


def test_a_viewer_lands_on_documents(demo):
    at = sign_in(AppTest.from_file(APP, default_timeout=60), VIEWER)
    at.run()
    assert not at.exception and at.title[0].value == "Documents"
    assert "United Kingdom" not in everything_drawn(at)


def test_a_link_to_another_units_meeting_says_it_is_not_theirs(demo):
    at = sign_in(AppTest.from_file(APP, default_timeout=60), GM)
    at.query_params["meeting"] = str(demo["uk_meeting"])
    at.run()
    assert not at.exception
    assert any("not yours" in e.value for e in at.error)
    assert not [s for s in demo["secrets"] if s in everything_drawn(at)]
    at = sign_in(AppTest.from_file(APP, default_timeout=60), GM)
    at.query_params["meeting"] = str(demo["ie_meeting"])
    at.run()
    assert not at.error and at.session_state["meeting_id"] == demo["ie_meeting"]


def test_internal_minutes_are_refused_to_a_viewer_in_the_domain(demo, tmp_path):
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    db = store.open_db(demo["path"])
    try:
        viewer, gm = accounts.load_user(db, VIEWER), accounts.load_user(db, GM)
        with pytest.raises(PermissionError, match="INTERNAL"):
            render.export_minutes(db, demo["ie_meeting"], internal=True, user=viewer, out=tmp_path)
        with pytest.raises(PermissionError, match="INTERNAL"):
            render.minutes_document(db, demo["ie_meeting"], internal=True, user=viewer)
        name, data = render.minutes_document(db, demo["ie_meeting"], fmt="md", user=viewer)
        assert "INTERNAL" not in name and data
        assert render.export_minutes(db, demo["ie_meeting"], internal=True, user=gm, out=tmp_path).exists()
        for internal in (False, True):  # the other unit's meeting: refused whatever the version
            with pytest.raises(accounts.NotYours):
                render.export_minutes(db, demo["uk_meeting"], internal=internal, user=gm, out=tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == [f"meeting-{demo['ie_meeting']}-"
                                                               f"{meetings.get_meeting(db, demo['ie_meeting'])['held_on']}"
                                                               "-minutes-INTERNAL.docx"]
    finally:
        db.close()

