"""store.live, store.accounts and store.limits: what the named functions write, read back with the engine's own
driver (sqlite3 or psycopg, not through the store), and what their readers return, against hand-written
expectations. On both engines."""
import pytest
from support.table_rows import plain_read

from meeting import store
from meeting.minutes.entries import add_entry
from meeting.store import accounts as accounts_store
from meeting.store import limits as limits_store
from meeting.store import live as live_store
from meeting.store import meetings
from meeting.store import settings as settings_store

pytestmark = pytest.mark.both_engines


@pytest.fixture
def meeting_id(fresh_db):
    store.get_or_create_unit(fresh_db, "Ireland")
    return meetings.create_meeting(fresh_db, "Ireland", "2025-03-12", title="Ireland March")


_read = plain_read


def test_a_saved_contribution_is_the_row_on_file(fresh_db, db_path, meeting_id):
    with store.write_transaction(fresh_db):
        first = live_store.save_contribution(fresh_db, meeting_id, "customer", author_token="tok-a",
                                             display_name="Ana", text="Call back sooner", rating=2,
                                             created_at="2025-03-12T10:00:00.000+00:00", approved=False)
        second = live_store.save_contribution(fresh_db, meeting_id, "employees", author_token="tok-a",
                                              display_name=None, text="", rating=5,
                                              created_at="2025-03-12T10:05:00.000+00:00", approved=True)
    assert _read(db_path, "SELECT id, meeting_id, section, author_token, display_name, text, rating, created_at, "
                          "hidden, approved FROM contributions ORDER BY id") == [
        (first, meeting_id, "customer", "tok-a", "Ana", "Call back sooner", 2, "2025-03-12T10:00:00.000+00:00", 0, 0),
        (second, meeting_id, "employees", "tok-a", None, "", 5, "2025-03-12T10:05:00.000+00:00", 0, 1),
    ]
    assert live_store.last_contribution_at(fresh_db, meeting_id, "tok-a") == "2025-03-12T10:05:00.000+00:00"
    assert live_store.last_contribution_at(fresh_db, meeting_id, "tok-b") is None
    assert [row["text"] for row in live_store.contributions_by_author(fresh_db, meeting_id, "tok-a")] == [
        "Call back sooner", ""]

    with store.write_transaction(fresh_db):
        live_store.set_contribution_hidden(fresh_db, first, True)
    assert _read(db_path, "SELECT hidden, approved FROM contributions WHERE id = ?", [first]) == [(1, 0)]
    with store.write_transaction(fresh_db):
        live_store.approve_contribution(fresh_db, first)
    assert _read(db_path, "SELECT hidden, approved FROM contributions WHERE id = ?", [first]) == [(0, 1)]


def test_the_entry_made_from_a_contribution_is_found_by_its_own_id_only(fresh_db, db_path, meeting_id):
    with store.write_transaction(fresh_db):
        ids = [live_store.save_contribution(fresh_db, meeting_id, "customer", author_token="t", display_name=None,
                                            text=f"c{n}", rating=None, created_at="2025-03-12T10:00:00+00:00",
                                            approved=True) for n in range(11)]
    one, eleven = ids[0], ids[10]
    assert (one, eleven) == (1, 11)  # "contribution:1:%" must not reach contribution 11's entry
    entry = add_entry(fresh_db, meeting_id, "customer", "note", "c10")
    with store.write_transaction(fresh_db):
        live_store.link_entry_to_contribution(fresh_db, entry, eleven, "note")
    assert _read(db_path, "SELECT source_key FROM minutes_entries WHERE id = ?", [entry]) == [("contribution:11:note",)]
    assert live_store.entry_of_contribution(fresh_db, meeting_id, eleven) == (entry, "note")
    assert live_store.entry_of_contribution(fresh_db, meeting_id, one) is None
    listed = {row["id"]: (row["entry_id"], row["entry_kind"]) for row in live_store.list_contributions(fresh_db, meeting_id)}
    assert listed[eleven] == (entry, "note") and listed[one] == (None, None) and len(listed) == 11
    assert [row["id"] for row in live_store.list_contributions(fresh_db, meeting_id, after_id=9)] == [10, 11]

    with store.write_transaction(fresh_db):
        live_store.delete_entries_of_contribution(fresh_db, meeting_id, one)
    assert _read(db_path, "SELECT COUNT(*) FROM minutes_entries") == [(1,)]
    with store.write_transaction(fresh_db):
        live_store.delete_entries_of_contribution(fresh_db, meeting_id, eleven)
    assert _read(db_path, "SELECT COUNT(*) FROM minutes_entries") == [(0,)]


def test_section_visits_open_and_end(fresh_db, db_path, meeting_id):
    with store.write_transaction(fresh_db):
        live_store.record_section_visit(fresh_db, meeting_id, "customer", "2025-03-12T10:00:00+00:00")
        live_store.end_section_visits(fresh_db, meeting_id, "2025-03-12T10:20:00+00:00")
        live_store.record_section_visit(fresh_db, meeting_id, "employees", "2025-03-12T10:20:00+00:00")
    assert _read(db_path, "SELECT section, started_at, ended_at FROM section_visits ORDER BY id") == [
        ("customer", "2025-03-12T10:00:00+00:00", "2025-03-12T10:20:00+00:00"),
        ("employees", "2025-03-12T10:20:00+00:00", None),
    ]
    assert [row["section"] for row in live_store.section_visits(fresh_db, meeting_id)] == ["customer", "employees"]


def test_live_state_writes_the_meeting_row(fresh_db, db_path, meeting_id):
    with store.write_transaction(fresh_db):
        live_store.mark_meeting_live(fresh_db, meeting_id, join_code="7KQ4M9XZ2P", section="customer",
                                     now="2025-03-12T10:00:00+00:00")
        live_store.save_room_settings(fresh_db, meeting_id, interval_seconds=30, premoderate=False)
    assert _read(db_path, "SELECT status, join_code, current_section, section_started_at, started_at, "
                          "contribution_interval_seconds, premoderate FROM meetings WHERE id = ?", [meeting_id]) == [
        ("live", "7KQ4M9XZ2P", "customer", "2025-03-12T10:00:00+00:00", "2025-03-12T10:00:00+00:00", 30, 0)]
    assert live_store.live_meeting_by_join_code(fresh_db, "7KQ4M9XZ2P")["id"] == meeting_id
    assert set(live_store.joinable_meeting(fresh_db, "7KQ4M9XZ2P")) == {"id", "title", "status", "current_section"}
    with store.write_transaction(fresh_db):
        live_store.mark_meeting_closed(fresh_db, meeting_id, "2025-03-12T12:00:00+00:00")
    assert live_store.live_meeting_by_join_code(fresh_db, "7KQ4M9XZ2P") is None
    assert live_store.meeting_by_join_code(fresh_db, "7KQ4M9XZ2P")["closed_at"] == "2025-03-12T12:00:00+00:00"


def test_users_insert_once_and_list_in_nocase_order(fresh_db, db_path):
    for name in ("bravo", "Charlie", "alpha"):
        store.get_or_create_unit(fresh_db, name)
    unit_ids = [row[0] for row in _read(db_path, "SELECT id FROM units ORDER BY id")]
    with store.write_transaction(fresh_db):
        gm = accounts_store.insert_user(fresh_db, "gm@example.org", "gm", "scrypt$x", "2025-03-01T09:00:00+00:00")
        accounts_store.add_user_units(fresh_db, gm, unit_ids)
        assert accounts_store.insert_user_if_absent(fresh_db, "admin", "admin", "2025-03-01T09:00:00+00:00")
        assert not accounts_store.insert_user_if_absent(fresh_db, "admin", "admin", "2025-03-02T09:00:00+00:00")
    assert _read(db_path, "SELECT id, email, role, password_hash, created_at FROM users ORDER BY id") == [
        (gm, "gm@example.org", "gm", "scrypt$x", "2025-03-01T09:00:00+00:00"),
        (gm + 1, "admin", "admin", None, "2025-03-01T09:00:00+00:00"),
    ]
    assert accounts_store.admin_count(fresh_db) == 1
    assert accounts_store.user_unit_ids(fresh_db, gm) == tuple(sorted(unit_ids))
    assert accounts_store.list_accounts(fresh_db) == [
        {"email": "admin", "role": "admin", "created_at": "2025-03-01T09:00:00+00:00", "has_password": False,
         "units": ()},
        {"email": "gm@example.org", "role": "gm", "created_at": "2025-03-01T09:00:00+00:00", "has_password": True,
         "units": ("alpha", "bravo", "Charlie")},
    ]
    with store.write_transaction(fresh_db):
        accounts_store.insert_session(fresh_db, "s1", gm, "2025-03-01T09:00:00+00:00", "2025-03-01T21:00:00+00:00")
        accounts_store.insert_session(fresh_db, "s2", gm, "2025-03-02T09:00:00+00:00", "2025-03-02T21:00:00+00:00")
        accounts_store.delete_expired_sessions(fresh_db, "2025-03-02T08:00:00+00:00")
    assert _read(db_path, "SELECT id FROM sessions") == [("s2",)]
    assert accounts_store.session_user_id(fresh_db, "s2") == gm and accounts_store.session_user_id(fresh_db, "s1") is None
    with store.write_transaction(fresh_db):
        accounts_store.delete_user(fresh_db, gm)
    assert _read(db_path, "SELECT COUNT(*) FROM user_units") == [(0,)]
    assert _read(db_path, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_settings_add_once_or_replace(fresh_db, db_path):
    with store.write_transaction(fresh_db):
        assert settings_store.set_setting(fresh_db, "k", "first", replace=False)
        assert not settings_store.set_setting(fresh_db, "k", "second", replace=False)
    assert _read(db_path, "SELECT value FROM app_settings WHERE key = 'k'") == [("first",)]
    with store.write_transaction(fresh_db):
        settings_store.set_setting(fresh_db, "k", "third")
        settings_store.set_setting(fresh_db, "other", "x")
    assert _read(db_path, "SELECT key, value FROM app_settings WHERE key IN ('k', 'other') ORDER BY key") == [
        ("k", "third"), ("other", "x")]
    assert settings_store.get_setting(fresh_db, "missing") is None


def test_audit_events_newest_n_come_back_oldest_first(fresh_db):
    with store.write_transaction(fresh_db):
        for n, at in enumerate(["2025-03-01T09:00:00+00:00", "2025-03-02T09:00:00+00:00",
                                "2025-03-02T09:00:00+00:00", "2025-03-03T09:00:00+00:00"]):
            accounts_store.append_audit_event(fresh_db, at, "cli", f"a{n}", "{}")
    assert [e[2] for e in accounts_store.list_audit_events(fresh_db)] == ["a0", "a1", "a2", "a3"]
    assert [e[2] for e in accounts_store.list_audit_events(fresh_db, limit=3)] == ["a1", "a2", "a3"]
    assert [e[2] for e in accounts_store.list_audit_events(fresh_db, "2025-03-02T09:00:00+00:00")] == ["a1", "a2", "a3"]


def test_limiter_counts_what_is_on_file(fresh_db, db_path):
    with store.write_transaction(fresh_db):
        for at in (100.0, 200.0, 300.0):
            limits_store.record_attempt(fresh_db, "join", "1.2.3.4", at, ok=False)
        limits_store.record_attempt(fresh_db, "join", "5.6.7.8", 250.0, ok=False)
        limits_store.record_attempt(fresh_db, "join", "1.2.3.4", 150.0, ok=True)
        limits_store.record_attempt(fresh_db, "passcode", "1.2.3.4", 400.0, ok=False)
    assert _read(db_path, "SELECT scope, client, at, ok FROM guess_attempts ORDER BY id") == [
        ("join", "1.2.3.4", 100.0, 0), ("join", "1.2.3.4", 200.0, 0), ("join", "1.2.3.4", 300.0, 0),
        ("join", "5.6.7.8", 250.0, 0), ("join", "1.2.3.4", 150.0, 1), ("passcode", "1.2.3.4", 400.0, 0)]
    assert limits_store.last_success_at(fresh_db, "join", "1.2.3.4") == 150.0
    assert limits_store.client_failures_after(fresh_db, "join", "1.2.3.4", 150.0) == (2, 300.0)
    assert limits_store.client_failures_after(fresh_db, "join", "9.9.9.9", 0.0) == (0, None)
    assert limits_store.failures_after(fresh_db, "join", 150.0) == (3, 300.0)
    with store.write_transaction(fresh_db):
        limits_store.forget_attempts_before(fresh_db, "join", 200.0)
        limits_store.forget_successes(fresh_db, "join", "1.2.3.4")
    assert _read(db_path, "SELECT scope, at FROM guess_attempts ORDER BY id") == [
        ("join", 200.0), ("join", 300.0), ("join", 250.0), ("passcode", 400.0)]
