"""Issue 28: documents say where the record stands. Not yet approved: DRAFT in title and header; approved: who, when
and the fingerprint's first 12 characters; an approved record exported again a month later is the same text."""
import datetime as dt

import docx
import pytest
import time_machine
from support.table_rows import get_row

from meeting import live, minutes, render, store
from meeting.minutes import record
from meeting.store import meetings


@pytest.fixture
def meeting(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = meetings.create_meeting(fresh_db, unit, "2026-11-12", title="Testland November")
    meetings.add_participant(fresh_db, meeting_id, "Gina Grabowski", "leader")
    meetings.add_participant(fresh_db, meeting_id, "Carla Customer", "customer", organisation="Acme")
    live.start_meeting(fresh_db, meeting_id)
    minutes.add_entry(fresh_db, meeting_id, "customer", "note", "Installs take three weeks", speaker="Carla Customer")
    minutes.add_entry(fresh_db, meeting_id, "operations", "action", "Halve the backlog", owner="Gina Grabowski",
                      due_on="2026-12-15")
    return meeting_id


def docx_text(path) -> tuple[str, str, str]:
    """(core title, page header, body paragraphs)."""
    document = docx.Document(str(path))
    return (document.core_properties.title, document.sections[0].header.paragraphs[0].text,
            "\n".join(p.text for p in document.paragraphs))


def approve(db, meeting_id):
    live.close_meeting(db, meeting_id)
    record.finalise_minutes(db, meeting_id)
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone.utc), tick=False):
        return record.approve_minutes(db, meeting_id, "Gina Grabowski")


@pytest.mark.parametrize("stage", ["live", "closed", "final"])
@pytest.mark.parametrize("internal", [False, True], ids=["anonymised", "internal"])
def test_minutes_not_yet_approved_say_draft_in_title_and_header(fresh_db, meeting, tmp_path, stage, internal):
    if stage != "live":
        live.close_meeting(fresh_db, meeting)
    if stage == "final":
        record.finalise_minutes(fresh_db, meeting)
    title, header, body = docx_text(render.export_minutes(fresh_db, meeting, out=tmp_path, internal=internal))
    assert "DRAFT" in title and header.startswith("DRAFT")
    assert body.splitlines()[1 if internal else 0] == "DRAFT: Testland November"
    assert "Approved by" not in body + header
    markdown = render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path, internal=internal).read_text()
    assert "# DRAFT: Testland November" in markdown.splitlines()
    assert markdown.splitlines()[2 if internal else 0].startswith("DRAFT")  # the Markdown's header line


def test_approved_minutes_say_who_when_and_the_fingerprint(fresh_db, meeting, tmp_path):
    approved = approve(fresh_db, meeting)
    short = approved.fingerprint[:12]
    title, header, body = docx_text(render.export_minutes(fresh_db, meeting, out=tmp_path, internal=True))
    assert "DRAFT" not in title + header + body
    assert f"Approved by Gina Grabowski on 2026-11-27 · record fingerprint {short}" in header
    assert f"Approved by Gina Grabowski on 2026-11-27 · record fingerprint {short}." in body.splitlines()
    assert approved.fingerprint not in body  # the first 12 characters, not the whole hash
    # Anonymised: the approver is a leader, not named (Chatham House Rule).
    title, header, body = docx_text(render.export_minutes(fresh_db, meeting, out=tmp_path))
    assert f"Approved by a leadership team member on 2026-11-27 · record fingerprint {short}" in header
    assert "Grabowski" not in header + body and "DRAFT" not in title + header + body
    markdown = render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path).read_text()
    assert f"record fingerprint {short}" in markdown and "DRAFT" not in markdown


@pytest.mark.parametrize("internal", [False, True], ids=["anonymised", "internal"])
def test_an_approved_record_exported_a_month_later_is_the_same_text(fresh_db, meeting, tmp_path, internal):
    approve(fresh_db, meeting)
    first = (docx_text(render.export_minutes(fresh_db, meeting, out=tmp_path / "now", internal=internal)),
             render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path / "now", internal=internal).read_text())
    with time_machine.travel(dt.datetime(2026, 12, 27, 15, 0, tzinfo=dt.timezone.utc), tick=False):
        later = (docx_text(render.export_minutes(fresh_db, meeting, out=tmp_path / "later", internal=internal)),
                 render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path / "later", internal=internal).read_text())
    assert later == first
    assert "Halve the backlog" in first[1]


def test_the_action_register_moving_on_does_not_change_the_approved_record(fresh_db, meeting, tmp_path):
    """The statuses and the actions carried in are the record's as at finalise; the register follows them on."""
    earlier = meetings.create_meeting(fresh_db, meetings.get_meeting(fresh_db, meeting)["unit_id"], "2026-10-08")
    live.start_meeting(fresh_db, earlier)
    carried = minutes.add_entry(fresh_db, earlier, "sales", "action", "Call the lost accounts", owner="Gina Grabowski")
    live.close_meeting(fresh_db, earlier)
    approve(fresh_db, meeting)
    before = render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path / "before", internal=True).read_text()
    assert "Call the lost accounts" in before
    [own] = [e["id"] for e in minutes.list_entries(fresh_db, meeting) if e["kind"] == "action"]
    minutes.set_action_status(fresh_db, own, "done")
    minutes.set_action_status(fresh_db, carried, "done")  # no longer open: draft minutes would drop it
    after = render.export_minutes(fresh_db, meeting, fmt="md", out=tmp_path / "after", internal=True).read_text()
    assert after == before
    assert get_row(fresh_db, "minutes_entries", own)["status"] == "done"  # the register did move
