"""Loads the demo CSVs into a database through ``meeting.importing`` and creates the demo meetings.

The CSVs are fixed (generated for ``REFERENCE_DATE``); the load moves every date by whole months so that the
demo is current on the day it is loaded: its latest complete month is last month and its draft meetings are
today or ahead. Nothing dated after today is loaded (a customer cannot have answered tomorrow).
"""
from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pandas as pd
from dateutil.relativedelta import relativedelta

from meeting import clock
from meeting.demo.plan import DEMO_DIR, DEMO_MEETINGS, REFERENCE_DATE, UNITS, DemoMeeting
from meeting.demo.rows import done_actions
from meeting.periods import shift_period

UNIT_KINDS = ("voc", "staff", "metrics", "plans", "finance")
# The dated columns of each demo file: days (YYYY-MM-DD) and months (YYYY-MM).
_DAY_COLUMNS = {"voc": ("received_on",), "staff": ("submitted_on",), "plans": ("starts_on",),
                "participants": ("held_on",), "minutes": ("held_on", "due_on")}
_MONTH_COLUMNS = {"metrics": ("period",), "finance": ("period",)}
# Feedback and staff input up to today only; plans and month-to-date metrics may lie ahead, as real ones do.
_NOT_AFTER_TODAY = {"voc": "received_on", "staff": "submitted_on"}
# Every demo meeting starts at nine (local), so `invite` works on the demo's drafts; the closed ones were held
# from then on (their recorded stays begin at that time).
DEMO_START_TIME = "09:00"


def months_to_shift(today: dt.date) -> int:
    """Whole months from the demo's reference month to ``today``'s month."""
    return (today.year - REFERENCE_DATE.year) * 12 + today.month - REFERENCE_DATE.month


def shift_day(day: str, months: int) -> str:
    """An ISO date moved by ``months``; the 31st becomes the month's last day where it has fewer."""
    if not day:
        return day
    return (dt.date.fromisoformat(day[:10]) + relativedelta(months=months)).isoformat() + day[10:]


def current_meetings(today: dt.date) -> tuple[DemoMeeting, ...]:
    """The demo meetings moved to ``today``: titles name their new month; a draft is never in the past."""
    months = months_to_shift(today)
    moved = []
    for meeting in DEMO_MEETINGS:
        held = dt.date.fromisoformat(shift_day(meeting.held_on, months))
        if not meeting.closed:
            held = max(held, today)
        title = f"{meeting.unit} leadership meeting, {calendar.month_name[held.month]} {held.year}"
        moved.append(DemoMeeting(meeting.unit, held.isoformat(), shift_period(meeting.period, months), title,
                                 meeting.closed))
    return tuple(moved)


def _read_current(kind: str, demo_dir: Path, today: dt.date) -> pd.DataFrame:
    from meeting import importing

    frame = importing.read_table(demo_dir / f"{kind}.csv", f"{kind}.csv")
    months = months_to_shift(today)
    if months:
        for column in _DAY_COLUMNS.get(kind, ()):
            frame[column] = frame[column].map(lambda day: shift_day(day, months) if isinstance(day, str) else day)
        for column in _MONTH_COLUMNS.get(kind, ()):
            frame[column] = frame[column].map(lambda period: shift_period(period, months))
    if kind in _NOT_AFTER_TODAY:
        frame = frame[frame[_NOT_AFTER_TODAY[kind]].str.slice(0, 10) <= today.isoformat()]
    return frame


def load_demo(db, demo_dir: str | Path = DEMO_DIR, *, today: dt.date | str | None = None) -> dict[str, int]:
    """Import the demo CSVs, moved to ``today`` (default: the clock's), and create the demo meetings; returns
    rows added per kind. Idempotent."""
    from meeting import agenda, importing, minutes, store
    from meeting.store import demo as stored_demo
    from meeting.store import meetings
    from meeting.store import schedule as schedule_store

    demo_dir, today = Path(demo_dir), clock.as_date(today)
    months = months_to_shift(today)
    counts: dict[str, int] = {}
    before = len(store.list_units(db))
    for unit in UNITS:
        store.get_or_create_unit(db, unit.name)  # each in its own write transaction, committed
    counts["units"] = len(store.list_units(db)) - before
    for kind in UNIT_KINDS:
        frame = _read_current(kind, demo_dir, today)
        counts[kind] = importing.import_frame(db, kind, frame, filename=f"{kind}.csv").inserted

    # One file each for all demo meetings' participants and minutes, keyed by unit and date; the importer
    # takes one meeting at a time, so each meeting gets its slice without those two columns.
    tables = {kind: _read_current(kind, demo_dir, today) for kind in ("participants", "minutes")}
    counts.update(meetings=0, participants=0, minutes=0)
    for original, meeting in zip(DEMO_MEETINGS, current_meetings(today)):
        unit_row = store.find_unit(db, meeting.unit)
        assert unit_row is not None, "the demo's units are loaded first"
        unit_id = unit_row["id"]
        found = [(m["id"], m["status"]) for m in meetings.list_meetings(db, unit_id)
                 if m["held_on"] == meeting.held_on and m["title"] == meeting.title]
        if found:
            meeting_id, status = min(found)
        else:
            meeting_id = meetings.create_meeting(db, meeting.unit, meeting.held_on, title=meeting.title,
                                                 period=meeting.period)
            with store.write_transaction(db):
                schedule_store.set_start_time(db, meeting_id, DEMO_START_TIME)
            status = "draft"
            counts["meetings"] += 1
        if status == "closed":
            continue  # a closed meeting is the record (the store refuses changes); a second load leaves it alone
        agenda.draft_agenda(db, meeting_id)  # idempotent: a meeting without items gets the default agenda
        # The files key each meeting by its own date moved by whole months (a draft may since have moved to today).
        slice_day = shift_day(original.held_on, months)
        counts["participants"] += _import_slice(db, tables["participants"], "participants", meeting, meeting_id,
                                                slice_day)
        if not meeting.closed:
            continue
        counts["minutes"] += _import_slice(db, tables["minutes"], "minutes", meeting, meeting_id, slice_day)
        for text in done_actions(meeting.unit):
            for entry_id in sorted(e["id"] for e in minutes.list_entries(db, meeting_id)
                                   if e["kind"] == "action" and e["text"] == text):
                minutes.set_action_status(db, entry_id, "done")
        # The live-meeting module owns the draft -> live -> closed flow; the demo only needs the end state.
        with store.write_transaction(db):
            stored_demo.close_as_held(db, meeting_id, f"{meeting.held_on}T{DEMO_START_TIME}:00+00:00",
                                      f"{meeting.held_on}T11:05:00+00:00")
    return counts


def _import_slice(db, table, kind: str, meeting: DemoMeeting, meeting_id: int, held_on: str) -> int:
    from meeting import importing

    rows = table[(table["unit"] == meeting.unit) & (table["held_on"] == held_on)]
    rows = rows.drop(columns=["unit", "held_on"]).reset_index(drop=True)
    return importing.import_frame(db, kind, rows, filename=f"{kind}.csv", meeting_id=meeting_id).inserted
