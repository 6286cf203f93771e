"""Loads the demo CSVs into a database through ``meeting.importing`` and creates the demo meetings."""
from __future__ import annotations

from pathlib import Path

from meeting.demo.plan import DEMO_DIR, DEMO_MEETINGS, UNITS, DemoMeeting
from meeting.demo.rows import done_actions

UNIT_KINDS = ("voc", "staff", "metrics", "plans", "finance")


def load_demo(db, demo_dir: str | Path = DEMO_DIR) -> dict[str, int]:
    """Import the demo CSVs and create the demo meetings; returns rows added per kind. Idempotent."""
    from meeting import agenda, importing, minutes, store
    from meeting.store import meetings

    demo_dir = Path(demo_dir)
    counts: dict[str, int] = {}
    before = len(store.list_units(db))
    for unit in UNITS:
        store.get_or_create_unit(db, unit.name)
    db.conn.commit()
    counts["units"] = len(store.list_units(db)) - before
    for kind in UNIT_KINDS:
        counts[kind] = importing.import_file(db, kind, demo_dir / f"{kind}.csv").inserted

    # One file each for all demo meetings' participants and minutes, keyed by unit and date; the importer
    # takes one meeting at a time, so each meeting gets its slice without those two columns.
    tables = {kind: importing.read_table(demo_dir / f"{kind}.csv", f"{kind}.csv")
              for kind in ("participants", "minutes")}
    counts.update(meetings=0, participants=0, minutes=0)
    for meeting in DEMO_MEETINGS:
        unit_id = store.find_unit(db, meeting.unit)["id"]
        found = db.execute("SELECT id, status FROM meetings WHERE unit_id = ? AND held_on = ? AND title = ?",
                           [unit_id, meeting.held_on, meeting.title]).fetchone()
        if found:
            meeting_id, status = found
        else:
            meeting_id = meetings.create_meeting(db, meeting.unit, meeting.held_on, title=meeting.title,
                                                 period=meeting.period)
            status = "draft"
            counts["meetings"] += 1
        if status == "closed":
            continue  # a closed meeting is the record (the store refuses changes); a second load leaves it alone
        agenda.draft_agenda(db, meeting_id)  # idempotent: a meeting without items gets the default agenda
        counts["participants"] += _import_slice(db, tables["participants"], "participants", meeting, meeting_id)
        if not meeting.closed:
            continue
        counts["minutes"] += _import_slice(db, tables["minutes"], "minutes", meeting, meeting_id)
        for text in done_actions(meeting.unit):
            for (entry_id,) in db.execute("SELECT id FROM minutes_entries WHERE meeting_id = ? AND text = ? "
                                          "AND kind = 'action'", [meeting_id, text]).fetchall():
                minutes.set_action_status(db, entry_id, "done")
        # The live-meeting module owns the draft -> live -> closed flow; the demo only needs the end state.
        with store.write_transaction(db):
            db.execute("UPDATE meetings SET status = 'closed', started_at = ?, closed_at = ? WHERE id = ?",
                       [f"{meeting.held_on}T09:00:00+00:00", f"{meeting.held_on}T11:05:00+00:00", meeting_id])
    return counts


def _import_slice(db, table, kind: str, meeting: DemoMeeting, meeting_id: int) -> int:
    from meeting import importing

    rows = table[(table["unit"] == meeting.unit) & (table["held_on"] == meeting.held_on)]
    rows = rows.drop(columns=["unit", "held_on"]).reset_index(drop=True)
    return importing.import_frame(db, kind, rows, filename=f"{kind}.csv", meeting_id=meeting_id).inserted
