"""A unit's own reference rows the agenda and the anonymisation review read: planned programmes (``plans``),
finance lines (``finance``) and the touchpoints its customers' responses name."""
from __future__ import annotations

from meeting.store.connection import Database


def section_plans(db: Database, unit_id: int, section: str) -> list[dict]:
    """{title, segment, starts_on, detail} of a unit's plans for a section: undated first, then by start, title."""
    return list(db.query(
        "SELECT title, segment, starts_on, detail FROM plans WHERE unit_id = ? AND section = ? "
        "ORDER BY starts_on IS NOT NULL, starts_on, title, id", [int(unit_id), section]))


def finance_lines(db: Database, unit_id: int, period: str, previous: str) -> list[dict]:
    """{line, actual, budget, actual_before} of a unit's finance lines for ``period`` in the order imported, with the
    same line's actual of ``previous`` (None when it has none)."""
    return list(db.query("""
        SELECT cur.line, cur.actual, cur.budget, prev.actual AS actual_before
          FROM finance cur LEFT JOIN finance prev
            ON prev.unit_id = cur.unit_id AND prev.line = cur.line AND prev.period = ?
         WHERE cur.unit_id = ? AND cur.period = ? ORDER BY cur.id""", [previous, int(unit_id), period]))


def unit_touchpoints(db: Database, unit_id: int) -> list[str]:
    """The distinct touchpoints of a unit's customer responses (``voc_responses``), in name order."""
    return [row[0] for row in db.execute("SELECT DISTINCT touchpoint FROM voc_responses WHERE unit_id = ? "
                                         "ORDER BY touchpoint", [int(unit_id)])]
