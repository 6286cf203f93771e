"""Meeting balance over time: for a unit's last meetings, the minutes planned and spent per section.

Is the meeting really customer-first? Planned minutes are the agenda items' time boxes (``agenda_items``).
Time spent comes from the live meeting's recorded section moves (``meeting.live.state.time_spent``, the
one rule for it); a meeting never run live has none, and the balance says so (``spent`` is NaN, not zero).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from meeting.sections import SECTIONS
from meeting.store import Database
from meeting.store import agenda as agenda_store
from meeting.store import meetings as meeting_store

COLUMNS = ["meeting_id", "held_on", "title", "section", "section_title", "order", "planned", "spent"]
@dataclass(frozen=True)
class Balance:
    rows: pd.DataFrame       # COLUMNS, one row per meeting and section, meetings oldest first
    spent_recorded: bool     # whether any time spent was found


def _spent(db: Database, meeting_ids: list[int]) -> pd.DataFrame:
    """Minutes spent per meeting and section, for the meetings whose section moves were recorded."""
    from meeting.live.state import time_spent

    recorded = agenda_store.meetings_with_section_moves(db, meeting_ids)
    rows = [{"meeting_id": meeting_id, "section": row["section"], "spent": row["actual_seconds"] / 60.0}
            for meeting_id in recorded for row in time_spent(db, meeting_id)]
    return pd.DataFrame(rows, columns=["meeting_id", "section", "spent"])


def meeting_balance(db: Database, unit_id: int, last: int = 12) -> Balance:
    """Planned (and, where recorded, spent) minutes per section for the unit's ``last`` meetings."""
    meetings = meeting_store.recent_meetings(db, unit_id, last)[::-1]
    if not meetings:
        return Balance(pd.DataFrame(columns=COLUMNS), False)
    ids = [m["id"] for m in meetings]
    planned = pd.DataFrame(agenda_store.planned_minutes(db, ids), columns=["meeting_id", "section", "planned"])
    grid = pd.DataFrame([{"meeting_id": m["id"], "held_on": m["held_on"], "title": m["title"], "section": s.key,
                          "section_title": s.title, "order": i} for m in meetings for i, s in enumerate(SECTIONS)])
    rows = grid.merge(planned, on=["meeting_id", "section"], how="left")
    rows["planned"] = rows["planned"].fillna(0).astype("int64")
    spent = _spent(db, ids)
    if len(spent):
        rows = rows.merge(spent, on=["meeting_id", "section"], how="left")
    else:
        rows["spent"] = float("nan")
    return Balance(rows[COLUMNS], bool(rows["spent"].notna().any()))


def customer_share(balance: Balance) -> pd.DataFrame:
    """Per meeting (oldest first): held_on, and the customer section's share of the planned and spent minutes."""
    rows = balance.rows
    if rows.empty:
        return pd.DataFrame(columns=["held_on", "planned_share", "spent_share"])
    totals = rows.groupby("meeting_id", sort=False).agg(
        held_on=("held_on", "first"), planned=("planned", "sum"), spent=("spent", lambda s: s.sum(min_count=1)))
    customer = rows[rows["section"] == "customer"].set_index("meeting_id")
    return pd.DataFrame({
        "held_on": totals["held_on"],
        "planned_share": customer["planned"] / totals["planned"].where(totals["planned"] > 0),
        "spent_share": customer["spent"] / totals["spent"].where(totals["spent"] > 0),
    }).reset_index(drop=True)
