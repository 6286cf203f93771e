"""Issue 26 in headless Chromium: the Actions register fits its frame on a 1280 px laptop screen (it scrolled
sideways) and marks overdue with words, not a grey checkbox."""
import pytest
from conftest import browser_sign_in, serve_app

PASSCODE = "actions-browser-test"
pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_register_fits_its_frame_and_says_overdue(demo_db, browser, width):
    with serve_app(demo_db, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as url:
        context = browser.new_context(viewport={"width": width, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        browser_sign_in(page, PASSCODE)
        page.get_by_role("link", name="Actions").click()
        editor = page.locator("[class*=st-key-actions_table_]")
        editor.wait_for()
        scroller = editor.locator(".dvn-scroller")
        scroller.wait_for()
        page.wait_for_timeout(1000)  # the grid sizes its columns after it is drawn
        scroll_width, client_width = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert scroll_width <= client_width + 2, (scroll_width, client_width)  # no sideways scrolling
        frame = page.locator("[data-testid=stMainBlockContainer]").bounding_box()
        box = editor.bounding_box()
        assert box["x"] + box["width"] <= frame["x"] + frame["width"]
        # The grid draws on a canvas; its accessible table carries the cells' text.
        assert editor.get_by_text("⚠ overdue").count() >= 1
        context.close()
