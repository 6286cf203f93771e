"""Retention of raw live contributions: what invited customers typed, under their own display names.

Per unit: off (the default: nothing is purged), or N days after the meeting's anonymised minutes were
exported. Purging a closed meeting's contributions keeps what the minutes say and nothing more: the text
is replaced by its anonymised version (as exported), the display name is removed, and the device token
that let a contributor see their own posts is cleared. Nothing else is touched. ``python -m meeting purge``
does it now; the app does it when the Minutes page exports.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meeting import clock
from meeting.anonymise.redactor import build_redactor

PURGED_TOKEN = ""


@dataclass(frozen=True)
class Purged:
    meeting_id: int
    unit: str
    contributions: int


def _now(now: str | dt.datetime | None) -> dt.datetime:
    if now is None:
        return clock.now().replace(tzinfo=None)
    return now if isinstance(now, dt.datetime) else dt.datetime.fromisoformat(str(now))


def retention_days(db, unit_id: int) -> int | None:
    """Days after the anonymised minutes are exported before raw contributions go; None: kept (off)."""
    from meeting.store import retention as retention_store

    return retention_store.retention_days(db, unit_id)


def set_retention_days(db, unit_id: int, days: int | None) -> None:
    """Switch retention off (None) or to ``days`` (0 or more) for a unit."""
    from meeting.store import retention as retention_store
    from meeting.store import write_transaction

    if days is not None and (int(days) != days or days < 0):
        raise ValueError(f"Retention must be a whole number of days, 0 or more, not {days!r}")
    with write_transaction(db):
        retention_store.set_retention_days(db, unit_id, None if days is None else int(days))


def record_export(db, meeting_id: int, now: str | dt.datetime | None = None) -> None:
    """The anonymised minutes of this meeting were just exported: the retention clock starts (again)."""
    from meeting.store import retention as retention_store
    from meeting.store import write_transaction

    with write_transaction(db):
        retention_store.mark_minutes_exported(db, meeting_id, _now(now).isoformat(timespec="seconds"))


def due_meetings(db, *, unit_id: int | None = None, now=None) -> list[dict]:
    """Closed meetings whose contributions are due for purging under their unit's setting."""
    from meeting.store import retention as retention_store

    moment = _now(now)
    rows = retention_store.exported_unpurged_meetings(db, unit_id)
    due = []
    for row in rows:
        days = retention_days(db, row["unit_id"])
        if days is not None and dt.datetime.fromisoformat(row["minutes_exported_at"]) + dt.timedelta(days=days) <= moment:
            due.append(row)
    return due


def purge_meeting(db, meeting_id: int, now=None) -> int:
    """Purge one closed meeting's raw contributions now; returns how many were purged."""
    from meeting.store import retention as retention_store
    from meeting.store import write_transaction
    from meeting.store.meetings import get_meeting, list_participants

    meeting = get_meeting(db, meeting_id)
    if meeting["status"] != "closed":
        raise ValueError(f"Meeting {meeting_id} is {meeting['status']}: only a closed meeting's contributions are purged.")
    redactor = build_redactor(list_participants(db, meeting_id))
    rows = retention_store.meeting_contributions(db, meeting_id)
    with write_transaction(db):
        for row in rows:
            # The display name goes too, so it is redacted from the text first, as a guest's name.
            guest = build_redactor(list_participants(db, meeting_id),
                                   [row["display_name"]] if row["display_name"] else ()) if row["display_name"] else redactor
            retention_store.replace_contribution(db, row["id"], guest.redact(row["text"]), PURGED_TOKEN)
        retention_store.mark_contributions_purged(db, meeting_id, _now(now).isoformat(timespec="seconds"))
    return len(rows)


def purge_contributions(db, *, unit: str | int | None = None, meeting_id: int | None = None, now=None,
                        force: bool = False) -> list[Purged]:
    """Purge what is due (or, with ``force`` and ``meeting_id``, that meeting whatever the setting)."""
    from meeting.store import find_unit
    from meeting.store.meetings import get_meeting

    if meeting_id is not None and force:
        meeting = get_meeting(db, meeting_id)
        return [Purged(int(meeting_id), meeting["unit"], purge_meeting(db, meeting_id, now))]
    unit_id = None
    if unit is not None:
        row = find_unit(db, unit)
        if row is None:
            raise LookupError(f"No unit {unit!r}")
        unit_id = row["id"]
    return [Purged(row["id"], row["unit"], purge_meeting(db, row["id"], now))
            for row in due_meetings(db, unit_id=unit_id, now=now)]


def purge_report(purged: list[Purged]) -> str:
    if not purged:
        return "Nothing to purge: no closed meeting is past its unit's retention period."
    return "\n".join(f"Meeting {p.meeting_id} ({p.unit}): {p.contributions} contributions purged "
                     "(text anonymised, display names and device tokens removed)." for p in purged)
