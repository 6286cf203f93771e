"""What issue 15 adds to a big unit's agenda and pages: "already known" over six months of complaints, the
action register and the meeting balance, on a 200,000-response unit shaped like the agenda bench's.

Prints each figure and, as a same-run baseline, the time to read the six months of responses into pandas.
Run: .venv/bin/python bench/remembers_bench.py
"""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from meeting import store
from meeting.agenda import create_meeting_with_agenda
from meeting.agenda.balance import meeting_balance
from meeting.evidence.known import already_known
from meeting.minutes import add_entry
from meeting.minutes.actions import action_register
from meeting.periods import shift_period
from meeting.store import meetings
from tests.support import raw_evidence

TOUCHPOINTS = ["Contract", "Installation", "Urgent fault", "Billing dispute", "Billing", "Support call", "Website",
               "Account management", "Renewal", "Delivery"]
EPISODES = ["the engineer was late", "I was on hold for an hour", "the bill was wrong again", "the advert promised more",
            "the contract price went up", "the website crashed at checkout", "the team was friendly and helpful",
            "the refund took weeks", "nobody called back", "it was fixed first time", "I was passed around departments"]


def populate(db, responses: int, seed: int = 7) -> int:
    """A year of responses (three in four with a narrative) and twelve monthly meetings; the last one's id."""
    rng = random.Random(seed)
    unit = store.get_or_create_unit(db, "Benchland")
    months = [shift_period("2026-10", -i) for i in range(12)]
    rows = []
    for i in range(responses):
        scale = "nps" if i % 3 else "csat"
        score = rng.randint(0, 10) if scale == "nps" else rng.randint(1, 5)
        text = f"{rng.choice(EPISODES)} and {rng.choice(EPISODES)} (ref {i})" if i % 4 else None
        rows.append((unit, f"r{i}", f"{months[i % 12]}-{1 + i % 28:02d}", rng.choice(TOUCHPOINTS), score, scale, text))
    with store.write_transaction(db):
        db.executemany("INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, score, scale, "
                       "narrative) VALUES (?,?,?,?,?,?,?)", rows)
    meeting_ids = [create_meeting_with_agenda(db, unit, f"{shift_period(month, 1)}-12") for month in reversed(months)]
    return meeting_ids[-1]


def best_of(runs: int, work) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "bench.db")
        meeting_id = populate(db, 200_000)
        meeting = meetings.get_meeting(db, meeting_id)
        unit, period = meeting["unit_id"], meeting["period"]
        for i in range(300):  # a busy register: 300 actions on one meeting
            add_entry(db, meeting_id, "operations", "action", f"Action {i} on installs", owner="A Person",
                      due_on="2026-11-30")

        baseline, _ = best_of(3, lambda: raw_evidence.load_voc(db, unit, shift_period(period, -5), period))
        known_time, known = best_of(3, lambda: already_known(db, unit, period))
        register_time, register = best_of(3, lambda: action_register(db, unit, anonymised=True))
        balance_time, _ = best_of(3, lambda: meeting_balance(db, unit))
        print(f"baseline (read six months of responses into pandas): {baseline:.3f} s")
        print(f"already_known, six months: best {known_time:.3f} s of 3 ({len(known)} themes); "
              f"ratio {known_time / baseline:.2f}x the baseline")
        print(f"action_register, {len(register)} actions, anonymised: best {register_time:.3f} s of 3")
        print(f"meeting_balance, last 12 meetings: best {balance_time:.3f} s of 3")
        db.close()


if __name__ == "__main__":
    main()
