"""Aliases: the roster's own column for what no rule derives, through the CSV import, the domain and the page."""
from __future__ import annotations

from support.gm_app import open_as_gm
from support.small_unit import seed_unit

from meeting import agenda, importing, minutes, render, store
from meeting.store import meetings


def _meeting(db) -> int:
    unit = seed_unit(db)
    meeting = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting)
    return meeting


def _note(db, meeting_id: int, text: str) -> None:
    with store.write_transaction(db):
        db.execute("INSERT INTO minutes_entries (meeting_id, section, kind, text) VALUES (?, ?, 'note', ?)",
                   [meeting_id, "customer", text])


def test_aliases_column_in_the_roster_csv_is_imported_and_redacted(fresh_db, tmp_path):
    meeting = _meeting(fresh_db)
    roster = tmp_path / "roster.csv"
    roster.write_text("name,organisation,kind,aliases\n"
                      "Ingrid Solheim,Fjordkraft Logistikk,customer,Frosty; Ингрид\n", encoding="utf-8")
    importing.import_file(fresh_db, "participants", roster, meeting_id=meeting)
    assert [p["aliases"] for p in meetings.list_participants(fresh_db, meeting)] == ["Frosty; Ингрид"]
    _note(fresh_db, meeting, "Frosty said the cold chain broke; Ингрид agreed")
    text = render.render(minutes.build_minutes(fresh_db, meeting), "md").decode()
    assert "Frosty" not in text and "Ингрид" not in text
    assert "the cold chain broke" in text


def test_add_participant_keeps_aliases(fresh_db):
    meeting = _meeting(fresh_db)
    meetings.add_participant(fresh_db, meeting, "Oluwaseun Bakare", "frontline", aliases="Seun")
    assert meetings.list_participants(fresh_db, meeting)[0]["aliases"] == "Seun"


def test_prepare_page_invites_with_aliases(db_path):
    db = store.open_db(db_path)
    meeting = _meeting(db)
    unit = meetings.get_meeting(db, meeting)["unit_id"]
    db.close()
    at = open_as_gm("prepare.py", unit_id=unit, meeting_id=meeting)
    at.text_input(key=f"participant_name_{meeting}").input("Oluwaseun Bakare")
    at.text_input(key=f"participant_aliases_{meeting}").input("Seun; Шеун")
    at.button[[b.label for b in at.button].index("Invite")].click().run()
    assert not at.exception
    db = store.open_db(db_path)
    assert [(p["name"], p["aliases"]) for p in meetings.list_participants(db, meeting)] == [
        ("Oluwaseun Bakare", "Seun; Шеун")]
    db.close()

