import pytest
from support.table_rows import get_row

from meeting import minutes, store
from meeting.store import meetings

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def two_meetings(fresh_db):
    store.get_or_create_unit(fresh_db, "Nordics")
    store.get_or_create_unit(fresh_db, "Iberia")
    first = meetings.create_meeting(fresh_db, "Nordics", "2026-09-10")
    second = meetings.create_meeting(fresh_db, "Nordics", "2026-10-08")
    third = meetings.create_meeting(fresh_db, "Nordics", "2026-11-12")
    other_unit = meetings.create_meeting(fresh_db, "Iberia", "2026-09-01")
    return fresh_db, first, second, third, other_unit


def test_entries_come_back_in_agenda_order(two_meetings):
    db, first, *_ = two_meetings
    minutes.add_entry(db, first, "finance", "note", "Budget on track")
    minutes.add_entry(db, first, "customer", "decision", "Call every detractor back")
    assert [e["section"] for e in minutes.list_entries(db, first)] == ["customer", "finance"]


def test_open_actions_carry_over_to_later_meetings_of_the_same_unit_only(two_meetings):
    db, first, second, third, other_unit = two_meetings
    open_one = minutes.add_entry(db, first, "operations", "action", "Fix install hand-off", owner="A", due_on="2026-10-01")
    done_one = minutes.add_entry(db, first, "sales", "action", "Call lost accounts")
    minutes.add_entry(db, other_unit, "sales", "action", "Elsewhere")
    minutes.set_action_status(db, done_one, "done")
    carried = minutes.open_actions_before(db, third)
    assert [(a["id"], a["meetings_open"]) for a in carried] == [(open_one, 2)]
    assert minutes.open_actions_before(db, first) == []


def test_closed_meeting_refuses_new_entries_but_allows_action_status(two_meetings):
    db, first, *_ = two_meetings
    action = minutes.add_entry(db, first, "customer", "action", "Ring the customer")
    with store.write_transaction(db):
        db.execute("UPDATE meetings SET status = 'closed' WHERE id = ?", [first])
    with pytest.raises(PermissionError):
        minutes.add_entry(db, first, "customer", "note", "Late note")
    minutes.set_action_status(db, action, "done")
    assert get_row(db, "minutes_entries", action)["status"] == "done"


@pytest.mark.parametrize("section,kind,text", [("board", "note", "x"), ("customer", "memo", "x"), ("customer", "note", "  ")])
def test_bad_entries_are_refused(two_meetings, section, kind, text):
    db, first, *_ = two_meetings
    with pytest.raises((ValueError, KeyError)):
        minutes.add_entry(db, first, section, kind, text)


def test_only_actions_carry_an_owner_and_a_due_date(fresh_db):
    # Issue 9: the Run page dropped them for notes; the domain accepted them from anyone else.
    store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = meetings.create_meeting(fresh_db, "Testland", "2026-11-12")
    with pytest.raises(ValueError, match="Only an action"):
        minutes.add_entry(fresh_db, meeting_id, "customer", "note", "A note", owner="Ann", due_on="2026-12-01")
    entry = minutes.add_entry(fresh_db, meeting_id, "customer", "action", "An action", owner="Ann", due_on="2026-12-01")
    assert fresh_db.execute("SELECT owner, due_on FROM minutes_entries WHERE id = ?", [entry]).fetchone() == ("Ann", "2026-12-01")
