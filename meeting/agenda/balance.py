"""Meeting balance over time: for a unit's last meetings, the minutes planned and spent per section.

Is the meeting really customer-first? Planned minutes are the agenda items' time boxes (``agenda_items``).
Time spent is read from a ``section_times`` record when the live meeting keeps one (a table with
meeting_id, section and the time spent in seconds or minutes); until then the balance shows planned minutes
only and says so (``spent_recorded`` is False), rather than guessing.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlite_utils

from meeting.sections import SECTIONS

COLUMNS = ["meeting_id", "held_on", "title", "section", "section_title", "order", "planned", "spent"]
# Column names a time-spent record may use, by the unit they count in.
_SPENT_COLUMNS = {"seconds": 60.0, "spent_seconds": 60.0, "elapsed_seconds": 60.0, "minutes": 1.0,
                  "spent_minutes": 1.0}


@dataclass(frozen=True)
class Balance:
    rows: pd.DataFrame       # COLUMNS, one row per meeting and section, meetings oldest first
    spent_recorded: bool     # whether any time spent was found


def _spent(db: sqlite_utils.Database, meeting_ids: list[int]) -> pd.DataFrame | None:
    if "section_times" not in db.table_names() or not meeting_ids:
        return None
    columns = {c.name for c in db["section_times"].columns}
    found = next((name for name in _SPENT_COLUMNS if name in columns), None)
    if not {"meeting_id", "section"} <= columns or found is None:
        return None
    marks = ", ".join("?" for _ in meeting_ids)
    frame = pd.read_sql_query(
        f"SELECT meeting_id, section, SUM({found}) AS amount FROM section_times WHERE meeting_id IN ({marks}) "
        "GROUP BY meeting_id, section", db.conn, params=meeting_ids)
    frame["spent"] = frame["amount"].astype("float64") / _SPENT_COLUMNS[found]
    return frame[["meeting_id", "section", "spent"]]


def meeting_balance(db: sqlite_utils.Database, unit_id: int, last: int = 12) -> Balance:
    """Planned (and, where recorded, spent) minutes per section for the unit's ``last`` meetings."""
    meetings = list(db.query(
        "SELECT id, held_on, title FROM meetings WHERE unit_id = ? ORDER BY held_on DESC, id DESC LIMIT ?",
        [unit_id, int(last)]))[::-1]
    if not meetings:
        return Balance(pd.DataFrame(columns=COLUMNS), False)
    ids = [m["id"] for m in meetings]
    marks = ", ".join("?" for _ in ids)
    planned = pd.read_sql_query(
        f"SELECT meeting_id, section, SUM(COALESCE(minutes, 0)) AS planned FROM agenda_items "
        f"WHERE meeting_id IN ({marks}) GROUP BY meeting_id, section", db.conn, params=ids)
    grid = pd.DataFrame([{"meeting_id": m["id"], "held_on": m["held_on"], "title": m["title"], "section": s.key,
                          "section_title": s.title, "order": i} for m in meetings for i, s in enumerate(SECTIONS)])
    rows = grid.merge(planned, on=["meeting_id", "section"], how="left")
    rows["planned"] = rows["planned"].fillna(0).astype("int64")
    spent = _spent(db, ids)
    if spent is not None and len(spent):
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
