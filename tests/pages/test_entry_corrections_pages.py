"""Issue 26 through the real app: correct or delete an entry on Run and Minutes; gaps in actions are marked."""
import datetime as dt
import json

import pytest
from support.gm_app import open_as_gm
from support.live_pages import seed_env
from support.table_rows import get_row

from meeting import cli, live, minutes


@pytest.fixture
def env(db_path, monkeypatch):
    yield from seed_env(db_path, monkeypatch)


def audit_actions(capsys) -> list[str]:
    capsys.readouterr()
    assert cli.main(["audit", "--json"]) == 0
    return [(e["action"], e["actor"]) for e in json.loads(capsys.readouterr().out)]


def test_run_page_corrects_and_deletes_entries_while_live(env, capsys):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    action = minutes.add_entry(db, meeting, "customer", "action", "Fix installs")
    note = minutes.add_entry(db, meeting, "customer", "note", "A note taken by mistake")
    at = open_as_gm("run.py", unit_id=unit, meeting_id=meeting)
    captions = " ".join(c.value for c in at.caption)
    assert "⚠ no owner" in captions and "⚠ no due date" in captions
    at.text_area(key=f"edit_text_{action}").set_value("Fix the install backlog")
    at.selectbox(key=f"edit_owner_{action}").set_value("Omar Ops")
    at.date_input(key=f"edit_due_{action}").set_value(dt.date(2026, 12, 4))
    at.button(key=f"edit_save_{action}").click().run()
    assert not at.exception, at.exception
    row = get_row(db, "minutes_entries", action)
    assert (row["text"], row["owner"], row["due_on"]) == ("Fix the install backlog", "Omar Ops", "2026-12-04")
    assert "⚠ no owner" not in " ".join(c.value for c in at.caption)
    at.button(key=f"edit_delete_{note}").click().run()
    assert [e["id"] for e in minutes.list_entries(db, meeting)] == [action]
    assert ("entry_edit", "admin") in audit_actions(capsys) and ("entry_delete", "admin") in audit_actions(capsys)


def test_capturing_an_action_without_owner_or_date_says_it_is_marked(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    at = open_as_gm("run.py", unit_id=unit, meeting_id=meeting)
    at.radio(key=f"capture_kind_{meeting}").set_value("action")
    at.text_area(key=f"capture_text_{meeting}").set_value("Call back every detractor")
    at.button(key="capture_submit").click().run()
    assert any("no owner and no due date" in w.value for w in at.warning)


def test_minutes_page_corrects_a_draft_and_offers_nothing_once_closed(env):
    db, unit, meeting = env
    note = minutes.add_entry(db, meeting, "customer", "note", "Customers wait too lnog")
    at = open_as_gm("minutes.py", unit_id=unit, meeting_id=meeting)
    at.text_area(key=f"edit_text_{note}").set_value("Customers wait too long")
    at.button(key=f"edit_save_{note}").click().run()
    assert not at.exception, at.exception
    assert get_row(db, "minutes_entries", note)["text"] == "Customers wait too long"
    live.start_meeting(db, meeting)
    live.close_meeting(db, meeting)
    at = open_as_gm("minutes.py", unit_id=unit, meeting_id=meeting)
    assert not [b for b in at.button if (b.key or "").startswith(("edit_save_", "edit_delete_"))]
    run = open_as_gm("run.py", unit_id=unit, meeting_id=meeting)
    assert not [b for b in run.button if (b.key or "").startswith(("edit_save_", "edit_delete_"))]


def test_a_correction_refused_because_the_meeting_closed_meanwhile_is_explained(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    note = minutes.add_entry(db, meeting, "customer", "note", "Original words")
    at = open_as_gm("run.py", unit_id=unit, meeting_id=meeting)
    live.close_meeting(db, meeting)  # another GM closes it while this one edits
    at.text_area(key=f"edit_text_{note}").set_value("Changed words")
    at.button(key=f"edit_save_{note}").click().run()
    assert not at.exception, at.exception
    assert get_row(db, "minutes_entries", note)["text"] == "Original words"
    assert any("closed" in e.value for e in at.error)


def test_a_correction_made_meanwhile_by_another_gm_is_not_overwritten(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    note = minutes.add_entry(db, meeting, "customer", "note", "Original words")
    at = open_as_gm("run.py", unit_id=unit, meeting_id=meeting)
    minutes.edit_entry(db, note, text="Omar's correction")  # the other GM, first
    at.text_area(key=f"edit_text_{note}").set_value("My correction")
    at.button(key=f"edit_save_{note}").click().run()
    assert get_row(db, "minutes_entries", note)["text"] == "Omar's correction"
    assert any("Someone else changed this entry" in e.value for e in at.error)
    assert at.text_area(key=f"edit_text_{note}").value == "Omar's correction"
