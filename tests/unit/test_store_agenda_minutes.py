"""The agenda, minutes and retention store functions (issue 23), checked against the database itself: every write
is read back through a second connection of its own, so what is asserted is what a second process sees (committed
rows, on either engine)."""
import contextlib

import pytest

from meeting import store
from meeting.store import actions as action_store
from meeting.store import agenda as agenda_store
from meeting.store import entries as entry_store
from meeting.store import meetings as meeting_store
from meeting.store import plans as plan_store
from meeting.store import retention as retention_store

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def setup(fresh_db, db_path):
    unit_id = store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = meeting_store.create_meeting(fresh_db, "Testland", "2026-11-12")
    return fresh_db, unit_id, meeting_id, db_path


@contextlib.contextmanager
def second_connection(db_path):
    other = store.open_db(db_path, migrate=False)
    try:
        yield other
    finally:
        other.close()


def read(db_path, sql, params=()):
    with second_connection(db_path) as other:
        return [tuple(row) for row in other.execute(sql, list(params)).fetchall()]


def test_create_meeting_returns_the_id_of_the_row_it_wrote(setup):
    db, unit_id, meeting_id, path = setup
    second = meeting_store.create_meeting(db, "Testland", "2026-12-10", title="December")
    assert read(path, "SELECT id, unit_id, title, held_on, period, status, premoderate FROM meetings ORDER BY id") == [
        (meeting_id, unit_id, "Testland leadership meeting, November 2026", "2026-11-12", "2026-10", "draft", 1),
        (second, unit_id, "December", "2026-12-10", "2026-11", "draft", 1)]


def test_an_item_goes_at_the_end_of_its_own_section_and_positions_follow_the_order_given(setup):
    db, _, meeting_id, path = setup
    with store.write_transaction(db):
        first = agenda_store.insert_item(db, meeting_id, "sales", "Targets", 10, None)
        second = agenda_store.insert_item(db, meeting_id, "sales", "Segments", None, "Ana")
        other = agenda_store.insert_item(db, meeting_id, "finance", "Budget", 5, None)
    rows = "SELECT id, section, position, title, minutes, owner FROM agenda_items ORDER BY id"
    assert read(path, rows) == [(first, "sales", 0, "Targets", 10, None), (second, "sales", 1, "Segments", None, "Ana"),
                                (other, "finance", 0, "Budget", 5, None)]
    with store.write_transaction(db):
        agenda_store.set_positions(db, [second, first])
        agenda_store.update_item(db, first, {"title": "Targets, by region", "owner": "Bo"})
    assert read(path, "SELECT id, position, title, owner FROM agenda_items WHERE section = 'sales' ORDER BY position") \
        == [(second, 0, "Segments", "Ana"), (first, 1, "Targets, by region", "Bo")]
    assert agenda_store.planned_minutes(db, [meeting_id]) == [
        {"meeting_id": meeting_id, "section": "finance", "planned": 5},
        {"meeting_id": meeting_id, "section": "sales", "planned": 10}]
    with pytest.raises(ValueError):
        agenda_store.update_item(db, first, {"section": "customer"})


def test_an_entry_and_an_action_status_change_are_written_with_their_history(setup):
    db, _, meeting_id, path = setup
    with store.write_transaction(db):
        entry = entry_store.insert_entry(db, meeting_id, section="operations", kind="action", text="Call back",
                                         speaker=None, owner="Ana", due_on="2026-12-01", status="open",
                                         created_at="2026-11-12T10:00:00Z")
        action_store.change_status(db, entry, "open", "done", "2026-11-13T08:00:00Z")
    assert read(path, "SELECT id, meeting_id, kind, text, owner, due_on, status FROM minutes_entries") == [
        (entry, meeting_id, "action", "Call back", "Ana", "2026-12-01", "done")]
    assert read(path, "SELECT entry_id, old_status, new_status, changed_at FROM action_status_changes") == [
        (entry, "open", "done", "2026-11-13T08:00:00Z")]
    assert action_store.kind_and_status(db, entry) == ("action", "done")
    assert action_store.kind_and_status(db, entry + 1) is None


def test_the_retention_setting_is_replaced_in_place_and_removed_when_off(setup):
    db, unit_id, _, path = setup
    key = f"contribution_retention_days/unit/{unit_id}"
    for days in (30, 7):
        with store.write_transaction(db):
            retention_store.set_retention_days(db, unit_id, days)
    assert read(path, "SELECT key, value FROM app_settings WHERE key LIKE 'contribution_retention%'") == [(key, "7")]
    assert retention_store.retention_days(db, unit_id) == 7
    with store.write_transaction(db):
        retention_store.set_retention_days(db, unit_id, None)
    assert read(path, "SELECT key FROM app_settings WHERE key LIKE 'contribution_retention%'") == []
    assert retention_store.retention_days(db, unit_id) is None


def test_plans_undated_first_and_finance_with_the_month_before(setup):
    db, unit_id, _, path = setup
    with second_connection(path) as other, store.write_transaction(other):
        other.executemany("INSERT INTO plans (unit_id, source_key, section, title, starts_on) VALUES (?, ?, ?, ?, ?)",
                         [(unit_id, "a", "marketing", "Spring mailing", "2027-03-01"),
                          (unit_id, "b", "marketing", "Always-on survey", None),
                          (unit_id, "c", "marketing", "Autumn fair", "2026-10-01"),
                          (unit_id, "d", "sales", "Key accounts", None)])
        other.executemany("INSERT INTO finance (unit_id, period, line, actual, budget) VALUES (?, ?, ?, ?, ?)",
                         [(unit_id, "2026-09", "Revenue", 90.0, 100.0), (unit_id, "2026-10", "Revenue", 95.0, 100.0),
                          (unit_id, "2026-10", "Costs", 40.0, 50.0)])
    assert [p["title"] for p in plan_store.section_plans(db, unit_id, "marketing")] == [
        "Always-on survey", "Autumn fair", "Spring mailing"]
    assert plan_store.finance_lines(db, unit_id, "2026-10", "2026-09") == [
        {"line": "Revenue", "actual": 95.0, "budget": 100.0, "actual_before": 90.0},
        {"line": "Costs", "actual": 40.0, "budget": 50.0, "actual_before": None}]
