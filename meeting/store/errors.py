"""Which database errors mean "busy, try again": one rule for every page and stage that retries or asks the
user to.

Both engines raise ``DatabaseBusy`` for a lock wait that gave up and nothing else (SQLiteDatabase translates
SQLite's "database is locked"; the PostgreSQL adapter its lock and serialization give-ups), so a missing table
or a broken file, which SQLite reports with the same ``OperationalError`` class, is never retried or shown as
"busy".
"""
from __future__ import annotations

from meeting.store.connection import DatabaseBusy


def is_busy(error: BaseException) -> bool:
    """True when ``error`` is a lock wait that gave up (try again), False for any other database failure."""
    return isinstance(error, DatabaseBusy)
