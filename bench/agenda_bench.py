"""Agenda build time and peak memory for a big unit: 200,000 VoC responses, 20,000 staff inputs.

Prints the figures and, as a same-run baseline, the time to merely read the review month's rows into
pandas, so the ratio says what the evidence work costs on top of reading the data.
Run: .venv/bin/python bench/agenda_bench.py
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meeting import agenda, evidence, store  # noqa: E402
from meeting.store import meetings

TOUCHPOINTS = ["Contract", "Installation", "Urgent fault", "Billing dispute", "Billing", "Support call", "Website",
               "Account management", "Renewal", "Delivery"]
OPENINGS = ["Honestly,", "To be fair,", "Well,", "Sadly", "Frankly,", "As a long-standing customer,", ""]
EPISODES = ["the engineer was late", "I was on hold for an hour", "the bill was wrong again", "the advert promised more",
            "the contract price went up", "the website crashed at checkout", "the team was friendly and helpful",
            "the refund took weeks", "nobody called back", "it was fixed first time", "I was passed around departments"]
ENDINGS = ["and I am thinking of leaving.", "which was great.", "so please sort it out.", "thank you.", "not good enough.", ""]


def populate(db, responses: int, staff_inputs: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    unit = store.get_or_create_unit(db, "Benchland")
    months = [meetings.shift_period("2026-10", -i) for i in range(12)]
    voc_rows = []
    for i in range(responses):
        period = months[i % 12]
        scale = "nps" if i % 3 else "csat"
        score = rng.randint(0, 10) if scale == "nps" else rng.randint(1, 5)
        text = " ".join(filter(None, [rng.choice(OPENINGS), rng.choice(EPISODES), rng.choice(ENDINGS), f"(ref {i})"]))
        voc_rows.append((unit, f"r{i}", f"{period}-{1 + i % 28:02d}", "email", rng.choice(TOUCHPOINTS),
                         rng.choice(["SME", "Enterprise", "Public sector"]), score, scale, text if i % 4 else None))
    db.conn.executemany("INSERT INTO voc_responses (unit_id, source_key, received_on, channel, touchpoint, segment, "
                        "score, scale, narrative) VALUES (?,?,?,?,?,?,?,?,?)", voc_rows)
    staff_rows = [(unit, f"s{i}", f"{months[i % 12]}-{1 + i % 28:02d}", "Ops", "Agent", rng.choice(TOUCHPOINTS),
                   rng.choice(["challenge", "idea", "praise"]), f"{rng.choice(EPISODES)} #{i}", rng.randint(1, 10))
                  for i in range(staff_inputs)]
    db.conn.executemany("INSERT INTO staff_inputs (unit_id, source_key, submitted_on, team, role, touchpoint, kind, text, "
                        "engagement) VALUES (?,?,?,?,?,?,?,?,?)", staff_rows)
    db.conn.executemany("INSERT INTO metrics (unit_id, period, touchpoint, name, target, actual, direction) VALUES (?,?,?,?,?,?,?)",
                        [(unit, p, t, f"{t} SLA %", 90, rng.uniform(80, 99), "higher") for p in months for t in TOUCHPOINTS])
    db.conn.executemany("INSERT INTO finance (unit_id, period, line, actual, budget) VALUES (?,?,?,?,?)",
                        [(unit, p, line, rng.uniform(90, 110), 100) for p in months for line in ("Revenue", "Credits", "Costs")])
    db.conn.executemany("INSERT INTO plans (unit_id, source_key, section, title, segment, starts_on) VALUES (?,?,?,?,?,?)",
                        [(unit, "p1", "marketing", "SME spring campaign", "SME", "2026-12-01"),
                         (unit, "p2", "sales", "Enterprise growth", "Enterprise", "2026-12-01")])
    db.conn.commit()
    meeting_id = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting_id)
    return meeting_id


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        started = time.perf_counter()
        meeting_id = populate(db, 200_000, 20_000)
        print(f"populated 200,000 responses + 20,000 staff inputs in {time.perf_counter() - started:.1f} s")
        meeting = meetings.get_meeting(db, meeting_id)
        agenda.build_agenda(db, meeting_id)  # warm imports and the sentiment lexicon, as a running app has

        started = time.perf_counter()
        evidence.load_voc(db, meeting["unit_id"], meetings.shift_period(meeting["period"], -1), meeting["period"])
        baseline = time.perf_counter() - started

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
        print(f"build_agenda: best {best:.3f} s of 3 (target < 1 s), runs {', '.join(f'{t:.3f}' for t in timings)}")
        print(f"peak Python memory during one build: {peak / 2**20:.1f} MiB")
        print(f"baseline (read two months of responses into pandas): {baseline:.3f} s; ratio {best / baseline:.1f}x")
        db.close()


if __name__ == "__main__":
    main()
