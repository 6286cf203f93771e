"""The action register: every action of every meeting of a unit, what became of it, and who changed it.

An action is a minutes entry of kind "action" (``meeting.minutes.entries``). The register adds what a
leadership team needs between meetings: the meeting it came from, how many meetings it has been open,
and whether it is overdue (open and past its due date). Its status may change after the meeting closes
(the store's guard allows exactly that column), and every change is recorded in
``action_status_changes`` by a trigger, so a change is audited whichever path made it (page, CLI, script).

Anonymised (the default for anything that may leave the room), the owner is shown as a group ("a
leadership team member") and the text is redacted with the roster of the meeting the action came from,
as in the minutes.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

from meeting import anonymise, clock
from meeting.minutes.entries import ACTION_STATUSES, action_gaps, set_action_status
from meeting.sections import section_position, section_title
from meeting.store import Database
from meeting.store import actions as action_store
from meeting.store.meetings import held_dates, list_participants


@dataclass(frozen=True)
class RegisterAction:
    id: int
    text: str
    owner: str | None
    due_on: str | None
    status: str
    overdue: bool
    meeting_id: int
    meeting_title: str
    held_on: str
    section: str
    meetings_open: int
    last_changed_on: str | None
    missing: tuple[str, ...] = ()  # "no owner", "no due date": what it lacks to be followed up


@dataclass(frozen=True)
class StatusChange:
    entry_id: int
    old_status: str
    new_status: str
    changed_at: str




def action_register(db: Database, unit_id: int, *, open_only: bool = False,
                    today: dt.date | str | None = None, anonymised: bool = False) -> list[RegisterAction]:
    """Every action of the unit's meetings, overdue ones first, then by due date (undated last), oldest meeting
    first. ``today`` (default: the clock's) decides "overdue" and which meetings have been held.

    meetings_open: the unit's meetings held after the one the action came from, up to today (or, for an
    action no longer open, up to the day its status last changed; 0 when no change is recorded, e.g. an
    action imported as done): an action from last month's meeting, still open after this month's, has
    been open for 1 meeting.
    """
    day = clock.as_date(today)
    rows = action_store.unit_actions(db, unit_id, open_only=open_only)
    held = sorted(held_dates(db, unit_id, day.isoformat()))
    redactors: dict[int, anonymise.Redactor] = {}
    keyed = []
    for row in rows:
        if row["status"] == "open":
            until = day.isoformat()
        else:  # closed on the day of its last recorded change; with none, before the next meeting
            until = row["last_changed_at"][:10] if row["last_changed_at"] else row["held_on"]
        meetings_open = sum(1 for h in held if row["held_on"] < h <= until)
        overdue = row["status"] == "open" and bool(row["due_on"]) and row["due_on"] < day.isoformat()
        text, owner, title = row["text"], row["owner"], row["meeting_title"]
        if anonymised:
            if row["meeting_id"] not in redactors:
                redactors[row["meeting_id"]] = anonymise.build_redactor(list_participants(db, row["meeting_id"]))
            redactor = redactors[row["meeting_id"]]
            text, owner, title = redactor.redact(text), redactor.owner_label(owner), redactor.redact(title)
        keyed.append(((row["status"] != "open", row["due_on"] is None, row["due_on"] or "", row["held_on"],
                       section_position(row["section"]), row["id"]), RegisterAction(
            id=int(row["id"]), text=text, owner=owner, due_on=row["due_on"], status=row["status"], overdue=overdue,
            meeting_id=int(row["meeting_id"]), meeting_title=title, held_on=row["held_on"],
            section=section_title(row["section"]), meetings_open=meetings_open,
            last_changed_on=row["last_changed_at"][:10] if row["last_changed_at"] else None,
            missing=action_gaps(row))))
    # Overdue first, then open by due date (undated last), then the rest; ties in agenda order.
    return [item for _, item in sorted(keyed, key=lambda pair: (not pair[1].overdue, *pair[0]))]


def change_status(db: Database, entry_id: int, status: str) -> None:
    """Set an action's status (open, done, dropped), also after its meeting has closed; the trigger audits it."""
    set_action_status(db, entry_id, status)


def status_history(db: Database, entry_id: int | None = None, unit_id: int | None = None) -> list[StatusChange]:
    """Recorded status changes, oldest first: of one action, or of every action of a unit."""
    return [StatusChange(*row) for row in action_store.status_changes(db, entry_id=entry_id, unit_id=unit_id)]


def parse_status_assignment(text: str) -> tuple[int, str]:
    """"12=done" -> (12, "done"), for ``actions --set``; anything else is a clear error."""
    entry, sep, status = (text or "").partition("=")
    if not sep or not entry.strip().isdigit() or status.strip() not in ACTION_STATUSES:
        raise ValueError(f"--set {text!r}: write ACTION_ID=STATUS with STATUS one of {', '.join(ACTION_STATUSES)}, "
                         "e.g. --set 12=done")
    return int(entry), status.strip()


def register_json(items: list[RegisterAction]) -> str:
    return json.dumps([asdict(item) for item in items], indent=2, ensure_ascii=False)


def register_text(items: list[RegisterAction], unit_name: str) -> str:
    if not items:
        return f"{unit_name}: no actions."
    open_count = sum(1 for a in items if a.status == "open")
    overdue = sum(1 for a in items if a.overdue)
    lines = [f"{unit_name}: {len(items)} action(s), {open_count} open, {overdue} overdue", ""]
    for a in items:
        flag = ("OVERDUE " if a.overdue else "") + "".join(f"{gap.upper()} " for gap in a.missing)
        due = f"due {a.due_on}" if a.due_on else "no due date"
        lines.append(f"[{a.id}] {flag}{a.status}, {due}, owner {a.owner or 'none'}: {a.text}")
        lines.append(f"      from {a.held_on} ({a.section}); open for {a.meetings_open} meeting(s) since")
    return "\n".join(lines)
