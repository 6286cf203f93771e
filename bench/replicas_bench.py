"""PostgreSQL against SQLite (issue 23): the agenda at scale, and the live Join page across two app replicas.

    .venv/bin/python -m bench.replicas_bench agenda [--responses 200000]
    .venv/bin/python -m bench.replicas_bench live [--customers 100] [--seconds 30] [--flat-out-sends 10]

Each run prints the SQLite figures beside PostgreSQL's, measured in the same run on the same machine. The
PostgreSQL server is a throw-away one from ``tests/support/postgres.py`` (Debian's binaries, a temporary
folder, loopback, durability off like the tests': fsync and synchronous_commit off), unless
``OUTSIDE_IN_BENCH_POSTGRES`` names a server URL whose maintenance database may create databases. SQLite
runs as ``open_db`` sets it up (WAL). Both on one machine: the network between app and database is loopback.

- ``agenda``: the demo, then ``--responses`` more United Kingdom responses resampled from the demo's own
  (as ``bench/agenda_bench.py`` builds them), every month tagged and summarised once (``months.retag``, as
  the importer's hook would); then ``python -m meeting agenda ID --json`` in a fresh process (wall time),
  ``build_agenda`` in this process (first and best of 3), and a bare SQL baseline (NPS by touchpoint by month
  over the agenda's two months, written portably). The two engines' agenda JSON must be identical.
- ``live``: ``bench/live_bench.py``'s customers (send through ``contribute_by_code`` + read-back, polls every
  3 s), split across N processes that each play one app replica with its own connections: two on one
  PostgreSQL database, one on one SQLite file. Sends/s, median, p95, max, and lost (acknowledged but not
  stored); exits 1 if anything acknowledged was lost.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # support.postgres: the tests' throw-away server

UNIT = "United Kingdom"
PERIOD = "2026-10"  # the demo's review month
VOC_COLUMNS = ("response_id", "received_on", "channel", "touchpoint", "segment", "customer_ref", "score", "scale",
               "narrative")
# bench/scale_bench.py's aggregate with SUM(boolean) spelled as CASE, which PostgreSQL accepts too.
PORTABLE_BASELINE_SQL = """
    SELECT substr(received_on, 1, 7) AS period, touchpoint, COUNT(*) AS responses,
           SUM(CASE WHEN scale = 'nps' AND score IS NOT NULL THEN 1 ELSE 0 END) AS nps_n,
           SUM(CASE WHEN scale = 'nps' AND score >= 9 THEN 1 ELSE 0 END) AS promoters,
           SUM(CASE WHEN scale = 'nps' AND score <= 6 THEN 1 ELSE 0 END) AS detractors,
           AVG(CASE WHEN scale = 'csat' THEN score END) AS csat
      FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ?
     GROUP BY substr(received_on, 1, 7), touchpoint"""


@contextlib.contextmanager
def postgres_server():
    """Yields a function ``new_database(name) -> url``; drops what it made (and the server) at the end."""
    given = os.environ.get("OUTSIDE_IN_BENCH_POSTGRES")
    if given:
        import psycopg

        base, made = given.rsplit("/", 1)[0], []

        def new_database(name: str) -> str:
            with psycopg.connect(given, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {name}")
            made.append(name)
            return f"{base}/{name}"

        try:
            yield new_database
        finally:
            with psycopg.connect(given, autocommit=True) as conn:
                for name in made:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    from support.postgres import TestServer

    server = TestServer().start()
    try:
        yield server.create_database
    finally:
        server.stop()


@contextlib.contextmanager
def engines():
    """(label, a function making a fresh database's path or URL) for SQLite, then PostgreSQL."""
    with tempfile.TemporaryDirectory(prefix="replicas_bench_") as tmp, postgres_server() as new_pg:
        counter = iter(range(1, 1000))
        yield [("sqlite", lambda: str(Path(tmp) / f"bench_{next(counter)}.db")),
               ("postgresql", lambda: new_pg(f"bench_{next(counter)}"))]


def env_for(database: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if database.startswith("postgresql://"):
        env["OUTSIDE_IN_DATABASE_URL"] = database
    else:
        env.pop("OUTSIDE_IN_DATABASE_URL", None)
        env["OUTSIDE_IN_DB"] = database
    return env


# --- agenda ------------------------------------------------------------------------------------------------

def populate(db, responses: int) -> tuple[int, int]:
    from meeting import demo, store
    from meeting.store import meetings

    demo.load_demo(db)
    unit_id = store.find_unit(db, UNIT)["id"]
    with open(demo.DEMO_DIR / "voc.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["unit"] == UNIT]
    sql = ("INSERT INTO voc_responses (unit_id, source_key, received_on, channel, touchpoint, segment, customer_ref, "
           "score, scale, narrative) VALUES (?,?,?,?,?,?,?,?,?,?)")
    batch = 20_000
    for first in range(0, responses, batch):
        data = []
        for i in range(first, min(responses, first + batch)):
            row = rows[i % len(rows)]
            data.append((unit_id, f"bench-{i}", *(row[c] or None for c in VOC_COLUMNS[1:6]),
                         float(row["score"]) if row["score"] else None, row["scale"] or None, row["narrative"] or None))
        with store.write_transaction(db):
            db.executemany(sql, data)
    meeting_id = next(m["id"] for m in meetings.list_meetings(db, unit_id) if m["period"] == PERIOD)
    return unit_id, meeting_id


def agenda_figures(database: str, responses: int) -> dict:
    from meeting import agenda, store
    from meeting.evidence import months

    db = store.open_db(database)
    out: dict = {}
    started = time.perf_counter()
    unit_id, meeting_id = populate(db, responses)
    out["populate"] = time.perf_counter() - started
    started = time.perf_counter()
    out["months"] = months.retag(db, unit_id)
    out["retag"] = time.perf_counter() - started
    stored = db.execute("SELECT COUNT(*) FROM voc_responses WHERE unit_id = ?", [unit_id]).fetchone()[0]
    out["responses"] = int(stored)

    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "meeting", "agenda", str(meeting_id), "--json"], cwd=ROOT,
                         env=env_for(database), capture_output=True, text=True)
    out["cli"] = time.perf_counter() - started
    if cli.returncode:
        raise RuntimeError(f"agenda --json failed on {database}:\n{cli.stderr[-3000:]}")
    out["json"] = cli.stdout
    started = time.perf_counter()
    agenda.build_agenda(db, meeting_id)
    out["first"] = time.perf_counter() - started
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        agenda.build_agenda(db, meeting_id)
        timings.append(time.perf_counter() - started)
    out["best"] = min(timings)
    started = time.perf_counter()
    db.execute(PORTABLE_BASELINE_SQL, [unit_id, f"{months.shift_period(PERIOD, -1)}-01",
                                       f"{months.shift_period(PERIOD, 1)}-01"]).fetchall()
    out["baseline"] = time.perf_counter() - started
    db.close()
    return out


def run_agenda(responses: int) -> int:
    print(f"replicas_bench agenda: the demo + {responses:,} United Kingdom responses, review month {PERIOD}")
    results = {}
    with engines() as both:
        for label, new_database in both:
            results[label] = agenda_figures(new_database(), responses)
    for label, f in results.items():
        print(f"  {label:<10} {f['responses']:,} responses; insert {f['populate']:.1f} s; tag + summarise "
              f"{f['months']} months {f['retag']:.1f} s; `agenda ID --json` wall {f['cli']:.2f} s; build_agenda "
              f"first {f['first']:.3f} s, best of 3 {f['best']:.3f} s; bare SQL baseline {f['baseline'] * 1000:.0f} ms "
              f"(build / baseline {f['best'] / f['baseline']:.1f}x)", flush=True)
    sqlite, pg = results["sqlite"], results["postgresql"]
    print(f"  postgresql / sqlite: agenda --json wall {pg['cli'] / sqlite['cli']:.2f}x, build best "
          f"{pg['best'] / sqlite['best']:.2f}x, baseline {pg['baseline'] / sqlite['baseline']:.2f}x, "
          f"tag + summarise {pg['retag'] / sqlite['retag']:.2f}x")
    same = json.loads(sqlite["json"]) == json.loads(pg["json"])
    print(f"  agenda --json identical on both engines: {'yes' if same else 'NO'}")
    return 0 if same else 1


# --- live --------------------------------------------------------------------------------------------------

def replica_child(database: str, code: str, first: int, count: int, start_at: float, stop_at: float,
                  sends: int, realistic: bool) -> None:
    """One app replica's customers, as threads (one Streamlit server runs every session in one process)."""
    from bench.live_bench import Customer

    crowd = [Customer(database, code, n, synchronous="default", start_at=start_at, stop_at=stop_at, sends=sends,
                      gap=(6.0, 20.0) if realistic else None) for n in range(first, first + count)]
    for customer in crowd:
        customer.start()
    for customer in crowd:
        customer.join()
    print(json.dumps({"latencies": [x for c in crowd for x in c.latencies],
                      "acknowledged": sum(c.acknowledged for c in crowd),
                      "missing_in_view": sum(c.missing_in_view for c in crowd),
                      "errors": dict(sum((c.errors for c in crowd), Counter()))}))


def live_scenario(database: str, replicas: int, customers: int, *, realistic: bool, seconds: float,
                  flat_out_sends: int) -> dict:
    from meeting import live, store
    from meeting.store import meetings

    db = store.open_db(database)
    unit = store.get_or_create_unit(db, "Bench")
    meeting_id = meetings.create_meeting(db, unit, "2026-11-12")
    code = live.start_meeting(db, meeting_id)
    if not realistic:
        live.set_room_settings(db, meeting_id, interval_seconds=0, premoderate=False)
    start_at = time.time() + 3.0  # every replica's imports done before the first send
    stop_at = start_at + (seconds if realistic else 600)
    share = [customers // replicas + (1 if r < customers % replicas else 0) for r in range(replicas)]
    processes = []
    for r in range(replicas):
        args = [database, code, str(sum(share[:r])), str(share[r]), repr(start_at), repr(stop_at),
                str(10**6 if realistic else flat_out_sends), "1" if realistic else "0"]
        processes.append(subprocess.Popen([sys.executable, "-m", "bench.replicas_bench", "--replica", *args], cwd=ROOT,
                                          env=env_for(database), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = []
    for process in processes:
        stdout, stderr = process.communicate()
        if process.returncode:
            raise RuntimeError(f"replica failed:\n{stderr[-3000:]}")
        outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    elapsed = time.time() - start_at
    stored = db.execute("SELECT COUNT(*) FROM contributions WHERE meeting_id = ?", [meeting_id]).fetchone()[0]
    db.close()
    latencies = sorted(x for o in outputs for x in o["latencies"])
    acknowledged = sum(o["acknowledged"] for o in outputs)
    errors = sum((Counter(o["errors"]) for o in outputs), Counter())
    return {"sends": acknowledged, "per_s": acknowledged / elapsed, "stored": int(stored),
            "lost": acknowledged - int(stored), "missing_in_view": sum(o["missing_in_view"] for o in outputs),
            "errors": dict(errors),
            "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan"),
            "max_ms": latencies[-1] * 1000 if latencies else float("nan")}


def run_live(customers: list[int], seconds: float, flat_out_sends: int) -> int:
    print("replicas_bench live: Join-page sends (send + read-back), customers split across app processes")
    print(f"  {'engine':<10} {'replicas':>8} {'customers':>9} {'pace':<10} {'sends':>6} {'per s':>6} {'median':>8} "
          f"{'p95':>8} {'max':>8} {'lost':>5} errors")
    failed = False
    with engines() as both:
        for label, new_database in both:
            replicas = 2 if label == "postgresql" else 1
            for count in customers:
                for realistic in (True, False):
                    r = live_scenario(new_database(), replicas, count, realistic=realistic, seconds=seconds,
                                      flat_out_sends=flat_out_sends)
                    failed |= bool(r["lost"] or r["missing_in_view"])
                    print(f"  {label:<10} {replicas:>8} {count:>9} {'realistic' if realistic else 'flat out':<10} "
                          f"{r['sends']:>6} {r['per_s']:>6.1f} {r['median_ms']:>6.0f}ms {r['p95_ms']:>6.0f}ms "
                          f"{r['max_ms']:>6.0f}ms {r['lost']:>5} {r['errors'] or 'none'}"
                          + (f" MISSING IN VIEW {r['missing_in_view']}" if r["missing_in_view"] else ""), flush=True)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--replica":
        database, code, first, count, start_at, stop_at, sends, realistic = argv[1:]
        replica_child(database, code, int(first), int(count), float(start_at), float(stop_at), int(sends),
                      realistic == "1")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    agenda_parser = commands.add_parser("agenda")
    agenda_parser.add_argument("--responses", type=int, default=200_000)
    live_parser = commands.add_parser("live")
    live_parser.add_argument("--customers", type=int, nargs="+", default=[100])
    live_parser.add_argument("--seconds", type=float, default=30.0, help="length of the realistic-pace run")
    live_parser.add_argument("--flat-out-sends", type=int, default=10, help="sends per customer, back to back")
    args = parser.parse_args(argv)
    if args.command == "agenda":
        return run_agenda(args.responses)
    return run_live(args.customers, args.seconds, args.flat_out_sends)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
