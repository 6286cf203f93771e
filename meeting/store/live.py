"""A live meeting's tables: the meeting row's live state (status, join code, current section, room settings),
the section visits (time actually spent), and the invited customers' contributions with the minutes entries
made from them.

Plain statements: the stage (meeting.live) decides the transaction, so a check and the write it guards stay
inside one ``write_transaction``. Written once for SQLite and PostgreSQL (``?`` placeholders, ``RETURNING``,
explicit total ORDER BY). Times are ISO text from meeting.clock.
"""
from __future__ import annotations

from meeting.store.connection import Database

# A minutes entry made from a contribution carries ``contribution:<id>:<kind>`` as its source key, so the
# contribution knows it is in the minutes and hiding it takes the entry away.
CONTRIBUTION_SOURCE = "contribution:"


def contribution_source_key(contribution_id: int, kind: str) -> str:
    return f"{CONTRIBUTION_SOURCE}{int(contribution_id)}:{kind}"


def _source_prefix_pattern(contribution_id: int) -> str:
    return f"{CONTRIBUTION_SOURCE}{int(contribution_id)}:%"


# --- the meeting's live state -------------------------------------------------------------------------------

def meeting_by_id(db: Database, meeting_id: int) -> dict | None:
    """The whole meeting row, or None."""
    rows = list(db.query("SELECT * FROM meetings WHERE id = ?", [int(meeting_id)]))
    return rows[0] if rows else None


def meeting_by_join_code(db: Database, code: str) -> dict | None:
    """The whole row of the meeting with this (canonical) join code, whatever its status; or None."""
    rows = list(db.query("SELECT * FROM meetings WHERE join_code = ?", [code]))
    return rows[0] if rows else None


def live_meeting_by_join_code(db: Database, code: str) -> dict | None:
    """The whole row of the live meeting with this (canonical) join code, or None."""
    rows = list(db.query("SELECT * FROM meetings WHERE join_code = ? AND status = 'live'", [code]))
    return rows[0] if rows else None


def joinable_meeting(db: Database, code: str) -> dict | None:
    """Only what the Join page may learn of the meeting with this code: id, title, status, current_section."""
    rows = list(db.query("SELECT id, title, status, current_section FROM meetings WHERE join_code = ?", [code]))
    return rows[0] if rows else None


def mark_meeting_live(db: Database, meeting_id: int, *, join_code: str, section: str, now: str) -> None:
    """Draft -> live: the join code, the first section and both clocks (raises IntegrityError on a code clash)."""
    db.execute("UPDATE meetings SET status = 'live', join_code = ?, current_section = ?, section_started_at = ?, "
               "started_at = ? WHERE id = ?", [join_code, section, now, now, int(meeting_id)])


def move_to_section(db: Database, meeting_id: int, section: str, now: str) -> None:
    db.execute("UPDATE meetings SET current_section = ?, section_started_at = ? WHERE id = ?",
               [section, now, int(meeting_id)])


def mark_meeting_closed(db: Database, meeting_id: int, now: str) -> None:
    db.execute("UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ?", [now, int(meeting_id)])


def save_room_settings(db: Database, meeting_id: int, *, interval_seconds: int, premoderate: bool) -> None:
    db.execute("UPDATE meetings SET contribution_interval_seconds = ?, premoderate = ? WHERE id = ?",
               [int(interval_seconds), 1 if premoderate else 0, int(meeting_id)])


def planned_minutes(db: Database, meeting_id: int) -> dict[str, int]:
    """Minutes the agenda plans per section (sections whose items have no minutes are left out)."""
    return {section: int(minutes) for section, minutes in db.execute(
        "SELECT section, SUM(minutes) FROM agenda_items WHERE meeting_id = ? AND minutes IS NOT NULL "
        "GROUP BY section ORDER BY section", [int(meeting_id)]).fetchall()}


# --- section visits ---------------------------------------------------------------------------------------------

def record_section_visit(db: Database, meeting_id: int, section: str, started_at: str) -> None:
    """A stay in ``section`` begins (it stays open until ``end_section_visits``)."""
    db.execute("INSERT INTO section_visits (meeting_id, section, started_at) VALUES (?, ?, ?)",
               [int(meeting_id), section, started_at])


def end_section_visits(db: Database, meeting_id: int, ended_at: str) -> None:
    """The meeting's open stay (there is at most one) ends."""
    db.execute("UPDATE section_visits SET ended_at = ? WHERE meeting_id = ? AND ended_at IS NULL",
               [ended_at, int(meeting_id)])


def section_visits(db: Database, meeting_id: int) -> list[dict]:
    """The meeting's stays in order: section, started_at, ended_at (None while open)."""
    return list(db.query("SELECT section, started_at, ended_at FROM section_visits WHERE meeting_id = ? ORDER BY id",
                         [int(meeting_id)]))


# --- contributions ------------------------------------------------------------------------------------------

def save_contribution(db: Database, meeting_id: int, section: str, *, author_token: str, display_name: str | None,
                      text: str, rating: int | None, created_at: str, approved: bool) -> int:
    """Store one contribution (not hidden); returns its id."""
    return db.execute(
        "INSERT INTO contributions (meeting_id, section, author_token, display_name, text, rating, created_at, "
        "hidden, approved) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
        [int(meeting_id), section, author_token, display_name, text, rating, created_at, 1 if approved else 0],
    ).fetchone()[0]


def last_contribution_at(db: Database, meeting_id: int, author_token: str) -> str | None:
    """When this device last sent to this meeting (ISO text), or None."""
    return db.execute("SELECT MAX(created_at) FROM contributions WHERE meeting_id = ? AND author_token = ?",
                      [int(meeting_id), author_token]).fetchone()[0]


def list_contributions(db: Database, meeting_id: int, *, include_hidden: bool = True,
                       after_id: int | None = None) -> list[dict]:
    """A meeting's contributions in the order they arrived (``after_id``: only newer ones), each with the
    minutes entry made from it, if any: ``entry_id`` and ``entry_kind`` (else None)."""
    sql = ("SELECT c.*, e.id AS entry_id, e.kind AS entry_kind FROM contributions c "
           "LEFT JOIN minutes_entries e ON e.meeting_id = c.meeting_id "
           "AND LOWER(e.source_key) LIKE 'contribution:' || CAST(c.id AS TEXT) || ':%' WHERE c.meeting_id = ?")
    params: list = [int(meeting_id)]
    if not include_hidden:
        sql += " AND c.hidden = 0"
    if after_id is not None:
        sql += " AND c.id > ?"
        params.append(int(after_id))
    return list(db.query(sql + " ORDER BY c.id, e.id", params))


def contributions_by_author(db: Database, meeting_id: int, author_token: str) -> list[dict]:
    """What one device sent to a meeting, oldest first: section, text, rating, created_at only."""
    return list(db.query("SELECT section, text, rating, created_at FROM contributions "
                         "WHERE meeting_id = ? AND author_token = ? ORDER BY id", [int(meeting_id), author_token]))


def contribution_with_meeting_status(db: Database, contribution_id: int) -> dict | None:
    """The contribution's row plus its meeting's ``meeting_status``, or None."""
    rows = list(db.query("SELECT c.*, m.status AS meeting_status FROM contributions c "
                         "JOIN meetings m ON m.id = c.meeting_id WHERE c.id = ?", [int(contribution_id)]))
    return rows[0] if rows else None


def approve_contribution(db: Database, contribution_id: int) -> None:
    """Approved for the room screen, and shown again if it was hidden."""
    db.execute("UPDATE contributions SET approved = 1, hidden = 0 WHERE id = ?", [int(contribution_id)])


def set_contribution_hidden(db: Database, contribution_id: int, hidden: bool) -> None:
    db.execute("UPDATE contributions SET hidden = ? WHERE id = ?", [1 if hidden else 0, int(contribution_id)])


def entry_of_contribution(db: Database, meeting_id: int, contribution_id: int) -> tuple[int, str] | None:
    """(id, kind) of the minutes entry made from this contribution, or None."""
    row = db.execute("SELECT id, kind FROM minutes_entries WHERE meeting_id = ? AND LOWER(source_key) LIKE ? "
                     "ORDER BY id LIMIT 1", [int(meeting_id), _source_prefix_pattern(contribution_id)]).fetchone()
    return (row[0], row[1]) if row else None


def delete_entries_of_contribution(db: Database, meeting_id: int, contribution_id: int) -> None:
    db.execute("DELETE FROM minutes_entries WHERE meeting_id = ? AND LOWER(source_key) LIKE ?",
               [int(meeting_id), _source_prefix_pattern(contribution_id)])


def link_entry_to_contribution(db: Database, entry_id: int, contribution_id: int, kind: str) -> None:
    """Mark a minutes entry as made from this contribution (as a ``kind``)."""
    db.execute("UPDATE minutes_entries SET source_key = ? WHERE id = ?",
               [contribution_source_key(contribution_id, kind), int(entry_id)])
