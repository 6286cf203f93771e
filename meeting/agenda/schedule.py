"""When a meeting starts and how long it lasts (issue 28): what its calendar invitation says.

- **Start**: a local time "HH:MM" on the day the meeting is held (``held_on``), set by the GM (``new-meeting
  --starts``, ``schedule ID --starts``, Prepare's settings). Never guessed: a meeting without one has none, and
  its invitation is refused until it is set. Local and floating, as the agenda is: the unit meets where it is.
- **Length**: ``total_minutes``, between ``MIN_LENGTH`` and ``MAX_LENGTH``. Changing it re-boxes the agenda
  (``set_total_minutes``), so the sections' minutes add up to it again.
- **The agenda adds up**: the invitation blocks start to start + length. When the items' minutes no longer add up
  to the length (an item added, lengthened or deleted since), the invitation is refused and says by how much, so
  the calendar never promises an end the agenda runs past, or hides time nobody planned (``agenda_mismatch``).
"""
from __future__ import annotations

import datetime as dt

from meeting.accounts import audit
from meeting.store import schedule as schedule_store
from meeting.store import write_transaction
from meeting.store.meetings import get_meeting

MIN_LENGTH, MAX_LENGTH = 30, 480  # minutes: half an hour to a working day


def parse_starts(text: str) -> tuple[dt.date | None, str]:
    """``HH:MM`` or ``YYYY-MM-DDTHH:MM`` (local) -> (the date if one was given, "HH:MM")."""
    raw = (text or "").strip()
    when, _, time_part = raw.replace(" ", "T", 1).rpartition("T")
    try:
        day = dt.date.fromisoformat(when) if when else None
        if len(time_part) != 5 or time_part[2] != ":":
            raise ValueError
        start = dt.time.fromisoformat(time_part)
    except ValueError:
        raise ValueError(f"Start {raw!r} is not a local time: give HH:MM (e.g. 09:00) or YYYY-MM-DDTHH:MM "
                         "(e.g. 2026-12-10T09:00), with no seconds or time zone.") from None
    return day, start.strftime("%H:%M")


def check_length(minutes) -> int:
    try:
        value = int(str(minutes).strip())
    except (TypeError, ValueError):
        raise ValueError(f"Length {minutes!r} is not a whole number of minutes.") from None
    if not MIN_LENGTH <= value <= MAX_LENGTH:
        raise ValueError(f"A meeting lasts between {MIN_LENGTH} and {MAX_LENGTH} minutes, not {value}.")
    return value


def start_on(held_on: str, starts: str) -> str:
    """The checked "HH:MM" of ``starts`` for a meeting held on ``held_on``; a date, if given, must be that day."""
    day, start = parse_starts(starts)
    if day is not None and day.isoformat() != held_on:
        raise ValueError(f"The meeting is held on {held_on}, but the start given is on {day.isoformat()}: give the "
                         f"time alone (--starts {start}), or a start on {held_on}.")
    return start


def set_schedule(db, meeting_id: int, *, starts: str | None = None, minutes=None, user=None) -> dict:
    """Set the start time and/or the length (unchanged when None); returns {start_time, total_minutes}.
    A length that changes re-boxes the agenda; the same length leaves the GM's boxes alone."""
    from meeting.agenda.items import set_total_minutes

    meeting = get_meeting(db, meeting_id)
    if meeting["status"] == "closed":
        raise PermissionError(f"Meeting {int(meeting_id)} is closed: when it was held is part of the record.")
    start = start_on(meeting["held_on"], starts) if starts is not None else None
    length = check_length(minutes) if minutes is not None else None
    with write_transaction(db):
        changes: dict[str, str | int] = {}
        if start is not None and start != meeting["start_time"]:
            schedule_store.set_start_time(db, meeting_id, start)
            changes["start_time"] = start
        if length is not None and length != int(meeting["total_minutes"]):
            set_total_minutes(db, meeting_id, length)
            changes["total_minutes"] = length
        if changes:
            audit.record(db, user, audit.MEETING_SCHEDULE, {"meeting_id": int(meeting_id), **changes})
    now = get_meeting(db, meeting_id)
    return {"start_time": now["start_time"], "total_minutes": int(now["total_minutes"])}


def agenda_mismatch(total_minutes: int, agenda_minutes: int) -> str | None:
    """Why the agenda does not fit the meeting's length, or None when its minutes add up to it."""
    if agenda_minutes == total_minutes:
        return None
    difference = agenda_minutes - total_minutes
    how = f"{difference} minutes longer than" if difference > 0 else f"{-difference} minutes shorter than"
    return (f"The agenda's items add up to {agenda_minutes} minutes, {how} the meeting ({total_minutes} minutes). "
            "Change the items' minutes on Prepare until they add up, or set the length again (Meeting settings, or "
            "`python -m meeting schedule ID --minutes N`), which re-boxes every section by its share.")
