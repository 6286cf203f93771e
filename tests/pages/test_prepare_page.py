"""The Prepare page through the real app (AppTest)."""
from pathlib import Path

from streamlit.testing.v1 import AppTest
from support.gm_app import open_as_gm, sign_in
from support.small_unit import seed_unit
from support.table_rows import count_rows, get_row

from meeting import agenda, store
from meeting.store import meetings

APP = str(Path(__file__).resolve().parents[2] / "router.py")




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
    saved = get_row(db, "agenda_items", first["id"])
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


def test_the_customer_section_reads_scores_with_their_interval_and_noise(demo_db, capsys):
    """The demo's UK meeting: each touchpoint's score with its interval, too-few ones not scored, and an arrow
    only on the changes that `agenda --json` calls significant."""
    import json

    from meeting import cli

    assert cli.main(["--db", str(demo_db), "agenda", "2", "--json"]) == 0
    rows = {row["touchpoint"]: row for row in next(
        s for s in json.loads(capsys.readouterr().out)["sections"] if s["key"] == "customer")["evidence"]["by_touchpoint"]}
    at = open_prepare(1, 2)
    assert not at.exception
    (table,) = [frame.value for frame in at.dataframe if "NPS (95% interval)" in frame.value.columns]
    shown = table.set_index("Touchpoint")
    assert set(shown.index) == set(rows)
    for touchpoint, row in rows.items():
        cell, change = shown.loc[touchpoint, "NPS (95% interval)"], shown.loc[touchpoint, "NPS change"]
        if row["nps_base"] == "too_few":
            assert cell == (f"too few (n={row['nps_n']})" if row["nps_n"] else "n/a") and change == "n/a"
            continue
        assert cell.endswith(f"n={row['nps_n']:,}" + (", low base" if row["nps_base"] == "low" else ""))
        assert f"({row['nps_low']:.0f} to {row['nps_high']:.0f})" in cell
        if row["nps_change_significant"] is True:
            assert change[0] in "▲▼"
        elif row["nps_change_significant"] is False:
            assert change.startswith("within noise")
    assert any(row["nps_base"] == "too_few" for row in rows.values())  # the demo's Renewal, by design
    assert any(row["nps_base"] == "low" for row in rows.values())


def test_the_invitation_button_is_offered_and_drawing_the_page_issues_nothing(prepared, db_path):
    """Issue 28: the .ics is made when the button is clicked; a redraw must not raise the event's SEQUENCE."""
    at = open_prepare(*prepared)
    at.run()
    assert not at.exception, at.exception
    labels = [element.proto.label for element in at.get("download_button")]
    assert "Invitation (.ics)" in labels
    db = store.open_db(db_path)
    try:
        assert count_rows(db, "meeting_invitations") == 0
    finally:
        db.close()


def test_the_start_time_is_set_in_meeting_settings_and_only_then_the_invitation_is_offered(prepared, db_path):
    """Issue 28: no start time, no invitation (said on the page, buttons disabled); once set in the settings both
    copies are offered, and the stored time is what the settings show next time."""
    import datetime as dt

    unit, meeting = prepared
    at = open_prepare(unit, meeting)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["Invitation (.ics)"].disabled and buttons["Invitation with pre-read"].disabled
    assert any("no start time" in w.value for w in at.warning)
    at.time_input(key=f"settings_starts_{meeting}").set_value(dt.time(9, 45))
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception and not at.error
    db = store.open_db(db_path)
    try:
        assert meetings.get_meeting(db, meeting)["start_time"] == "09:45"
    finally:
        db.close()
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert not buttons["Invitation (.ics)"].disabled and not buttons["Invitation with pre-read"].disabled
    assert not any("no start time" in w.value for w in at.warning)
    assert at.time_input(key=f"settings_starts_{meeting}").value == dt.time(9, 45)


def test_a_new_meeting_from_the_page_stores_the_start_time_and_length_given(prepared, db_path):
    """Issue 28: the New meeting form's start time and length are stored as given; none given, none stored."""
    import datetime as dt

    unit, november = prepared
    at = open_prepare(unit, november)
    at.date_input(key="new_held_on").set_value(dt.date(2026, 12, 10))
    at.text_input(key="new_title").set_value("Testland, December")
    at.time_input(key="new_starts").set_value(dt.time(8, 30))
    at.number_input(key="new_total").set_value(90)
    next(b for b in at.button if b.label == "Create meeting").click().run()
    assert not at.exception, at.exception
    db = store.open_db(db_path)
    try:
        [december] = [m for m in meetings.list_meetings(db, unit) if m["title"] == "Testland, December"]
        stored = meetings.get_meeting(db, december["id"])
        assert (stored["start_time"], stored["total_minutes"]) == ("08:30", 90)
        assert meetings.get_meeting(db, november)["start_time"] is None
    finally:
        db.close()


def test_the_units_document_language_is_set_on_prepare(prepared, db_path):
    """Issue 27: the Meeting settings carry the unit's language; choosing French makes the pre-read French."""
    from meeting import i18n, render

    unit, meeting = prepared
    at = open_prepare(unit, meeting)
    box = at.selectbox(key=f"unit_language_{unit}_en")
    assert box.value == "en"
    box.set_value("fr").run()
    assert not at.exception
    db = store.open_db(db_path)
    assert i18n.unit_language(db, unit) == "fr"
    assert "## 1. Client" in render.agenda_markdown(agenda.build_agenda(db, meeting))
