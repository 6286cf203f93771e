"""Nothing on the projector that a photo can steal (issue 22), in headless Chromium against `streamlit run app.py`:
no request the GM's browser makes after signing in carries the session, the Room page is a kiosk, the customer's
Join page has no developer chrome, every page carries the security headers, and a phone number or an email a
customer types is masked on the room screen."""
import re
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import browser_sign_in, serve_app

from meeting import live, store
from meeting.store import meetings

pytestmark = pytest.mark.browser

PASSCODE = "kiosk test passcode"
PHONE, EMAIL = "+44 20 7946 0123", "ana.perez@example.org"
# A query value that could be a credential: long, of token characters.
SECRET_LOOKING = re.compile(r"^[A-Za-z0-9_\-.=]{20,}$")


def seed(db_file):
    db = store.open_db(db_file)
    unit = store.get_or_create_unit(db, "Kioskland")
    meeting = meetings.create_meeting(db, unit, "2026-11-12", title="Kioskland November")
    assert meetings.get_meeting(db, meeting)["premoderate"] == 1  # on by default for a new meeting
    db.close()
    return meeting


def test_the_projector_shows_nothing_that_signs_anyone_in(tmp_path, browser):
    db_file = tmp_path / "kiosk.db"
    meeting_id = seed(db_file)
    with serve_app(db_file, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as base:
        # Security headers on the pages a visitor opens first.
        probe = browser.new_context()
        for path in ("/", "/join"):
            headers = probe.request.get(base + path).headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert headers["x-content-type-options"] == "nosniff", path
            assert headers["referrer-policy"] in ("same-origin", "no-referrer"), path
        probe.close()

        gm_context = browser.new_context(viewport={"width": 1400, "height": 1000})
        gm = gm_context.new_page()
        requested = []
        gm.on("request", lambda request: requested.append(request.url))
        gm.goto(f"{base}/run")
        browser_sign_in(gm, PASSCODE)
        gm.get_by_text("Signed in as").wait_for(timeout=20_000)
        [cookie] = [c for c in gm_context.cookies() if c["name"] == "outside_in_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        token = cookie["value"]

        gm.get_by_role("button", name="Start the meeting").click()
        db = store.open_db(db_file)
        deadline = time.monotonic() + 10
        while not (code := meetings.get_meeting(db, meeting_id)["join_code"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        live.set_room_settings(db, meeting_id, interval_seconds=0, premoderate=False)
        gm.get_by_text("Phones cannot open this link").wait_for(timeout=10_000)  # started on localhost
        gm.locator('img[alt^="QR code"]').wait_for(timeout=10_000)  # drawn just after the warning
        assert gm.locator('img[alt^="QR code"]').count() == 1

        room = gm_context.new_page()
        room.on("request", lambda request: requested.append(request.url))
        room.goto(f"{base}/room?meeting={meeting_id}")
        room.get_by_text(live.format_code(code), exact=True).wait_for(timeout=20_000)
        body = room.inner_text("body")
        for chrome in ("Signed in as", "Sign out", "Deploy", "Prepare", "Insights", "Kioskland November ("):
            assert chrome not in body, chrome
        assert room.locator('[data-testid="stMainMenu"]').count() == 0
        assert room.locator('[data-testid="stSidebar"]:visible').count() == 0
        room.locator('img[alt^="QR code"]').wait_for(timeout=10_000)
        assert room.locator('img[alt^="QR code"]').count() == 1

        phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        phone.goto(live.join_link(base, code))
        phone.get_by_role("textbox", name="Your contribution to this section").fill(
            f"Call me on {PHONE} or write to {EMAIL}, the engineer never came")
        phone.get_by_role("button", name="Send").click()
        phone.get_by_text("Thank you").first.wait_for(timeout=15_000)
        assert "Deploy" not in phone.inner_text("body") and phone.locator('[data-testid="stMainMenu"]').count() == 0

        room.get_by_text("the engineer never came", exact=False).wait_for(timeout=15_000)
        shown = room.inner_text("body")
        assert PHONE not in shown and "7946" not in shown and EMAIL not in shown and "ana.perez" not in shown

        # A reload of each of the GM's pages: the address still holds nothing that signs anyone in.
        for page in (gm, room):
            page.reload()
            page.wait_for_timeout(3000)
        for url in requested:
            for name, value in parse_qsl(urlsplit(url).query):
                assert token not in value and name.lower() not in ("session", "token", "secret"), url
                assert not SECRET_LOOKING.match(value), url
        db.close()
        gm_context.close()
        phone_context.close()
