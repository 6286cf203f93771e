"""Retention of raw live contributions (``meeting.anonymise.retention``): the per-unit setting (``app_settings``),
when a meeting's anonymised minutes were exported and its contributions purged (``meetings``), and the purge."""
from __future__ import annotations

from meeting.store.connection import Database
from meeting.store.settings import get_setting, set_setting

_SETTING = "contribution_retention_days/unit/{}"


def retention_days(db: Database, unit_id: int) -> int | None:
    value = get_setting(db, _SETTING.format(int(unit_id)))
    return int(value) if value is not None else None


def set_retention_days(db: Database, unit_id: int, days: int | None) -> None:
    """Store the unit's setting (None: remove it), inside the caller's write transaction."""
    set_setting(db, _SETTING.format(int(unit_id)), None if days is None else str(int(days)))


def mark_minutes_exported(db: Database, meeting_id: int, at: str) -> None:
    db.execute("UPDATE meetings SET minutes_exported_at = ? WHERE id = ?", [at, int(meeting_id)])


def mark_contributions_purged(db: Database, meeting_id: int, at: str) -> None:
    db.execute("UPDATE meetings SET contributions_purged_at = ? WHERE id = ?", [at, int(meeting_id)])


def exported_unpurged_meetings(db: Database, unit_id: int | None = None) -> list[dict]:
    """{id, unit_id, unit, minutes_exported_at} of closed meetings whose anonymised minutes were exported and whose
    contributions are not purged yet (of one unit, if given), in id order."""
    return list(db.query(
        "SELECT m.id, m.unit_id, u.name AS unit, m.minutes_exported_at FROM meetings m JOIN units u ON u.id = m.unit_id "
        "WHERE m.status = 'closed' AND m.contributions_purged_at IS NULL AND m.minutes_exported_at IS NOT NULL "
        + ("AND m.unit_id = ? " if unit_id is not None else "") + "ORDER BY m.id",
        [int(unit_id)] if unit_id is not None else []))


def meeting_contributions(db: Database, meeting_id: int) -> list[dict]:
    """{id, text, display_name} of every contribution of a meeting, hidden ones too, in the order sent."""
    return list(db.query("SELECT id, text, display_name FROM contributions WHERE meeting_id = ? ORDER BY id",
                         [int(meeting_id)]))


def replace_contribution(db: Database, contribution_id: int, text: str, author_token: str) -> None:
    """Put ``text`` in place of what was typed and ``author_token`` in place of the device's; the name goes."""
    db.execute("UPDATE contributions SET text = ?, display_name = NULL, author_token = ? WHERE id = ?",
               [text, author_token, int(contribution_id)])
