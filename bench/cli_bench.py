"""``python -m meeting agenda ID --json`` as a whole command, against a bare SQL aggregate of the same months
as a whole command (issue 30).

A person waits for the whole command: Python's start, the imports, opening the database, the build, the
JSON. So both sides are fresh processes, timed from outside, several runs each (median and best; wall and
CPU, user + system, of the child, since the machine may be shared: CPU is the steadier figure):

- ``agenda ID --json`` of the review-month meeting (and ``watermelons --json`` beside it);
- the baseline: ``python -c`` opening the database with ``sqlite3`` and running the NPS-by-touchpoint-by-month
  aggregate (``bench.scale_bench.BASELINE_SQL``) over the review month and the month before (the months the
  agenda's figures compare), and over the 12 months of its trend; the same 2-month query through the
  ``sqlite3`` command-line shell when it is installed;
- ``python -c 'print(1)'``: the interpreter's own start, the floor of any Python command;
- one ``-X importtime`` run of the agenda command: its imports, and how much of them pandas, numpy,
  pyarrow and sqlite-utils are (sqlite-utils imported pandas for every command until the store got its own
  Database classes in issue 23; it stays in the list so a return of it shows), so the figure without them is
  printed too.

Data: the demo, then SIZE United Kingdom responses resampled from its own rows (``bench.scale_bench.generate``)
imported through the real importer and summarised once (``retag``), each in a child process.

Targets (issue 30): within 1.5x the bare aggregate at 1M responses, under 1 s at 3M, on a quiet machine.

Usage: ``python -m bench.cli_bench [SIZE ...] [--runs N] [--db PATH]`` (default 200000, 5 runs). With
``--db`` the scaled database is kept at PATH and reused by a later run of the same size (building 1M takes
minutes).
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.scale_bench import BASELINE_SQL, PERIOD, ROOT, UNIT, child, generate

PANDAS_FAMILY = ("pandas", "numpy", "pyarrow", "sqlite_utils", "dateutil", "pytz", "tzdata")
TARGETS = {1_000_000: "within 1.5x the bare aggregate", 3_000_000: "under 1 s"}
BARE_QUERY = """
import sqlite3, sys
connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = connection.execute(sys.argv[2], [int(sys.argv[3]), sys.argv[4], sys.argv[5]]).fetchall()
print(len(rows))
"""


def environment(db_file: str) -> dict:
    return {**os.environ, "OUTSIDE_IN_DB": db_file, "PYTHONPATH": str(ROOT)}


def timed(command: list[str], db_file: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh process; it must succeed and print something."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=environment(db_file), capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode or not done.stdout.strip():
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def runs(command: list[str], db_file: str, count: int) -> dict:
    timed(command, db_file)  # once to warm the page cache: every figure below reads a warm file
    samples = [timed(command, db_file) for _ in range(count)]
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    return {"wall": statistics.median(walls), "wall_best": min(walls), "cpu": statistics.median(cpus),
            "cpu_best": min(cpus)}


def import_figures(command: list[str], db_file: str) -> dict:
    done = subprocess.run([sys.executable, "-X", "importtime", *command[1:]], cwd=ROOT, env=environment(db_file),
                          capture_output=True, text=True, check=True)
    modules = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            own, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            if own.isdigit():
                modules[name] = int(own) / 1e6
    heavy = sum(seconds for name, seconds in modules.items() if name.split(".")[0] in PANDAS_FAMILY)
    return {"modules": len(modules), "imports": sum(modules.values()), "pandas_family": heavy}


def build(size: int, db_file: str, tmp: Path) -> None:
    from meeting import demo, store

    source = tmp / "voc.csv"
    started = time.perf_counter()
    generate(source, size)
    db = store.open_db(db_file)
    demo.load_demo(db)
    db.close()
    imported = child("import", db_file, str(source))
    source.unlink()
    retagged = child("retag", db_file)
    print(f"  built {size:,} responses in {time.perf_counter() - started:.0f} s (import {imported['seconds']:.0f} s, "
          f"retag {retagged['seconds']:.0f} s)", flush=True)


def ids(db_file: str) -> tuple[int, int]:
    from meeting import store
    from meeting.store import meetings

    db = store.open_db(db_file)
    try:
        unit_id = store.find_unit(db, UNIT)["id"]
        return unit_id, next(m["id"] for m in meetings.list_meetings(db, unit_id) if m["period"] == PERIOD)
    finally:
        db.close()


def measure(size: int, db_file: str, count: int) -> dict:
    from meeting.periods import shift_period

    unit_id, meeting_id = ids(db_file)
    end = f"{shift_period(PERIOD, 1)}-01"
    bare = [sys.executable, "-c", BARE_QUERY, db_file, BASELINE_SQL, str(unit_id)]
    agenda = [sys.executable, "-m", "meeting", "agenda", str(meeting_id), "--json"]
    commands = {
        "python start (python -c 'print(1)')": [sys.executable, "-c", "print(1)"],
        "bare SQL, 2 months (python + sqlite3)": [*bare, f"{shift_period(PERIOD, -1)}-01", end],
        "bare SQL, 12 months (python + sqlite3)": [*bare, f"{shift_period(PERIOD, -11)}-01", end],
        "agenda --json": agenda,
        "watermelons --json": [sys.executable, "-m", "meeting", "watermelons", "--unit", UNIT, "--period", PERIOD,
                               "--json"],
    }
    if shutil.which("sqlite3"):
        query = (BASELINE_SQL.replace("unit_id = ?", f"unit_id = {int(unit_id)}")
                 .replace("received_on >= ?", f"received_on >= '{shift_period(PERIOD, -1)}-01'")
                 .replace("received_on < ?", f"received_on < '{end}'"))
        commands["bare SQL, 2 months (sqlite3 shell)"] = ["sqlite3", "-readonly", db_file, query]
    figures = {name: runs(command, db_file, count) for name, command in commands.items()}
    figures["imports"] = import_figures(agenda, db_file)
    return figures


def report(size: int, figures: dict, count: int) -> None:
    print(f"== {size:,} responses in one unit, review month {PERIOD}; {count} runs each, median (best) ==")
    for name, f in figures.items():
        if name != "imports":
            print(f"  {name:40s} wall {f['wall']:.3f} s ({f['wall_best']:.3f})   CPU {f['cpu']:.3f} s ({f['cpu_best']:.3f})")
    agenda, imports = figures["agenda --json"], figures["imports"]
    for months in (2, 12):
        base = figures[f"bare SQL, {months} months (python + sqlite3)"]
        print(f"  agenda --json / bare SQL of {months:2d} months: CPU {agenda['cpu'] / base['cpu']:.2f}x, wall "
              f"{agenda['wall'] / base['wall']:.2f}x")
    print(f"  agenda --json imports (-X importtime, one run): {imports['modules']} modules, {imports['imports']:.3f} s, "
          f"of which pandas, numpy, pyarrow, sqlite-utils {imports['pandas_family']:.3f} s; without them "
          f"{imports['imports'] - imports['pandas_family']:.3f} s")
    target = TARGETS.get(size)
    base2 = figures["bare SQL, 2 months (python + sqlite3)"]
    verdict = {1_000_000: agenda["cpu"] <= 1.5 * base2["cpu"], 3_000_000: agenda["wall"] < 1.0}.get(size)
    print(f"  target: {target or 'none at this size (1.5x the bare aggregate at 1M, under 1 s at 3M)'}"
          + ("" if verdict is None else f" -> {'met' if verdict else 'NOT met'} (CPU against the 2-month aggregate; "
                                          "wall for the 1 s)"))


def main(argv: list[str]) -> None:
    count, keep, sizes = 5, None, []
    words = iter(argv)
    for word in words:
        if word == "--runs":
            count = int(next(words))
        elif word == "--db":
            keep = Path(next(words))
        else:
            sizes.append(int(word))
    for size in sizes or [200_000]:
        with tempfile.TemporaryDirectory(prefix="cli_bench_") as tmp:
            db_file = str(keep.with_name(f"{keep.stem}-{size}{keep.suffix}") if keep else Path(tmp) / "bench.db")
            built = Path(f"{db_file}.built")  # written last: a build cut short is not reused
            if not built.exists():
                Path(db_file).unlink(missing_ok=True)
                build(size, db_file, Path(tmp))
                built.touch()
            report(size, measure(size, db_file, count), count)


if __name__ == "__main__":
    main(sys.argv[1:])
