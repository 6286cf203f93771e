"""meeting.live: join codes, the draft -> live -> closed state machine, contributions and moderation."""
import datetime as dt
import math
import subprocess
import sys
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.table_rows import count_rows, get_row, insert_rows

from meeting import limiter, live, minutes, store
from meeting.sections import SECTIONS, allot_minutes
from meeting.store import SECTION_KEYS, meetings

# Store- and CLI-level: each test runs on SQLite and on PostgreSQL in the default run.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def meeting_id(fresh_db):
    store.get_or_create_unit(fresh_db, "Ireland")
    return meetings.create_meeting(fresh_db, "Ireland", "2025-03-12", title="Ireland March")


@pytest.fixture
def live_meeting(fresh_db, meeting_id):
    code = live.start_meeting(fresh_db, meeting_id)
    return meeting_id, code


def _status(db, meeting_id):
    return db.execute("SELECT status FROM meetings WHERE id = ?", [meeting_id]).fetchone()[0]


# --- codes ---------------------------------------------------------------------------------------------------

def test_codes_carry_at_least_50_bits_of_an_unambiguous_alphabet():
    assert len(set(live.CODE_ALPHABET)) == 32 and not set("ILOU") & set(live.CODE_ALPHABET)
    assert live.CODE_LENGTH * math.log2(len(live.CODE_ALPHABET)) >= 50
    codes = {live.generate_code() for _ in range(2000)}
    assert len(codes) == 2000  # 50 bits: a clash among 2,000 would mean a broken generator
    assert all(len(c) == 10 and set(c) <= set(live.CODE_ALPHABET) for c in codes)
    # Every character position uses the whole alphabet (not, say, digits only).
    assert set("".join(c[0] for c in codes)) == set(live.CODE_ALPHABET)


def test_code_is_shown_in_groups():
    assert live.format_code("7KQ4M9XZ2P") == "7KQ4-M9XZ-2P"


@pytest.mark.parametrize("typed", ["7kq4-m9xz-2p", " 7KQ4 M9XZ 2P ", "7kq4m9xz2p", "7KQ4.M9XZ_2P"])
def test_typed_codes_are_normalised(typed):
    assert live.normalise_code(typed) == "7KQ4M9XZ2P"


def test_lookalike_letters_read_as_digits():
    assert live.normalise_code("IL0O-ABCD-EF") == "1100ABCDEF"


@pytest.mark.parametrize("typed", [None, "", "7KQ4-M9XZ", "7KQ4-M9XZ-2PX", "7KQ4-M9XZ-2U", "<script>xx"])
def test_malformed_codes_are_refused(typed):
    assert live.normalise_code(typed) is None


@given(st.text(alphabet=live.CODE_ALPHABET, min_size=10, max_size=10))
def test_format_then_normalise_round_trips(code):
    assert live.normalise_code(live.format_code(code).lower()) == code


# --- state machine -------------------------------------------------------------------------------------------

def test_start_opens_the_customer_section_and_issues_a_code(fresh_db, meeting_id):
    code = live.start_meeting(fresh_db, meeting_id)
    row = meetings.get_meeting(fresh_db, meeting_id)
    assert (row["status"], row["current_section"], row["join_code"]) == ("live", "customer", code)
    assert row["started_at"] and row["section_started_at"]
    assert live.start_meeting(fresh_db, meeting_id) == code  # a second click changes nothing


def test_only_live_meetings_are_found_by_code(fresh_db, live_meeting):
    meeting_id, code = live_meeting
    assert live.find_live_meeting_by_code(fresh_db, live.format_code(code).lower())["id"] == meeting_id
    assert live.find_live_meeting_by_code(fresh_db, "0000-0000-00") is None
    live.close_meeting(fresh_db, meeting_id)
    assert live.find_live_meeting_by_code(fresh_db, code) is None


def test_sections_advance_in_the_fixed_order_and_restart_the_clock(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    fresh_db.execute("UPDATE meetings SET section_started_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", [meeting_id])
    visited = [live.advance_section(fresh_db, meeting_id) for _ in range(5)]
    assert visited == list(SECTION_KEYS[1:])
    assert meetings.get_meeting(fresh_db, meeting_id)["section_started_at"] > "2000"
    with pytest.raises(ValueError, match="last section"):
        live.advance_section(fresh_db, meeting_id)
    assert live.advance_section(fresh_db, meeting_id, to="marketing") == "marketing"  # back, on purpose
    with pytest.raises(ValueError, match="Unknown section"):
        live.advance_section(fresh_db, meeting_id, to="coffee")


def test_previous_and_next_follow_the_fixed_order():
    assert live.next_section_key("sales") == "finance" and live.next_section_key("finance") is None
    assert live.previous_section_key("employees") == "customer" and live.previous_section_key("customer") is None


def test_draft_and_closed_meetings_refuse_to_move(fresh_db, meeting_id):
    with pytest.raises(PermissionError, match="draft"):
        live.advance_section(fresh_db, meeting_id)
    with pytest.raises(PermissionError, match="start it first"):
        live.close_meeting(fresh_db, meeting_id)
    live.start_meeting(fresh_db, meeting_id)
    live.close_meeting(fresh_db, meeting_id)
    assert _status(fresh_db, meeting_id) == "closed"
    with pytest.raises(PermissionError):
        live.advance_section(fresh_db, meeting_id)
    with pytest.raises(PermissionError, match="cannot be started again"):
        live.start_meeting(fresh_db, meeting_id)


def test_time_boxes_come_from_the_agenda_else_the_default_shares(fresh_db, meeting_id):
    assert live.time_boxes(fresh_db, meeting_id) == allot_minutes(120)
    insert_rows(fresh_db, "agenda_items", [
        {"meeting_id": meeting_id, "section": "customer", "position": 1, "title": "Voices", "minutes": 25},
        {"meeting_id": meeting_id, "section": "customer", "position": 2, "title": "Guest", "minutes": 20},
    ])
    boxes = live.time_boxes(fresh_db, meeting_id)
    assert boxes["customer"] == 45 and boxes["finance"] == allot_minutes(120)["finance"]


def test_section_clock_reports_elapsed_against_the_box():
    started = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.timezone.utc)
    meeting = {"status": "live", "current_section": "customer", "section_started_at": started.isoformat()}
    clock = live.section_clock(meeting, {"customer": 10}, now=started + dt.timedelta(minutes=12, seconds=5))
    assert clock["elapsed_seconds"] == 725 and clock["over"] and live.format_elapsed(725) == "12:05"


# --- contributions -------------------------------------------------------------------------------------------

def test_contribution_is_stored_with_its_author_and_section(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    cid = live.add_contribution(fresh_db, meeting_id, "customer", "  You listen well  ", 4, "tok-a", " Ana  B ")
    [row] = live.list_contributions(fresh_db, meeting_id)
    assert (row["id"], row["text"], row["rating"], row["display_name"], row["author_token"], row["hidden"]) == \
        (cid, "You listen well", 4, "Ana B", "tok-a", 0)


@pytest.mark.parametrize("text, rating, message", [
    ("", None, "empty"),
    ("   \n ", None, "empty"),
    ("x" * 2001, 3, "2,000 characters or fewer"),
    ("fine", 0, "from 1 to 5"),
    ("fine", 6, "from 1 to 5"),
    ("fine", 2.5, "from 1 to 5"),
    ("fine", True, "from 1 to 5"),
])
def test_refused_contributions_say_why_and_store_nothing(fresh_db, live_meeting, text, rating, message):
    meeting_id, _ = live_meeting
    with pytest.raises(ValueError, match=message):
        live.add_contribution(fresh_db, meeting_id, "customer", text, rating, "tok")
    assert count_rows(fresh_db, "contributions") == 0


def test_a_rating_without_text_is_accepted(fresh_db, live_meeting):
    """Regression (issue 13): a rating could not be sent without text."""
    meeting_id, code = live_meeting
    live.contribute_by_code(fresh_db, code, "  ", 4, "tok-rating-only")
    [row] = live.list_contributions(fresh_db, meeting_id)
    assert (row["text"], row["rating"]) == ("", 4)


def test_exactly_2000_characters_and_no_rating_are_accepted(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    live.add_contribution(fresh_db, meeting_id, "customer", "x" * 2000, None, "tok")
    assert count_rows(fresh_db, "contributions") == 1


def test_draft_and_closed_meetings_refuse_contributions(fresh_db, meeting_id):
    with pytest.raises(PermissionError, match="yet"):
        live.add_contribution(fresh_db, meeting_id, "customer", "early", 3, "tok")
    code = live.start_meeting(fresh_db, meeting_id)
    live.close_meeting(fresh_db, meeting_id)
    with pytest.raises(PermissionError, match="ended"):
        live.add_contribution(fresh_db, meeting_id, "customer", "late", 3, "tok")
    with pytest.raises(PermissionError, match="ended"):
        live.contribute_by_code(fresh_db, code, "late", 3, "tok")
    assert count_rows(fresh_db, "contributions") == 0


def test_contribute_by_code_goes_to_the_current_section(fresh_db, live_meeting):
    meeting_id, code = live_meeting
    live.advance_section(fresh_db, meeting_id)
    assert live.contribute_by_code(fresh_db, live.format_code(code).lower(), "hello", 5, "tok") == "employees"
    with pytest.raises(LookupError):
        live.contribute_by_code(fresh_db, "0000000000", "hello", 5, "tok")


def test_my_contributions_are_only_mine(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    live.add_contribution(fresh_db, meeting_id, "customer", "mine", 3, "me")
    live.add_contribution(fresh_db, meeting_id, "customer", "someone else's", 1, "other", "Bob")
    assert [r["text"] for r in live.my_contributions(fresh_db, meeting_id, "me")] == ["mine"]
    assert live.my_contributions(fresh_db, meeting_id, "") == []


def test_list_contributions_filters_hidden_and_newer(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    ids = [live.add_contribution(fresh_db, meeting_id, "customer", f"c{i}", 3, "t") for i in range(3)]
    live.hide_contribution(fresh_db, ids[1])
    assert [r["id"] for r in live.list_contributions(fresh_db, meeting_id, include_hidden=False)] == [ids[0], ids[2]]
    assert [r["id"] for r in live.list_contributions(fresh_db, meeting_id, after_id=ids[0])] == ids[1:]
    live.hide_contribution(fresh_db, ids[1], hidden=False)
    assert len(live.list_contributions(fresh_db, meeting_id, include_hidden=False)) == 3


def test_thirty_concurrent_writers_lose_nothing(db_path, fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    writers, each = 30, 20
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def customer(n: int) -> None:
        db = store.open_db(db_path, migrate=False)  # each writer its own connection, as each session has
        try:
            barrier.wait()
            for i in range(each):
                live.add_contribution(db, meeting_id, SECTION_KEYS[i % 6], f"w{n}-{i}", 1 + i % 5, f"tok{n}")
        except BaseException as error:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=customer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    texts = {r["text"] for r in live.list_contributions(fresh_db, meeting_id)}
    assert texts == {f"w{n}-{i}" for n in range(writers) for i in range(each)}


# --- moderation and minutes ----------------------------------------------------------------------------------

@pytest.mark.both_engines
def test_a_send_that_finds_the_database_busy_is_retried(db_path, fresh_db, live_meeting, monkeypatch):
    """Another writer holds the write lock past the wait: the engine's busy error (SQLite's lock wait, or
    PostgreSQL's lock_timeout on the advisory lock) is retried, and the send goes through once it is free."""
    from meeting.live import contributions
    from meeting.store import connection

    meeting_id, code = live_meeting
    if store.is_postgres(fresh_db):
        fresh_db.execute("SET lock_timeout = 200")  # this session gives up after 0.2 s, as below on SQLite
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    held, busy_seen = threading.Event(), threading.Event()
    attempts: list[str] = []
    original = contributions._contribute

    def counted(*args, **kwargs):
        try:
            result = original(*args, **kwargs)
        except store.DatabaseBusy:
            attempts.append("busy")
            busy_seen.set()
            raise
        attempts.append("stored")
        return result

    def other_writer():
        db = store.open_db(db_path, migrate=False)
        try:
            with store.write_transaction(db):
                held.set()
                busy_seen.wait(30)  # released only once a send has given up on it
        finally:
            db.close()

    monkeypatch.setattr(contributions, "_contribute", counted)
    holder = threading.Thread(target=other_writer)
    holder.start()
    assert held.wait(30)
    try:
        assert live.contribute_by_code(fresh_db, code, "sent while busy", 4, "tok") == "customer"
    finally:
        busy_seen.set()
        holder.join(30)
    assert attempts[0] == "busy" and attempts[-1] == "stored" and len(attempts) <= contributions.SEND_ATTEMPTS
    assert [c["text"] for c in live.list_contributions(fresh_db, meeting_id)] == ["sent while busy"]


def test_contribution_becomes_a_note_or_an_action_once(fresh_db, live_meeting):
    """Regression (issue 13): eight presses made eight notes, and one contribution became a note and an action."""
    meeting_id, _ = live_meeting
    insert_rows(fresh_db, "participants", {"meeting_id": meeting_id, "name": "Maeve", "kind": "leader"})
    cid = live.add_contribution(fresh_db, meeting_id, "customer", "Call me back faster", 2, "t", "Ana")
    other = live.add_contribution(fresh_db, meeting_id, "customer", "Open on Saturdays", 4, "u")
    note = live.contribution_to_entry(fresh_db, cid, "note")
    with pytest.raises(live.AlreadyConverted, match=f"note #{note}"):
        live.contribution_to_entry(fresh_db, cid, "note")
    with pytest.raises(PermissionError, match="once"):
        live.contribution_to_entry(fresh_db, cid, "action", owner="Maeve")
    action = live.contribution_to_entry(fresh_db, other, "action", owner="Maeve", due_on="2025-04-01")
    entries = {e["id"]: e for e in minutes.list_entries(fresh_db, meeting_id)}
    assert len(entries) == 2
    assert (entries[note]["kind"], entries[note]["text"], entries[note]["section"], entries[note]["speaker"]) == \
        ("note", "Call me back faster", "customer", None)  # a self-chosen name never enters the minutes
    assert (entries[action]["owner"], entries[action]["due_on"], entries[action]["status"]) == \
        ("Maeve", "2025-04-01", "open")
    shown = {row["id"]: (row["entry_id"], row["entry_kind"]) for row in live.list_contributions(fresh_db, meeting_id)}
    assert shown == {cid: (note, "note"), other: (action, "action")}
    with pytest.raises(ValueError):
        live.contribution_to_entry(fresh_db, cid, "decision")


def test_a_converted_contribution_appears_once_in_the_minutes(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    converted = live.add_contribution(fresh_db, meeting_id, "customer", "Made into a note", 2, "t")
    live.add_contribution(fresh_db, meeting_id, "customer", "Left as it is", 5, "u")
    live.contribution_to_entry(fresh_db, converted, "note")
    from meeting.minutes.model import build_minutes
    for internal in (True, False):
        customer = build_minutes(fresh_db, meeting_id, internal=internal)["sections"][0]
        assert [n["text"] for n in customer["notes"]] == ["Made into a note"]
        assert [c["text"] for c in customer["contributions"]] == ["Left as it is"]


def test_hidden_contributions_never_reach_the_minutes(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    keep = live.add_contribution(fresh_db, meeting_id, "customer", "keep me", 4, "t")
    rude = live.add_contribution(fresh_db, meeting_id, "customer", "rude words", 1, "t")
    live.contribution_to_entry(fresh_db, keep, "note")
    live.contribution_to_entry(fresh_db, rude, "action")  # made an action, then moderated after all
    live.hide_contribution(fresh_db, rude)
    assert [e["text"] for e in minutes.list_entries(fresh_db, meeting_id)] == ["keep me"]
    with pytest.raises(PermissionError, match="hidden"):
        live.contribution_to_entry(fresh_db, rude, "note")
    assert [e["text"] for e in minutes.list_entries(fresh_db, meeting_id)] == ["keep me"]
    assert get_row(fresh_db, "contributions", rude)["text"] == "rude words"  # still stored


def test_closed_meeting_is_read_only_except_action_status(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    cid = live.add_contribution(fresh_db, meeting_id, "customer", "act on this", 2, "t")
    other = live.add_contribution(fresh_db, meeting_id, "customer", "later", 2, "t")
    action = live.contribution_to_entry(fresh_db, cid, "action")
    live.close_meeting(fresh_db, meeting_id)
    live.close_meeting(fresh_db, meeting_id)  # closing twice is harmless
    with pytest.raises(PermissionError):
        live.hide_contribution(fresh_db, cid)
    with pytest.raises(PermissionError):
        live.contribution_to_entry(fresh_db, other, "note")
    with pytest.raises(PermissionError):
        minutes.add_entry(fresh_db, meeting_id, "customer", "note", "too late")
    minutes.set_action_status(fresh_db, action, "done")
    assert get_row(fresh_db, "minutes_entries", action)["status"] == "done"
    assert get_row(fresh_db, "contributions", cid)["hidden"] == 0


def test_participants_listed_leaders_first(fresh_db, meeting_id):
    insert_rows(fresh_db, "participants", [
        {"meeting_id": meeting_id, "name": "Zoe Guest", "kind": "customer"},
        {"meeting_id": meeting_id, "name": "Yann", "kind": "leader"},
        {"meeting_id": meeting_id, "name": "Abe", "kind": "frontline"},
    ])
    # One order everywhere (issue 9: three readers had three orders): the roster's, leaders first.
    assert live.participant_names(fresh_db, meeting_id) == ["Yann", "Zoe Guest", "Abe"]


# --- what customers see --------------------------------------------------------------------------------------

def test_join_view_shows_only_what_the_customer_may_see(fresh_db, live_meeting):
    meeting_id, code = live_meeting
    live.add_contribution(fresh_db, meeting_id, "customer", "mine", 5, "me")
    live.add_contribution(fresh_db, meeting_id, "customer", "SECRET other customer", 1, "other", "Rival Co")
    view = live.join_view(fresh_db, live.format_code(code), "me")
    assert set(view) == {"ok", "code", "title", "sections", "current", "mine"}
    assert view["title"] == "Ireland March"
    assert [s["title"] for s in view["sections"]] == [s.title for s in SECTIONS]
    assert view["current"] == {"key": "customer", "title": "Customer", "prompts": list(SECTIONS[0].prompts)}
    assert [m["text"] for m in view["mine"]] == ["mine"]
    assert set(view["mine"][0]) == {"section_title", "text", "rating", "created_at"}
    assert "SECRET" not in repr(view) and "Rival" not in repr(view) and "other" not in repr(view["mine"])


def test_join_view_refuses_wrong_draft_and_closed_without_data(fresh_db, meeting_id):
    fresh_db.execute("UPDATE meetings SET join_code = 'ABCDEFGHJK' WHERE id = ?", [meeting_id])  # a draft with a code
    for code, reason in [("nonsense", "invalid"), ("0000-0000-00", "unknown"), ("ABCD-EFGH-JK", "unknown")]:
        view = live.join_view(fresh_db, code)
        assert (view["ok"], view["reason"], set(view)) == (False, reason, {"ok", "reason", "message"})
    fresh_db.execute("UPDATE meetings SET join_code = NULL WHERE id = ?", [meeting_id])
    code = live.start_meeting(fresh_db, meeting_id)
    live.close_meeting(fresh_db, meeting_id)
    view = live.join_view(fresh_db, code)
    assert (view["reason"], view["message"]) == ("closed", live.CLOSED_MESSAGE)
    assert "Ireland" not in repr(view)


def test_wrong_codes_are_slowed_down_after_five(fresh_db, live_meeting):
    _, code = live_meeting
    now, client = 1000.0, "10.0.0.7"
    for _ in range(5):
        assert live.try_code(fresh_db, "0000-0000-00", client=client, now=now)["reason"] == "unknown"
    assert limiter.wait_seconds(fresh_db, "join", client, now) == 0  # five typos are free
    assert live.try_code(fresh_db, "0000-0000-01", client=client, now=now)["reason"] == "unknown"
    assert limiter.wait_seconds(fresh_db, "join", client, now) == 2.0
    blocked = live.try_code(fresh_db, code, client=client, now=now + 1)  # even the right code waits: no probing
    assert (blocked["reason"], blocked["wait_seconds"]) == ("wait", 1.0)
    assert live.try_code(fresh_db, code, client="10.0.0.8", now=now + 1)["ok"]  # another address is not held up
    live.try_code(fresh_db, "0000-0000-02", client=client, now=now + 2)
    assert limiter.wait_seconds(fresh_db, "join", client, now + 2) == 4.0  # and the wait grows
    assert live.try_code(fresh_db, code, client=client, now=now + 6)["ok"]
    assert limiter.wait_seconds(fresh_db, "join", client, now + 6) == 0  # a success starts the count again


def test_delays_grow_and_are_capped(fresh_db):
    delays = [limiter.record_failure(fresh_db, "passcode", "1.2.3.4", 0.0) for _ in range(20)]
    assert delays[:5] == [0.0] * 5 and delays[5:9] == [2.0, 4.0, 8.0, 16.0]
    assert max(delays) == limiter.MAX_DELAY_SECONDS


def test_a_failure_stamped_ahead_of_this_clock_adds_no_wait_of_its_own(fresh_db):
    """Two replicas' clocks differ by a moment: a failure another one stamped 0.5 s "in the future" must not turn
    'no wait due' into a wait, nor a 2 s wait into a longer one (seen in the two-replica browser test)."""
    for _ in range(2):
        limiter.record_failure(fresh_db, "join", "10.9.9.9", 100.5)
    assert limiter.wait_seconds(fresh_db, "join", "10.9.9.9", 100.0) == 0  # 2 of 5 free attempts used
    for _ in range(4):
        limiter.record_failure(fresh_db, "join", "10.9.9.9", 100.5)
    assert limiter.wait_seconds(fresh_db, "join", "10.9.9.9", 100.0) == 2.0  # the 6th: 2 s, never 2.5 s


def test_the_count_lives_in_the_database_not_in_the_session(db_path, fresh_db):
    """Regression (issue 13): the slowdown lived in the browser session, so a reload reset it."""
    for _ in range(7):
        limiter.record_failure(fresh_db, "passcode", None, 50.0)
    other_connection = store.open_db(db_path)  # a fresh session, after a reload
    assert limiter.wait_seconds(other_connection, "passcode", None, 51.0) == 3.0  # 4 s after the 7th, 1 s gone
    assert limiter.wait_seconds(other_connection, "join", None, 51.0) == 0  # scopes are counted apart
    rows = list(other_connection.query("SELECT scope, client, ok FROM guess_attempts"))
    assert rows == [{"scope": "passcode", "client": limiter.UNKNOWN_CLIENT, "ok": 0}] * 7


@pytest.mark.both_engines
def test_two_connections_failing_alternately_reach_the_limit_together(db_path, fresh_db, live_meeting):
    """Two app servers (a connection each) share one count: five typos in all are free, not five on each."""
    _, code = live_meeting
    other = store.open_db(db_path)
    now, client = 1000.0, "10.0.0.9"
    for n in range(limiter.FREE_ATTEMPTS):  # 3 on one connection, 2 on the other
        assert live.try_code([fresh_db, other][n % 2], "0000-0000-00", client=client, now=now)["reason"] == "unknown"
    assert live.try_code(other, "0000-0000-01", client=client, now=now)["reason"] == "unknown"  # the sixth in all
    for connection in (fresh_db, other):
        blocked = live.try_code(connection, code, client=client, now=now + 1)
        assert (blocked["reason"], blocked["wait_seconds"]) == ("wait", 1.0)
    other.close()


@pytest.mark.both_engines
def test_two_processes_failing_alternately_reach_the_limit_together(db_path, fresh_db):
    """Sign-in guesses from another process (a second server, OUTSIDE_IN_DB or OUTSIDE_IN_DATABASE_URL pointing
    at the same database) count towards this one's wait, and this one's towards the other's."""
    client, now = "198.51.100.4", 500.0
    child = ("import sys\nfrom meeting import limiter, store\ndb = store.open_db()\n"
             "print(limiter.record_failure(db, 'passcode', sys.argv[1], float(sys.argv[2])))\ndb.close()")
    waits = []
    for n in range(limiter.FREE_ATTEMPTS + 2):  # seven failures, alternately in a child process and here
        if n % 2 == 0:
            done = subprocess.run([sys.executable, "-c", child, client, repr(now)], capture_output=True, text=True,
                                  timeout=120)
            assert done.returncode == 0, done.stderr
            waits.append(float(done.stdout))
        else:
            waits.append(limiter.record_failure(fresh_db, "passcode", client, now))
    assert waits == [0.0] * limiter.FREE_ATTEMPTS + [2.0, 4.0]  # the sixth and seventh of both processes together
    assert limiter.wait_seconds(fresh_db, "passcode", client, now + 1) == 3.0


def test_many_addresses_together_are_slowed_down_too(fresh_db):
    free = limiter.TOTAL_FREE_ATTEMPTS["passcode"]
    for n in range(free + 3):  # each address stays within its own free attempts
        limiter.record_failure(fresh_db, "passcode", f"10.1.{n}.1", 100.0)
    assert limiter.wait_seconds(fresh_db, "passcode", "10.9.9.9", 100.0) == 8.0  # a new address waits as well
    assert limiter.wait_seconds(fresh_db, "passcode", "10.9.9.9", 100.0 + limiter.WINDOW_SECONDS + 1) == 0


def test_failed_attempts_are_logged(fresh_db, caplog):
    with caplog.at_level("WARNING", logger="outside_in.limiter"):
        limiter.record_failure(fresh_db, "join", "192.0.2.1", 10.0)
    assert "failed join attempt from 192.0.2.1" in caplog.text


def test_unknown_scope_is_refused(fresh_db):
    with pytest.raises(ValueError, match="scope"):
        limiter.record_failure(fresh_db, "email", "1.1.1.1")


# --- join details and literal text ---------------------------------------------------------------------------

def test_join_link_and_qr_code():
    base = live.base_url("http://10.0.0.5:8501/run")
    assert base == "http://10.0.0.5:8501"
    assert live.base_url("http://x/run", "https://meet.example.org/") == "https://meet.example.org"
    link = live.join_link(base, "7KQ4M9XZ2P")
    assert link == "http://10.0.0.5:8501/join?code=7KQ4-M9XZ-2P"
    svg = live.qr_svg(link)
    assert svg.startswith("<svg") and "path" in svg
    assert live.qr_png(link)[:8] == b"\x89PNG\r\n\x1a\n"



def test_a_send_after_the_meeting_moved_on_stores_nothing_until_the_customer_chooses(fresh_db, live_meeting):
    # Issue 26: the draft belongs to the section shown when its author started writing.
    meeting_id, code = live_meeting
    live.set_room_settings(fresh_db, meeting_id, interval_seconds=0, premoderate=False)
    live.advance_section(fresh_db, meeting_id, from_section="customer")
    live.advance_section(fresh_db, meeting_id, from_section="employees")  # now at operations
    with pytest.raises(live.SectionMoved) as moved:
        live.contribute_by_code(fresh_db, code, "Slow installs", None, "device-token-0001", section_shown="customer")
    assert (moved.value.shown, moved.value.current) == ("customer", "operations")
    assert live.list_contributions(fresh_db, meeting_id) == []
    assert live.contribute_by_code(fresh_db, code, "Slow installs", None, "device-token-0001",
                                   section_shown="customer", section="customer") == "customer"
    # Shown and current agree: stored at once; no section shown (an older page): the current one, as before.
    assert live.contribute_by_code(fresh_db, code, "Metrics", 4, "device-token-0001", section_shown="operations") == \
        "operations"
    assert live.contribute_by_code(fresh_db, code, "More", 3, "device-token-0001") == "operations"
    with pytest.raises(live.ContributionRefused, match="not been discussed yet"):
        live.contribute_by_code(fresh_db, code, "Too early", None, "device-token-0001", section="finance")
    assert [row["section"] for row in live.list_contributions(fresh_db, meeting_id)] == \
        ["customer", "operations", "operations"]
