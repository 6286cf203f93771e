"""Issue 28: the next meeting's approval item is done on the Run page, in its last section: it approves the
previous meeting's minutes and minutes the decision there."""
from __future__ import annotations

from support.gm_app import open_as_gm

from meeting import agenda, live, minutes, store
from meeting.minutes import record
from meeting.store import meetings


def seed(db_path, *, finalise: bool) -> tuple[int, int, int]:
    db = store.open_db(db_path)
    try:
        store.get_or_create_unit(db, "Approvia")
        first = agenda.new_meeting(db, "Approvia", "2026-10-08").id
        meetings.add_participant(db, first, "Gina GM", "leader")
        live.start_meeting(db, first)
        live.close_meeting(db, first)
        if finalise:
            record.finalise_minutes(db, first)
        nxt = agenda.new_meeting(db, "Approvia", "2026-11-12").id  # Gina is invited again, as a leader
        live.start_meeting(db, nxt)
        live.advance_section(db, nxt, to="finance")
        return meetings.get_meeting(db, nxt)["unit_id"], first, nxt
    finally:
        db.close()


def test_the_previous_minutes_are_approved_in_the_last_section(db_path):
    unit_id, first, nxt = seed(db_path, finalise=True)
    at = open_as_gm("run.py", unit_id=unit_id, meeting_id=nxt)
    assert not at.exception, at.exception
    at.selectbox(key=f"previous_approver_{nxt}").select("Gina GM").run()
    at.button(key="approve_previous").click().run()
    assert not at.exception, at.exception
    db = store.open_db(db_path)
    try:
        assert record.minutes_status(db, first).approved_by == "Gina GM"
        assert [e["section"] for e in minutes.list_entries(db, nxt) if e["kind"] == "decision"] == ["finance"]
    finally:
        db.close()
    assert "approve_previous" not in [b.key for b in at.button]  # nothing waits any more


def test_draft_minutes_are_sent_to_be_finalised_first(db_path):
    unit_id, first, nxt = seed(db_path, finalise=False)
    at = open_as_gm("run.py", unit_id=unit_id, meeting_id=nxt)
    assert not at.exception, at.exception
    assert "approve_previous" not in [b.key for b in at.button]
    assert any("finalise them on the Minutes page" in c.value for c in at.caption)
