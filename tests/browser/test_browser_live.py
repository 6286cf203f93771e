"""The live meeting end to end in headless Chromium: a GM and an invited customer in two browser contexts."""
import time

import pytest
from conftest import browser_sign_in, serve_app

from meeting import live, minutes, store
from meeting.store import meetings

pytestmark = pytest.mark.browser

PASSCODE = "browser-test-passcode"
CONTRIBUTION = "Your engineers were great, but nobody called me back"
XSS = "<img src=x onerror=alert(1)>"
# Seeded in the database: none of this may reach the customer's page.
INTERNAL = [
    "Installs within 5 days %",                       # a metric name
    "987654",                                         # a finance figure
    "Refund approvals take three signatures",         # staff input
    "OTHER CUSTOMER: prices went up without warning",  # another customer's contribution
    "Rival Holdings",                                  # ... and their name
    "Gina Leader",                                     # a participant
    "Private GM note about churn",                     # a minutes note
]


def seed(db_file):
    db = store.open_db(db_file)
    unit = store.get_or_create_unit(db, "Browserland")
    meeting = meetings.create_meeting(db, unit, "2026-11-12", title="Browserland November")
    db.execute("INSERT INTO participants (meeting_id, name, kind) VALUES (?, ?, ?)", [meeting, "Gina Leader", "leader"])
    db.execute("INSERT INTO metrics (unit_id, period, touchpoint, name, target, actual, direction) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", [unit, "2026-10", "Install", "Installs within 5 days %", 90, 95, "higher"])
    db.execute("INSERT INTO finance (unit_id, period, line, actual, budget) VALUES (?, ?, ?, ?, ?)",
               [unit, "2026-10", "Revenue", 987654.0, 1.0])
    db.execute("INSERT INTO staff_inputs (unit_id, source_key, submitted_on, kind, text) VALUES (?, ?, ?, ?, ?)",
               [unit, "s1", "2026-10-10", "challenge", "Refund approvals take three signatures"])
    db.close()
    return meeting


def wait_for_text(page, text, timeout_ms=15_000):
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)


def test_customer_contributes_from_a_phone_and_the_gm_sees_it_live(tmp_path, browser):
    db_file = tmp_path / "live.db"
    meeting_id = seed(db_file)
    with serve_app(db_file, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as base:
        # A visitor's very first requests, straight to GM pages on a freshly started server, get the sign-in
        # form and no GM data (regression: a pages/ folder beside app.py once let these skip the gate).
        stranger = browser.new_context()
        cold = stranger.new_page()
        for path in ("run", "prepare", "insights", "import_data", "minutes", "home"):
            cold.goto(f"{base}/{path}")
            cold.get_by_label("Password", exact=True).wait_for(timeout=15_000)
            body = cold.inner_text("body")
            assert "Browserland" not in body and "Start the meeting" not in body and "Prepare the meeting" not in body
        stranger.close()

        gm_context = browser.new_context(viewport={"width": 1400, "height": 1000})
        gm = gm_context.new_page()
        gm.goto(base)
        browser_sign_in(gm, "wrong")
        wait_for_text(gm, "do not match")
        browser_sign_in(gm, PASSCODE)
        gm.get_by_role("link", name="Run").click()  # in-app navigation keeps the signed-in session
        gm.get_by_role("button", name="Start the meeting").click()
        db = store.open_db(db_file)
        deadline = time.monotonic() + 10
        while not (code := meetings.get_meeting(db, meeting_id)["join_code"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        link = live.join_link(base, code)
        live.set_room_settings(db, meeting_id, interval_seconds=0, premoderate=False)  # pace: tested elsewhere
        wait_for_text(gm, link)  # the link, the code in large type and the QR code, for the room
        wait_for_text(gm, live.format_code(code))
        assert gm.locator("img").count() >= 1
        live.add_contribution(db, meeting_id, "customer", INTERNAL[3], 1, "someone-else", "Rival Holdings")
        minutes.add_entry(db, meeting_id, "customer", "note", INTERNAL[6], speaker="Gina Leader")

        phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        dialogs = []
        for page in (gm, phone):
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        phone.goto(link)
        wait_for_text(phone, "How customer-focused are we?")
        phone.get_by_role("textbox", name="Your name (optional)").fill("Ana")
        phone.get_by_role("textbox", name="Your contribution to this section").fill(CONTRIBUTION)
        phone.get_by_role("radiogroup").get_by_text("4", exact=True).click()
        phone.get_by_role("button", name="Send").click()
        wait_for_text(phone, "Thank you")
        sent_at = time.monotonic()
        # The GM presses nothing: the contributions fragment refreshes itself.
        gm.get_by_text(CONTRIBUTION).wait_for(state="visible", timeout=5_000)
        assert time.monotonic() - sent_at < 5

        phone.get_by_role("textbox", name="Your contribution to this section").fill(XSS)
        phone.get_by_role("button", name="Send").click()
        gm.get_by_text(XSS).wait_for(state="visible", timeout=5_000)  # shown literally, as text
        phone.get_by_text(XSS).wait_for(state="visible", timeout=5_000)
        assert gm.locator("img[src='x']").count() == 0 and phone.locator("img[src='x']").count() == 0
        assert dialogs == []

        # The phone page fits the phone and shows nothing internal.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        shown = phone.inner_text("body")
        assert "Browserland November" in shown and CONTRIBUTION in shown
        for secret in INTERNAL:
            assert secret not in shown, secret
        assert "Prepare" not in shown and "Home" not in shown  # no other page in a customer's navigation

        # Closing the meeting: the customer's page says so, and shows no meeting data any more.
        gm.get_by_role("button", name="Close", exact=True).click()
        gm.get_by_role("button", name="Close it now").click()
        wait_for_text(phone, "This meeting has ended", timeout_ms=10_000)
        assert "Browserland" not in phone.inner_text("body")
        db.close()
        gm_context.close()
        phone_context.close()
