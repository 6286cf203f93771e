"""Which database errors mean "busy, try again": one rule for every page and stage that retries or asks the
user to.

``DatabaseBusy`` is SQLite's ``OperationalError``, which also covers a missing table or a broken file; only
the lock waits are worth a retry. SQLite says "database is locked" / "database table is locked" (or "busy" for
a snapshot conflict), and the PostgreSQL adapter words its lock and serialization give-ups the same way
(meeting.store.postgres.PostgresBusy), so one reading of the message serves both engines.
"""
from __future__ import annotations

from meeting.store.connection import DatabaseBusy

_BUSY_WORDS = ("locked", "busy")


def is_busy(error: BaseException) -> bool:
    """True when ``error`` is a lock wait that gave up (try again), False for any other database failure."""
    if not isinstance(error, DatabaseBusy):
        return False
    message = str(error)
    return any(word in message for word in _BUSY_WORDS)
