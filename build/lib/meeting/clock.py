"""The one clock: everything in ``meeting`` and ``views`` that asks what day or time it is asks here.

Tests freeze it (``tests/conftest.py`` travels with time-machine), so nothing in the suite depends on the
calendar; production reads the system clock. Times are UTC; "today" is the UTC date, which is also the day
every stored ``*_at`` timestamp is written in.
"""
from __future__ import annotations

import datetime as dt
import time


def now() -> dt.datetime:
    """The current time, timezone-aware UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def now_precise() -> dt.datetime:
    """The current time, timezone-aware UTC, with microseconds (ordering of live contributions)."""
    return dt.datetime.now(dt.timezone.utc)


def now_iso() -> str:
    """The current time as stored: ISO 8601, seconds, with the UTC offset."""
    return now().isoformat(timespec="seconds")


def today() -> dt.date:
    return now().date()


def epoch() -> float:
    """Seconds since the epoch (rate limits and paces)."""
    return time.time()


def as_date(value: dt.date | str | None) -> dt.date:
    """``value`` as a date; None means today (callers pass an explicit day to reason about another one)."""
    if value is None:
        return today()
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
