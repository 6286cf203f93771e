"""Issue 26 on the Prepare page: a new meeting invites the previous leaders, is confirmed with a link, asks about
odd dates first; a draft can be deleted, a closed meeting never."""
from support.gm_app import open_as_gm

from meeting import store
from meeting.store import meetings


def open_prepare(unit, meeting):
    return open_as_gm("prepare.py", unit_id=unit, meeting_id=meeting)


def create_from_form(at, held_on, title):
    at.date_input(key="new_held_on").set_value(held_on)
    at.text_input(key="new_title").set_value(title)
    next(b for b in at.button if b.label == "Create meeting").click().run()
    assert not at.exception, at.exception


def test_a_new_meeting_invites_the_previous_leaders_and_says_so_beside_the_button(prepared, db_path):
    # Issue 26: every month started from an empty roster, and Create meeting gave no visible confirmation.
    unit, november = prepared
    db = store.open_db(db_path)
    meetings.add_participant(db, november, "Gina GM", "leader", role="General manager", email="gina@example.com")
    meetings.add_participant(db, november, "Omar Ops", "leader")
    meetings.add_participant(db, november, "Ana Client", "customer", organisation="Client Co")
    db.close()
    at = open_prepare(unit, november)
    create_from_form(at, "2026-12-10", "Testland, December")
    db = store.open_db(db_path)
    [december] = [m for m in meetings.list_meetings(db, unit) if m["title"] == "Testland, December"]
    roster = [(p["name"], p["kind"], p["role"], p["email"]) for p in meetings.list_participants(db, december["id"])]
    db.close()
    assert roster == [("Gina GM", "leader", "General manager", "gina@example.com"), ("Omar Ops", "leader", None, None)]
    panel = next(e for e in at.expander if e.label == "New meeting")
    [confirmation] = panel.success
    assert "Created Testland, December" in confirmation.value and "Gina GM, Omar Ops" in confirmation.value
    [link] = panel.get("page_link")
    assert f'"meeting": "{december["id"]}"' in str(link.proto) or str(december["id"]) in str(link.proto)
    assert at.session_state["meeting_id"] == december["id"]
    assert "## Testland, December" in [m.value for m in at.markdown]  # the meeting title, an h2 (issue 27)


def test_an_odd_date_or_a_second_meeting_that_month_is_asked_about_first(prepared, db_path):
    unit, november = prepared  # held 2026-11-12; the suite's clock says 2026-11-20
    at = open_prepare(unit, november)
    create_from_form(at, "2026-11-25", "Another November meeting")
    db = store.open_db(db_path)
    assert len(meetings.list_meetings(db, unit)) == 1  # not created yet: asked first
    panel = next(e for e in at.expander if e.label == "New meeting")
    assert "already has a meeting in November 2026" in panel.warning[0].value
    at.button(key="new_meeting_cancel").click().run()
    assert not next(e for e in at.expander if e.label == "New meeting").warning
    create_from_form(at, "2027-01-15", "January, far ahead")  # 56 days ahead
    assert "56 days ahead" in next(e for e in at.expander if e.label == "New meeting").warning[0].value
    at.button(key="new_meeting_anyway").click().run()
    assert [m["held_on"] for m in meetings.list_meetings(db, unit)] == ["2027-01-15", "2026-11-12"]
    create_from_form(at, "2026-12-04", "December, fine")  # 14 days ahead, nobody else in December: no question
    assert "2026-12-04" in [m["held_on"] for m in meetings.list_meetings(db, unit)]
    db.close()


def test_a_draft_meeting_can_be_deleted_and_a_closed_one_cannot(prepared, db_path):
    unit, november = prepared
    at = open_prepare(unit, november)
    at.button(key=f"delete_meeting_{november}").click().run()
    assert not at.exception, at.exception
    db = store.open_db(db_path)
    assert meetings.list_meetings(db, unit) == []
    assert any("Deleted the draft meeting" in s.value for s in at.success)
    closed = meetings.create_meeting(db, unit, "2026-10-08")
    from meeting import live

    live.start_meeting(db, closed)
    live.close_meeting(db, closed)
    db.close()
    at = open_prepare(unit, closed)
    assert not [b for b in at.button if b.key == f"delete_meeting_{closed}"]
