"""Exporting the minutes, with what follows an export: the one place the purge-after-export rule lives, so the
Minutes page and ``python -m meeting export`` behave alike.

The rule: once the anonymised minutes have gone out, the raw live contributions of the unit's closed meetings
are purged as far as the unit's retention setting makes them due (``meeting.anonymise.retention``; off by
default). An INTERNAL export starts no retention clock, so it purges nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from meeting.anonymise import retention
from meeting.render.minutes import export_minutes as write_minutes
from meeting.store import Database
from meeting.store.meetings import get_meeting


@dataclass(frozen=True)
class MinutesExport:
    path: Path
    purged: tuple[retention.Purged, ...] = ()


def export_minutes(db: Database, meeting_id: int, *, fmt: str = "docx", out=None, internal: bool = False,
                   attribute_by_group: bool = False, extra_terms=(), user=None) -> MinutesExport:
    """Write the minutes (``meeting.render.export_minutes``, with its checks and audit), then purge what the
    unit's retention setting says is now due when the anonymised version went out."""
    path = write_minutes(db, meeting_id, fmt=fmt, out=out, internal=internal, attribute_by_group=attribute_by_group,
                         extra_terms=extra_terms, user=user)
    if internal:
        return MinutesExport(path)
    unit_id = get_meeting(db, meeting_id)["unit_id"]
    return MinutesExport(path, tuple(retention.purge_contributions(db, unit=unit_id)))
