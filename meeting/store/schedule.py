"""When a meeting starts: its start time (local "HH:MM" on the day it is held). Its length is ``total_minutes``,
set with the agenda's time boxes (``meeting.agenda.set_total_minutes``)."""
from __future__ import annotations

from meeting.store.connection import Database


def set_start_time(db: Database, meeting_id: int, start: str) -> None:
    """The caller holds the write transaction and has checked ``start`` (``meeting.agenda.schedule``)."""
    db.execute("UPDATE meetings SET start_time = ? WHERE id = ?", [start, int(meeting_id)])
