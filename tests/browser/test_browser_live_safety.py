"""Issue 13 in headless Chromium: two GMs at once, the Room screen, phones that flood, reload or speak French,
and passcode guessing from fresh sessions. One server for all of it (2 cores: keep browser tests few)."""
import time

import pytest
from conftest import browser_sign_in, serve_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from meeting import limiter, live, store
from meeting.store import meetings

pytestmark = pytest.mark.browser

PASSCODE = "browser-safety-passcode"


def _sign_in(context, base):
    page = context.new_page()
    page.goto(base)
    browser_sign_in(page, PASSCODE)
    page.get_by_role("link", name="Run").wait_for(timeout=15_000)
    return page


def _current(db, meeting_id):
    return meetings.get_meeting(db, meeting_id)["current_section"]


def test_two_gms_a_room_screen_and_phones(tmp_path, browser):
    db_file = tmp_path / "safety.db"
    db = store.open_db(db_file)
    unit = store.get_or_create_unit(db, "Safetyland")
    meeting_id = meetings.create_meeting(db, unit, "2026-11-12", title="Safetyland November")
    code = live.start_meeting(db, meeting_id)
    with serve_app(db_file, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as base:
        contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(3)]
        gm_a, gm_b, room = (_sign_in(context, base) for context in contexts)
        for page in (gm_a, gm_b):
            page.get_by_role("link", name="Run").click()
            page.get_by_role("button", name="Next: Employees").wait_for(timeout=15_000)
        room.get_by_role("link", name="Room").click()
        room.get_by_role("heading", name="Customer", exact=True).wait_for(timeout=15_000)

        # GM A moves on; GM B's page still offers "Next: Employees". B's press must not move the meeting again:
        # refused with a message (or, if B's page already followed the move by itself, the button is gone).
        gm_a.get_by_role("button", name="Next: Employees").click()
        deadline = time.monotonic() + 10
        while _current(db, meeting_id) != "employees" and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            gm_b.get_by_role("button", name="Next: Employees").click(timeout=2_000)
            gm_b.get_by_text("already at Employees").wait_for(timeout=10_000)
        except PlaywrightTimeout:  # B's clock saw the move first and redrew: nothing stale left to press
            pass
        gm_b.get_by_role("button", name="Next: Operations").wait_for(timeout=10_000)  # redrawn where it is
        assert _current(db, meeting_id) == "employees"
        # GM A moves again; B's page follows without a click (its clock notices within 5 s).
        gm_a.get_by_role("button", name="Next: Operations").click()
        gm_b.get_by_role("button", name="Next: Marketing").wait_for(timeout=10_000)
        gm_b.get_by_text("someone else moved it").wait_for(timeout=5_000)
        assert _current(db, meeting_id) == "operations"
        # The room screen followed without a click.
        room.get_by_role("heading", name="Operations", exact=True).wait_for(timeout=10_000)
        assert room.get_by_role("button").filter(has_text="Next").count() == 0

        # A phone sends twenty times as fast as it can: the pace (5 s) lets through at most one per 5 s.
        phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        link = live.join_link(base, code)
        phone.goto(link)
        box = phone.get_by_role("textbox", name="Your contribution to this section")
        box.wait_for(timeout=15_000)
        started = time.monotonic()
        for n in range(20):
            box.fill(f"flood {n}")
            phone.get_by_role("button", name="Send").click()
            phone.wait_for_timeout(150)
        phone.wait_for_timeout(1000)  # the last send's answer
        elapsed = time.monotonic() - started
        stored = db.execute("SELECT COUNT(*) FROM contributions WHERE meeting_id = ?", [meeting_id]).fetchone()[0]
        assert 1 <= stored <= int(elapsed // 5) + 1, (stored, elapsed)
        # The refusal is friendly: after a send that went through, the next one at once is asked to wait.
        phone.wait_for_timeout(5200)
        box.fill("after a pause")
        phone.get_by_role("button", name="Send").click()
        phone.get_by_text("Thank you, sent to the Operations section").wait_for(timeout=10_000)
        box.fill("too soon")
        phone.get_by_role("button", name="Send").click()
        phone.get_by_text("Please wait").first.wait_for(timeout=10_000)
        first_text = db.execute("SELECT text FROM contributions ORDER BY id LIMIT 1").fetchone()[0]
        # ... and a reload keeps what this phone sent: the device token is an HttpOnly cookie, not in the link.
        assert "device=" not in phone.url
        assert [c["httpOnly"] for c in phone_context.cookies() if c["name"] == "outside_in_device"] == [True]
        phone.reload()
        phone.get_by_text("What you have sent").wait_for(timeout=15_000)
        phone.get_by_text(first_text, exact=True).wait_for(timeout=5_000)
        phone_context.close()

        # A phone whose browser asks for French gets the Join page in French.
        french_context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        french = french_context.new_page()
        french.goto(link)
        french.get_by_role("button", name="Envoyer").wait_for(timeout=15_000)
        french.get_by_text("Votre contribution à cette section").first.wait_for(timeout=15_000)
        assert "Opérations" in french.inner_text("body")  # the section title too
        french_context.close()

        # Wrong passcodes from fresh sessions (new contexts: no cookies, no session state) are slowed down. Four
        # earlier failures from this visitor are on record already (a browser session each would cost ~6 s).
        for _ in range(4):
            limiter.record_failure(db, "passcode", "127.0.0.1")  # the address the sign-in route sees
        messages = []
        for attempt in range(2):
            if attempt:  # three more failures on record: the wait (16 s) outlasts a fresh browser's start
                for _ in range(3):
                    limiter.record_failure(db, "passcode", "127.0.0.1")  # the address the sign-in route sees
            fresh = browser.new_context()
            page = fresh.new_page()
            page.goto(base)
            browser_sign_in(page, "not the passcode")
            page.get_by_role("alert").first.wait_for(timeout=10_000)
            messages.append(page.get_by_role("alert").first.inner_text())
            fresh.close()
        assert "do not match" in messages[0] and "wait" not in messages[0], messages  # the fifth is still free
        assert "Too many wrong attempts. Please wait" in messages[1], messages  # later ones wait, fresh session or not
        # The sign-in route counts by the visitor's address (Streamlit itself gives none on localhost).
        clients = {row[0] for row in db.execute("SELECT client FROM guess_attempts WHERE scope = 'passcode'")}
        assert clients == {"127.0.0.1"}
        for context in contexts:
            context.close()
    db.close()
