"""Issue 26 in headless Chromium: settings saved after switching the sidebar's meeting change only that meeting.

Regression: "Meeting settings" kept the title and month of the first meeting the page drew in the browser
session; Save after a switch renamed November's meeting "December 2026" and moved its review month.
"""
import re

import pytest
from conftest import browser_sign_in, serve_app

from meeting import agenda, store
from meeting.store import meetings

PASSCODE = "switch-browser-test"
pytestmark = pytest.mark.browser


def stored(db_path, meeting_id) -> tuple:
    db = store.open_db(db_path)
    try:
        row = meetings.get_meeting(db, meeting_id)
        return row["title"], row["period"], row["total_minutes"]
    finally:
        db.close()


def test_settings_saved_after_a_meeting_switch_change_only_the_selected_meeting(db_path, browser):
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Switchland")
    november = meetings.create_meeting(db, unit, "2026-11-12", title="Switchland November")
    december = meetings.create_meeting(db, unit, "2026-12-10", title="Switchland December", total_minutes=90)
    for meeting in (november, december):
        agenda.draft_agenda(db, meeting)
    db.close()
    with serve_app(db_path, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        browser_sign_in(page, PASSCODE)
        page.get_by_role("link", name="Prepare").click()
        # The sidebar opens the latest meeting, December: its settings are drawn first.
        page.get_by_role("heading", name="Switchland December").wait_for(timeout=45_000)
        page.get_by_role("heading", name=re.compile(r"^6\. Finance")).wait_for(timeout=45_000)
        page.get_by_text("Meeting settings", exact=True).click()
        # Each meeting's form has its own keys (Streamlit marks a keyed widget's box with .st-key-<key>).
        title = page.locator(f".st-key-settings_title_{december} input")
        title.wait_for()
        assert title.input_value() == "Switchland December"

        page.get_by_role("combobox", name="Meeting").click()
        page.get_by_role("option", name=re.compile("Switchland November")).click()
        page.get_by_role("heading", name="Switchland November").wait_for(timeout=45_000)
        page.get_by_role("heading", name=re.compile(r"^6\. Finance")).wait_for(timeout=45_000)
        page.locator(f".st-key-settings_title_{december}").wait_for(state="detached")  # the run has finished
        title = page.locator(f".st-key-settings_title_{november} input")
        if not title.is_visible():
            page.get_by_text("Meeting settings", exact=True).click()
        title.wait_for()
        assert title.input_value() == "Switchland November"  # November's own values, not December's
        page.get_by_role("button", name="Save settings").click()
        page.get_by_text("Settings saved.").wait_for()
        assert stored(db_path, november) == ("Switchland November", "2026-10", 120)
        assert stored(db_path, december) == ("Switchland December", "2026-11", 90)

        title.fill("Switchland, the November meeting")
        page.get_by_role("button", name="Save settings").click()
        page.get_by_role("heading", name="Switchland, the November meeting").wait_for()
        assert stored(db_path, november)[0] == "Switchland, the November meeting"
        assert stored(db_path, december) == ("Switchland December", "2026-11", 90)
        # Renaming the meeting changed its label in the sidebar; the next interaction (opening a panel) must not
        # switch the page to another meeting (the browser's select box sent its old label: December came back).
        page.get_by_text("Participants", exact=True).click()
        page.wait_for_timeout(2000)
        # The meeting's title is the page's h2 (headings in order, issue 27): still November's, December's nowhere.
        assert page.get_by_role("heading", name="Switchland, the November meeting").is_visible()
        assert page.get_by_role("heading", name="Switchland December").count() == 0

        # Inviting two people in a row: the Participants panel stays open after the first invite.
        panel = page.locator(f".st-key-participants_panel_{november}")
        for name in ("Ana Client", "Ben Buyer"):
            name_box = panel.get_by_label("Name", exact=True)
            name_box.wait_for(timeout=5_000)  # visible: the panel is (still) open
            name_box.fill(name)
            panel.get_by_role("button", name="Invite").click()
            page.get_by_text(f"Invited {name}.").wait_for()
        panel.get_by_text("2 on this meeting's list.").wait_for()
        db = store.open_db(db_path)
        assert [p["name"] for p in meetings.list_participants(db, november)] == ["Ana Client", "Ben Buyer"]
        assert meetings.list_participants(db, december) == []
        db.close()
        context.close()
