"""The guessing limiter's table (guess_attempts): every wrong GM passcode or join code, and the successes
that reset a client's count (meeting.limiter decides the waits; this module only counts).

Times are epoch seconds (REAL), passed in from meeting.clock. Plain statements: the limiter decides the
transaction. Written once for SQLite and PostgreSQL.
"""
from __future__ import annotations

from meeting.store.connection import Database


def last_success_at(db: Database, scope: str, client: str) -> float | None:
    """When ``client`` last got it right in ``scope`` (epoch seconds), or None."""
    return db.execute("SELECT MAX(at) FROM guess_attempts WHERE scope = ? AND client = ? AND ok = 1",
                      [scope, client]).fetchone()[0]


def client_failures_after(db: Database, scope: str, client: str, after: float) -> tuple[int, float | None]:
    """(wrong attempts of ``client`` in ``scope`` later than ``after``, time of the latest or None)."""
    count, latest = db.execute(
        "SELECT COUNT(*), MAX(at) FROM guess_attempts WHERE scope = ? AND client = ? AND ok = 0 AND at > ?",
        [scope, client, float(after)]).fetchone()
    return int(count), latest


def failures_after(db: Database, scope: str, after: float) -> tuple[int, float | None]:
    """(wrong attempts of every client in ``scope`` later than ``after``, time of the latest or None)."""
    count, latest = db.execute("SELECT COUNT(*), MAX(at) FROM guess_attempts WHERE scope = ? AND ok = 0 AND at > ?",
                               [scope, float(after)]).fetchone()
    return int(count), latest


def record_attempt(db: Database, scope: str, client: str, at: float, *, ok: bool) -> None:
    db.execute("INSERT INTO guess_attempts (scope, client, at, ok) VALUES (?, ?, ?, ?)",
               [scope, client, float(at), 1 if ok else 0])


def forget_attempts_before(db: Database, scope: str, before: float) -> None:
    """Drop what no longer counts, so the table stays small."""
    db.execute("DELETE FROM guess_attempts WHERE scope = ? AND at < ?", [scope, float(before)])


def forget_successes(db: Database, scope: str, client: str) -> None:
    """A client's earlier successes (only its latest one matters)."""
    db.execute("DELETE FROM guess_attempts WHERE scope = ? AND client = ? AND ok = 1", [scope, client])
