"""The action register on the demo: overdue across meetings, status changes after closing, audited."""
from __future__ import annotations

import json

import pytest

from meeting import cli, live, store
from meeting.agenda import create_meeting_with_agenda
from meeting.minutes import add_entry
from meeting.minutes.actions import action_register, status_history

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines

# The demo's United Kingdom: meeting 1 (2026-10-15, closed) and meeting 2 (2026-11-20, draft). Roster names
# written out by hand from meeting/data/demo/participants.csv: none may reach anonymised output.
UK_NAMES = ["Zoë Lefèvre-Martin", "Li Wu", "Seán O'Brien-Kowalczyk", "Ana Zieliński", "Grace Okonkwo-Reid"]


@pytest.fixture
def two_meetings(demo_db):
    """November's meeting takes an action due 1 December, is held and closed; December's meeting is drafted."""
    db = store.open_db(demo_db)
    november = 2
    new_action = add_entry(db, november, "operations", "action", "Publish the install slot booking rules.",
                           owner="Li Wu", due_on="2026-12-01")
    live.start_meeting(db, november)
    live.close_meeting(db, november)
    december = create_meeting_with_agenda(db, "United Kingdom", "2026-12-18")
    yield db, new_action, december
    db.close()


def test_overdue_across_two_meetings(two_meetings):
    db, new_action, _ = two_meetings
    items = {a.text: a for a in action_register(db, 1, today="2026-12-20")}
    october = items["Call Brightwater's depot managers and agree a fault-update routine."]
    assert (october.status, october.due_on, october.overdue, october.meeting_id) == ("open", "2026-10-31", True, 1)
    assert october.meetings_open == 2  # November's and December's meetings have been held since
    november = items["Publish the install slot booking rules."]
    assert (november.overdue, november.meeting_id, november.meetings_open) == (True, 2, 1)
    done = items["Pause the 'fixed in 4 hours' advert until fix times support it."]
    assert done.status == "done" and not done.overdue  # past due, but done
    # On 25 November neither the December meeting nor the new action's due date has come.
    before = {a.text: a for a in action_register(db, 1, today="2026-11-25")}
    assert not before["Publish the install slot booking rules."].overdue
    assert before["Call Brightwater's depot managers and agree a fault-update routine."].meetings_open == 1
    ordered = action_register(db, 1, today="2026-12-20")
    flags = [a.overdue for a in ordered]
    assert flags == sorted(flags, reverse=True)  # overdue first


def test_closed_meetings_action_status_changes_and_is_audited(two_meetings, capsys):
    db, new_action, _ = two_meetings
    assert cli.main(["actions", "--unit", "United Kingdom", "--set", f"{new_action}=done", "--open", "--json",
                     "--today", "2026-12-20"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert new_action not in [a["id"] for a in listed]
    assert all(a["status"] == "open" for a in listed) and listed
    for item in listed:
        assert {"text", "due_on", "status", "overdue", "meeting_id"} <= set(item)
    (change,) = status_history(db, new_action)
    assert (change.old_status, change.new_status) == ("open", "done")
    # The closed meeting's other columns stay frozen.
    with pytest.raises(store.MeetingClosed):
        with store.write_transaction(db):
            db.execute("UPDATE minutes_entries SET text = 'rewritten' WHERE id = ?", [new_action])


def test_bad_status_is_refused_before_anything_changes(two_meetings, capsys):
    db, new_action, _ = two_meetings
    assert cli.main(["actions", "--unit", "1", "--set", f"{new_action}=done", "--set", f"{new_action}=finished"]) == 2
    assert "finished" in capsys.readouterr().err
    assert status_history(db, new_action) == []


def test_anonymised_register_shows_owner_groups_and_no_names(two_meetings, capsys):
    assert cli.main(["actions", "--unit", "United Kingdom", "--json", "--today", "2026-12-20"]) == 0
    out = capsys.readouterr().out
    items = json.loads(out)
    assert {a["owner"] for a in items} == {"a leadership team member"}
    for name in UK_NAMES + ["Brightwater"]:
        assert name not in out
    assert cli.main(["actions", "--unit", "United Kingdom", "--json", "--internal"]) == 0
    assert "Li Wu" in capsys.readouterr().out
