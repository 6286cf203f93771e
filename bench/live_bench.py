"""30 invited customers sending contributions at once to one SQLite file: throughput, p95 latency, losses.

    .venv/bin/python bench/live_bench.py [--customers 30] [--each 50] [--processes]

Each simulated customer has its own connection (as each Streamlit session has) and sends through
``meeting.live.contribute_by_code``, the Join page's own write. Prints figures; asserts nothing but "0 lost".
"""
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meeting import live, store  # noqa: E402
from meeting.store import meetings


def customer(db_path: str, code: str, number: int, each: int, start_at: float) -> tuple[float, float, list[float]]:
    """Send ``each`` contributions; return (wall time of the first send, of the last reply, latencies in s)."""
    db = store.open_db(db_path, migrate=False)
    latencies = []
    try:
        while time.time() < start_at:  # all customers start together, as when the GM says "go ahead"
            time.sleep(0.001)
        first = time.time()
        for i in range(each):
            began = time.perf_counter()
            live.contribute_by_code(db, code, f"customer {number} says thing {i}", 1 + i % 5, f"token-{number}")
            latencies.append(time.perf_counter() - began)
    finally:
        db.close()
    return first, time.time(), latencies


def _process_entry(args) -> tuple[float, float, list[float]]:
    return customer(*args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=30)
    parser.add_argument("--each", type=int, default=50, help="contributions per customer")
    parser.add_argument("--processes", action="store_true", help="one OS process per customer instead of threads")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.db")
        db = store.open_db(db_path)
        unit = store.get_or_create_unit(db, "Bench")
        meeting_id = meetings.create_meeting(db, unit, "2026-11-12")
        code = live.start_meeting(db, meeting_id)

        start_at = time.time() + (3.0 if args.processes else 0.3)  # spawned processes need time to import
        jobs = [(db_path, code, n, args.each, start_at) for n in range(args.customers)]
        if args.processes:
            with multiprocessing.get_context("spawn").Pool(args.customers) as pool:
                results = pool.map(_process_entry, jobs)
        else:
            results = [[] for _ in jobs]
            threads = [threading.Thread(target=lambda k=k: results.__setitem__(k, customer(*jobs[k])))
                       for k in range(len(jobs))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        # From the first send to the last reply: spawned processes' start-up is not write time.
        elapsed = max(r[1] for r in results) - min(r[0] for r in results)

        latencies = sorted(x for result in results for x in result[2])
        expected = args.customers * args.each
        stored = db.execute("SELECT COUNT(*) FROM contributions WHERE meeting_id = ?", [meeting_id]).fetchone()[0]
        db.close()

    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    mode = "processes" if args.processes else "threads"
    print(f"live_bench: {args.customers} customers ({mode}) x {args.each} contributions, one SQLite file in WAL")
    print(f"  contributions/s   {stored / elapsed:,.0f}")
    print(f"  write latency     median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    slow = sum(1 for x in latencies if x > 0.1)
    print(f"  over 100 ms       {slow} writes (SQLite's busy handler polls, so an unlucky writer waits its turn)")
    print(f"  lost              {expected - stored} of {expected}")
    return 0 if stored == expected else 1


if __name__ == "__main__":
    sys.exit(main())
