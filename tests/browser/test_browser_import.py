"""The Import page in headless Chromium: upload a CSV with a survey tool's headers, correct a mapping, import."""
import urllib.parse

import pytest
from conftest import browser_sign_in, serve_app
from playwright.sync_api import expect

from meeting import store

pytestmark = pytest.mark.browser

PASSCODE = "import-browser-passcode"
EXPORT = ("Response ID,RecordedDate,Closed date,Journey Stage,Likelihood to recommend (0-10),Tell us why\n"
          "R_1,2026-05-01 09:12:00,2026-05-03,Installation,2,Engineer never came\n"
          "R_2,2026-05-02 10:40:00,2026-05-04,Billing,9,Clear bill\n"
          "R_3,2026-05-02 11:05:00,2026-05-06,Urgent fault,0,Three days without a line\n")


def test_gm_uploads_a_survey_export_corrects_a_mapping_and_imports_it(tmp_path, browser):
    db_file = tmp_path / "import.db"
    db = store.open_db(db_file)
    unit_id = store.get_or_create_unit(db, "Browserland")
    db.close()
    export = tmp_path / "survey_export.csv"
    export.write_text(EXPORT, encoding="utf-8")

    with serve_app(db_file, {"OUTSIDE_IN_PASSCODE": PASSCODE}) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = context.new_page()
        page.goto(base)
        browser_sign_in(page, PASSCODE)
        page.get_by_role("link", name="Import").click()  # in-app navigation keeps the signed-in session
        page.get_by_role("heading", name="Import your data").wait_for(timeout=15_000)
        assert urllib.parse.urlsplit(page.url).path.rstrip("/").endswith("/import_data")

        page.locator("input[type=file]").set_input_files(str(export))
        received = page.get_by_role("combobox", name="received_on *")
        expect(received).to_have_value("RecordedDate", timeout=15_000)  # suggested from the header
        expect(page.get_by_role("combobox", name="score")).to_have_value("Likelihood to recommend (0-10)")

        received.click()
        page.get_by_role("option", name="Closed date", exact=True).click()
        expect(received).to_have_value("Closed date")
        button = page.locator(".st-key-import_button").get_by_role("button")
        button.get_by_text("Import 3 rows").wait_for(timeout=10_000)
        page.wait_for_function(
            "() => !document.querySelector('.st-key-import_button button').disabled", timeout=10_000)
        button.click()
        page.get_by_text("Imported 3 rows into Browserland (0 already there).").wait_for(timeout=15_000)
        context.close()

    db = store.open_db(db_file)
    rows = list(db.query("SELECT unit_id, response_id, received_on, touchpoint, score, scale FROM voc_responses "
                         "ORDER BY id"))
    db.close()
    assert rows == [
        {"unit_id": unit_id, "response_id": "R_1", "received_on": "2026-05-03", "touchpoint": "Installation",
         "score": 2.0, "scale": "nps"},
        {"unit_id": unit_id, "response_id": "R_2", "received_on": "2026-05-04", "touchpoint": "Billing",
         "score": 9.0, "scale": "nps"},
        {"unit_id": unit_id, "response_id": "R_3", "received_on": "2026-05-06", "touchpoint": "Urgent fault",
         "score": 0.0, "scale": "nps"},
    ]
