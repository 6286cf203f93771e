"""Minutes entries (notes, decisions, actions): add, list, read one, change its words or details, delete it; the
earlier meetings' actions a meeting carries; the contributions not yet made into an entry.

The closed-meeting guard (triggers, ``meeting.store.schema``) refuses both on a closed meeting, whoever
writes; ``meeting.minutes.entries`` checks first so the refusal reads as a sentence.
"""
from __future__ import annotations

from meeting.store.connection import Database

EDITABLE = ("text", "owner", "due_on")


def get_entry(db: Database, entry_id: int) -> dict:
    """The entry with its meeting's status; LookupError when there is none."""
    rows = list(db.query("SELECT e.*, m.status AS meeting_status FROM minutes_entries e "
                         "JOIN meetings m ON m.id = e.meeting_id WHERE e.id = ?", [int(entry_id)]))
    if not rows:
        raise LookupError(f"No minutes entry with id {entry_id}")
    return rows[0]


def update_entry(db: Database, entry_id: int, changes: dict) -> None:
    """Set some of text, owner, due_on (the caller's write transaction holds it and the audit together)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Only {', '.join(EDITABLE)} of an entry can change, not {', '.join(sorted(unknown))}")
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        db.execute(f"UPDATE minutes_entries SET {assignments} WHERE id = ?", [*changes.values(), int(entry_id)])


def delete_entry(db: Database, entry_id: int) -> None:
    db.execute("DELETE FROM minutes_entries WHERE id = ?", [int(entry_id)])


def meeting_status(db: Database, meeting_id: int) -> str | None:
    """draft, live or closed; None when there is no such meeting."""
    row = db.execute("SELECT status FROM meetings WHERE id = ?", [int(meeting_id)]).fetchone()
    return row[0] if row else None


def insert_entry(db: Database, meeting_id: int, *, section: str, kind: str, text: str, speaker: str | None,
                 owner: str | None, due_on: str | None, status: str, created_at: str) -> int:
    """Store one entry; returns its id."""
    return db.execute(
        "INSERT INTO minutes_entries (meeting_id, section, kind, text, speaker, owner, due_on, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [int(meeting_id), section, kind, text, speaker, owner, due_on, status, created_at]).fetchone()[0]


def list_entries(db: Database, meeting_id: int) -> list[dict]:
    """A meeting's entries, every column, in the order they were taken (the caller orders the sections)."""
    return list(db.query("SELECT * FROM minutes_entries WHERE meeting_id = ? ORDER BY id", [int(meeting_id)]))


def entry_texts(db: Database, meeting_id: int) -> list[dict]:
    """{id, text} of a meeting's entries in the order they were taken."""
    return list(db.query("SELECT id, text FROM minutes_entries WHERE meeting_id = ? ORDER BY id", [int(meeting_id)]))


def earlier_actions(db: Database, meeting_id: int, *, open_only: bool) -> list[dict]:
    """Actions from the same unit's meetings held before this one (only the open ones with ``open_only``), each
    with raised_on, raised_in and meetings_open: the unit's meetings held since, up to and including this one.
    Dated ones first by due date, then undated; ties in the order taken."""
    return list(db.query(
        f"""
        SELECT e.*, m.held_on AS raised_on, m.title AS raised_in,
               (SELECT COUNT(*) FROM meetings later
                 WHERE later.unit_id = m.unit_id AND later.held_on > m.held_on
                   AND later.held_on <= this.held_on) AS meetings_open
          FROM minutes_entries e
          JOIN meetings m ON m.id = e.meeting_id
          JOIN meetings this ON this.id = ?
         WHERE e.kind = 'action' {"AND e.status = 'open'" if open_only else ""}
           AND m.unit_id = this.unit_id AND m.held_on < this.held_on
         ORDER BY e.due_on IS NULL, e.due_on, e.id
        """,
        [int(meeting_id)],
    ))


def contributions_not_in_minutes(db: Database, meeting_id: int) -> list[dict]:
    """{id, section, display_name, text, rating, created_at} of a meeting's visible (not hidden) contributions that
    no entry was made from (an entry made from one has source_key "contribution:<id>:..."), in the order sent."""
    return list(db.query(
        "SELECT c.id, c.section, c.display_name, c.text, c.rating, c.created_at FROM contributions c "
        "WHERE c.meeting_id = ? AND c.hidden = 0 AND NOT EXISTS (SELECT 1 FROM minutes_entries e "
        "WHERE e.meeting_id = c.meeting_id AND e.source_key LIKE 'contribution:' || c.id || ':%') "
        "ORDER BY c.id", [int(meeting_id)]))


def visible_contribution_texts(db: Database, meeting_id: int) -> list[dict]:
    """{id, text} of a meeting's contributions not hidden by moderation, in the order sent."""
    return list(db.query("SELECT id, text FROM contributions WHERE meeting_id = ? AND hidden = 0 ORDER BY id",
                         [int(meeting_id)]))
