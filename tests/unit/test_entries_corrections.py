"""Issue 26: notes, decisions and actions can be corrected or deleted while a meeting is draft or live, never
once it is closed; every change is in the audit trail; an action without owner or due date is marked."""
import json

import docx
import pytest
from support.table_rows import get_row

from meeting import cli, live, minutes, render, store
from meeting.minutes import actions
from meeting.store import meetings

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def meeting(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = meetings.create_meeting(fresh_db, unit, "2026-11-12", title="Testland November")
    meetings.add_participant(fresh_db, meeting_id, "Gina GM", "leader")
    meetings.add_participant(fresh_db, meeting_id, "Omar Ops", "leader")
    return meeting_id


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def audit_events(capsys, action: str) -> list[dict]:
    code, out, _ = run(capsys, "audit", "--json")
    assert code == 0
    return [event for event in json.loads(out) if event["action"] == action]


@pytest.mark.parametrize("started", [False, True], ids=["draft", "live"])
def test_edit_and_delete_on_the_cli_work_on_a_draft_and_a_live_meeting(fresh_db, meeting, capsys, started):
    if started:
        live.start_meeting(fresh_db, meeting)
    note = minutes.add_entry(fresh_db, meeting, "customer", "note", "Customers wait too long", speaker="Gina GM")
    action = minutes.add_entry(fresh_db, meeting, "operations", "action", "Fix the installs")
    code, out, _ = run(capsys, "entries", "edit", action, "--text", "Fix the install backlog", "--owner", "Omar Ops",
                       "--due", "2026-12-01")
    assert code == 0 and "text changed" in out
    row = get_row(fresh_db, "minutes_entries", action)
    assert (row["text"], row["owner"], row["due_on"]) == ("Fix the install backlog", "Omar Ops", "2026-12-01")
    [edit] = audit_events(capsys, "entry_edit")
    assert edit["actor"] == "cli" and edit["at"].startswith("2026-11-20")
    assert edit["detail"] == {"entry_id": action, "meeting_id": meeting, "kind": "action", "changes": {
        "text": ["Fix the installs", "Fix the install backlog"], "owner": [None, "Omar Ops"],
        "due_on": [None, "2026-12-01"]}}
    code, out, _ = run(capsys, "entries", "delete", note)
    assert code == 0
    assert [e["id"] for e in minutes.list_entries(fresh_db, meeting)] == [action]
    [deleted] = audit_events(capsys, "entry_delete")
    assert deleted["detail"]["text"] == "Customers wait too long" and deleted["detail"]["entry_id"] == note


def test_a_closed_meetings_entries_are_refused_and_nothing_changes(fresh_db, meeting, capsys):
    live.start_meeting(fresh_db, meeting)
    action = minutes.add_entry(fresh_db, meeting, "customer", "action", "Call back detractors", owner="Gina GM")
    live.close_meeting(fresh_db, meeting)
    code, _, err = run(capsys, "entries", "edit", action, "--text", "Something else")
    assert code == 1 and "closed" in err
    code, _, err = run(capsys, "entries", "delete", action)
    assert code == 1 and "closed" in err
    assert get_row(fresh_db, "minutes_entries", action)["text"] == "Call back detractors"
    assert audit_events(capsys, "entry_edit") == [] and audit_events(capsys, "entry_delete") == []


def test_entries_lists_a_meeting_and_marks_what_an_action_lacks(fresh_db, meeting, capsys):
    minutes.add_entry(fresh_db, meeting, "customer", "note", "Waits are long")
    bare = minutes.add_entry(fresh_db, meeting, "customer", "action", "Call every detractor")
    dated = minutes.add_entry(fresh_db, meeting, "finance", "action", "Refund backlog", due_on="2026-12-01")
    full = minutes.add_entry(fresh_db, meeting, "finance", "action", "Budget review", owner="Omar Ops",
                             due_on="2026-12-05")
    code, out, _ = run(capsys, "entries", meeting, "--json")
    rows = json.loads(out)
    assert [(r["kind"], r["text"], r["missing"]) for r in rows] == [
        ("note", "Waits are long", []), ("action", "Call every detractor", ["no owner", "no due date"]),
        ("action", "Refund backlog", ["no owner"]), ("action", "Budget review", [])]
    code, out, _ = run(capsys, "entries", meeting)
    line = next(line for line in out.splitlines() if line.startswith(f"[{bare}]"))
    assert "MISSING: no owner" in line and "MISSING: no due date" in line
    assert "MISSING" not in next(line for line in out.splitlines() if line.startswith(f"[{full}]"))
    register = actions.action_register(fresh_db, meetings.get_meeting(fresh_db, meeting)["unit_id"])
    missing = {item.id: item.missing for item in register}
    assert missing == {bare: ("no owner", "no due date"), dated: ("no owner",), full: ()}


def test_the_exported_minutes_mark_an_action_without_owner_or_due_date(fresh_db, meeting, tmp_path):
    minutes.add_entry(fresh_db, meeting, "customer", "action", "Call every detractor")
    minutes.add_entry(fresh_db, meeting, "finance", "action", "Budget review", owner="Omar Ops", due_on="2026-12-05")
    path = render.export_minutes(fresh_db, meeting, fmt="docx", out=tmp_path / "m.docx")
    rows = [[cell.text for cell in row.cells] for table in docx.Document(str(path)).tables for row in table.rows]
    assert ["Call every detractor", "⚠ no owner", "⚠ no due date", "open"] in rows
    budget = next(row for row in rows if row[0] == "Budget review")
    assert "⚠" not in "".join(budget)
    text = render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path / "m.md").read_text()
    assert "⚠ no owner" in text and "⚠ no due date" in text


@pytest.mark.parametrize("argv, message", [
    (["entries", "edit", "7"], "say what changes"),
    (["entries", "edit", "x", "--text", "t"], "ENTRY_ID"),
    (["entries", "delete"], "ENTRY_ID"),
    (["entries", "seven"], "entries MEETING_ID"),
    (["entries", "1", "--text", "t"], "go with"),
])
def test_malformed_entries_commands_are_bad_input(fresh_db, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_a_note_gets_no_owner_and_an_entry_keeps_some_text(fresh_db, meeting):
    note = minutes.add_entry(fresh_db, meeting, "customer", "note", "Waits are long")
    with pytest.raises(ValueError, match="Only an action"):
        minutes.edit_entry(fresh_db, note, owner="Omar Ops")
    with pytest.raises(ValueError, match="needs some text"):
        minutes.edit_entry(fresh_db, note, text="   ")
    action = minutes.add_entry(fresh_db, meeting, "customer", "action", "Call back", owner="Gina GM", due_on="2026-12-01")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        minutes.edit_entry(fresh_db, action, due_on="next week")
    assert minutes.edit_entry(fresh_db, action, owner="", due_on=None) == {"owner": ["Gina GM", None],
                                                                           "due_on": ["2026-12-01", None]}
    with pytest.raises(LookupError):
        minutes.delete_entry(fresh_db, 999)
