"""The audit trail lists each event issue 14 names, whoever acted: the CLI and a signed-in user alike."""
import io
import json

import pytest
from support.table_rows import count_rows

from meeting import accounts, cli, importing, live, render, store
from meeting.store import meetings

VOC = "Response ID,Date,Touchpoint,NPS,Comments\nA1,2026-05-02,Billing,9,fine\nA2,2026-05-03,Billing,2,slow\n"
GM = "gm.kenya@example.org"

# Store- and CLI-level: each test runs on SQLite and on PostgreSQL in the default run.
pytestmark = pytest.mark.both_engines


@pytest.fixture
def kenya(db_path, fresh_db, monkeypatch):
    monkeypatch.setenv("OUTSIDE_IN_PASSCODE", "audit passcode")
    unit = store.get_or_create_unit(fresh_db, "Kenya")
    store.get_or_create_unit(fresh_db, "Peru")
    accounts.add_user(fresh_db, GM, "gm", ["Kenya"], "kenya gm password")
    return unit


def audit_json(capsys, *extra) -> list[dict]:
    capsys.readouterr()
    assert cli.main(["audit", "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_kind_of_event_is_listed_with_its_actor_and_detail(db_path, fresh_db, kenya, tmp_path, capsys, monkeypatch):
    db = fresh_db
    gm = accounts.authenticate(db, GM, "kenya gm password", None)
    accounts.authenticate(db, GM, "a wrong guess", None)
    path = tmp_path / "kenya_may.csv"
    path.write_text(VOC)
    result = importing.import_file(db, "voc", path, unit="Kenya", mapping={"received_on": "Date", "score": "NPS",
                                                                          "narrative": "Comments"},
                                   constants={"scale": "nps"}, user=gm)
    assert result.inserted == 2
    meeting = meetings.create_meeting(db, kenya, "2026-06-10")
    person = meetings.add_participant(db, meeting, "Wanjiru Kamau", "customer", user=gm)
    meetings.remove_participant(db, person, user=gm)
    meetings.add_participant(db, meeting, "Otieno Odhiambo", "leader", user=gm)
    live.start_meeting(db, meeting, user=gm)
    live.close_meeting(db, meeting, user=gm)
    render.export_minutes(db, meeting, fmt="md", out=tmp_path, user=gm)
    render.export_minutes(db, meeting, fmt="md", out=tmp_path, internal=True, user=gm)
    monkeypatch.setattr("sys.stdin", io.StringIO("viewer password 1\n"))
    assert cli.main(["users", "add", "v@example.org", "--role", "viewer", "--unit", "Kenya", "--password-stdin"]) == 0
    assert cli.main(["users", "remove", "v@example.org"]) == 0

    events = audit_json(capsys)
    seen = [(e["actor"], e["action"]) for e in events]
    assert seen == [
        ("cli", "user_add"),
        (GM, "sign_in"), (GM, "sign_in_failed"),
        (GM, "import"),
        (GM, "roster_add"), (GM, "roster_remove"), (GM, "roster_add"),
        (GM, "meeting_start"), (GM, "meeting_close"),
        (GM, "export_minutes"), (GM, "export_minutes"),
        ("cli", "user_add"), ("cli", "user_remove"),
    ]
    by_action = {}
    for event in events:
        by_action.setdefault(event["action"], []).append(event["detail"])
    assert by_action["import"] == [{"file": "kenya_may.csv", "inserted": 2, "kind": "voc", "rows": 2, "units": ["Kenya"]}]
    assert by_action["roster_remove"] == [{"meeting_id": meeting, "name": "Wanjiru Kamau"}]
    assert [d["version"] for d in by_action["export_minutes"]] == ["anonymised", "INTERNAL"]
    assert by_action["meeting_close"][0]["meeting_id"] == meeting
    assert all(e["at"].startswith("20") for e in events)
    assert audit_json(capsys, "--since", "2999-12-31") == []


def test_a_gm_cannot_import_into_another_unit_and_nothing_is_written(db_path, fresh_db, kenya, tmp_path):
    gm = accounts.load_user(fresh_db, GM)
    path = tmp_path / "peru.csv"
    path.write_text("Unit,Response ID,Date,Touchpoint,NPS\nKenya,P1,2026-05-02,Billing,9\nPeru,P2,2026-05-02,Billing,3\n"
                    "Newland,P3,2026-05-02,Billing,3\n")
    before = count_rows(fresh_db, "voc_responses")
    with pytest.raises(PermissionError, match="not one of yours"):
        importing.import_file(fresh_db, "voc", path, mapping={"unit": "Unit", "received_on": "Date", "score": "NPS"},
                              constants={"scale": "nps"}, create_units=True, user=gm)
    assert count_rows(fresh_db, "voc_responses") == before
    assert store.find_unit(fresh_db, "Newland") is None  # the unit the refused rows named was not created either
    assert "import" not in [e.action for e in accounts.audit.list_events(fresh_db)]
    with pytest.raises(PermissionError, match="not one of yours"):  # an existing unit that is not theirs
        importing.import_file(fresh_db, "voc", path, unit="Peru", mapping={"received_on": "Date", "score": "NPS"},
                              constants={"scale": "nps"}, user=gm)
    assert count_rows(fresh_db, "voc_responses") == before


def test_a_gm_cannot_import_tickets_into_another_unit(db_path, fresh_db, kenya, tmp_path):
    from meeting.importing import tickets

    plan = tickets.TicketPlan(unit="Peru", metrics=None, mapping={}, tickets=0, rows=0)
    with pytest.raises(PermissionError, match="not one of yours"):
        tickets.write_tickets(fresh_db, plan, user=accounts.load_user(fresh_db, GM))


def test_a_viewer_cannot_import(db_path, fresh_db, kenya, tmp_path):
    accounts.add_user(fresh_db, "v@example.org", "viewer", ["Kenya"], "viewer password 1")
    path = tmp_path / "k.csv"
    path.write_text(VOC)
    with pytest.raises(PermissionError, match="viewer"):
        importing.import_file(fresh_db, "voc", path, unit="Kenya", constants={"scale": "nps"},
                              user=accounts.load_user(fresh_db, "v@example.org"))


def test_only_an_admin_changes_accounts(fresh_db, kenya):
    gm = accounts.load_user(fresh_db, GM)
    with pytest.raises(PermissionError, match="Only an admin"):
        accounts.add_user(fresh_db, "x@example.org", "admin", [], "sneaky password", actor=gm)
    assert accounts.load_user(fresh_db, "x@example.org") is None
