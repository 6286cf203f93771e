"""The agenda: fixed order, time boxes, editable items, and each section's evidence on hand-made data."""
import json

import pytest
from support.small_unit import seed_unit

from meeting import agenda, cli, config, evidence, importing, minutes, store
from meeting.store import SECTION_KEYS, meetings

# Store- and CLI-level: each runs on SQLite and on PostgreSQL in the default run (issue 23).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def meeting_id(fresh_db):
    seed_unit(fresh_db)
    earlier = meetings.create_meeting(fresh_db, "Testland", "2026-10-01")
    minutes.add_entry(fresh_db, earlier, "finance", "action", "Explain the credit backlog", owner="CFO", due_on="2026-10-30")
    minutes.add_entry(fresh_db, earlier, "operations", "action", "Done already")
    with store.write_transaction(fresh_db):
        fresh_db.execute("UPDATE minutes_entries SET status = 'done' WHERE text = 'Done already'")
    meeting = meetings.create_meeting(fresh_db, "Testland", "2026-11-12")
    agenda.draft_agenda(fresh_db, meeting)
    return meeting


def test_new_meeting_reviews_the_previous_month_and_drafts_six_sections_customer_largest(fresh_db, meeting_id):
    assert meetings.get_meeting(fresh_db, meeting_id)["period"] == "2026-10"
    built = agenda.build_agenda(fresh_db, meeting_id)
    assert [s["key"] for s in built["sections"]] == list(SECTION_KEYS)
    boxes = {s["key"]: s["minutes"] for s in built["sections"]}
    assert sum(boxes.values()) == 120
    assert boxes["customer"] == max(boxes.values()) and boxes["customer"] > boxes["employees"]
    assert agenda.draft_agenda(fresh_db, meeting_id) == 0  # drafting twice adds nothing


def test_items_can_be_added_edited_moved_and_removed_but_sections_keep_their_order(fresh_db, meeting_id):
    new = agenda.add_item(fresh_db, meeting_id, "finance", "Credit backlog", minutes=5, owner="CFO")
    first_finance = [i for i in agenda.list_items(fresh_db, meeting_id) if i["section"] == "finance"][0]["id"]
    agenda.move_item(fresh_db, new, -1)
    agenda.move_item(fresh_db, new, -1)  # already first: stays
    agenda.update_item(fresh_db, new, title="Credit backlog and refunds", minutes=7)
    items = agenda.list_items(fresh_db, meeting_id)
    finance = [i for i in items if i["section"] == "finance"]
    assert [(i["id"], i["title"], i["minutes"], i["owner"]) for i in finance] == [
        (new, "Credit backlog and refunds", 7, "CFO"), (first_finance, "Actual against budget", 12, None)]
    assert [s["key"] for s in agenda.build_agenda(fresh_db, meeting_id)["sections"]][-1] == "finance"
    agenda.delete_item(fresh_db, new)
    assert new not in [i["id"] for i in agenda.list_items(fresh_db, meeting_id)]
    with pytest.raises(ValueError):
        agenda.add_item(fresh_db, meeting_id, "finance", "   ")
    with pytest.raises(KeyError):
        agenda.add_item(fresh_db, meeting_id, "board", "Not a section")


def test_changing_the_total_reboxes_every_section(fresh_db, meeting_id):
    agenda.set_total_minutes(fresh_db, meeting_id, 90)
    boxes = agenda.section_minutes(agenda.list_items(fresh_db, meeting_id))
    assert sum(boxes.values()) == 90 and boxes["customer"] == 27


def test_every_section_carries_the_evidence_that_belongs_there(fresh_db, meeting_id):
    sections = {s["key"]: s["evidence"] for s in agenda.build_agenda(fresh_db, meeting_id)["sections"]}
    customer = sections["customer"]
    assert customer["summary"]["responses"] == {"now": 6, "before": 1, "change": 5}
    assert customer["by_touchpoint"][0]["touchpoint"] in {"Installation", "Contract", "Billing"}  # moments of truth first
    # The picker puts moments of truth first; the agenda then keeps each quote in one section only (issue 16),
    # and on this small unit every negative quote fits another section better.
    meeting = meetings.get_meeting(fresh_db, meeting_id)
    assert agenda.build_evidence(fresh_db, meeting["unit_id"], meeting["period"])["customer"]["customer_quotes"][0]["moment_of_truth"]
    assert any("refund" in q["text"] for q in sections["finance"]["customer_quotes"])
    assert all("theme: Billing refunds and credits" in q["why"] for q in sections["finance"]["customer_quotes"])
    assert any("billing system" in q["text"] for q in sections["finance"]["staff_quotes"])
    assert any("advert" in q["text"] for q in sections["marketing"]["customer_quotes"])
    assert [s["segment"] for s in sections["marketing"]["segments"]] == ["SME"]
    assert sections["sales"]["segments"][0]["responses"] == 3
    assert any("contract" in q["text"].lower() for q in sections["sales"]["customer_quotes"])
    assert sections["finance"]["lines"][0] == {"line": "Revenue", "actual": 110.0, "budget": 100.0,
                                               "actual_before": 90.0, "variance": 10.0, "variance_pct": 10.0}
    assert [a["text"] for a in sections["finance"]["open_actions"]] == ["Explain the credit backlog"]
    assert sections["finance"]["open_actions"][0]["meetings_open"] == 1
    assert sections["operations"]["open_actions"] == []
    assert sections["employees"]["engagement_trend"][-1]["engagement"] == 7


def test_cli_agenda_json_has_six_sections_in_order(fresh_db, meeting_id, db_path, capsys):
    assert cli.main(["--db", str(db_path), "agenda", str(meeting_id), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["meeting"]["id"] == meeting_id
    assert [s["key"] for s in printed["sections"]] == list(SECTION_KEYS)
    assert all({"key", "title", "minutes", "items", "evidence"} <= set(s) for s in printed["sections"])


def test_cli_agenda_text_and_unknown_meeting(fresh_db, meeting_id, db_path, capsys):
    assert cli.main(["--db", str(db_path), "agenda", str(meeting_id)]) == 0
    text = capsys.readouterr().out
    assert text.index("1. Customer") < text.index("6. Finance")
    assert cli.main(["--db", str(db_path), "agenda", "999"]) == 1
    assert "No meeting with id 999" in capsys.readouterr().err


def test_one_fingerprint_changes_on_new_rows_on_thresholds_and_on_an_in_place_correction(fresh_db, meeting_id, tmp_path):
    # Regression (issue 9): agenda.data_version counted rows and max ids, so a corrected metric (same row,
    # new actual) left the Prepare page's cached evidence stale. Every cache now keys on evidence.data_version.
    unit = meetings.get_meeting(fresh_db, meeting_id)["unit_id"]
    csv_path = tmp_path / "metrics.csv"
    csv_path.write_text("period,touchpoint,name,target,actual,direction\n2026-10,Billing,Bills right first time,95,96,higher\n")
    importing.import_file(fresh_db, "metrics", csv_path, unit=unit)
    before = evidence.data_version(fresh_db)
    assert evidence.data_version(fresh_db) == before  # stable when nothing changed: the cache is reused
    csv_path.write_text("period,touchpoint,name,target,actual,direction\n2026-10,Billing,Bills right first time,95,91,higher\n")
    importing.import_file(fresh_db, "metrics", csv_path, unit=unit)
    assert fresh_db.execute("SELECT actual FROM metrics WHERE unit_id = ? AND touchpoint = 'Billing'",
                            [unit]).fetchone()[0] == 91
    corrected = evidence.data_version(fresh_db)
    assert corrected != before
    config.save_thresholds(fresh_db, unit, {"min_responses": 3})
    assert evidence.data_version(fresh_db) != corrected

def test_an_edit_made_on_a_stale_page_is_refused_not_silently_overwriting(fresh_db, meeting_id):
    # Issue 13: two GMs preparing at once; the second save used to win silently.
    item = agenda.list_items(fresh_db, meeting_id)[0]
    shown = {key: item[key] for key in ("title", "minutes", "owner")}
    agenda.update_item(fresh_db, item["id"], title="Customers first, in their own words", shown=shown)
    with pytest.raises(ValueError, match="Someone else changed this item"):
        agenda.update_item(fresh_db, item["id"], title="A stale rename", shown=shown)
    assert agenda.list_items(fresh_db, meeting_id)[0]["title"] == "Customers first, in their own words"
    agenda.delete_item(fresh_db, item["id"])
    with pytest.raises(LookupError, match="no longer exists"):
        agenda.update_item(fresh_db, item["id"], title="Too late")
