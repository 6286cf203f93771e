"""Accounts in headless Chromium (issue 14): a GM of Ireland signs in with email and password from a deep link,
lands on the page asked for, sees only Ireland, stays signed in across F5 by an HttpOnly cookie (never a token in
the address), and signing out kills the cookie wherever it was copied."""
from conftest import browser_sign_in, serve_app

from meeting import accounts, store

GM, PASSWORD = "gm.ireland@example.org", "ireland gm password"


def test_gm_signs_in_sees_only_their_unit_and_survives_a_reload(demo_db, browser):
    db = store.open_db(demo_db)
    accounts.add_user(db, GM, "gm", ["Ireland"], PASSWORD)
    db.close()
    with serve_app(demo_db, {"OUTSIDE_IN_PASSCODE": "browser accounts passcode"}) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/minutes")  # a deep link, before signing in
        browser_sign_in(page, PASSWORD, email=GM)
        page.get_by_role("heading", name="Minutes").wait_for()
        assert page.url.split("?")[0].rstrip("/").endswith("/minutes")
        page.get_by_text(f"Signed in as {GM}").wait_for()
        unit = page.get_by_role("combobox", name="Unit")
        for link, heading in (("Home", "Outside In"), ("Prepare", "Prepare the meeting"), ("Minutes", "Minutes")):
            page.get_by_role("link", name=link).click()
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            page.wait_for_timeout(1000)  # let the page finish drawing
            assert "Ireland" in unit.input_value() + page.inner_text("body"), link
            assert "United Kingdom" not in page.inner_text("body"), link
        unit.click()  # the unit list offers Ireland only
        options = page.get_by_role("option").all_inner_texts()
        assert options == ["Ireland"], options
        page.keyboard.press("Escape")
        assert page.get_by_role("link", name="Users").count() == 0
        signed_in_url = page.url
        # A photo of the screen: the address holds nothing that signs anyone in; the identity is the cookie.
        assert "session" not in signed_in_url and "token" not in signed_in_url
        [cookie] = [c for c in context.cookies() if c["name"] == "outside_in_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        stranger = browser.new_context()
        copied = stranger.new_page()
        copied.goto(signed_in_url)  # the photographed address, typed into another browser
        copied.get_by_label("Password", exact=True).wait_for()
        assert "Ireland" not in copied.inner_text("body")

        page.reload()  # F5
        page.get_by_text(f"Signed in as {GM}").wait_for()
        assert "session" not in page.url

        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("Password", exact=True).wait_for()
        stranger.add_cookies([cookie])  # the cookie itself, copied before signing out: dead now
        copied.goto(signed_in_url)
        copied.get_by_label("Password", exact=True).wait_for()
        assert "Ireland" not in copied.inner_text("body")
        stranger.close()
        context.close()
