"""A closed meeting is the record: its roster, agenda, entries and contributions cannot change (issue 9).

Regression: removing a participant from a closed meeting and exporting again turned "[a participant]" back
into the real name. The guard is in the store, so the domain, the CLI import and the page are refused alike.
"""

import pytest

from meeting import agenda, cli, live, minutes, render, store
from meeting.store import meetings

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def closed_meeting(fresh_db):
    store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = agenda.create_meeting_with_agenda(fresh_db, "Testland", "2026-11-12")
    person = meetings.add_participant(fresh_db, meeting_id, "Oona Varga", "customer", organisation="Brightwater Mills")
    minutes.add_entry(fresh_db, meeting_id, "customer", "note", "Oona Varga said Brightwater Mills waited six weeks.")
    action = minutes.add_entry(fresh_db, meeting_id, "operations", "action", "Call every detractor back", due_on="2026-12-01")
    live.start_meeting(fresh_db, meeting_id)
    live.add_contribution(fresh_db, meeting_id, "customer", "From the room", 4, "device-1")
    live.close_meeting(fresh_db, meeting_id)
    return meeting_id, person, action


def _snapshot(db, meeting_id):
    return {table: db.execute(f"SELECT * FROM {table} WHERE meeting_id = ? ORDER BY id", [meeting_id]).fetchall()
            for table in ("participants", "agenda_items", "minutes_entries", "contributions")}


@pytest.mark.parametrize("change", [
    lambda db, m, p: meetings.remove_participant(db, p),
    lambda db, m, p: meetings.add_participant(db, m, "Late Arrival", "guest"),
    lambda db, m, p: agenda.add_item(db, m, "customer", "An afterthought"),
    lambda db, m, p: agenda.update_item(db, agenda.list_items(db, m)[0]["id"], title="Rewritten"),
    lambda db, m, p: agenda.delete_item(db, agenda.list_items(db, m)[0]["id"]),
    lambda db, m, p: agenda.set_total_minutes(db, m, 60),
    lambda db, m, p: minutes.add_entry(db, m, "customer", "note", "Added after the meeting"),
    lambda db, m, p: meetings.update_meeting(db, m, title="A new title"),
], ids=["remove participant", "add participant", "add item", "edit item", "delete item", "re-box", "add entry",
        "rename meeting"])
def test_every_change_to_a_closed_meeting_is_refused_and_nothing_changes(fresh_db, closed_meeting, change):
    meeting_id, person, _ = closed_meeting
    before = _snapshot(fresh_db, meeting_id)
    with pytest.raises(PermissionError, match="closed"):
        change(fresh_db, meeting_id, person)
    assert _snapshot(fresh_db, meeting_id) == before


def test_a_raw_write_is_refused_too(fresh_db, closed_meeting):
    # Not only the domain functions: any writer (a script, a future page) meets the same guard.
    meeting_id, person, _ = closed_meeting
    with pytest.raises(store.IntegrityError, match="closed meeting"):
        fresh_db.execute("DELETE FROM participants WHERE id = ?", [person])


def test_action_status_still_changes_on_a_closed_meeting(fresh_db, closed_meeting):
    meeting_id, _, action = closed_meeting
    minutes.set_action_status(fresh_db, action, "done")
    assert fresh_db.execute("SELECT status FROM minutes_entries WHERE id = ?", [action]).fetchone()[0] == "done"


def test_the_anonymised_minutes_stay_anonymised(fresh_db, closed_meeting, tmp_path):
    meeting_id, person, _ = closed_meeting
    with pytest.raises(PermissionError):
        meetings.remove_participant(fresh_db, person)
    text = render.export_minutes(fresh_db, meeting_id, fmt="md", out=tmp_path).read_text()
    assert "Oona" not in text and "Brightwater" not in text and "six weeks" in text


def test_cli_roster_import_into_a_closed_meeting_is_refused(fresh_db, closed_meeting, db_path, tmp_path, capsys):
    meeting_id, _, _ = closed_meeting
    roster = tmp_path / "roster.csv"
    roster.write_text("name,kind,organisation\nLate Arrival,guest,Elsewhere Ltd\n")
    before = _snapshot(fresh_db, meeting_id)
    code = cli.main(["--db", str(db_path), "import", "participants", str(roster), "--meeting", str(meeting_id)])
    assert code != 0
    assert "closed" in capsys.readouterr().err
    assert _snapshot(fresh_db, meeting_id) == before


def test_prepare_page_offers_no_roster_change_on_a_closed_meeting(fresh_db, closed_meeting):
    from support.gm_app import open_as_gm

    meeting_id, person, _ = closed_meeting
    at = open_as_gm("prepare.py", unit_id=1, meeting_id=meeting_id)
    assert not at.exception
    assert not [b for b in at.button if b.key == f"remove_participant_{person}"]
    assert any("closed" in c.value for c in at.caption)
