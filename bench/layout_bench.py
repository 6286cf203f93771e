"""What reading at a glance costs (issue 16): the quote post-pass on the demo agendas, the docx column widths of a
10,000-row table, and the demo pre-read as .docx, each against a same-run baseline.

Run: .venv/bin/python bench/layout_bench.py
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from meeting import agenda, demo, render, store
from meeting.agenda.quotes import assign_quotes_once, sections_of_each_quote
from meeting.render.document import column_widths


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "demo.db")
        demo.load_demo(db)
        for meeting in [m for m in db.query("SELECT id, unit_id, period FROM meetings WHERE status = 'draft'")]:
            raw = agenda.build_evidence(db, meeting["unit_id"], meeting["period"])
            build = best_of(1, lambda: agenda.build_evidence(db, meeting["unit_id"], meeting["period"]))
            once = best_of(20, lambda: assign_quotes_once(raw))
            before = sections_of_each_quote(raw)
            after = sections_of_each_quote(assign_quotes_once(raw))
            print(f"meeting {meeting['id']}: assign_quotes_once {once * 1000:.2f} ms vs build_evidence {build * 1000:.0f} ms "
                  f"(ratio {once / build:.4f}); quotes {len(before)} -> {len(after)} distinct, "
                  f"most sections per quote {max(map(len, before.values()))} -> {max(map(len, after.values()))}")
            built = agenda.build_agenda(db, meeting["id"])
            docx = best_of(3, lambda: render.render_preread(built, "docx"))
            markdown = best_of(3, lambda: render.render_preread(built, "md"))
            print(f"meeting {meeting['id']}: pre-read .docx {docx * 1000:.0f} ms, .md {markdown * 1000:.1f} ms")
        db.close()
    rows = [[f"Action {i}: review the subcontractor hand-offs on installs and report back with figures",
             f"Owner {i % 50}", f"2026-11-{i % 28 + 1:02d}", "open"] for i in range(10_000)]
    widths = best_of(3, lambda: column_widths(["Action", "Owner", "Due", "Status"], rows, 9_000_000))
    baseline = best_of(3, lambda: [cell.split() for row in rows for cell in row])
    print(f"column_widths, 10,000 rows x 4: {widths * 1000:.0f} ms (splitting every cell into words: "
          f"{baseline * 1000:.0f} ms, ratio {widths / baseline:.1f})")


if __name__ == "__main__":
    main()
