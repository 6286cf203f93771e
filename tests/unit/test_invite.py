"""Issue 28: the agenda as a calendar invitation, parsed back with icalendar: title, start and end (the agenda's
minutes), the roster as attendees, the sections in order, the same UID and a higher SEQUENCE when re-issued."""
import datetime as dt
import json

import icalendar
import pytest

from meeting import agenda, cli, store
from meeting.store import meetings


@pytest.fixture
def meeting(fresh_db):
    store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = agenda.new_meeting(fresh_db, "Testland", "2026-12-10", title="Testland December").id
    meetings.add_participant(fresh_db, meeting_id, "Gina GM", "leader", email="gina@example.com")
    meetings.add_participant(fresh_db, meeting_id, "Carla Customer", "customer", email="carla@acme.example")
    meetings.add_participant(fresh_db, meeting_id, "No Mail", "frontline")
    return meeting_id


def invite(capsys, tmp_path, meeting_id, *extra) -> icalendar.Event:
    capsys.readouterr()
    assert cli.main(["invite", str(meeting_id), "--out", str(tmp_path / "m.ics"), *extra]) == 0
    path = capsys.readouterr().out.strip()
    calendar = icalendar.Calendar.from_ical(open(path, "rb").read())
    [event] = calendar.walk("VEVENT")
    return event


def test_the_invitation_parses_back_with_title_times_attendees_and_sections(fresh_db, meeting, capsys, tmp_path):
    event = invite(capsys, tmp_path, meeting, "--start", "14:30")
    assert str(event["summary"]) == "Testland December"
    minutes = sum(item["minutes"] or 0 for item in agenda.list_items(fresh_db, meeting))
    assert minutes == 120
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 14, 30)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 10, 16, 30)
    attendees = event.get("attendee")
    assert sorted(str(a) for a in attendees) == ["mailto:carla@acme.example", "mailto:gina@example.com"]
    assert sorted(str(a.params["CN"]) for a in attendees) == ["Carla Customer", "Gina GM"]
    text = str(event["description"])
    order = [text.index(f"{n}. {title}") for n, title in enumerate(
        ["Customer", "Employees", "Operations", "Marketing", "Sales", "Finance"], start=1)]
    assert order == sorted(order) and "Actual against budget" in text


def test_reissuing_keeps_the_uid_and_raises_the_sequence(fresh_db, meeting, capsys, tmp_path):
    first = invite(capsys, tmp_path, meeting)
    second = invite(capsys, tmp_path, meeting)
    assert str(first["uid"]) == str(second["uid"]) and "@" in str(first["uid"])
    assert (first.decoded("sequence"), second.decoded("sequence")) == (0, 1)
    capsys.readouterr()
    cli.main(["audit", "--json"])
    events = [e for e in json.loads(capsys.readouterr().out) if e["action"] == "invite"]
    assert [e["detail"]["sequence"] for e in events] == [0, 1]
    assert events[0]["detail"]["attendees"] == 2


def test_a_bad_start_is_bad_input(fresh_db, meeting, capsys, tmp_path):
    capsys.readouterr()
    assert cli.main(["invite", str(meeting), "--start", "half past", "--out", str(tmp_path / "x.ics")]) == 2
    assert "HH:MM" in capsys.readouterr().err
