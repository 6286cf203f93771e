"""Agenda items (``agenda_items``): the rows a meeting's agenda is made of, with their positions and time boxes.

The rules (which sections, how minutes are shared out, who may edit) live in ``meeting.agenda``; these
functions only read and write rows, inside the caller's write transaction where they change something.
"""
from __future__ import annotations

from meeting.store.connection import Database

ITEM_COLUMNS = ("meeting_id", "section", "position", "title", "minutes", "owner")
EDITABLE = ("title", "minutes", "owner")


def count_items(db: Database, meeting_id: int) -> int:
    return db.execute("SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?", [int(meeting_id)]).fetchone()[0]


def insert_items(db: Database, rows: list[dict]) -> None:
    """Add several items at once; each row has the keys of ``ITEM_COLUMNS``."""
    # One statement per row: a dozen rows at most, and ``execute`` is the call both engines' databases share.
    sql = f"INSERT INTO agenda_items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})"
    for row in rows:
        db.execute(sql, [row[column] for column in ITEM_COLUMNS])


def insert_item(db: Database, meeting_id: int, section: str, title: str, minutes: int | None,
                owner: str | None) -> int:
    """Add one item at the end of its section; returns its id."""
    position = db.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM agenda_items WHERE meeting_id = ? AND section = ?",
                          [int(meeting_id), section]).fetchone()[0]
    # VALUES, not INSERT ... SELECT: PostgreSQL types a parameter in VALUES by its column (a NULL time box stays
    # an integer), in a SELECT list as text.
    return db.execute(
        "INSERT INTO agenda_items (meeting_id, section, position, title, minutes, owner) VALUES (?, ?, ?, ?, ?, ?) "
        "RETURNING id", [int(meeting_id), section, position, title, minutes, owner]).fetchone()[0]


def list_items(db: Database, meeting_id: int) -> list[dict]:
    """A meeting's items, every column, by position within each section (the caller orders the sections)."""
    return list(db.query("SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, id", [int(meeting_id)]))


def get_item(db: Database, item_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM agenda_items WHERE id = ?", [int(item_id)]))
    return rows[0] if rows else None


def update_item(db: Database, item_id: int, changes: dict) -> None:
    """Set some of title, minutes, owner."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Only {', '.join(EDITABLE)} of an agenda item can change, not {', '.join(sorted(unknown))}")
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)  # names from EDITABLE only
        db.execute(f"UPDATE agenda_items SET {assignments} WHERE id = ?", [*changes.values(), int(item_id)])


def delete_item(db: Database, item_id: int) -> None:
    db.execute("DELETE FROM agenda_items WHERE id = ?", [int(item_id)])


def section_items(db: Database, meeting_id: int, section: str) -> list[dict]:
    """{id, minutes} of a section's items in agenda order."""
    return list(db.query("SELECT id, minutes FROM agenda_items WHERE meeting_id = ? AND section = ? "
                         "ORDER BY position, id", [int(meeting_id), section]))


def set_positions(db: Database, item_ids: list[int]) -> None:
    """Number the items 0, 1, 2... in the order given."""
    for position, item_id in enumerate(item_ids):
        db.execute("UPDATE agenda_items SET position = ? WHERE id = ?", [position, int(item_id)])


def set_minutes(db: Database, minutes_by_item: dict[int, int | None]) -> None:
    for item_id, minutes in minutes_by_item.items():
        db.execute("UPDATE agenda_items SET minutes = ? WHERE id = ?", [minutes, int(item_id)])


def first_item(db: Database, meeting_id: int, section: str) -> tuple[int, int | None] | None:
    """(id, minutes) of a section's first item, or None when the section has none."""
    row = db.execute("SELECT id, minutes FROM agenda_items WHERE meeting_id = ? AND section = ? "
                     "ORDER BY position, id LIMIT 1", [int(meeting_id), section]).fetchone()
    return (row[0], row[1]) if row else None


def take_minutes(db: Database, item_id: int, minutes: int) -> None:
    """Shorten an item's time box by ``minutes`` (inside the caller's write transaction)."""
    db.execute("UPDATE agenda_items SET minutes = minutes - ? WHERE id = ?", [int(minutes), int(item_id)])


def planned_minutes(db: Database, meeting_ids: list[int]) -> list[dict]:
    """{meeting_id, section, planned}: the minutes boxed per meeting and section (an empty box counts 0)."""
    if not meeting_ids:
        return []
    marks = ", ".join("?" for _ in meeting_ids)
    return list(db.query(
        f"SELECT meeting_id, section, SUM(COALESCE(minutes, 0)) AS planned FROM agenda_items "
        f"WHERE meeting_id IN ({marks}) GROUP BY meeting_id, section ORDER BY meeting_id, section",
        [int(i) for i in meeting_ids]))


def meetings_with_section_moves(db: Database, meeting_ids: list[int]) -> list[int]:
    """Those of ``meeting_ids`` whose live section moves were recorded (``section_visits``), in id order."""
    if not meeting_ids:
        return []
    marks = ", ".join("?" for _ in meeting_ids)
    return [row[0] for row in db.execute(
        f"SELECT DISTINCT meeting_id FROM section_visits WHERE meeting_id IN ({marks}) ORDER BY meeting_id",
        [int(i) for i in meeting_ids])]


def has_section_moves(db: Database, meeting_id: int) -> bool:
    return db.execute("SELECT 1 FROM section_visits WHERE meeting_id = ? LIMIT 1", [int(meeting_id)]).fetchone() \
        is not None
