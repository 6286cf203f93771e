"""Meetings of a unit: create, find, list. The agenda, live run and minutes build on these rows."""
from __future__ import annotations

import datetime as dt

import sqlite_utils

from meeting.accounts import audit
from meeting.periods import parse_period, previous_month
from meeting.sections import DEFAULT_TOTAL_MINUTES
from meeting.store.connection import write_transaction
from meeting.store.units import find_unit


def create_meeting(
    db: sqlite_utils.Database,
    unit: str | int,
    held_on: str,
    *,
    title: str | None = None,
    period: str | None = None,
    total_minutes: int = DEFAULT_TOTAL_MINUTES,
) -> int:
    """Create a draft meeting for a unit and return its id. The agenda is drafted by ``meeting.agenda``."""
    unit_row = find_unit(db, unit)
    if unit_row is None:
        raise LookupError(f"No unit {unit!r}. Known units: {', '.join(r['name'] for r in db['units'].rows) or 'none'}")
    try:
        held = dt.date.fromisoformat(str(held_on).strip())
    except ValueError:
        raise ValueError(f"Date {held_on!r} is not in the form YYYY-MM-DD") from None
    reviewed = parse_period(period) if period else previous_month(held)
    title = (title or "").strip() or f"{unit_row['name']} leadership meeting, {held:%B %Y}"
    with write_transaction(db):
        return db.table("meetings").insert({
            "unit_id": unit_row["id"],
            "title": title,
            "held_on": held.isoformat(),
            "period": reviewed,
            "total_minutes": int(total_minutes),
            "status": "draft",
            # A new meeting shows nothing on the room screen before the GM approves it (issue 22): a customer's
            # words go on a wall others photograph. The Run page's Room settings turn it off.
            "premoderate": 1,
        }).last_pk


def update_meeting(db: sqlite_utils.Database, meeting_id: int, *, title: str | None = None,
                   period: str | None = None, shown: dict | None = None) -> None:
    """Rename a meeting or change the month it reviews (the evidence follows the period).

    ``shown``: {title, period} as the editor's form showed them. If someone else changed them since, the save
    is refused rather than silently putting the old values back (two GMs preparing at once)."""
    changes = {}
    if title is not None:
        if not title.strip():
            raise ValueError("A meeting needs a title.")
        changes["title"] = " ".join(title.split())
    if period is not None:
        changes["period"] = parse_period(period)
    get_meeting(db, meeting_id)
    if changes:
        with write_transaction(db):
            now = get_meeting(db, meeting_id)
            if shown is not None and any(now[key] != shown.get(key) for key in ("title", "period")):
                raise ValueError(f"Someone else changed these settings meanwhile (now: “{now['title']}”, reviews "
                                 f"{now['period']}). The form shows theirs; make your change again.")
            db.table("meetings").update(meeting_id, changes)


def delete_meeting(db: sqlite_utils.Database, meeting_id: int, *, user=None) -> None:
    """Delete a draft meeting with its agenda and roster (a duplicate, a wrong month). A live or closed meeting
    is refused: what was said in it, and its record, stay."""
    with write_transaction(db):
        meeting = get_meeting(db, meeting_id)
        if meeting["status"] != "draft":
            raise PermissionError(f"Only a draft meeting can be deleted; this one is {meeting['status']}"
                                  + (" and is the record." if meeting["status"] == "closed" else "."))
        db.execute("DELETE FROM meetings WHERE id = ?", [int(meeting_id)])  # agenda, roster: ON DELETE CASCADE
        audit.record(db, user, audit.MEETING_DELETE, {"meeting_id": int(meeting_id), "title": meeting["title"],
                                                      "held_on": meeting["held_on"]})


def previous_meeting(db: sqlite_utils.Database, meeting_id: int) -> dict | None:
    """The same unit's meeting held last before this one (on the same day: the one created before it)."""
    rows = list(db.query(
        "SELECT earlier.* FROM meetings earlier JOIN meetings this ON this.id = :meeting "
        "WHERE earlier.unit_id = this.unit_id AND earlier.id != this.id "
        "AND (earlier.held_on < this.held_on OR (earlier.held_on = this.held_on AND earlier.id < this.id)) "
        "ORDER BY earlier.held_on DESC, earlier.id DESC LIMIT 1", {"meeting": int(meeting_id)}))
    return rows[0] if rows else None


def copy_participants(db: sqlite_utils.Database, from_meeting: int, to_meeting: int, kind: str, *,
                      user=None) -> list[str]:
    """Invite one meeting's participants of ``kind`` to another (names already there are left alone); returns
    the names copied."""
    if kind not in PARTICIPANT_KINDS:
        raise ValueError(f"Participant kind must be one of {', '.join(PARTICIPANT_KINDS)}")
    columns = "name, organisation, role, kind, email, phone, aliases"
    with write_transaction(db):
        names = [row[0] for row in db.execute(
            "SELECT name FROM participants WHERE meeting_id = ? AND kind = ? AND name NOT IN "
            "(SELECT name FROM participants WHERE meeting_id = ?) ORDER BY name", [from_meeting, kind, to_meeting])]
        db.execute(f"INSERT INTO participants (meeting_id, {columns}) SELECT ?, {columns} FROM participants "
                   "WHERE meeting_id = ? AND kind = ? AND name NOT IN (SELECT name FROM participants WHERE meeting_id = ?)",
                   [to_meeting, from_meeting, kind, to_meeting])
        if names:
            audit.record(db, user, audit.ROSTER_COPY, {"meeting_id": int(to_meeting), "from_meeting_id": int(from_meeting),
                                                       "kind": kind, "names": names})
        return names


def get_meeting(db: sqlite_utils.Database, meeting_id: int) -> dict:
    rows = list(db.query(
        "SELECT m.*, u.name AS unit FROM meetings m JOIN units u ON u.id = m.unit_id WHERE m.id = ?",
        [int(meeting_id)],
    ))
    if not rows:
        raise LookupError(f"No meeting with id {meeting_id}")
    return rows[0]


def list_meetings(db: sqlite_utils.Database, unit: str | int | None = None) -> list[dict]:
    sql = "SELECT m.id, u.name AS unit, m.title, m.held_on, m.period, m.status FROM meetings m JOIN units u ON u.id = m.unit_id"
    params: list = []
    if unit is not None:
        unit_row = find_unit(db, unit)
        if unit_row is None:
            raise LookupError(f"No unit {unit!r}")
        sql += " WHERE m.unit_id = ?"
        params.append(unit_row["id"])
    return list(db.query(sql + " ORDER BY m.held_on DESC, m.id DESC", params))


PARTICIPANT_KINDS = ("leader", "customer", "frontline", "guest")


def add_participant(db: sqlite_utils.Database, meeting_id: int, name: str, kind: str, *, organisation: str | None = None,
                    role: str | None = None, email: str | None = None, phone: str | None = None,
                    aliases: str | None = None, user=None) -> int:
    """Invite someone to a meeting. The roster is also the first input of anonymisation, so names matter."""
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("A participant needs a name.")
    if kind not in PARTICIPANT_KINDS:
        raise ValueError(f"Participant kind must be one of {', '.join(PARTICIPANT_KINDS)}")
    get_meeting(db, meeting_id)
    clean = {k: (v or "").strip() or None for k, v in
             {"organisation": organisation, "role": role, "email": email, "phone": phone,
              "aliases": aliases}.items()}
    with write_transaction(db):
        if db.execute("SELECT 1 FROM participants WHERE meeting_id = ? AND name = ?", [meeting_id, name]).fetchone():
            raise ValueError(f"{name} is already on this meeting's list.")
        participant_id = db.table("participants").insert({"meeting_id": meeting_id, "name": name, "kind": kind,
                                                          **clean}).last_pk
        audit.record(db, user, audit.ROSTER_ADD, {"meeting_id": int(meeting_id), "name": name, "kind": kind})
        return participant_id


def list_participants(db: sqlite_utils.Database, meeting_id: int) -> list[dict]:
    order = {kind: index for index, kind in enumerate(PARTICIPANT_KINDS)}
    rows = list(db.query("SELECT * FROM participants WHERE meeting_id = ? ORDER BY name", [meeting_id]))
    return sorted(rows, key=lambda row: order[row["kind"]])


def remove_participant(db: sqlite_utils.Database, participant_id: int, *, user=None) -> None:
    with write_transaction(db):
        row = db.execute("SELECT meeting_id, name FROM participants WHERE id = ?", [participant_id]).fetchone()
        db.execute("DELETE FROM participants WHERE id = ?", [participant_id])
        if row:
            audit.record(db, user, audit.ROSTER_REMOVE, {"meeting_id": row[0], "name": row[1]})
