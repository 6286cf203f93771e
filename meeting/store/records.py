"""The minutes record of a closed meeting (issue 28): final with its fingerprint, then approved.

Triggers (``meeting.store.schema.m100_minutes_records``) keep the text, the fingerprint and an approval fixed.
"""
from __future__ import annotations

from meeting.store.connection import Database


def get_record(db: Database, meeting_id: int) -> dict | None:
    """The record's row, or None while the minutes are a draft."""
    rows = list(db.query("SELECT * FROM minutes_records WHERE meeting_id = ?", [int(meeting_id)]))
    return rows[0] if rows else None


def insert_final(db: Database, meeting_id: int, *, canonical: str, fingerprint: str, at: str,
                 by: str, frozen_actions: str) -> None:
    db.execute("INSERT INTO minutes_records (meeting_id, status, canonical, fingerprint, finalised_at, finalised_by, "
               "frozen_actions) VALUES (?, 'final', ?, ?, ?, ?, ?)",
               [int(meeting_id), canonical, fingerprint, at, by, frozen_actions])


def mark_approved(db: Database, meeting_id: int, *, by: str, on: str, at: str, actor: str) -> None:
    db.execute("UPDATE minutes_records SET status = 'approved', approved_by = ?, approved_on = ?, approved_at = ?, "
               "approved_by_actor = ? WHERE meeting_id = ? AND status = 'final'",
               [by, on, at, actor, int(meeting_id)])


def leaders_of(db: Database, meeting_id: int) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM participants WHERE meeting_id = ? AND kind = 'leader' "
                                         "ORDER BY name", [int(meeting_id)])]


def awaits_approval(db: Database, meeting: dict) -> bool:
    """A meeting that was held (live or closed) and whose minutes are not approved yet."""
    if meeting["status"] == "draft":
        return False
    record = get_record(db, meeting["id"])
    return record is None or record["status"] != "approved"
