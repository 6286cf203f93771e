"""Two app replicas on one PostgreSQL database, in headless Chromium (issue 23, README "More than one machine").

Two `streamlit run app.py` processes share the database URL, the session secret and the passcode, as the
README asks of every replica. A customer who joins through the second sees their contribution reach the GM's
Run page on the first; the GM's sign-in cookie from the first is honoured by the second; and wrong join codes
and wrong passcodes sent to the two in turn are counted together, so the limit arrives at the same total as
on one process. Runs on PostgreSQL whatever ``--engine`` says: it is the point of the test.
"""
import secrets
import time

import pytest
from conftest import browser_sign_in, serve_app

from meeting import live, store
from meeting.store import meetings

pytestmark = pytest.mark.browser

PASSCODE = "replicas-browser-passcode"
CONTRIBUTION = "Sent through the second replica, read on the first"
WRONG_CODE = "7KQ4-M9XZ-2P"  # well formed (the Join page's own example), so it counts as a wrong code
# The documented rule (README, "Guessing limits live in the database"): per address 5 wrong attempts are free,
# then each further one waits 2 s, 4 s, 8 s ... On localhost every visitor is one address, on both replicas.
FREE_ATTEMPTS = 5
# Attempts alternate between the replicas. Counted together, the 7th attempt comes after 6 failures (a 2 s
# wait) and is refused when the browser is quick; on a slow machine the 8th (4 s) or 9th (8 s) is. Counted per
# process, each replica would have seen at most 4 failures by then and refused nothing before the 13th.
LATEST_FIRST_REFUSAL = 9
# A pause between attempts. Without it, one run saw the 3rd attempt refused after only two failures ("Please
# wait 0 s"): the limiter subtracts the time since the latest failure even when no wait is due, so a failure
# stamped later than the checking replica's own "now" holds it back by the difference. Reported for
# meeting/limiter.py; the pause keeps this test about the shared count.
PAUSE_SECONDS = 1.0


@pytest.fixture
def demo_on_postgresql(postgres_for_tests):
    """A private copy of the demo database on the run's PostgreSQL server: its URL."""
    name, url = postgres_for_tests.new_database("demo")
    yield url
    postgres_for_tests.drop(name)


def _failures(db, scope: str) -> int:
    return db.execute("SELECT COUNT(*) FROM guess_attempts WHERE scope = ? AND ok = 0", [scope]).fetchone()[0]


def _attempt(db, scope: str, page, submit, refused_text: str) -> str:
    """Submit one wrong attempt on ``page``; "failed" once the database counts it, "refused" once the page
    says to wait (nothing counted)."""
    before = _failures(db, scope)
    submit()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if _failures(db, scope) > before:
            return "failed"
        refusal = page.get_by_text(refused_text)
        if refusal.count() and refusal.first.is_visible():
            return "refused"
        time.sleep(0.05)
    raise AssertionError(f"attempt {before + 1} in {scope}: neither counted nor refused within 15 s")


def _alternate_until_refused(db, scope: str, pages, submit, refused_text: str) -> tuple[list[str], str]:
    """Wrong attempts on replica 1, 2, 1, 2 ... until one is refused: (outcomes, the refused page's text)."""
    outcomes = []
    for attempt in range(LATEST_FIRST_REFUSAL + 4):
        page = pages[attempt % 2]
        if attempt:
            time.sleep(PAUSE_SECONDS)
        outcomes.append(_attempt(db, scope, page, lambda: submit(page), refused_text))
        if outcomes[-1] == "refused":
            return outcomes, page.get_by_text(refused_text).first.inner_text()
    return outcomes, ""


def _stated_wait(message: str) -> int:
    return int(message.split("Please wait", 1)[1].split("s", 1)[0])


def _check_counted_together(db, scope: str, outcomes: list[str], message: str) -> None:
    # Every attempt up to the free ones and one more was counted (no wait is due before the 6th failure),
    # alternately on the two replicas, and the first refusal followed soon after: the replicas read one count.
    assert outcomes[:FREE_ATTEMPTS + 1] == ["failed"] * (FREE_ATTEMPTS + 1), outcomes
    assert outcomes[-1] == "refused" and len(outcomes) <= LATEST_FIRST_REFUSAL, outcomes
    failures = len(outcomes) - 1
    assert _failures(db, scope) == failures
    assert _stated_wait(message) <= 2 ** (failures - FREE_ATTEMPTS), (message, failures)


def test_two_replicas_share_live_contributions_sign_in_and_limits(demo_on_postgresql, browser):
    url = demo_on_postgresql
    db = store.open_db(url)
    meeting_id = next(m["id"] for unit in store.list_units(db) for m in meetings.list_meetings(db, unit["id"])
                      if m["status"] == "draft")
    shared = {"OUTSIDE_IN_PASSCODE": PASSCODE, "OUTSIDE_IN_SESSION_SECRET": secrets.token_hex(32)}
    with serve_app(url, shared) as first, serve_app(url, shared) as second:
        assert first != second
        gm_context = browser.new_context(viewport={"width": 1400, "height": 1000})
        gm = gm_context.new_page()
        gm.goto(first)
        browser_sign_in(gm, PASSCODE)
        gm.get_by_role("link", name="Run").wait_for(timeout=15_000)
        gm.goto(f"{first}/run?meeting={meeting_id}")
        gm.get_by_role("button", name="Start the meeting").click(timeout=15_000)
        deadline = time.monotonic() + 10
        while not (code := meetings.get_meeting(db, meeting_id)["join_code"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert code, "the Run page on replica 1 did not start the meeting"
        live.set_room_settings(db, meeting_id, interval_seconds=0, premoderate=False)  # pace: tested elsewhere
        gm.get_by_text(live.format_code(code)).first.wait_for(timeout=15_000)

        # The sign-in cookie (one host, so the browser sends it to both ports) opens the second replica too: the
        # session lives in the database and the shared secret verifies it. A load balancer that moves a GM to
        # another replica does not sign them out.
        elsewhere = gm_context.new_page()
        elsewhere.goto(f"{second}/run?meeting={meeting_id}")
        elsewhere.get_by_text(live.format_code(code)).first.wait_for(timeout=15_000)
        assert elsewhere.get_by_label("Password", exact=True).count() == 0
        elsewhere.close()

        # The customer joins through the second replica with the code the room shows, and sends.
        phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        phone.goto(f"{second}/join")
        phone.get_by_role("textbox", name="Join code").fill(live.format_code(code))
        phone.get_by_role("button", name="Join").click()
        phone.get_by_role("textbox", name="Your contribution to this section").fill(CONTRIBUTION)
        phone.get_by_role("radiogroup").get_by_text("4", exact=True).click()
        phone.get_by_role("button", name="Send").click()
        phone.get_by_text("Thank you").first.wait_for(timeout=15_000)
        sent_at = time.monotonic()
        # ... and the GM, who presses nothing, reads it on the first replica's Run page within 10 s.
        gm.get_by_text(CONTRIBUTION).wait_for(state="visible", timeout=10_000)
        assert time.monotonic() - sent_at < 10
        stored = db.execute("SELECT text FROM contributions WHERE meeting_id = ? ORDER BY id", [meeting_id]).fetchall()
        assert [row[0] for row in stored] == [CONTRIBUTION]
        phone_context.close()

        # Wrong join codes, sent to replica 1 and 2 in turn, count as one visitor's.
        assert live.format_code(code) != WRONG_CODE
        join_contexts = [browser.new_context() for _ in range(2)]
        join_pages = []
        for context, base in zip(join_contexts, (first, second)):
            page = context.new_page()
            page.goto(f"{base}/join")
            page.get_by_role("textbox", name="Join code").wait_for(timeout=15_000)
            join_pages.append(page)

        def wrong_code(page):
            page.get_by_role("textbox", name="Join code").fill(WRONG_CODE)
            page.get_by_role("button", name="Join").click()

        outcomes, message = _alternate_until_refused(db, "join", join_pages, wrong_code, "Too many wrong codes")
        _check_counted_together(db, "join", outcomes, message)
        for context in join_contexts:
            context.close()

        # Wrong passcodes, from signed-out browsers on replica 1 and 2 in turn, count as one visitor's too.
        sign_in_contexts = [browser.new_context() for _ in range(2)]
        sign_in_pages = []
        for context, base in zip(sign_in_contexts, (first, second)):
            page = context.new_page()
            page.goto(base)
            page.get_by_label("Password", exact=True).wait_for(timeout=15_000)
            sign_in_pages.append(page)

        def wrong_passcode(page):
            browser_sign_in(page, "not the passcode")

        outcomes, message = _alternate_until_refused(db, "passcode", sign_in_pages, wrong_passcode,
                                                     "Too many wrong attempts")
        _check_counted_together(db, "passcode", outcomes, message)
        for context in sign_in_contexts:
            context.close()
        gm_context.close()
    db.close()
