"""Every page of the real app runs on the demo organisation without an exception (AppTest)."""
from pathlib import Path

import pytest
from support.gm_app import open_as_gm

from meeting import store
from meeting.store import meetings

# Every page drawn, and the live room joined, on both engines in the default run (issue 23: page tests on
# PostgreSQL too; the whole page suite runs there with `make test-postgresql`).
pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parents[2]
PAGE_HELPER = "page.py"  # views/page.py: the helper every page imports, not a page
PAGES = sorted(path.name for path in (ROOT / "views").glob("*.py") if path.name != PAGE_HELPER)


def test_every_view_is_listed_by_the_router():
    router = (ROOT / "router.py").read_text(encoding="utf-8")
    assert PAGES and all(f'"views/{name}"' in router for name in PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_demo_without_exception(demo_db, page):
    db = store.open_db(demo_db)
    unit = store.find_unit(db, "United Kingdom")["id"]
    meeting = next(m for m in meetings.list_meetings(db, unit) if m["status"] == "draft")["id"]
    db.close()
    at = open_as_gm(page, timeout=60, unit_id=unit, meeting_id=meeting)
    assert at.title or at.header or at.subheader  # something was drawn, not a blank page
