"""Meetings of a unit: create, find, list. The agenda, live run and minutes build on these rows."""
from __future__ import annotations

import datetime as dt

from meeting.accounts import audit
from meeting.periods import parse_period, previous_month
from meeting.sections import DEFAULT_TOTAL_MINUTES
from meeting.store.connection import Database, write_transaction
from meeting.store.units import find_unit


def create_meeting(
    db: Database,
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
        raise LookupError(f"No unit {unit!r}. Known units: {', '.join(row[0] for row in db.execute('SELECT name FROM units ORDER BY id')) or 'none'}")
    try:
        held = dt.date.fromisoformat(str(held_on).strip())
    except ValueError:
        raise ValueError(f"Date {held_on!r} is not in the form YYYY-MM-DD") from None
    reviewed = parse_period(period) if period else previous_month(held)
    title = (title or "").strip() or f"{unit_row['name']} leadership meeting, {held:%B %Y}"
    with write_transaction(db):
        # premoderate 1: a new meeting shows nothing on the room screen before the GM approves it (issue 22): a
        # customer's words go on a wall others photograph. The Run page's Room settings turn it off.
        return db.execute(
            "INSERT INTO meetings (unit_id, title, held_on, period, total_minutes, status, premoderate) "
            "VALUES (?, ?, ?, ?, ?, 'draft', 1) RETURNING id",
            [unit_row["id"], title, held.isoformat(), reviewed, int(total_minutes)]).fetchone()[0]


def update_meeting(db: Database, meeting_id: int, *, title: str | None = None,
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
            assignments = ", ".join(f"{column} = ?" for column in changes)  # title, period: names fixed above
            db.execute(f"UPDATE meetings SET {assignments} WHERE id = ?", [*changes.values(), int(meeting_id)])


def delete_meeting(db: Database, meeting_id: int, *, user=None) -> None:
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


def previous_meeting(db: Database, meeting_id: int) -> dict | None:
    """The same unit's meeting held last before this one (on the same day: the one created before it)."""
    rows = list(db.query(
        "SELECT earlier.* FROM meetings earlier JOIN meetings this ON this.id = ? "
        "WHERE earlier.unit_id = this.unit_id AND earlier.id != this.id "
        "AND (earlier.held_on < this.held_on OR (earlier.held_on = this.held_on AND earlier.id < this.id)) "
        "ORDER BY earlier.held_on DESC, earlier.id DESC LIMIT 1", [int(meeting_id)]))
    return rows[0] if rows else None


def copy_participants(db: Database, from_meeting: int, to_meeting: int, kind: str, *,
                      user=None) -> list[str]:
    """Invite one meeting's participants of ``kind`` to another (names already there are left alone); returns
    the names copied."""
    if kind not in PARTICIPANT_KINDS:
        raise ValueError(f"Participant kind must be one of {', '.join(PARTICIPANT_KINDS)}")
    columns = "name, organisation, role, kind, email, phone, aliases"
    with write_transaction(db):
        names = [row[0] for row in db.execute(
            "SELECT name FROM participants WHERE meeting_id = ? AND kind = ? AND name NOT IN "
            "(SELECT name FROM participants WHERE meeting_id = ?) ORDER BY name", [int(from_meeting), kind, int(to_meeting)])]
        db.execute(f"INSERT INTO participants (meeting_id, {columns}) SELECT CAST(? AS INTEGER), {columns} FROM participants "
                   "WHERE meeting_id = ? AND kind = ? AND name NOT IN (SELECT name FROM participants WHERE meeting_id = ?)",
                   [int(to_meeting), int(from_meeting), kind, int(to_meeting)])
        if names:
            audit.record(db, user, audit.ROSTER_COPY, {"meeting_id": int(to_meeting), "from_meeting_id": int(from_meeting),
                                                       "kind": kind, "names": names})
        return names


def get_meeting(db: Database, meeting_id: int) -> dict:
    rows = list(db.query(
        "SELECT m.*, u.name AS unit FROM meetings m JOIN units u ON u.id = m.unit_id WHERE m.id = ?",
        [int(meeting_id)],
    ))
    if not rows:
        raise LookupError(f"No meeting with id {meeting_id}")
    return rows[0]


def list_meetings(db: Database, unit: str | int | None = None) -> list[dict]:
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


def add_participant(db: Database, meeting_id: int, name: str, kind: str, *, organisation: str | None = None,
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
        if db.execute("SELECT 1 FROM participants WHERE meeting_id = ? AND name = ?", [int(meeting_id), name]).fetchone():
            raise ValueError(f"{name} is already on this meeting's list.")
        participant_id = db.execute(
            "INSERT INTO participants (meeting_id, name, kind, organisation, role, email, phone, aliases) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [int(meeting_id), name, kind, *(clean[key] for key in ("organisation", "role", "email", "phone", "aliases"))],
        ).fetchone()[0]
        audit.record(db, user, audit.ROSTER_ADD, {"meeting_id": int(meeting_id), "name": name, "kind": kind})
        return participant_id


def list_participants(db: Database, meeting_id: int) -> list[dict]:
    order = {kind: index for index, kind in enumerate(PARTICIPANT_KINDS)}
    rows = list(db.query("SELECT * FROM participants WHERE meeting_id = ? ORDER BY name, id", [int(meeting_id)]))
    return sorted(rows, key=lambda row: order[row["kind"]])


def remove_participant(db: Database, participant_id: int, *, user=None) -> None:
    with write_transaction(db):
        row = db.execute("SELECT meeting_id, name FROM participants WHERE id = ?", [int(participant_id)]).fetchone()
        db.execute("DELETE FROM participants WHERE id = ?", [int(participant_id)])
        if row:
            audit.record(db, user, audit.ROSTER_REMOVE, {"meeting_id": row[0], "name": row[1]})


def set_total_minutes(db: Database, meeting_id: int, total: int) -> None:
    db.execute("UPDATE meetings SET total_minutes = ? WHERE id = ?", [int(total), int(meeting_id)])


def recent_meetings(db: Database, unit_id: int, last: int) -> list[dict]:
    """{id, held_on, title} of the unit's ``last`` meetings, newest first."""
    return list(db.query("SELECT id, held_on, title FROM meetings WHERE unit_id = ? ORDER BY held_on DESC, id DESC "
                         "LIMIT ?", [int(unit_id), int(last)]))


def held_dates(db: Database, unit_id: int, until: str) -> list[str]:
    """The days the unit's meetings are held on, up to and including ``until`` (ISO), earliest first."""
    return [row[0] for row in db.execute("SELECT held_on FROM meetings WHERE unit_id = ? AND held_on <= ? "
                                         "ORDER BY held_on, id", [int(unit_id), until])]


def next_held_on(db: Database, meeting_id: int) -> str | None:
    """The day of the same unit's next meeting after this one's day, or None."""
    row = db.execute(
        "SELECT later.held_on FROM meetings later JOIN meetings this ON this.id = ? "
        "WHERE later.unit_id = this.unit_id AND later.held_on > this.held_on ORDER BY later.held_on, later.id LIMIT 1",
        [int(meeting_id)]).fetchone()
    return row[0] if row else None


def unit_id_of(db: Database, meeting_id: int) -> int | None:
    row = db.execute("SELECT unit_id FROM meetings WHERE id = ?", [int(meeting_id)]).fetchone()
    return row[0] if row else None
