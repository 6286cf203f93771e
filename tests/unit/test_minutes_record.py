"""Issue 28: the minutes' life after close (draft -> final -> approved), on the CLI and in the audit trail."""
import datetime as dt
import hashlib
import json

import pytest
import time_machine

from meeting import cli, live, minutes, store
from meeting.store import meetings

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def meeting(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Testland")
    meeting_id = meetings.create_meeting(fresh_db, unit, "2026-11-12", title="Testland November")
    meetings.add_participant(fresh_db, meeting_id, "Gina GM", "leader")
    meetings.add_participant(fresh_db, meeting_id, "Omar Ops", "leader")
    meetings.add_participant(fresh_db, meeting_id, "Carla Customer", "customer", organisation="Acme")
    live.start_meeting(fresh_db, meeting_id)
    minutes.add_entry(fresh_db, meeting_id, "customer", "note", "Installs take three weeks", speaker="Carla Customer")
    minutes.add_entry(fresh_db, meeting_id, "operations", "action", "Halve the install backlog", owner="Omar Ops",
                      due_on="2026-12-15")
    return meeting_id


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def status(capsys, meeting_id) -> dict:
    code, out, _ = run(capsys, "minutes-status", meeting_id, "--json")
    assert code == 0
    return json.loads(out)


def test_a_live_meeting_cannot_be_finalised_and_stays_a_draft(fresh_db, meeting, capsys):
    code, _, err = run(capsys, "finalise", meeting)
    assert code == 1 and "closed" in err and "live" in err
    assert status(capsys, meeting) == {"status": "draft", "approved_by": None, "approved_on": None,
                                       "fingerprint": None}


def test_finalise_then_approve_records_who_when_and_the_fingerprint(fresh_db, meeting, capsys):
    live.close_meeting(fresh_db, meeting)
    assert status(capsys, meeting)["status"] == "draft"
    code, out, _ = run(capsys, "approve", meeting, "--by", "Gina GM")
    assert code == 1 and "finalise" in _  # a draft is not approved
    code, out, _ = run(capsys, "finalise", meeting)
    assert code == 0
    final = status(capsys, meeting)
    assert final["status"] == "final" and final["approved_by"] is None
    assert len(final["fingerprint"]) == 64 and int(final["fingerprint"], 16) >= 0
    code, _, err = run(capsys, "finalise", meeting)
    assert code == 1 and "already final" in err

    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone.utc), tick=False):
        code, out, _ = run(capsys, "approve", meeting, "--by", "  gina  gm ")  # the roster's spelling is kept
    assert code == 0
    assert status(capsys, meeting) == {"status": "approved", "approved_by": "Gina GM", "approved_on": "2026-11-27",
                                       "fingerprint": final["fingerprint"]}
    code, _, err = run(capsys, "approve", meeting, "--by", "Omar Ops")
    assert code == 1 and "already approved by Gina GM on 2026-11-27" in err

    code, out, _ = run(capsys, "audit", "--json")
    events = {e["action"]: e for e in json.loads(out)}
    assert events["minutes_finalise"]["detail"] == {"meeting_id": meeting, "fingerprint": final["fingerprint"]}
    assert events["minutes_approve"]["detail"] == {"meeting_id": meeting, "approved_by": "Gina GM",
                                                   "approved_on": "2026-11-27", "fingerprint": final["fingerprint"]}
    assert events["minutes_approve"]["at"].startswith("2026-11-27")


@pytest.mark.parametrize("name", ["Carla Customer", "Nobody Known", ""])
def test_only_a_leader_on_the_roster_approves(fresh_db, meeting, capsys, name):
    live.close_meeting(fresh_db, meeting)
    assert run(capsys, "finalise", meeting)[0] == 0
    code, _, err = run(capsys, "approve", meeting, "--by", name)
    assert code == 2 and "Gina GM, Omar Ops" in err
    assert status(capsys, meeting)["status"] == "final"


def test_entries_of_final_minutes_are_refused_with_the_reason(fresh_db, meeting, capsys):
    live.close_meeting(fresh_db, meeting)
    [note, action] = [e["id"] for e in minutes.list_entries(fresh_db, meeting)]
    run(capsys, "finalise", meeting)
    code, _, err = run(capsys, "entries", "edit", action, "--text", "Something else")
    assert code == 1 and "final" in err and "fingerprint" in err
    code, _, err = run(capsys, "entries", "delete", note)
    assert code == 1 and "final" in err
    assert [e["text"] for e in minutes.list_entries(fresh_db, meeting)] == ["Installs take three weeks",
                                                                            "Halve the install backlog"]


def test_the_fingerprint_is_the_sha256_of_the_stored_canonical_text_and_ignores_when(fresh_db, meeting, capsys):
    live.close_meeting(fresh_db, meeting)
    run(capsys, "finalise", meeting)
    [row] = fresh_db.query("SELECT * FROM minutes_records WHERE meeting_id = ?", [meeting])
    assert row["fingerprint"] == hashlib.sha256(row["canonical"].encode("utf-8")).hexdigest()
    record = json.loads(row["canonical"])
    # Canonical: sorted keys, no spaces between tokens, UTF-8 (written out here, not borrowed from the code).
    assert row["canonical"] == json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    texts = [item["text"] for sec in record["sections"] for kind in ("notes", "actions") for item in sec[kind]]
    assert texts == ["Installs take three weeks", "Halve the install backlog"]
    assert "Carla Customer" in row["canonical"]  # the named record
    assert "status" not in json.dumps(record["sections"])  # action status is followed in the register
    # The same record a month later gives the same fingerprint: nothing timed is in it.
    from meeting.minutes import record as minutes_record
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        again = minutes_record.canonical_form(minutes.build_minutes(fresh_db, meeting, internal=True))
    assert hashlib.sha256(again.encode("utf-8")).hexdigest() == row["fingerprint"]


def test_the_store_keeps_the_record_fixed_whoever_writes(fresh_db, meeting, capsys):
    live.close_meeting(fresh_db, meeting)
    run(capsys, "finalise", meeting)
    with pytest.raises(Exception, match="never change"):
        with store.write_transaction(fresh_db):
            fresh_db.execute("UPDATE minutes_records SET fingerprint = 'x' WHERE meeting_id = ?", [meeting])
    run(capsys, "approve", meeting, "--by", "Omar Ops")
    with pytest.raises(Exception, match="never change"):
        with store.write_transaction(fresh_db):
            fresh_db.execute("UPDATE minutes_records SET approved_by = 'Gina GM' WHERE meeting_id = ?", [meeting])
    assert status(capsys, meeting)["approved_by"] == "Omar Ops"


def test_an_unknown_meeting_is_not_found(fresh_db, capsys):
    code, _, err = run(capsys, "minutes-status", 999)
    assert code == 1 and "No meeting" in err
