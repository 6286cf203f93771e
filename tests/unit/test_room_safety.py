"""What the room screen may show and where its join link points (issue 22): hand-made cases."""
import pytest

from meeting import live, store, web
from meeting.store import meetings

# Store- and CLI-level: each test runs on SQLite and on PostgreSQL in the default run.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def meeting(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Screenland")
    return meetings.create_meeting(fresh_db, unit, "2026-11-12")


def test_a_new_meeting_approves_contributions_before_the_room_sees_them(fresh_db, meeting):
    assert meetings.get_meeting(fresh_db, meeting)["premoderate"] == 1
    live.start_meeting(fresh_db, meeting)
    cid = live.add_contribution(fresh_db, meeting, "customer", "Please call me", 3, "tok-a", "Ana")
    assert live.room_contributions(fresh_db, meeting) == []
    live.approve_contribution(fresh_db, cid)
    assert [row["text"] for row in live.room_contributions(fresh_db, meeting)] == ["Please call me"]


@pytest.mark.parametrize("typed, hidden", [
    ("Ring me on +44 20 7946 0123 tomorrow", ["7946", "0123"]),
    ("Mail ana.perez@example.org please", ["ana.perez", "example.org"]),
    ("My account ACC-448812 was billed twice", ["448812"]),
])
def test_contact_details_a_customer_types_are_masked_on_the_room_screen(fresh_db, meeting, typed, hidden):
    live.start_meeting(fresh_db, meeting)
    live.set_room_settings(fresh_db, meeting, interval_seconds=0, premoderate=False)
    live.add_contribution(fresh_db, meeting, "customer", typed, None, "tok-a", None)
    [shown] = [row["text"] for row in live.room_contributions(fresh_db, meeting)]
    assert shown.split()[0] == typed.split()[0]  # the rest of the words stay
    for part in hidden:
        assert part not in shown


@pytest.mark.parametrize("base, local", [
    ("http://localhost:8501", True), ("http://127.0.0.1:8501", True), ("http://[::1]:8501", True),
    ("http://0.0.0.0:8501", True), ("https://meet.example.org", False), ("http://192.168.1.20:8501", False)])
def test_a_link_to_this_machines_own_name_is_called_unreachable(base, local):
    assert live.is_local_only(base) is local


def test_the_reachable_address_keeps_scheme_and_port(monkeypatch):
    monkeypatch.setattr("meeting.live.room.lan_address", lambda: "192.168.1.20")
    assert live.reachable_base("http://localhost:8501", None) == "http://192.168.1.20:8501"
    assert live.reachable_base("http://localhost", 8600) == "http://192.168.1.20:8600"
    monkeypatch.setattr("meeting.live.room.lan_address", lambda: None)
    assert live.reachable_base("http://localhost:8501", 8501) is None


@pytest.mark.parametrize("elapsed, box, text", [(0, 10, "10:00 left"), (450, 10, "2:30 left"), (600, 10, "0:00 left"),
                                                (730, 10, "Over time by 2:10")])
def test_the_room_says_the_time_left_and_an_overrun_as_such(elapsed, box, text):
    assert live.time_left_text({"elapsed_seconds": elapsed, "box_minutes": box}) == text


@pytest.mark.parametrize("asked, safe", [("/prepare", "/prepare"), ("/run?meeting=4", "/run?meeting=4"), ("", "/"),
                                         ("https://evil.example", "/"), ("//evil.example/x", "/"),
                                         ("/\\evil.example", "/"), ("run", "/"), ("javascript:alert(1)", "/")])
def test_after_signing_in_the_browser_only_goes_somewhere_on_this_site(asked, safe):
    assert web.safe_next(asked) == safe
