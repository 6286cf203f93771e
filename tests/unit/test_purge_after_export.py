"""The purge-after-export rule, through ``python -m meeting export`` (issue 29): the CLI export purges what the
unit's retention setting makes due, as the Minutes page always did; an INTERNAL export purges nothing."""
from __future__ import annotations

from support.small_unit import seed_unit

from meeting import agenda, cli, live
from meeting.store import meetings

PURGED = ("[a participant] here, the van never came", None, "")


def _closed_meeting_with_a_contribution(db) -> tuple[int, int]:
    unit = seed_unit(db)
    meeting = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting)
    meetings.add_participant(db, meeting, "Nomvula Khumalo", "customer", organisation="Umoya Freight Lines")
    live.start_meeting(db, meeting)
    live.add_contribution(db, meeting, "customer", "Nomvula here, the van never came", 2, "device-1", "Nomvula")
    live.close_meeting(db, meeting)
    return unit, meeting


def _contribution(db):
    return db.execute("SELECT text, display_name, author_token FROM contributions").fetchone()


def test_cli_export_purges_what_retention_makes_due(fresh_db, db_path, tmp_path, capsys):
    unit, meeting = _closed_meeting_with_a_contribution(fresh_db)
    assert cli.main(["retention", "--unit", str(unit), "--days", "0"]) == 0
    capsys.readouterr()
    assert cli.main(["export", str(meeting), "--format", "md", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.strip().endswith(".md") and "\n" not in out.strip()  # stdout: the path alone, as before
    assert "1 contributions purged" in err
    assert _contribution(fresh_db) == PURGED


def test_cli_export_keeps_contributions_without_retention_or_when_internal(fresh_db, db_path, tmp_path, capsys):
    unit, meeting = _closed_meeting_with_a_contribution(fresh_db)
    assert cli.main(["export", str(meeting), "--format", "md", "--out", str(tmp_path)]) == 0  # retention off
    assert _contribution(fresh_db)[0] == "Nomvula here, the van never came"
    assert cli.main(["retention", "--unit", str(unit), "--days", "0"]) == 0
    assert cli.main(["export", str(meeting), "--format", "md", "--out", str(tmp_path), "--internal"]) == 0
    assert _contribution(fresh_db)[0] == "Nomvula here, the van never came"
    assert "purged" not in capsys.readouterr().err
