"""Actions (``minutes_entries`` of kind action) and their status history (``action_status_changes``): the one
change a closed meeting still allows, and the rows the action register is built from."""
from __future__ import annotations

from meeting.store.connection import Database


def kind_and_status(db: Database, entry_id: int) -> tuple[str, str] | None:
    """(kind, status) of an entry, or None when there is none."""
    row = db.execute("SELECT kind, status FROM minutes_entries WHERE id = ?", [int(entry_id)]).fetchone()
    return (row[0], row[1]) if row else None


def change_status(db: Database, entry_id: int, old_status: str, new_status: str, changed_at: str) -> None:
    """Set the status and record the change with its time (inside the caller's write transaction)."""
    db.execute("UPDATE minutes_entries SET status = ? WHERE id = ?", [new_status, int(entry_id)])
    db.execute("INSERT INTO action_status_changes (entry_id, old_status, new_status, changed_at) VALUES (?, ?, ?, ?)",
               [int(entry_id), old_status, new_status, changed_at])


def unit_actions(db: Database, unit_id: int, *, open_only: bool = False) -> list[dict]:
    """Every action of the unit's meetings (only the open ones with ``open_only``), in the order taken: id, text,
    owner, due_on, status, section, meeting_id, meeting_title, held_on, last_changed_at (None if never changed)."""
    return list(db.query(
        "SELECT e.id, e.text, e.owner, e.due_on, e.status, e.section, e.meeting_id, "
        "       m.title AS meeting_title, m.held_on, "
        "       (SELECT MAX(c.changed_at) FROM action_status_changes c WHERE c.entry_id = e.id) AS last_changed_at "
        "  FROM minutes_entries e JOIN meetings m ON m.id = e.meeting_id "
        " WHERE e.kind = 'action' AND m.unit_id = ?" + (" AND e.status = 'open'" if open_only else "")
        + " ORDER BY e.id", [int(unit_id)]))


def status_changes(db: Database, *, entry_id: int | None = None, unit_id: int | None = None) -> list[tuple]:
    """(entry_id, old_status, new_status, changed_at) of recorded changes, oldest first: of one action, of a unit's
    actions, or (neither given) of all."""
    sql = ("SELECT c.entry_id, c.old_status, c.new_status, c.changed_at FROM action_status_changes c "
           "JOIN minutes_entries e ON e.id = c.entry_id JOIN meetings m ON m.id = e.meeting_id WHERE 1 = 1")
    params: list = []
    if entry_id is not None:
        sql += " AND c.entry_id = ?"
        params.append(int(entry_id))
    if unit_id is not None:
        sql += " AND m.unit_id = ?"
        params.append(int(unit_id))
    return [tuple(row) for row in db.execute(sql + " ORDER BY c.id", params).fetchall()]
