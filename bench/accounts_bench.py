"""What accounts cost a page: the session check every rerun pays, a sign-in (scrypt), an audit line, and the
unit-scope question, on a database with 200 accounts, 20 units and 50,000 audit events.

Prints milliseconds per call (median of many) and ratios against a bare ``SELECT 1`` on the same connection,
the least any per-rerun check can cost. Usage: ``python bench/accounts_bench.py``.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from meeting import accounts, store
from meeting.accounts import audit
from meeting.store import accounts as account_store


def per_call_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        units = [store.get_or_create_unit(db, f"Unit {i:02d}") for i in range(20)]
        hashed = accounts.hash_passcode("a long enough password")
        with store.write_transaction(db):
            for i in range(200):  # one scrypt hash for all: the bench measures lookups, not account creation
                user_id = account_store.insert_user(db, f"gm{i}@example.org", "gm", hashed, "2026-01-01T00:00:00+00:00")
                account_store.add_user_units(db, user_id, [units[i % 20], units[(i + 7) % 20]])
            db.executemany("INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, '{}')",
                           [(f"2026-{1 + i % 12:02d}-01T00:00:00+00:00", f"gm{i % 200}@example.org", "sign_in")
                            for i in range(50_000)])
        user = accounts.load_user(db, "gm42@example.org")
        token = accounts.start_session(db, user)

        baseline = per_call_ms(lambda: db.execute("SELECT 1").fetchone(), 2000)
        resume = per_call_ms(lambda: accounts.resume_session(db, token), 2000)
        scope = per_call_ms(lambda: accounts.allowed_unit_ids(db, user), 2000)
        sign_in = per_call_ms(lambda: accounts.authenticate(db, "gm42@example.org", "a long enough password", None), 20)
        record = per_call_ms(lambda: audit.record(db, user, audit.EXPORT_MINUTES, {"meeting_id": 1}), 200)
        since = per_call_ms(lambda: audit.list_events(db, "2026-12-01"), 20)
        db.close()

    print(f"bare SELECT 1 (baseline):             {baseline:8.3f} ms")
    print(f"resume_session (every rerun):         {resume:8.3f} ms  ({resume / baseline:,.0f}x baseline)")
    print(f"allowed_unit_ids (sidebar, Home):     {scope:8.3f} ms  ({scope / baseline:,.0f}x baseline)")
    print(f"authenticate (scrypt n=2^14, audited): {sign_in:7.1f} ms")
    print(f"audit.record (one write transaction): {record:8.3f} ms")
    print(f"audit list --since (50,000 events):   {since:8.1f} ms")


if __name__ == "__main__":
    main()
