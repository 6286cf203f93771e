"""The Prepare page through the real app (AppTest)."""
from pathlib import Path

from streamlit.testing.v1 import AppTest
from support.gm_app import open_as_gm, sign_in
from support.small_unit import seed_unit

from meeting import agenda, store
from meeting.store import meetings

APP = str(Path(__file__).resolve().parents[2] / "app.py")




def open_prepare(unit, meeting) -> AppTest:
    return open_as_gm("prepare.py", unit_id=unit, meeting_id=meeting)


def test_prepare_shows_six_sections_in_customer_first_order(prepared):
    at = open_prepare(*prepared)
    headers = [h.value for h in at.header]
    assert [h.split(" · ")[0] for h in headers] == [
        "1. Customer", "2. Employees", "3. Operations", "4. Marketing", "5. Sales", "6. Finance"]
    assert "Engineer never turned up, still waiting" in " ".join(m.value for m in at.markdown)


def test_editing_an_item_persists_in_the_database(prepared, db_path):
    unit, meeting = prepared
    at = open_prepare(unit, meeting)
    db = store.open_db(db_path)
    first = agenda.list_items(db, meeting)[0]
    at.text_input(key=f"item_title_{first['id']}").set_value("Hear the installation detractors first").run()
    at.number_input(key=f"item_minutes_{first['id']}").set_value(25).run()
    assert not at.exception
    saved = db["agenda_items"].get(first["id"])
    assert (saved["title"], saved["minutes"]) == ("Hear the installation detractors first", 25)
    at.button(key="add_item_finance").click().run()  # empty title: refused with a message, nothing added
    assert at.error and "needs a title" in at.error[0].value
    at.text_input(key="new_item_finance").set_value("Refund backlog")
    at.button(key="add_item_finance").click().run()
    assert "Refund backlog" in [i["title"] for i in agenda.list_items(db, meeting)]
    db.close()


def test_creating_a_meeting_from_the_page_drafts_its_agenda(db_path):
    db = store.open_db(db_path)
    unit = seed_unit(db)
    db.close()
    at = sign_in(AppTest.from_file(APP, default_timeout=30))
    at.run()
    at.switch_page("views/prepare.py").run()
    at.text_input(key="new_title").set_value("Testland, December")
    submit = next(b for b in at.button if b.label == "Create meeting")
    submit.click().run()
    assert not at.exception, at.exception
    db = store.open_db(db_path)
    [created] = meetings.list_meetings(db, unit)
    assert created["title"] == "Testland, December"
    assert len(agenda.list_items(db, created["id"])) == 9
    db.close()


def test_demo_meeting_agenda_shows_watermelons_first_in_operations(demo_db):
    db = store.open_db(demo_db)
    unit = store.find_unit(db, "United Kingdom")["id"]
    draft = next(m for m in meetings.list_meetings(db, unit) if m["status"] == "draft")
    db.close()
    at = open_prepare(unit, draft["id"])
    assert [h.value.split(" · ")[0] for h in at.header] == [
        "1. Customer", "2. Employees", "3. Operations", "4. Marketing", "5. Sales", "6. Finance"]
    flags = [e.value for e in at.error]
    assert any("Installation" in f for f in flags) and any("Urgent fault" in f for f in flags)
    # Carried-over actions from the closed October meeting appear in their sections.
    assert any("Open actions carried over" in w.value for w in at.warning)


def test_meeting_settings_change_the_period_and_rebox_the_agenda(prepared, db_path):
    unit, meeting = prepared
    at = open_prepare(unit, meeting)
    at.text_input(key=f"settings_period_{meeting}").set_value("2026-09")
    at.number_input(key=f"settings_total_{meeting}").set_value(90)
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception and not at.error
    db = store.open_db(db_path)
    assert meetings.get_meeting(db, meeting)["period"] == "2026-09"
    assert sum(agenda.section_minutes(agenda.list_items(db, meeting)).values()) == 90
    db.close()
    at.text_input(key=f"settings_period_{meeting}").set_value("September")
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert "YYYY" in at.error[0].value and "September" in at.error[0].value


def test_a_unit_with_no_data_yet_gets_an_agenda_and_no_exception(db_path):
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Brand-new unit")
    meeting = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting)
    db.close()
    at = open_prepare(unit, meeting)
    assert len(at.header) == 6
    assert any("No customer narrative concerns this section" in c.value for c in at.caption)


def create_from_form(at, held_on, title):
    at.date_input(key="new_held_on").set_value(held_on)
    at.text_input(key="new_title").set_value(title)
    next(b for b in at.button if b.label == "Create meeting").click().run()
    assert not at.exception, at.exception


def test_a_new_meeting_invites_the_previous_leaders_and_says_so_beside_the_button(prepared, db_path):
    # Issue 26: every month started from an empty roster, and Create meeting gave no visible confirmation.
    unit, november = prepared
    db = store.open_db(db_path)
    meetings.add_participant(db, november, "Gina GM", "leader", role="General manager", email="gina@example.com")
    meetings.add_participant(db, november, "Omar Ops", "leader")
    meetings.add_participant(db, november, "Ana Client", "customer", organisation="Client Co")
    db.close()
    at = open_prepare(unit, november)
    create_from_form(at, "2026-12-10", "Testland, December")
    db = store.open_db(db_path)
    [december] = [m for m in meetings.list_meetings(db, unit) if m["title"] == "Testland, December"]
    roster = [(p["name"], p["kind"], p["role"], p["email"]) for p in meetings.list_participants(db, december["id"])]
    db.close()
    assert roster == [("Gina GM", "leader", "General manager", "gina@example.com"), ("Omar Ops", "leader", None, None)]
    panel = next(e for e in at.expander if e.label == "New meeting")
    [confirmation] = panel.success
    assert "Created Testland, December" in confirmation.value and "Gina GM, Omar Ops" in confirmation.value
    [link] = panel.get("page_link")
    assert f'"meeting": "{december["id"]}"' in str(link.proto) or str(december["id"]) in str(link.proto)
    assert at.session_state["meeting_id"] == december["id"]
    assert at.subheader[0].value == "Testland, December"


def test_an_odd_date_or_a_second_meeting_that_month_is_asked_about_first(prepared, db_path):
    unit, november = prepared  # held 2026-11-12; the suite's clock says 2026-11-20
    at = open_prepare(unit, november)
    create_from_form(at, "2026-11-25", "Another November meeting")
    db = store.open_db(db_path)
    assert len(meetings.list_meetings(db, unit)) == 1  # not created yet: asked first
    panel = next(e for e in at.expander if e.label == "New meeting")
    assert "already has a meeting in November 2026" in panel.warning[0].value
    at.button(key="new_meeting_cancel").click().run()
    assert not next(e for e in at.expander if e.label == "New meeting").warning
    create_from_form(at, "2027-01-15", "January, far ahead")  # 56 days ahead
    assert "56 days ahead" in next(e for e in at.expander if e.label == "New meeting").warning[0].value
    at.button(key="new_meeting_anyway").click().run()
    assert [m["held_on"] for m in meetings.list_meetings(db, unit)] == ["2027-01-15", "2026-11-12"]
    create_from_form(at, "2026-12-04", "December, fine")  # 14 days ahead, nobody else in December: no question
    assert "2026-12-04" in [m["held_on"] for m in meetings.list_meetings(db, unit)]
    db.close()


def test_a_draft_meeting_can_be_deleted_and_a_closed_one_cannot(prepared, db_path):
    unit, november = prepared
    at = open_prepare(unit, november)
    at.button(key=f"delete_meeting_{november}").click().run()
    assert not at.exception, at.exception
    db = store.open_db(db_path)
    assert meetings.list_meetings(db, unit) == []
    assert any("Deleted the draft meeting" in s.value for s in at.success)
    closed = meetings.create_meeting(db, unit, "2026-10-08")
    from meeting import live

    live.start_meeting(db, closed)
    live.close_meeting(db, closed)
    db.close()
    at = open_prepare(unit, closed)
    assert not [b for b in at.button if b.key == f"delete_meeting_{closed}"]
