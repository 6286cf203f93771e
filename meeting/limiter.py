"""Slowing down guessing, server-side: wrong GM passcodes and wrong join codes are counted in the database,
per client address and in total, so a reload or a fresh browser session does not start again from zero.

Per client: a few free wrong attempts (typos happen), then waits that double, until that client succeeds.
In total (every client of a scope, over the last hour): a larger allowance, then waits that double too, so
guessing from many addresses is slowed down as well. Every failure is logged (``outside_in.limiter``) and
kept in ``guess_attempts``. Scopes: "passcode" and "join".
"""
from __future__ import annotations

import logging

from meeting import clock
from meeting.store import Database, write_transaction
from meeting.store import limits as limits_store

FREE_ATTEMPTS = 5            # wrong attempts per client allowed before any wait
FIRST_DELAY_SECONDS = 2.0    # then 2 s, 4 s, 8 s ... per further wrong attempt
MAX_DELAY_SECONDS = 300.0
# Wrong attempts from all clients together, per window, before everyone waits. Join codes get more room: a
# full room of customers typing a code makes typos, and a 50-bit code is not guessed in a few hundred tries.
TOTAL_FREE_ATTEMPTS = {"passcode": 20, "join": 200}
TOTAL_MAX_DELAY_SECONDS = 60.0  # lower cap: a flood from elsewhere must not lock the GM out for long
WINDOW_SECONDS = 3600.0      # failures older than this are forgotten
UNKNOWN_CLIENT = "unknown"   # no address (a local run, AppTest): all such visitors share one count
SCOPES = tuple(TOTAL_FREE_ATTEMPTS)

log = logging.getLogger("outside_in.limiter")


def _delay(failures: int, free: int, cap: float) -> float:
    extra = failures - free
    return min(cap, FIRST_DELAY_SECONDS * 2 ** (extra - 1)) if extra > 0 else 0.0


def _client(client: str | None) -> str:
    return (str(client).strip() or UNKNOWN_CLIENT)[:200] if client else UNKNOWN_CLIENT


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"Unknown limiter scope {scope!r}; expected one of {', '.join(SCOPES)}")


def _client_state(db, scope: str, client: str, since: float) -> tuple[int, float]:
    """(wrong attempts since the client's last success, time of the latest) within the window."""
    last_ok = limits_store.last_success_at(db, scope, client)
    count, latest = limits_store.client_failures_after(db, scope, client,
                                                       since if last_ok is None else max(since, last_ok))
    return count, float(latest or 0.0)


def _total_state(db, scope: str, since: float) -> tuple[int, float]:
    count, latest = limits_store.failures_after(db, scope, since)
    return count, float(latest or 0.0)


def _wait(db, scope: str, client: str, now: float) -> float:
    since = now - WINDOW_SECONDS
    mine, my_latest = _client_state(db, scope, client, since)
    total, latest = _total_state(db, scope, since)
    per_client = _remaining(_delay(mine, FREE_ATTEMPTS, MAX_DELAY_SECONDS), now, my_latest)
    overall = _remaining(_delay(total, TOTAL_FREE_ATTEMPTS[scope], TOTAL_MAX_DELAY_SECONDS), now, latest)
    return max(0.0, per_client, overall)


def _remaining(delay: float, now: float, latest: float) -> float:
    """What is left of ``delay`` since the latest failure. With several replicas the latest failure may be stamped
    a moment after this process's ``now`` (another machine's clock): that never makes a wait where none is due,
    nor one longer than the delay itself."""
    if delay <= 0:
        return 0.0
    return min(delay, delay - (now - latest))


def wait_seconds(db: Database, scope: str, client: str | None, now: float | None = None) -> float:
    """Seconds ``client`` must still wait before another attempt in ``scope`` (0 when free to try)."""
    _check_scope(scope)
    return _wait(db, scope, _client(client), clock.epoch() if now is None else now)


def record_failure(db: Database, scope: str, client: str | None, now: float | None = None) -> float:
    """Count a wrong attempt (and log it); return the wait it now imposes on this client."""
    _check_scope(scope)
    now, key = clock.epoch() if now is None else now, _client(client)
    with write_transaction(db, changes_evidence=False):
        limits_store.record_attempt(db, scope, key, now, ok=False)
        # Keep the table small: what is older than the window no longer counts.
        limits_store.forget_attempts_before(db, scope, now - 2 * WINDOW_SECONDS)
        wait = _wait(db, scope, key, now)
    log.warning("failed %s attempt from %s; next attempt allowed in %.0f s", scope, key, wait)
    return wait


def record_success(db: Database, scope: str, client: str | None, now: float | None = None) -> None:
    """A right passcode or code: this client's count starts again (the total keeps its failures)."""
    _check_scope(scope)
    key = _client(client)
    with write_transaction(db, changes_evidence=False):
        limits_store.forget_successes(db, scope, key)
        limits_store.record_attempt(db, scope, key, clock.epoch() if now is None else now, ok=True)
