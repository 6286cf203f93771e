"""Cost follows the month reviewed, not the history (issue 12): one unit at 200k, 1M and 3M responses.

For each size, in a temporary directory:
1. generate the responses from the demo's own United Kingdom rows (deterministic: row i is demo row
   i mod n with a new response id; its month, touchpoint, score and narrative are kept, so the planted
   watermelons, narrative-only touchpoints and narrative lengths are the demo's);
2. load the demo organisation, then import the file into the United Kingdom through the real importer
   (``meeting.importing.import_file``), in a child process: rows/s and its peak RSS;
3. tag and summarise every month once (``meeting.evidence.months.retag``, what the importer's per-batch
   hook ``tag_written_responses`` would do as it writes), in a child process: time and peak RSS;
4. each in a fresh process: ``python -m meeting agenda ID --json`` and ``watermelons --json`` (wall time of
   the command, and the build itself after imports), the Prepare, Home and Insights pages' first render
   through AppTest, and the bare SQL baselines measured in the same run: the NPS-by-touchpoint-by-month
   aggregate over the review month and the month before (the months an agenda's figures cover), and over
   the 12 months of its trend. Ratios = build / baseline.

Usage: ``python bench/scale_bench.py [SIZE ...]`` (default 200000 1000000 3000000). Needs ~1.5 GB of disk
at 3M; everything is deleted afterwards.
"""
from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIT = "United Kingdom"
PERIOD = "2026-10"  # the demo's review month
BASELINE_SQL = """
    SELECT substr(received_on, 1, 7) AS period, touchpoint, COUNT(*) AS responses,
           SUM(scale = 'nps' AND score IS NOT NULL) AS nps_n, SUM(scale = 'nps' AND score >= 9) AS promoters,
           SUM(scale = 'nps' AND score <= 6) AS detractors, AVG(CASE WHEN scale = 'csat' THEN score END) AS csat
      FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ? GROUP BY 1, 2"""


def generate(path: Path, size: int) -> None:
    from meeting import demo

    with open(demo.DEMO_DIR / "voc.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["unit"] == UNIT]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        for i in range(size):
            row = rows[i % len(rows)]
            out.writerow({**row, "response_id": f"{row['response_id']}-{i // len(rows):05d}"})


def child(*args: str, env: dict | None = None) -> dict:
    """Run this script's ``--child`` mode in a fresh process; it prints one JSON line."""
    done = subprocess.run([sys.executable, "-m", "bench.scale_bench", "--child", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, db_file: str, *rest: str) -> None:
    os.environ["OUTSIDE_IN_DB"] = db_file
    from meeting import store

    db = store.open_db(db_file)
    unit_id = store.find_unit(db, UNIT)["id"]
    out: dict = {}
    if mode == "import":
        from meeting import importing

        started = time.perf_counter()
        result = importing.import_file(db, "voc", rest[0], unit=UNIT)
        out = {"seconds": time.perf_counter() - started, "rows": result.inserted}
    elif mode == "retag":
        from meeting.evidence import months

        started = time.perf_counter()
        out = {"months": months.retag(db, unit_id), "seconds": time.perf_counter() - started}
    elif mode == "baseline":
        from meeting.periods import shift_period

        first = shift_period(PERIOD, -int(rest[0]) + 1)
        started = time.perf_counter()
        db.execute(BASELINE_SQL, [unit_id, f"{first}-01", f"{shift_period(PERIOD, 1)}-01"]).fetchall()
        out = {"seconds": time.perf_counter() - started}
    elif mode in ("agenda", "watermelons"):
        from meeting.agenda import build_agenda
        from meeting.evidence.watermelons import detect_for_unit, result_json
        from meeting.store import meetings

        meeting_id = next(m["id"] for m in meetings.list_meetings(db, unit_id) if m["period"] == PERIOD)
        started = time.perf_counter()
        if mode == "agenda":
            build_agenda(db, meeting_id)
        else:
            result_json(detect_for_unit(db, unit_id, PERIOD))
        out = {"seconds": time.perf_counter() - started}
    elif mode == "page":
        from streamlit.testing.v1 import AppTest

        from meeting.store import meetings

        meeting_id = next(m["id"] for m in meetings.list_meetings(db, unit_id) if m["period"] == PERIOD)
        from meeting import accounts

        # Signed in as the session cookie does it (tests/support/gm_app.py: AppTest sends no cookies), through
        # router.py, the script app.py serves: a token in the URL is no longer read, and the page would be the
        # sign-in form, timed at 0.00 s.
        accounts.ensure_admin_account(db)
        at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=300)
        at.session_state["session_token"] = accounts.start_session(db, accounts.load_user(db, "admin"))
        at.session_state["unit_id"], at.session_state["meeting_id"] = unit_id, meeting_id
        at.run()  # the router and sidebar, and the first run's imports
        at.switch_page(f"views/{rest[0]}")
        started = time.perf_counter()
        at.run()
        out = {"seconds": time.perf_counter() - started, "exception": bool(at.exception)}
        started = time.perf_counter()
        at.run()
        out["rerun"] = time.perf_counter() - started
        # Imports done: a first render's data cost alone, as a running server pays it for a new month.
        import streamlit as st

        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        out["cold_cache"] = time.perf_counter() - started
    db.close()
    print(json.dumps({**out, "peak_mb": peak_mb()}))


def wall(command: list[str], db_file: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env={**os.environ, "OUTSIDE_IN_DB": db_file}, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(size: int, tmp: Path) -> dict:
    from meeting import demo, store
    from meeting.store import meetings

    source, db_file = tmp / "voc.csv", str(tmp / "scale.db")
    started = time.perf_counter()
    generate(source, size)
    print(f"  generated {size:,} rows ({source.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s",
          flush=True)
    db = store.open_db(db_file)
    demo.load_demo(db)
    unit_id = store.find_unit(db, UNIT)["id"]
    meeting_id = next(m["id"] for m in meetings.list_meetings(db, unit_id) if m["period"] == PERIOD)
    db.close()

    # The pages' own cost (widgets, charts, AppTest) on the demo's 3,178 responses, before the import.
    figures = {f"demo {page}": child("page", db_file, page) for page in ("prepare.py", "home.py", "insights.py")}
    figures["import"] = child("import", db_file, str(source))
    source.unlink()
    figures["retag"] = child("retag", db_file)
    figures["baseline_2"] = child("baseline", db_file, "2")
    figures["baseline_12"] = child("baseline", db_file, "12")
    figures["agenda"] = child("agenda", db_file)
    figures["watermelons"] = child("watermelons", db_file)
    python = [sys.executable, "-m", "meeting"]
    figures["agenda_cli"] = wall([*python, "agenda", str(meeting_id), "--json"], db_file)
    figures["watermelons_cli"] = wall([*python, "watermelons", "--unit", UNIT, "--period", PERIOD, "--json"], db_file)
    figures["python_start"] = wall([sys.executable, "-c", "import meeting.agenda, meeting.evidence.watermelons"], db_file)
    for page in ("prepare.py", "home.py", "insights.py"):
        figures[page] = child("page", db_file, page)
    if os.environ.get("SCALE_BENCH_KEEP"):  # for profiling: keep the database
        import shutil

        shutil.copyfile(db_file, os.environ["SCALE_BENCH_KEEP"])
    return figures


def report(size: int, f: dict) -> None:
    imp, base2, base12 = f["import"], f["baseline_2"]["seconds"], f["baseline_12"]["seconds"]
    print(f"== {size:,} responses in one unit (review month {PERIOD}) ==")
    print(f"  import (real importer): {imp['rows']:,} rows in {imp['seconds']:.1f} s = {imp['rows'] / imp['seconds']:,.0f}"
          f" rows/s, peak RSS {imp['peak_mb']:.0f} MB")
    print(f"  tag + summarise all months once: {f['retag']['months']} months in {f['retag']['seconds']:.1f} s, "
          f"peak RSS {f['retag']['peak_mb']:.0f} MB")
    print(f"  bare SQL baseline (NPS by touchpoint by month): 2 months {base2 * 1000:.0f} ms, 12 months "
          f"{base12 * 1000:.0f} ms")
    for name in ("agenda", "watermelons"):
        built, cli = f[name]["seconds"], f[f"{name}_cli"]
        print(f"  {name}: build {built * 1000:.0f} ms in a fresh process ({built / base2:.2f}x the 2-month baseline, "
              f"{built / base12:.2f}x the 12-month one); `python -m meeting {name} ... --json` wall {cli:.2f} s "
              f"(Python start + imports alone {f['python_start']:.2f} s)")
    for page in ("prepare.py", "home.py", "insights.py"):
        demo_page = f[f"demo {page}"]
        print(f"  {page} on the demo alone (the page's own cost): first {demo_page['seconds']:.2f} s, rerun "
              f"{demo_page['rerun']:.2f} s, caches cleared {demo_page['cold_cache']:.2f} s")
        p = f[page]
        print(f"  {page} first render (AppTest, after the router's first run; includes the page's imports): "
              f"{p['seconds']:.2f} s; rerun {p['rerun']:.2f} s; with caches cleared {p['cold_cache']:.2f} s"
              f"{' EXCEPTION' if p['exception'] else ''}")


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--child":
        run_child(*argv[1:])
        return
    sizes = [int(a) for a in argv] or [200_000, 1_000_000, 3_000_000]
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="scale_bench_") as tmp:
            report(size, measure(size, Path(tmp)))


if __name__ == "__main__":
    main(sys.argv[1:])
