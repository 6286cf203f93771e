"""Issue 28: the agenda as a calendar invitation, parsed back with icalendar: title, the stored start and length, the
roster as attendees, the sections in order, the same UID and a higher SEQUENCE when re-issued or cancelled, the
pre-read attached to the leadership's copy only; and the start time and length set on the meeting, never guessed."""
import datetime as dt
import io
import json

import docx
import icalendar
import pytest

from meeting import agenda, cli, live, store
from meeting.agenda import schedule
from meeting.store import meetings


@pytest.fixture
def meeting(fresh_db):
    store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = agenda.new_meeting(fresh_db, "Testland", "2026-12-10", title="Testland December", starts="14:30").id
    meetings.add_participant(fresh_db, meeting_id, "Gina GM", "leader", email="gina@example.com")
    meetings.add_participant(fresh_db, meeting_id, "Carla Customer", "customer", email="carla@acme.example")
    meetings.add_participant(fresh_db, meeting_id, "No Mail", "frontline")
    return meeting_id


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def ics(path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(open(path, "rb").read())


def invite(capsys, tmp_path, meeting_id, *extra) -> icalendar.Event:
    code, out, err = run(capsys, "invite", meeting_id, "--out", tmp_path / "m.ics", *extra)
    assert code == 0, err
    [event] = ics(out.strip()).walk("VEVENT")
    return event


def audit_events(capsys, action):
    _, out, _ = run(capsys, "audit", "--json")
    return [e for e in json.loads(out) if e["action"] == action]


def test_the_invitation_parses_back_with_title_times_attendees_and_sections(fresh_db, meeting, capsys, tmp_path):
    event = invite(capsys, tmp_path, meeting)
    assert str(event["summary"]) == "Testland December"
    minutes = sum(item["minutes"] or 0 for item in agenda.list_items(fresh_db, meeting))
    assert minutes == 120
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 14, 30)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 10, 16, 30)
    assert str(event["status"]) == "CONFIRMED" and str(event["organizer"]).startswith("mailto:")
    attendees = event.get("attendee")
    assert sorted(str(a) for a in attendees) == ["mailto:carla@acme.example", "mailto:gina@example.com"]
    assert sorted(str(a.params["CN"]) for a in attendees) == ["Carla Customer", "Gina GM"]
    text = str(event["description"])
    order = [text.index(f"{n}. {title}") for n, title in enumerate(
        ["Customer", "Employees", "Operations", "Marketing", "Sales", "Finance"], start=1)]
    assert order == sorted(order) and "Actual against budget" in text
    assert "attach" not in event  # the everyone copy carries no internal evidence


def test_reissuing_keeps_the_uid_and_raises_the_sequence(fresh_db, meeting, capsys, tmp_path):
    first = invite(capsys, tmp_path, meeting)
    second = invite(capsys, tmp_path, meeting)
    assert str(first["uid"]) == str(second["uid"]) and "@" in str(first["uid"])
    assert (first.decoded("sequence"), second.decoded("sequence")) == (0, 1)
    events = audit_events(capsys, "invite")
    assert [e["detail"]["sequence"] for e in events] == [0, 1]
    assert events[0]["detail"]["attendees"] == 2


def test_a_meeting_without_a_start_time_is_not_invited_and_is_told_how(fresh_db, capsys, tmp_path):
    store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = agenda.new_meeting(fresh_db, "Testland", "2026-12-10").id
    code, out, err = run(capsys, "invite", meeting_id, "--out", tmp_path / "m.ics")
    assert code == 1 and "no start time" in err and f"schedule {meeting_id} --starts" in err
    assert not (tmp_path / "m.ics").exists() and audit_events(capsys, "invite") == []
    assert run(capsys, "schedule", meeting_id, "--starts", "08:15")[0] == 0
    event = invite(capsys, tmp_path, meeting_id)
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 8, 15)
    assert event.decoded("sequence") == 0  # the refused attempt issued nothing


def test_new_meeting_stores_its_start_and_length_from_the_command_line(fresh_db, capsys):
    store.get_or_create_unit(fresh_db, "Testland")
    code, out, err = run(capsys, "new-meeting", "--unit", "Testland", "--starts", "2026-12-10T09:00", "--minutes", 90)
    assert code == 0, err
    stored = meetings.get_meeting(fresh_db, int(out))
    assert (stored["held_on"], stored["start_time"], stored["total_minutes"]) == ("2026-12-10", "09:00", 90)
    assert sum(item["minutes"] or 0 for item in agenda.list_items(fresh_db, int(out))) == 90
    code, out, _ = run(capsys, "schedule", out.strip())
    assert code == 0 and "starts at 09:00" in out and "90 minutes" in out


@pytest.mark.parametrize("flags, said", [
    (["--held-on", "2026-12-10", "--starts", "25:00"], "not a local time"),
    (["--held-on", "2026-12-10", "--starts", "9am"], "not a local time"),
    (["--held-on", "2026-12-10", "--starts", "09:00:30"], "no seconds"),
    (["--held-on", "2026-12-10", "--starts", "2026-12-10T09:00+01:00"], "time zone"),
    (["--held-on", "2026-12-10", "--starts", "2026-12-11T09:00"], "held on 2026-12-10"),
    (["--held-on", "2026-12-10", "--minutes", "0"], "between 30 and 480"),
    (["--held-on", "2026-12-10", "--minutes", "1000"], "between 30 and 480"),
    (["--held-on", "2026-12-10", "--minutes", "ninety"], "whole number"),
    (["--starts", "09:00"], "Say the day"),
])
def test_bad_start_or_length_is_refused_before_anything_is_created(fresh_db, capsys, flags, said):
    store.get_or_create_unit(fresh_db, "Testland")
    code, out, err = run(capsys, "new-meeting", "--unit", "Testland", *flags)
    assert code == 2 and said in err and out == ""
    assert fresh_db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0] == 0


def test_schedule_refuses_bad_values_and_a_closed_meeting(fresh_db, meeting, capsys):
    assert run(capsys, "schedule", meeting, "--starts", "noon")[0] == 2
    assert run(capsys, "schedule", meeting, "--minutes", "20")[0] == 2
    assert meetings.get_meeting(fresh_db, meeting)["start_time"] == "14:30"
    live.start_meeting(fresh_db, meeting)
    live.close_meeting(fresh_db, meeting)
    code, _, err = run(capsys, "schedule", meeting, "--starts", "10:00")
    assert code == 1 and "closed" in err
    assert meetings.get_meeting(fresh_db, meeting)["start_time"] == "14:30"
    code, _, err = run(capsys, "invite", meeting)
    assert code == 1 and "nothing to invite to" in err


def test_an_agenda_that_does_not_add_up_to_the_length_is_not_invited(fresh_db, meeting, capsys, tmp_path):
    agenda.add_item(fresh_db, meeting, "sales", "One more thing", minutes=5)
    code, _, err = run(capsys, "invite", meeting, "--out", tmp_path / "m.ics")
    assert code == 1 and "125 minutes, 5 minutes longer than the meeting (120 minutes)" in err
    assert run(capsys, "schedule", meeting, "--minutes", 125)[0] == 0  # re-boxes the agenda to the new length
    assert sum(item["minutes"] or 0 for item in agenda.list_items(fresh_db, meeting)) == 125
    event = invite(capsys, tmp_path, meeting)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=125)


def test_the_same_length_again_leaves_the_gms_time_boxes_alone(fresh_db, meeting):
    [first, *_] = [i for i in agenda.list_items(fresh_db, meeting) if i["section"] == "customer"]
    [last, *_] = [i for i in agenda.list_items(fresh_db, meeting) if i["section"] == "finance"]
    agenda.update_item(fresh_db, first["id"], minutes=first["minutes"] + 3)
    agenda.update_item(fresh_db, last["id"], minutes=last["minutes"] - 3)
    before = [(i["id"], i["minutes"]) for i in agenda.list_items(fresh_db, meeting)]
    schedule.set_schedule(fresh_db, meeting, starts="15:00", minutes=120)
    assert [(i["id"], i["minutes"]) for i in agenda.list_items(fresh_db, meeting)] == before


def test_a_cancellation_keeps_the_uid_raises_the_sequence_and_is_audited(fresh_db, meeting, capsys, tmp_path):
    first = invite(capsys, tmp_path, meeting)
    code, out, err = run(capsys, "invite", meeting, "--cancel", "--out", tmp_path)
    assert code == 0, err
    calendar = ics(out.strip())
    assert out.strip().endswith("cancellation.ics") and str(calendar["method"]) == "CANCEL"
    [cancelled] = calendar.walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED" and str(cancelled["uid"]) == str(first["uid"])
    assert cancelled.decoded("sequence") == first.decoded("sequence") + 1
    assert sorted(str(a) for a in cancelled.get("attendee")) == sorted(str(a) for a in first.get("attendee"))
    assert [e["detail"]["sequence"] for e in audit_events(capsys, "invite_cancel")] == [1]
    reinstated = invite(capsys, tmp_path, meeting)  # invited again: the event is back, still the same one
    assert str(reinstated["status"]) == "CONFIRMED" and reinstated.decoded("sequence") == 2


def test_nothing_is_cancelled_that_was_never_sent_or_has_been_held(fresh_db, meeting, capsys, tmp_path):
    code, _, err = run(capsys, "invite", meeting, "--cancel", "--out", tmp_path)
    assert code == 1 and "nothing to cancel" in err
    invite(capsys, tmp_path, meeting)
    live.start_meeting(fresh_db, meeting)
    code, _, err = run(capsys, "invite", meeting, "--cancel", "--out", tmp_path)
    assert code == 1 and "live" in err and audit_events(capsys, "invite_cancel") == []


def test_the_leadership_copy_carries_the_pre_read_as_a_docx_that_opens(fresh_db, meeting, capsys, tmp_path):
    code, out, err = run(capsys, "invite", meeting, "--preread", "--out", tmp_path)
    assert code == 0 and "leadership only" in err and out.strip().endswith("invitation-leadership.ics")
    [event] = ics(out.strip()).walk("VEVENT")
    attach = event["attach"]
    assert attach.params["FMTTYPE"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert attach.params["VALUE"] == "BINARY" and attach.params["X-FILENAME"].endswith(".docx")
    document = docx.Document(io.BytesIO(event.decoded("attach")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Testland December" in text and "Actual against budget" in text
    assert [e["detail"]["preread"] for e in audit_events(capsys, "invite")] == [attach.params["X-FILENAME"]]


def test_a_closed_meetings_start_time_is_frozen_by_the_store_whoever_writes(fresh_db, meeting):
    live.start_meeting(fresh_db, meeting)
    live.close_meeting(fresh_db, meeting)
    with pytest.raises(store.MeetingClosed):
        with store.write_transaction(fresh_db):
            fresh_db.execute("UPDATE meetings SET start_time = ? WHERE id = ?", ["07:00", meeting])
    assert meetings.get_meeting(fresh_db, meeting)["start_time"] == "14:30"
