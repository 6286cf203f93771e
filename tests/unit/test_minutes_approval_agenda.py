"""Issue 28: a new meeting approves the previous meeting's minutes when they are not approved yet: one item in the
last section (finance), after everything else, so the customer still comes first; the time boxes still add up."""
import json

import pytest

from meeting import agenda, cli, live, store
from meeting.minutes import record
from meeting.store import meetings


@pytest.fixture
def unit(fresh_db):
    store.get_or_create_unit(fresh_db, "Testland")
    return "Testland"


def held(db, unit, day, stage):
    """A meeting of ``unit`` on ``day`` taken to ``stage`` (draft, live, closed, final, approved)."""
    meeting_id = agenda.new_meeting(db, unit, day).id
    meetings.add_participant(db, meeting_id, "Gina GM", "leader")
    if stage == "draft":
        return meeting_id
    live.start_meeting(db, meeting_id)
    if stage == "live":
        return meeting_id
    live.close_meeting(db, meeting_id)
    if stage in ("final", "approved"):
        record.finalise_minutes(db, meeting_id)
    if stage == "approved":
        record.approve_minutes(db, meeting_id, "Gina GM")
    return meeting_id


def titles(db, meeting_id) -> list[tuple[str, str]]:
    return [(item["section"], item["title"]) for item in agenda.list_items(db, meeting_id)]


@pytest.mark.parametrize("stage", ["live", "closed", "final"])
def test_minutes_not_approved_are_approved_at_the_end_of_the_next_meeting(fresh_db, unit, stage):
    first = held(fresh_db, unit, "2026-10-08", stage)
    plain = titles(fresh_db, first)  # the first meeting of the unit: nothing to approve
    assert not [t for _, t in plain if t.startswith("Approve the minutes")]
    nxt = agenda.new_meeting(fresh_db, unit, "2026-11-12").id
    shown = titles(fresh_db, nxt)
    assert shown[-1] == ("finance", "Approve the minutes of 2026-10-08")
    assert shown[:-1] == [(s, t.replace("September", "October")) for s, t in plain]
    assert shown[0][0] == "customer"
    # The finance section's time box is the same as without the item: its minutes came out of the section.
    finance = [item["minutes"] for item in agenda.list_items(fresh_db, nxt) if item["section"] == "finance"]
    before = [item["minutes"] for item in agenda.list_items(fresh_db, first) if item["section"] == "finance"]
    assert sum(finance) == sum(before) and finance[-1] == 2


@pytest.mark.parametrize("stage", ["draft", "approved"])
def test_nothing_to_approve_when_approved_already_or_never_held(fresh_db, unit, stage):
    held(fresh_db, unit, "2026-10-08", stage)
    nxt = agenda.new_meeting(fresh_db, unit, "2026-11-12").id
    assert not [t for _, t in titles(fresh_db, nxt) if t.startswith("Approve the minutes")]


def test_the_cli_agenda_shows_the_approval_after_the_customer_section(fresh_db, unit, capsys):
    held(fresh_db, unit, "2026-10-08", "closed")
    capsys.readouterr()
    assert cli.main(["new-meeting", "--unit", unit, "--held-on", "2026-11-12"]) == 0
    meeting_id = int(capsys.readouterr().out.strip())
    assert cli.main(["agenda", str(meeting_id), "--json"]) == 0
    sections = json.loads(capsys.readouterr().out)["sections"]
    keys = [s["key"] for s in sections]
    where = [s["key"] for s in sections for item in s["items"] if item["title"] == "Approve the minutes of 2026-10-08"]
    assert where == ["finance"] and keys.index("customer") < keys.index("finance") == len(keys) - 1


def test_approving_at_the_next_meeting_records_the_approval_and_minutes_it_there(fresh_db, unit):
    from meeting import minutes
    from meeting.accounts import audit

    first = held(fresh_db, unit, "2026-10-08", "closed")
    nxt = agenda.new_meeting(fresh_db, unit, "2026-11-12").id
    live.start_meeting(fresh_db, nxt)
    assert record.awaiting_approval(fresh_db, nxt)["status"] == "draft"
    with pytest.raises(PermissionError, match="finalise"):
        record.approve_at_next_meeting(fresh_db, nxt, "Gina GM")
    record.finalise_minutes(fresh_db, first)
    approved = record.approve_at_next_meeting(fresh_db, nxt, "Gina GM")
    assert (approved.meeting_id, approved.status, approved.approved_by) == (first, "approved", "Gina GM")
    [decision] = [e for e in minutes.list_entries(fresh_db, nxt) if e["kind"] == "decision"]
    assert decision["section"] == "finance" and decision["speaker"] == "Gina GM"
    assert decision["text"] == f"The minutes of 2026-10-08 were approved (fingerprint {approved.fingerprint[:12]})."
    [event] = [e for e in audit.list_events(fresh_db) if e.action == "minutes_approve"]
    assert event.detail["meeting_id"] == first and event.detail["at_meeting_id"] == nxt
    assert record.awaiting_approval(fresh_db, nxt) is None
    with pytest.raises(PermissionError, match="No earlier minutes"):
        record.approve_at_next_meeting(fresh_db, nxt, "Gina GM")
