"""What "today" means, asked of the one clock and checked on three days (one a 29 February): issue 19."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

from meeting import clock, minutes, store
from meeting.minutes.actions import action_register
from meeting.render.followup import build_followup
from meeting.store import meetings


def test_the_clock_is_the_frozen_day(any_day):
    assert clock.today() == any_day
    assert clock.now().tzinfo is not None and clock.now().date() == any_day
    assert clock.now_iso().startswith(any_day.isoformat())


def test_overdue_and_as_of_follow_the_clock(fresh_db, any_day):
    unit = store.get_or_create_unit(fresh_db, "Testland")
    held = any_day - dt.timedelta(days=20)
    meeting = meetings.create_meeting(fresh_db, unit, held.isoformat(), title="Last month")
    yesterday, tomorrow = any_day - dt.timedelta(days=1), any_day + dt.timedelta(days=1)
    minutes.add_entry(fresh_db, meeting, "customer", "action", "Call the depot back", owner="Ann Owner",
                      due_on=yesterday.isoformat())
    minutes.add_entry(fresh_db, meeting, "customer", "action", "Publish the rota", owner="Ann Owner",
                      due_on=tomorrow.isoformat())
    overdue = {action.text: action.overdue for action in action_register(fresh_db, unit)}
    assert overdue == {"Call the depot back": True, "Publish the rota": False}
    note = build_followup(fresh_db, meeting)
    written = f"{any_day.day} {any_day:%B %Y}"
    assert f"as of {written}" in note["intro"]
    states = [action["state"] for section in note["sections"] for action in section["actions"]]
    assert any("so we are late" in state for state in states) and any(state.startswith("in progress, due") for state in states)


def test_an_action_status_change_is_stamped_by_the_clock(fresh_db, any_day):
    unit = store.get_or_create_unit(fresh_db, "Testland")
    meeting = meetings.create_meeting(fresh_db, unit, any_day.isoformat())
    entry = minutes.add_entry(fresh_db, meeting, "customer", "action", "Send the split", owner="Ann Owner")
    minutes.set_action_status(fresh_db, entry, "done")
    [(changed_at,)] = fresh_db.execute("SELECT changed_at FROM action_status_changes WHERE entry_id = ?", [entry])
    assert changed_at.startswith(any_day.isoformat())


def test_nothing_but_the_clock_reads_the_system_calendar():
    # A second clock is how the suite went red on 2 December: every reader of "now" goes through meeting.clock.
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readers = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("time", "time")}
    found = []
    for path in [*(root / "meeting").rglob("*.py"), *(root / "views").rglob("*.py"), root / "app.py", root / "router.py"]:
        if path.name == "clock.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, (ast.Attribute, ast.Name)):
                owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
                if (owner, node.attr) in readers:
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not found


def test_a_child_process_reads_the_same_instant_as_the_tests():
    # A server started minutes into the run must not live minutes in the past: a limiter's wait or a token's
    # expiry recorded by the test process is judged by the server's clock.
    time.sleep(1.5)  # real time passes (sleep is not frozen), so a child starting at the frozen instant would lag
    child = subprocess.run([sys.executable, "-c", "from meeting import clock; print(clock.epoch())"],
                           capture_output=True, text=True, check=True)
    assert abs(float(child.stdout) - clock.epoch()) < 1.0
    assert clock.today() == dt.date(2026, 11, 20)
