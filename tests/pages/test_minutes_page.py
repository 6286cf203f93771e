"""The Minutes page through the real app (AppTest): review, extra terms, attribution, INTERNAL, export."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest
from support.awkward_meetings import KESTREL, leaks, seed_kestrel
from support.gm_app import open_as_gm

from meeting import render, store
from meeting.store import meetings


@pytest.fixture
def exports(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "exports"
    monkeypatch.setenv(render.EXPORTS_SETTING, str(folder))  # never the project's exports/
    return folder


@pytest.fixture
def kestrel(db_path, exports):
    db = store.open_db(db_path)
    meeting_id = seed_kestrel(db)
    unit_id = meetings.get_meeting(db, meeting_id)["unit_id"]
    db.close()
    return unit_id, meeting_id


def open_minutes(unit_id, meeting_id) -> AppTest:
    return open_as_gm("minutes.py", unit_id=unit_id, meeting_id=meeting_id if unit_id is not None else None)


def html_blocks(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def test_review_highlights_escaped_text_and_shows_the_result(kestrel):
    at = open_minutes(*kestrel)
    shown = html_blocks(at)
    assert '<mark title="[a participant]">Anne</mark>' in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "<img" not in shown
    assert "→ [a participant] said [customer organisation A]&#x27;s drivers wait 40 minutes" in shown
    assert "Secret" not in shown  # hidden contribution: not in the minutes, not in the review


def test_extra_term_is_redacted_in_the_exported_file(kestrel, exports):
    at = open_minutes(*kestrel)
    at.text_area(key=f"extra_terms_{kestrel[1]}").input("depots,\n40 minutes").run()
    assert '<mark title="[redacted]">40 minutes</mark>' in html_blocks(at)
    at.button(key="export_minutes").click().run()
    assert not at.exception, at.exception
    path = Path(at.session_state["minutes_export"])
    assert path.parent == exports and path.name == f"meeting-{kestrel[1]}-2026-11-12-minutes.docx"
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "depots" not in text and "40 minutes" not in text and "[redacted]" in text
    assert leaks(text, KESTREL) == []
    assert at.success and path.name in at.success[0].value


def test_internal_toggle_exports_the_named_version(kestrel, exports):
    at = open_minutes(*kestrel)
    at.toggle(key="internal").set_value(True).run()
    assert at.warning and any("Do not circulate" in w.value for w in at.warning)
    at.radio(key="minutes_format").set_value("md").run()
    at.button(key="export_minutes").click().run()
    path = Path(at.session_state["minutes_export"])
    assert path.name == f"meeting-{kestrel[1]}-2026-11-12-minutes-INTERNAL.md"
    assert path.read_text().startswith("**INTERNAL") and "Anne Lefèvre-Martin" in path.read_text()
    assert at.get("download_button")
    # Back to the anonymised version: the INTERNAL file is no longer offered for download.
    at.toggle(key="internal").set_value(False).run()
    assert "minutes_export" not in at.session_state and not at.get("download_button")


def test_group_attribution_warns_about_a_group_of_one(kestrel):
    at = open_minutes(*kestrel)
    assert not any("only one" in w.value.lower() for w in at.warning)
    at.radio(key="attribution").set_value("group").run()
    assert any("Only one frontline colleague" in w.value for w in at.warning)


def test_no_meeting_selected_says_what_to_do(db_path, exports):
    db = store.open_db(db_path)
    store.get_or_create_unit(db, "Empty")
    db.close()
    at = open_minutes(None, None)
    assert any("Choose a meeting" in i.value for i in at.info)


def test_meeting_without_entries_or_participants_says_so_and_still_exports(db_path, exports):
    db = store.open_db(db_path)
    unit_id = store.get_or_create_unit(db, "Empty")
    meeting_id = meetings.create_meeting(db, "Empty", "2026-11-01")
    db.close()
    at = open_minutes(unit_id, meeting_id)
    assert any("Nobody is on this meeting's list" in w.value for w in at.warning)
    assert any("Nothing recorded yet" in i.value for i in at.info)
    at.button(key="export_minutes").click().run()
    assert not at.exception and Path(at.session_state["minutes_export"]).exists()


def test_the_record_is_finalised_and_approved_on_the_page(db_path, exports):
    """Issue 28: the Minutes page finalises a closed meeting's minutes and records a leader's approval."""
    from meeting import live, minutes
    from meeting.accounts import audit
    from meeting.minutes import record

    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Recordland")
    meeting_id = meetings.create_meeting(db, unit, "2026-11-12", title="Recordland November")
    meetings.add_participant(db, meeting_id, "Gina GM", "leader")
    meetings.add_participant(db, meeting_id, "Carla Customer", "customer")
    live.start_meeting(db, meeting_id)
    minutes.add_entry(db, meeting_id, "customer", "note", "Installs are slow")
    live.close_meeting(db, meeting_id)
    unit_id = meetings.get_meeting(db, meeting_id)["unit_id"]
    db.close()

    at = open_minutes(unit_id, meeting_id)
    assert "approve_minutes" not in [b.key for b in at.button]  # a draft is finalised first
    at.button(key="finalise_minutes").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key=f"approver_{meeting_id}").options == ["Gina GM"]  # leaders only
    at.selectbox(key=f"approver_{meeting_id}").select("Gina GM").run()
    at.button(key="approve_minutes").click().run()
    assert not at.exception, at.exception
    db = store.open_db(db_path)
    try:
        standing = record.minutes_status(db, meeting_id)
        assert (standing.status, standing.approved_by, standing.approved_on) == ("approved", "Gina GM", "2026-11-20")
        assert any(standing.fingerprint[:12] in s.value for s in at.success)
        actors = {e.action: e.actor for e in audit.list_events(db)}
        assert actors["minutes_finalise"] == actors["minutes_approve"] != audit.CLI_ACTOR
    finally:
        db.close()


def test_export_on_the_page_purges_what_retention_makes_due(db_path, exports):
    """The page and ``python -m meeting export`` share one rule (meeting.minutes.export, issue 29)."""
    from support.small_unit import seed_unit

    from meeting import agenda, live
    from meeting.anonymise import retention

    db = store.open_db(db_path)
    unit = seed_unit(db)
    meeting = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting)
    live.start_meeting(db, meeting)
    live.add_contribution(db, meeting, "customer", "Nomvula here, the van never came", 2, "device-1", "Nomvula")
    live.close_meeting(db, meeting)
    retention.set_retention_days(db, unit, 0)
    db.close()
    at = open_minutes(unit, meeting)
    at.button(key="export_minutes").click().run()
    assert not at.exception, at.exception
    assert Path(at.session_state["minutes_export"]).exists()
    db = store.open_db(db_path)
    row = db.execute("SELECT text, display_name, author_token FROM contributions").fetchone()
    db.close()
    assert "Nomvula" not in row[0] and row[0].endswith("here, the van never came") and row[1:] == (None, "")
