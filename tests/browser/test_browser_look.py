"""The look test (issue 16): every page as Chromium draws it, and the pre-read and minutes as printed pages.

One server, one browser, all pages. Pictures go to ``look/`` (git-ignored), replaced on every run, so anyone
can see what the product shows: ``look/desktop-*.png`` at 1440x900, ``look/phone-join.png`` at 390x844,
``look/preread-*.png`` and ``look/minutes-*.png`` (LibreOffice -> PDF -> pdftoppm). The assertions are what
a glance at those pictures would catch: a traceback on a page, a phone page wider than the phone.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import ROOT, browser_sign_in, serve_app

from meeting import agenda, live, render, store
from meeting.store import meetings

pytestmark = pytest.mark.browser

PASSCODE = "look-test-passcode"
LOOK = ROOT / "look"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# Navigation label -> the heading that says the page has drawn.
PAGES = [("Home", "Outside In"), ("Prepare", "Prepare the meeting"), ("Insights", "Insights"),
         ("Import", "Import your data"), ("Run", None), ("Minutes", "Minutes"), ("Actions", "Actions"),
         ("Documents", "Documents"), ("Taxonomy", "Taxonomy"), ("Users", "Users"), ("Audit", "Audit")]


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished the run (no "Running" status) and charts have drawn."""
    page.wait_for_timeout(300)  # let a click's rerun begin
    page.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=stApp]');"
        " return app && app.dataset.testScriptState === 'notRunning'"
        " && !document.querySelector('[data-testid=stSkeleton], [data-testid=stSpinner]'); }", timeout=timeout_ms)
    page.wait_for_timeout(800)  # Vega draws the charts just after the run


def shoot(page, name: str) -> None:
    """``name.png``: the first screen, as a reader sees it; ``name-full.png``: the whole page. Streamlit scrolls
    inside its own container, so the whole page is taken by making the window as tall as the content."""
    settle(page)
    assert page.locator("[data-testid='stException']").count() == 0, f"{name}: a traceback on the page"
    page.screenshot(path=str(LOOK / f"{name}.png"))
    size = page.viewport_size
    tall = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain], section, body')]"
                         ".map(e => e.scrollHeight))")
    if tall > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(tall) + 40, 16_000)})
        page.wait_for_timeout(800)
        page.screenshot(path=str(LOOK / f"{name}-full.png"))
        page.set_viewport_size(size)


def start_printing(paths, workdir) -> subprocess.Popen:
    """LibreOffice prints the documents to PDF while the browser works (two cores: one each)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice and shutil.which("pdftoppm"), "run `make system-deps` (LibreOffice and poppler-utils)"
    return subprocess.Popen([soffice, f"-env:UserInstallation=file://{workdir / 'lo'}", "--headless", "--convert-to",
                             "pdf", "--outdir", str(workdir), *map(str, paths)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def picture_pages(docx_path, stem: str) -> int:
    """pdftoppm turns each printed page into ``look/<stem>-N.png``."""
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(docx_path.with_suffix(".pdf")), str(LOOK / stem)],
                   check=True, timeout=120)
    return len(list(LOOK.glob(f"{stem}-*.png")))


def test_look_at_every_page_and_document(demo_db, browser, tmp_path):
    shutil.rmtree(LOOK, ignore_errors=True)
    LOOK.mkdir()
    db = store.open_db(demo_db)
    # The first unit's newest meeting (the one the sidebar opens) goes live, so Run and Join show a room.
    unit = store.list_units(db)[0]
    draft, closed = meetings.list_meetings(db, unit["id"])[:2]
    code = live.start_meeting(db, draft["id"])
    preread = render.export_preread(agenda.build_agenda(db, draft["id"]), "docx", tmp_path / "preread.docx")
    minutes = render.export_minutes(db, closed["id"], out=tmp_path / "minutes.docx")
    db.close()
    printing = start_printing([preread, minutes], tmp_path)

    with serve_app(demo_db, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as url:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(url)
        browser_sign_in(page, PASSCODE)
        for number, (link, heading) in enumerate(PAGES, start=1):
            page.get_by_role("link", name=link, exact=True).click()
            page.get_by_role("heading", name=heading or draft["title"]).first.wait_for()
            if link == "Prepare":  # open every section's evidence, so its charts and tables are in the picture
                settle(page)
                closed_evidence = page.locator("details:not([open]) > summary", has_text="Evidence")
                while closed_evidence.count():
                    closed_evidence.first.click()
                    page.wait_for_timeout(200)
            shoot(page, f"desktop-{number}-{link.lower()}")
        # Minutes of the closed meeting, where there is something to review.
        page.get_by_role("combobox", name=re.compile("Meeting")).click()
        page.get_by_role("option", name=re.compile(re.escape(closed["title"]))).click()
        settle(page)
        page.get_by_role("link", name="Minutes", exact=True).click()
        page.get_by_role("heading", name="Minutes").first.wait_for()
        shoot(page, f"desktop-{len(PAGES) + 1}-minutes-closed")
        context.close()

        phone_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = phone_context.new_page()
        phone.goto(live.join_link(url, code))
        phone.get_by_text("How customer-focused are we?").first.wait_for(timeout=30_000)
        shoot(phone, "phone-join")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone_context.close()

    assert printing.wait(timeout=120) == 0
    assert picture_pages(preread, "preread") >= 7  # a map page, then each of six sections on its own
    assert picture_pages(minutes, "minutes") >= 1
    assert len(list(LOOK.glob("desktop-*[a-z].png"))) - len(list(LOOK.glob("desktop-*-full.png"))) == len(PAGES) + 1
