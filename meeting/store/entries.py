"""Minutes entries (notes, decisions, actions): read one, change its words or details, delete it.

The closed-meeting guard (triggers, ``meeting.store.schema``) refuses both on a closed meeting, whoever
writes; ``meeting.minutes.entries`` checks first so the refusal reads as a sentence.
"""
from __future__ import annotations

import sqlite_utils

EDITABLE = ("text", "owner", "due_on")


def get_entry(db: sqlite_utils.Database, entry_id: int) -> dict:
    """The entry with its meeting's status; LookupError when there is none."""
    rows = list(db.query("SELECT e.*, m.status AS meeting_status FROM minutes_entries e "
                         "JOIN meetings m ON m.id = e.meeting_id WHERE e.id = ?", [int(entry_id)]))
    if not rows:
        raise LookupError(f"No minutes entry with id {entry_id}")
    return rows[0]


def update_entry(db: sqlite_utils.Database, entry_id: int, changes: dict) -> None:
    """Set some of text, owner, due_on (the caller's write transaction holds it and the audit together)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Only {', '.join(EDITABLE)} of an entry can change, not {', '.join(sorted(unknown))}")
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        db.execute(f"UPDATE minutes_entries SET {assignments} WHERE id = ?", [*changes.values(), int(entry_id)])


def delete_entry(db: sqlite_utils.Database, entry_id: int) -> None:
    db.execute("DELETE FROM minutes_entries WHERE id = ?", [int(entry_id)])
