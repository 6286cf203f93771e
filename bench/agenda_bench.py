"""Agenda build time for a big unit on demo-shaped data: the demo's United Kingdom resampled to 200,000
responses (its narratives, lengths, narrative-only touchpoints and planted watermelons), plus the demo's
staff inputs, metrics, plans and finance.

Earlier versions generated half-length narratives and no narrative-only touchpoint, which flattered the
figure by 3x (issue 12). Prints, separately: the once-per-import cost of tagging and summarising every
month (``retag``), the first build in this process and the best of 3 later builds, and as a same-run
baseline the bare SQL aggregate (NPS by touchpoint by month) over the two months an agenda compares.
Run: ``python bench/agenda_bench.py [RESPONSES]``.
"""
from __future__ import annotations

import csv
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.scale_bench import BASELINE_SQL, PERIOD, UNIT
from meeting import agenda, demo, store
from meeting.evidence import months
from meeting.store import meetings

COLUMNS = ("response_id", "received_on", "channel", "touchpoint", "segment", "customer_ref", "score", "scale",
           "narrative")


def populate(db, responses: int) -> tuple[int, int]:
    """The demo, then ``responses`` more United Kingdom rows resampled from its own (plain executemany:
    this bench is about reading, ``bench/scale_bench.py`` goes through the importer)."""
    demo.load_demo(db)
    unit_id = store.find_unit(db, UNIT)["id"]
    with open(demo.DEMO_DIR / "voc.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["unit"] == UNIT]
    data = []
    for i in range(responses):
        row = rows[i % len(rows)]
        data.append((unit_id, f"bench-{i}", *(row[c] or None for c in COLUMNS[1:6]),
                     float(row["score"]) if row["score"] else None, row["scale"] or None, row["narrative"] or None))
    with store.write_transaction(db):
        db.conn.executemany("INSERT INTO voc_responses (unit_id, source_key, received_on, channel, touchpoint, segment, "
                            "customer_ref, score, scale, narrative) VALUES (?,?,?,?,?,?,?,?,?,?)", data)
    meeting_id = next(m["id"] for m in meetings.list_meetings(db, unit_id) if m["period"] == PERIOD)
    return unit_id, meeting_id


def main(responses: int = 200_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        started = time.perf_counter()
        unit_id, meeting_id = populate(db, responses)
        print(f"populated {responses:,} demo-shaped responses in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        built_months = months.retag(db, unit_id)
        print(f"tag + summarise every month once (per import / taxonomy edit): {built_months} months in "
              f"{time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        agenda.build_agenda(db, meeting_id)
        first = time.perf_counter() - started
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            built = agenda.build_agenda(db, meeting_id)
            timings.append(time.perf_counter() - started)
        best = min(timings)
        tracemalloc.start()
        agenda.build_agenda(db, meeting_id)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert [s["key"] for s in built["sections"]][-1] == "finance"

        started = time.perf_counter()
        db.execute(BASELINE_SQL, [unit_id, f"{months.shift_period(PERIOD, -1)}-01",
                                  f"{months.shift_period(PERIOD, 1)}-01"]).fetchall()
        baseline = time.perf_counter() - started
        print(f"build_agenda: first {first:.3f} s (imports, lexicon), best {best:.3f} s of 3 (target < 1 s), "
              f"runs {', '.join(f'{t:.3f}' for t in timings)}")
        print(f"peak Python memory during one build: {peak / 2**20:.1f} MiB")
        print(f"baseline (bare SQL NPS by touchpoint by month, the two months): {baseline:.3f} s; "
              f"ratio {best / baseline:.1f}x")
        db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
