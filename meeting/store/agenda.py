"""Agenda items: the SQL the agenda stage needs beyond adding and editing items (meeting.agenda.items)."""
from __future__ import annotations

import sqlite_utils


def first_item(db: sqlite_utils.Database, meeting_id: int, section: str) -> tuple[int, int | None] | None:
    """(id, minutes) of a section's first item, or None when the section has none."""
    row = db.execute("SELECT id, minutes FROM agenda_items WHERE meeting_id = ? AND section = ? "
                     "ORDER BY position, id LIMIT 1", [meeting_id, section]).fetchone()
    return (row[0], row[1]) if row else None


def take_minutes(db: sqlite_utils.Database, item_id: int, minutes: int) -> None:
    """Shorten an item's time box by ``minutes`` (inside the caller's write transaction)."""
    db.execute("UPDATE agenda_items SET minutes = minutes - ? WHERE id = ?", [minutes, item_id])
