"""Circulation drafts (issue 28), parsed back with the standard library and their attachments opened."""
import email
import email.policy
import io

import docx
import pytest

from meeting import cli, live, minutes, store
from meeting.accounts import audit
from meeting.store import meetings

LEADERS = [("Ingrid Halvorsen", "ingrid.halvorsen@example.org"), ("Tomasz Wrona", "tomasz.wrona@example.org")]
CUSTOMERS = [("Amara Okafor", "amara@customer.example"), ("Luis Ortega", "luis@other.example")]


@pytest.fixture
def closed_meeting(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Norway")
    meeting = meetings.create_meeting(fresh_db, unit, "2026-11-12", title="Norway November")
    for name, mail in LEADERS:
        meetings.add_participant(fresh_db, meeting, name, kind="leader", email=mail)
    for name, mail in CUSTOMERS:
        meetings.add_participant(fresh_db, meeting, name, kind="customer", organisation="Fjord Freight", email=mail)
    meetings.add_participant(fresh_db, meeting, "Nina No-Mail", kind="frontline")
    live.start_meeting(fresh_db, meeting)
    minutes.add_entry(fresh_db, meeting, "customer", "note", "Amara Okafor said the invoices arrive late",
                      speaker="Amara Okafor")
    live.close_meeting(fresh_db, meeting)
    return meeting


def parsed(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def attachment_text(message) -> str:
    [part] = list(message.iter_attachments())
    document = docx.Document(io.BytesIO(part.get_content()))
    return "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_named_minutes_go_to_the_leaders_only_and_the_rest_get_anonymised_minutes_in_bcc(
        fresh_db, db_path, closed_meeting, tmp_path, capsys):
    assert cli.main(["--db", str(db_path), "circulate", str(closed_meeting), "--out", str(tmp_path)]) == 0
    drafts = {path.name: parsed(path) for path in tmp_path.glob("*.eml")}
    assert set(drafts) == {"minutes-named-leadership.eml", "minutes-anonymised.eml", "follow-up-customers.eml"}

    named = drafts["minutes-named-leadership.eml"]
    assert sorted(a.addr_spec for a in named["To"].addresses) == sorted(mail for _, mail in LEADERS)
    assert named["Bcc"] is None and "Amara Okafor" in attachment_text(named)

    anonymised = drafts["minutes-anonymised.eml"]
    assert [a.addr_spec for a in anonymised["To"].addresses] == ["outside-in@localhost"]  # nobody's name in To
    assert sorted(a.addr_spec for a in anonymised["Bcc"].addresses) == sorted(mail for _, mail in CUSTOMERS)
    text = attachment_text(anonymised)
    for name, _ in LEADERS + CUSTOMERS:
        for part in name.split():
            assert part not in text, part
    assert "Fjord Freight" not in text and "invoices arrive late" in text

    followup = drafts["follow-up-customers.eml"]
    assert sorted(a.addr_spec for a in followup["Bcc"].addresses) == sorted(mail for _, mail in CUSTOMERS)
    assert followup["X-Unsent"] == "1" and list(followup.iter_attachments())
    events = [e for e in audit.list_events(fresh_db) if e.action == "circulate"]
    assert len(events) == 1 and events[0].detail["recipients"] == 6


def test_a_meeting_not_yet_closed_is_not_circulated(fresh_db, db_path, tmp_path, capsys):
    unit = store.get_or_create_unit(fresh_db, "Norway")
    meeting = meetings.create_meeting(fresh_db, unit, "2026-11-12")
    assert cli.main(["--db", str(db_path), "circulate", str(meeting), "--out", str(tmp_path)]) != 0
    assert "close it first" in capsys.readouterr().err and not list(tmp_path.glob("*.eml"))
