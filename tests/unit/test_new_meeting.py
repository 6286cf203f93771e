"""Issue 26: a new month starts from the last one's leadership team; odd dates are asked about; drafts can go."""
import json

import pytest

from meeting import agenda, cli, live, store
from meeting.store import meetings

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def november(fresh_db):
    """Testland's November meeting (held 2026-11-12) with two leaders, a customer and a frontline colleague."""
    unit = store.get_or_create_unit(fresh_db, "Testland")
    meeting = meetings.create_meeting(fresh_db, unit, "2026-11-12")
    meetings.add_participant(fresh_db, meeting, "Gina GM", "leader", organisation="Testland", role="General manager",
                             email="gina@testland.example", aliases="G")
    meetings.add_participant(fresh_db, meeting, "Omar Ops", "leader", role="Operations")
    meetings.add_participant(fresh_db, meeting, "Ana Client", "customer", organisation="Client Co")
    meetings.add_participant(fresh_db, meeting, "Fred Field", "frontline")
    return unit, meeting


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_new_meeting_on_the_cli_invites_the_previous_leaders_and_not_its_customers(november, capsys):
    code, out, err = run(capsys, "new-meeting", "--unit", "Testland", "--held-on", "2026-12-10")
    assert code == 0
    december = int(out.strip())  # stdout: the id alone
    assert "Gina GM, Omar Ops" in err
    code, out, _ = run(capsys, "participants", str(december), "--json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "Gina GM", "organisation": "Testland", "role": "General manager", "kind": "leader",
         "email": "gina@testland.example"},
        {"name": "Omar Ops", "organisation": None, "role": "Operations", "kind": "leader", "email": None}]
    code, out, _ = run(capsys, "participants", str(december))
    assert out.splitlines() == ["Gina GM\tTestland\tGeneral manager\tleader\tgina@testland.example",
                                "Omar Ops\t\tOperations\tleader\t"]
    code, out, _ = run(capsys, "audit", "--json")
    copied = [e for e in json.loads(out) if e["action"] == "roster_copy"]
    assert [e["detail"]["names"] for e in copied] == [["Gina GM", "Omar Ops"]]
    assert copied[0]["actor"] == "cli" and copied[0]["detail"]["meeting_id"] == december


def test_leaders_come_from_the_meeting_held_just_before(fresh_db, november):
    unit, nov = november
    october = meetings.create_meeting(fresh_db, unit, "2026-10-08")
    meetings.add_participant(fresh_db, october, "Olga Old", "leader")
    created = agenda.new_meeting(fresh_db, unit, "2026-12-10")
    assert created.copied_from == nov and created.leaders_copied == ("Gina GM", "Omar Ops")
    # A meeting slotted in between copies from October, the one held before it.
    between = agenda.new_meeting(fresh_db, unit, "2026-10-20")
    assert between.copied_from == october and between.leaders_copied == ("Olga Old",)
    # The aliases (what anonymisation also hides) come along.
    [gina] = [p for p in meetings.list_participants(fresh_db, created.id) if p["name"] == "Gina GM"]
    assert gina["aliases"] == "G"


def test_the_first_meeting_of_a_unit_starts_with_nobody(fresh_db):
    store.get_or_create_unit(fresh_db, "Testland")
    created = agenda.new_meeting(fresh_db, "Testland", "2026-12-10")
    assert (created.leaders_copied, created.copied_from) == ((), None)
    assert meetings.list_participants(fresh_db, created.id) == []


@pytest.mark.parametrize("held_on, expected", [
    ("2026-11-19", ["in the past"]),              # the suite's clock: 2026-11-20
    ("2026-11-20", []),                           # today is fine
    ("2027-01-04", []),                           # 45 days ahead: fine
    ("2027-01-05", ["46 days ahead"]),
    ("2026-12-01", []),
])
def test_dates_that_deserve_a_question(fresh_db, held_on, expected):
    store.get_or_create_unit(fresh_db, "Testland")
    warnings = agenda.new_meeting_warnings(fresh_db, "Testland", held_on)
    assert len(warnings) == len(expected)
    for warning, words in zip(warnings, expected):
        assert words in warning


def test_a_second_meeting_in_a_month_is_flagged_and_still_created_on_the_cli(november, capsys):
    code, out, err = run(capsys, "new-meeting", "--unit", "Testland", "--held-on", "2026-11-26")
    assert code == 0 and out.strip().isdigit()
    assert "already has a meeting in November 2026" in err


def test_only_a_draft_meeting_can_be_deleted(fresh_db, november, capsys):
    unit, nov = november
    draft = agenda.create_meeting_with_agenda(fresh_db, unit, "2026-12-10")
    code, out, _ = run(capsys, "delete-meeting", str(draft))
    assert code == 0 and "Deleted" in out
    assert [m["id"] for m in meetings.list_meetings(fresh_db, unit)] == [nov]
    assert fresh_db.execute("SELECT COUNT(*) FROM participants WHERE meeting_id = ?", [draft]).fetchone()[0] == 0
    assert fresh_db.execute("SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?", [draft]).fetchone()[0] == 0
    live.start_meeting(fresh_db, nov)
    code, _, err = run(capsys, "delete-meeting", str(nov))
    assert code == 1 and "Only a draft" in err
    live.close_meeting(fresh_db, nov)
    code, _, err = run(capsys, "delete-meeting", str(nov))
    assert code == 1 and "closed" in err
    assert [m["id"] for m in meetings.list_meetings(fresh_db, unit)] == [nov]
    code, out, _ = run(capsys, "audit", "--json")
    assert [e["detail"]["meeting_id"] for e in json.loads(out) if e["action"] == "meeting_delete"] == [draft]


def test_participants_of_an_unknown_meeting_is_not_found(fresh_db, capsys):
    code, _, err = run(capsys, "participants", "999")
    assert code == 1 and "No meeting" in err


@pytest.mark.parametrize("held_on, period", [("20 Dec", None), ("2026-12-10", "December")])
def test_bad_input_is_refused_before_any_question(fresh_db, capsys, held_on, period):
    store.get_or_create_unit(fresh_db, "Testland")
    with pytest.raises(ValueError):
        agenda.new_meeting_warnings(fresh_db, "Testland", held_on, period=period)
    argv = ["new-meeting", "--unit", "Testland", "--held-on", held_on] + (["--period", period] if period else [])
    code, out, _ = run(capsys, *argv)
    assert code == 2 and out == ""
    assert meetings.list_meetings(fresh_db) == []
