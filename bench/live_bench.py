"""Invited customers on the Join page, all at once, against one SQLite file: latency, errors, losses.

    .venv/bin/python bench/live_bench.py [--customers 100 300] [--seconds 30] [--flat-out-sends 10]
                                         [--synchronous default|normal|full]

Each simulated customer does what the real Join page does for a send: a script run opens its own connection
(``views.page.database``), sends through ``meeting.live.contribute_by_code`` (with its retries), and the page
then redraws, reading the customer's view back (``join_view``, on a fresh connection) and checking that the
text it just sent is there. Between sends, the "Now discussing" fragment polls ``join_view`` every 3 s.

Two paces, for each number of customers:
- realistic: each customer sends every 6-20 s (random), under the meeting's default pace of 5 s;
- flat out: each customer sends ``--flat-out-sends`` times back to back (the meeting's pace set to 0).
Threads, not processes: one Streamlit server runs every session in one process. Prints figures; exits 1 if
anything acknowledged was lost.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from meeting import live, store
from meeting.store import meetings

POLL_SECONDS = 3.0


class Customer(threading.Thread):
    def __init__(self, db_path, code, number, *, synchronous, start_at, stop_at, sends, gap):
        super().__init__(daemon=True)
        self.db_path, self.code, self.number, self.synchronous = db_path, code, number, synchronous
        self.start_at, self.stop_at, self.sends, self.gap = start_at, stop_at, sends, gap
        self.token = f"bench-device-{number:05d}-xxxxxxxx"
        self.latencies: list[float] = []   # send + read-back, as the customer waits for it
        self.errors: Counter = Counter()
        self.acknowledged = 0
        self.missing_in_view = 0
        self.random = random.Random(number)

    def _open(self):
        db = store.open_db(self.db_path)  # as views.page.database(): one connection per script run
        if self.synchronous != "default":
            db.execute(f"PRAGMA synchronous = {self.synchronous.upper()}")
        return db

    def _poll(self) -> None:
        db = self._open()
        try:
            live.join_view(db, self.code)
        finally:
            db.close()

    def _send(self, n: int) -> None:
        text = f"customer {self.number} says thing {n}"
        began = time.perf_counter()
        try:
            db = self._open()
            try:
                live.contribute_by_code(db, self.code, text, 1 + n % 5, self.token)
            finally:
                db.close()
            db = self._open()
            try:
                view = live.join_view(db, self.code, self.token)
            finally:
                db.close()
        except live.PaceError:
            self.errors["paced"] += 1
            return
        except sqlite3.OperationalError as error:  # the page says "try again"; the text stays in the box
            self.errors[f"sqlite: {error}"] += 1
            return
        self.latencies.append(time.perf_counter() - began)
        self.acknowledged += 1
        if not any(mine["text"] == text for mine in view["mine"]):
            self.missing_in_view += 1

    def run(self) -> None:
        while time.time() < self.start_at:
            time.sleep(0.001)
        n, next_poll = 0, time.time() + self.random.uniform(0, POLL_SECONDS)
        next_send = time.time() + (self.random.uniform(0, self.gap[1]) if self.gap else 0)
        while n < self.sends and time.time() < self.stop_at:
            now = time.time()
            if self.gap and now >= next_poll:
                self._poll()
                next_poll = now + POLL_SECONDS
            if now >= next_send:
                self._send(n)
                n += 1
                next_send = time.time() + (self.random.uniform(*self.gap) if self.gap else 0)
            elif self.gap:
                time.sleep(max(0.0, min(next_send, next_poll) - now))


def scenario(customers: int, *, realistic: bool, seconds: float, flat_out_sends: int, synchronous: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.db")
        db = store.open_db(db_path)
        unit = store.get_or_create_unit(db, "Bench")
        meeting_id = meetings.create_meeting(db, unit, "2026-11-12")
        code = live.start_meeting(db, meeting_id)
        if not realistic:
            live.set_room_settings(db, meeting_id, interval_seconds=0, premoderate=False)
        start_at = time.time() + 0.5
        stop_at = start_at + (seconds if realistic else 600)
        crowd = [Customer(db_path, code, n, synchronous=synchronous, start_at=start_at, stop_at=stop_at,
                          sends=10**6 if realistic else flat_out_sends, gap=(6.0, 20.0) if realistic else None)
                 for n in range(customers)]
        for customer in crowd:
            customer.start()
        for customer in crowd:
            customer.join()
        elapsed = time.time() - start_at
        stored = db.execute("SELECT COUNT(*) FROM contributions WHERE meeting_id = ?", [meeting_id]).fetchone()[0]
        db.close()
    latencies = sorted(x for c in crowd for x in c.latencies)
    errors = sum((c.errors for c in crowd), Counter())
    acknowledged = sum(c.acknowledged for c in crowd)
    return {
        "customers": customers, "pace": "realistic" if realistic else "flat out", "seconds": elapsed,
        "sends": acknowledged, "stored": stored, "lost": acknowledged - stored,
        "missing_in_view": sum(c.missing_in_view for c in crowd), "errors": dict(errors),
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan"),
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the realistic-pace run")
    parser.add_argument("--flat-out-sends", type=int, default=10, help="sends per customer, back to back")
    parser.add_argument("--synchronous", choices=["default", "normal", "full"], default="default",
                        help="override PRAGMA synchronous on every connection (default: what open_db sets)")
    parser.add_argument("--only", choices=["realistic", "flat-out"], default=None)
    args = parser.parse_args()

    print(f"live_bench: Join-page sends (send + read-back) on one SQLite file in WAL, "
          f"synchronous={args.synchronous}")
    print(f"  {'customers':>9} {'pace':<10} {'sends':>6} {'per s':>6} {'median':>8} {'p95':>8} {'max':>8} "
          f"{'lost':>5} {'errors'}")
    failed = False
    for customers in args.customers:
        for realistic in (True, False):
            if args.only and args.only != ("realistic" if realistic else "flat-out"):
                continue
            r = scenario(customers, realistic=realistic, seconds=args.seconds, flat_out_sends=args.flat_out_sends,
                         synchronous=args.synchronous)
            failed |= bool(r["lost"] or r["missing_in_view"])
            print(f"  {r['customers']:>9} {r['pace']:<10} {r['sends']:>6} {r['sends'] / r['seconds']:>6.0f} "
                  f"{r['median_ms']:>6.0f}ms {r['p95_ms']:>6.0f}ms {r['max_ms']:>6.0f}ms {r['lost']:>5} "
                  f"{r['errors'] or 'none'}" + (f" MISSING IN VIEW {r['missing_in_view']}"
                                                 if r["missing_in_view"] else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
