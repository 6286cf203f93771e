""""You said, we did": the follow-up note for invited customers, read back from the .docx it writes."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import pytest

from meeting import cli, live, store
from meeting.minutes import add_entry

DEMO_PARTICIPANTS = Path(__file__).resolve().parents[2] / "meeting" / "data" / "demo" / "participants.csv"
PARTICLES = {"ap", "mac", "mc", "o", "ó", "de", "van", "von"}


def roster(unit: str) -> list[dict]:
    """The unit's people as the demo's CSV lists them (read here, not through the app)."""
    with open(DEMO_PARTICIPANTS, encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["unit"] == unit]


def forbidden(people: list[dict]) -> set[str]:
    words = set()
    for person in people:
        words.add(person["name"])
        words.update(part for part in person["name"].replace("-", " ").split()
                     if len(part) > 2 and part.casefold() not in PARTICLES)
        if person["organisation"]:
            words.add(person["organisation"])
            words.add(person["organisation"].split()[0])
        words.update(value for value in (person["email"], person["phone"]) if value)
    return words


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    props = document.core_properties
    parts += [props.author or "", props.title or "", props.last_modified_by or ""]
    return "\n".join(parts)


@pytest.mark.parametrize("meeting_id, unit", [(1, "United Kingdom"), (3, "Ireland")])
def test_followup_docx_leaks_no_name_or_organisation(demo_db, tmp_path, capsys, meeting_id, unit):
    out = tmp_path / "note.docx"
    assert cli.main(["followup", str(meeting_id), "--format", "docx", "--out", str(out), "--today", "2026-11-23"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = docx_text(out)
    assert "You said, we did" in text and "Customer" in text
    leaked = sorted(word for word in forbidden(roster(unit))
                    if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, re.IGNORECASE))
    assert leaked == []


def test_followup_lists_what_was_raised_done_and_when_we_report_back(demo_db, tmp_path, capsys):
    out = tmp_path / "note.md"
    assert cli.main(["followup", "1", "--format", "md", "--out", str(out), "--today", "2026-11-23"]) == 0
    note = out.read_text(encoding="utf-8")
    assert "## Customer" in note and "## Finance" in note
    assert "Pause the 'fixed in 4 hours' advert until fix times support it. (done)" in note
    assert "31 October 2026, so we are late" in note  # an overdue action is said to be late, not hidden
    assert "next leadership meeting, on 20 November 2026" in note
    err = capsys.readouterr().err
    # The jargon check on the note (the "NPS" it once found was in a leader's note, no longer under "You said").
    assert "detractor" in err and "unhappy customer" in err


def test_customer_contribution_with_own_name_is_anonymised(demo_db, tmp_path, capsys):
    db = store.open_db(demo_db)
    live.start_meeting(db, 2)
    live.add_contribution(db, 2, "customer", "Rhiannon Price here, from Marlow & Finch Solicitors: call me on "
                          "rhiannon.price@marlow-finch.example.com about the outage.", 2, "token-1")
    add_entry(db, 2, "customer", "action", "Ring Rhiannon Price at Marlow & Finch about the outage.",
              owner="Li Wu", due_on="2026-12-01")
    live.close_meeting(db, 2)
    db.close()
    out = tmp_path / "november.docx"
    assert cli.main(["followup", "2", "--out", str(out), "--today", "2026-11-23"]) == 0
    text = docx_text(out)
    assert "about the outage" in text
    for word in ("Rhiannon", "Price", "Marlow", "Finch", "marlow-finch", "Li Wu"):
        assert word.casefold() not in text.casefold(), word


def test_minutes_page_writes_the_followup_note(demo_db, tmp_path, monkeypatch):
    from support.gm_app import open_as_gm

    monkeypatch.setenv("OUTSIDE_IN_EXPORTS", str(tmp_path / "exports"))
    at = open_as_gm("minutes.py", unit_id=1, meeting_id=1)
    at.button(key="export_followup").click().run()
    assert not at.exception
    (written,) = (tmp_path / "exports").glob("meeting-1-*-you-said-we-did.docx")
    text = docx_text(written)
    assert "You said, we did" in text and "Grace" not in text and "Brightwater" not in text
    assert any("detractor" in w.value for w in at.warning)  # the jargon check, shown before the note goes out


def test_you_said_holds_only_what_customers_said(fresh_db, tmp_path):
    # Issue 26: a GM's own note appeared under "You said".
    from meeting.render import followup
    from meeting.store import meetings

    unit = store.get_or_create_unit(fresh_db, "Testland")
    meeting = meetings.create_meeting(fresh_db, unit, "2026-11-12")
    meetings.add_participant(fresh_db, meeting, "Gina GM", "leader")
    meetings.add_participant(fresh_db, meeting, "Ana Client", "customer", organisation="Client Co")
    meetings.add_participant(fresh_db, meeting, "Fred Field", "frontline")
    live.start_meeting(fresh_db, meeting)
    live.add_contribution(fresh_db, meeting, "customer", "Installers never call ahead", 2, "token-1")
    add_entry(fresh_db, meeting, "customer", "note", "Waiting three weeks for a line is too long", speaker="Ana Client")
    add_entry(fresh_db, meeting, "customer", "note", "Our private view: the install partner is the problem",
              speaker="Gina GM")
    add_entry(fresh_db, meeting, "customer", "note", "Rotas leave no slack for call-backs", speaker="Fred Field")
    add_entry(fresh_db, meeting, "customer", "note", "Nobody said who raised this one")
    add_entry(fresh_db, meeting, "customer", "decision", "Call every customer before an install", speaker="Gina GM")
    note = followup.build_followup(fresh_db, meeting)
    [customer] = [section for section in note["sections"] if section["title"] == "Customer"]
    assert customer["raised"] == ["Installers never call ahead", "Waiting three weeks for a line is too long"]
    assert customer["decisions"] == ["Call every customer before an install"]
    text = followup.note_markdown(note)
    assert "private view" not in text and "Rotas" not in text and "Nobody said" not in text
