"""Issue 26 in headless Chromium: a customer who started typing in one section and sends after the meeting moved
on is asked which section (both named) before anything is stored, and their words stay in the box meanwhile.
"""
import pytest
from conftest import serve_app

from meeting import live, store
from meeting.store import meetings

pytestmark = pytest.mark.browser


def test_a_draft_typed_before_the_move_is_asked_about_and_filed_where_the_customer_says(db_path, browser):
    db = store.open_db(db_path)
    unit = store.get_or_create_unit(db, "Joinland")
    meeting = meetings.create_meeting(db, unit, "2026-11-12", title="Joinland November")
    code = live.start_meeting(db, meeting)
    live.set_room_settings(db, meeting, interval_seconds=0, premoderate=False)
    with serve_app(db_path) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.set_default_timeout(20_000)
        phone.goto(live.join_link(url, code))
        box = phone.get_by_role("textbox", name="Your contribution to this section")
        box.wait_for()
        box.fill("The installer never called ahead")
        live.advance_section(db, meeting, from_section="customer")  # the GM moves on while the customer types
        # The page follows the room (its fragment redraws every 3 s) and the draft stays in the box.
        phone.get_by_role("heading", name="Employees").wait_for(timeout=10_000)
        assert box.input_value() == "The installer never called ahead"
        phone.get_by_role("button", name="Send").click()
        phone.get_by_text("moved on from Customer to Employees").wait_for()
        assert live.list_contributions(db, meeting) == []  # nothing stored before the answer
        phone.get_by_role("button", name="Send it to Customer").click()
        phone.get_by_text("Thank you, sent to the Customer section").wait_for()
        assert [(row["text"], row["section"]) for row in live.list_contributions(db, meeting)] == [
            ("The installer never called ahead", "customer")]
        context.close()
    db.close()
