"""Issue 26: a form never carries one meeting's values onto another after a switch in the sidebar.

Regression: Prepare's "Meeting settings" kept the title and month of the first meeting drawn in the session;
Save after switching the sidebar's Meeting renamed the other meeting and moved its review month.
"""
import pytest
from support.gm_app import open_as_gm
from support.table_rows import insert_rows

from meeting import agenda, live, minutes, store
from meeting.store import meetings


@pytest.fixture
def two_meetings(db_path):
    """One unit, November (reviews October) and December (reviews November), both with an agenda."""
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Testland")
    november = meetings.create_meeting(db, unit, "2026-11-12", title="Testland November")
    december = meetings.create_meeting(db, unit, "2026-12-10", title="Testland December", total_minutes=90)
    for meeting in (november, december):
        agenda.draft_agenda(db, meeting)
        insert_rows(db, "participants", {"meeting_id": meeting, "name": "Gina GM", "kind": "leader"})
    db.close()
    return unit, november, december


def snapshot(db_path, meeting_id) -> tuple:
    db = store.open_db(db_path)
    try:
        row = meetings.get_meeting(db, meeting_id)
        return row["title"], row["period"], row["total_minutes"]
    finally:
        db.close()


def save_settings(at):
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception, at.exception


def test_settings_saved_after_a_switch_change_only_the_meeting_selected(two_meetings, db_path):
    unit, november, december = two_meetings
    at = open_as_gm("prepare.py", unit_id=unit, meeting_id=november)
    assert at.text_input(key=f"settings_title_{november}").value == "Testland November"
    at.selectbox(key="meeting_id").set_value(december).run()
    assert not at.exception, at.exception
    assert "## Testland December" in [m.value for m in at.markdown]  # the meeting title, an h2 (issue 27)
    save_settings(at)
    assert snapshot(db_path, december) == ("Testland December", "2026-11", 90)
    assert snapshot(db_path, november) == ("Testland November", "2026-10", 120)
    # And an edit made after the switch lands on the meeting shown, not the one drawn first.
    at.text_input(key=f"settings_title_{december}").set_value("Testland, the December meeting")
    save_settings(at)
    assert snapshot(db_path, december)[0] == "Testland, the December meeting"
    assert snapshot(db_path, november)[0] == "Testland November"


def test_a_half_typed_invitation_stays_with_its_meeting(two_meetings, db_path):
    unit, november, december = two_meetings
    at = open_as_gm("prepare.py", unit_id=unit, meeting_id=november)
    at.text_input(key=f"participant_name_{november}").set_value("Ana Client")
    at.selectbox(key="meeting_id").set_value(december).run()
    next(b for b in at.button if b.label == "Invite").click().run()
    db = store.open_db(db_path)
    assert [p["name"] for p in meetings.list_participants(db, december)] == ["Gina GM"]
    db.close()


def test_room_settings_and_the_capture_form_follow_the_meeting(two_meetings, db_path):
    unit, november, december = two_meetings
    db = store.open_db(db_path)
    for meeting in (november, december):
        live.start_meeting(db, meeting)
    live.set_room_settings(db, november, interval_seconds=30, premoderate=False)
    at = open_as_gm("run.py", unit_id=unit, meeting_id=november)
    assert at.number_input(key=f"room_interval_{november}").value == 30
    at.text_area(key=f"capture_text_{november}").set_value("A note about November")
    at.selectbox(key="meeting_id").set_value(december).run()
    assert at.number_input(key=f"room_interval_{december}").value == 5
    at.button(key="room_settings_save").click().run()
    row = meetings.get_meeting(db, december)
    # December's own settings were saved, not November's: a new meeting's pace (5 s) and pre-moderation (on).
    assert (row["contribution_interval_seconds"], row["premoderate"]) == (5, 1)
    at.button(key="capture_submit").click().run()  # December's form is empty: refused, nothing filed
    assert minutes.list_entries(db, december) == []
    db.close()


def test_extra_terms_belong_to_the_meeting_they_were_typed_for(two_meetings):
    unit, november, december = two_meetings
    at = open_as_gm("minutes.py", unit_id=unit, meeting_id=november)
    at.text_area(key=f"extra_terms_{november}").input("Project Falcon").run()
    at.selectbox(key="meeting_id").set_value(december).run()
    assert not at.exception, at.exception
    assert at.text_area(key=f"extra_terms_{december}").value in ("", None)


def test_settings_changed_by_another_gm_meanwhile_are_not_put_back(two_meetings, db_path):
    unit, november, december = two_meetings
    at = open_as_gm("prepare.py", unit_id=unit, meeting_id=november)
    db = store.open_db(db_path)
    meetings.update_meeting(db, november, title="Testland November (renamed by Omar)")  # the other GM
    db.close()
    at.text_input(key=f"settings_period_{november}").set_value("2026-09")
    save_settings(at)
    assert any("Someone else changed these settings" in e.value for e in at.error)
    assert snapshot(db_path, november) == ("Testland November (renamed by Omar)", "2026-10", 120)
    assert at.text_input(key=f"settings_title_{november}").value == "Testland November (renamed by Omar)"
    at.text_input(key=f"settings_period_{november}").set_value("2026-09")  # again, on the fresh form
    save_settings(at)
    assert snapshot(db_path, november) == ("Testland November (renamed by Omar)", "2026-09", 120)
