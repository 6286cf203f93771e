"""The demo stays current (issue 19): loaded on any day, its latest complete month is last month, its draft
meetings are today or ahead, and nothing is dated after today. Expectations are written from the calendar,
not from the loader's helpers."""
from __future__ import annotations

import datetime as dt

from support.table_rows import count_rows

from meeting import demo, store
from meeting.store import meetings


def _previous_month(day: dt.date) -> str:
    return (day.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def test_the_demo_loaded_on_any_day_reviews_last_month_and_meets_ahead(db_path, any_day):
    db = store.open_db(db_path)
    demo.load_demo(db)  # the clock's day: any_day
    latest = db.execute("SELECT MAX(received_on) FROM voc_responses").fetchone()[0]
    assert latest <= any_day.isoformat()
    assert latest[:7] == any_day.strftime("%Y-%m") or any_day.day == 1
    # Last month is complete: responses on its first and its last day.
    last_month = _previous_month(any_day)
    days = {row[0] for row in db.execute("SELECT DISTINCT received_on FROM voc_responses WHERE received_on LIKE ?",
                                         [last_month + "-%"])}
    first = dt.date.fromisoformat(last_month + "-01")
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    assert first.isoformat() in days and last.isoformat() in days
    drafts = [m for m in meetings.list_meetings(db) if m["status"] == "draft"]
    closed = [m for m in meetings.list_meetings(db) if m["status"] == "closed"]
    assert len(drafts) == 2 and len(closed) == 2
    for meeting in drafts:
        assert meeting["held_on"] >= any_day.isoformat()
        assert meeting["period"] == last_month
        assert dt.date.fromisoformat(meeting["held_on"]).strftime("%B %Y") in meeting["title"]
    for meeting in closed:
        assert meeting["held_on"] < any_day.isoformat()
        assert meeting["period"] < last_month
    db.close()


def test_the_demo_on_its_reference_day_is_the_committed_files_unchanged(db_path):
    # The suite's frozen day is the demo's reference day: every response in voc.csv is loaded as written.
    db = store.open_db(db_path)
    demo.load_demo(db, today=dt.date(2026, 11, 20))
    with open(demo.DEMO_DIR / "voc.csv", encoding="utf-8") as handle:
        rows = handle.read().splitlines()[1:]
    assert count_rows(db, "voc_responses") == len(rows)
    assert db.execute("SELECT MIN(received_on), MAX(received_on) FROM voc_responses").fetchone() == \
        ("2025-12-01", "2026-11-20")
    db.close()
