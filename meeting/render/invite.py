"""A meeting's agenda as a calendar invitation (.ics, RFC 5545, written by the ``icalendar`` package).

The event has the meeting's title, its start (the day at ``start``, local floating time: the unit meets where it
is) and its end (the agenda's minutes added up), the roster as attendees with their e-mail addresses, and the
sections in their fixed order, customer first, in the description. Re-issuing keeps the UID and raises SEQUENCE,
so calendars update the event rather than add a second one. Audited.
"""
from __future__ import annotations

import datetime as dt
import uuid

import icalendar
import sqlite_utils

from meeting import accounts, clock
from meeting.accounts import audit
from meeting.agenda.items import list_items
from meeting.i18n import meeting_language, speaking, tr_known
from meeting.render.common import write_output
from meeting.sections import SECTIONS
from meeting.store import invitations, write_transaction
from meeting.store.meetings import get_meeting, list_participants

PRODID = "-//Outside In//Meeting invitation//EN"


def parse_start(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValueError(f"Start {text!r} is not a time in the form HH:MM.") from None


def description(items: list[dict]) -> tuple[str, int]:
    """The sections in order with their items and minutes, and the agenda's total minutes."""
    lines, total = [], 0
    for number, section in enumerate(SECTIONS, start=1):
        mine = [item for item in items if item["section"] == section.key]
        minutes = sum(item["minutes"] or 0 for item in mine)
        total += minutes
        lines.append(f"{number}. {tr_known(section.title)} ({minutes} min)")
        lines += [f"   - {item['title']}" for item in mine]
    return "\n".join(lines), total


def invitation_ics(db: sqlite_utils.Database, meeting_id: int, *, start: str = "09:00", user=None) -> tuple[str, bytes]:
    """The invitation's file name and bytes; records the issue (UID, SEQUENCE) and audits it."""
    accounts.require_meeting(db, user, meeting_id)
    starts = parse_start(start)
    meeting = get_meeting(db, meeting_id)
    with speaking(meeting_language(db, meeting_id)):  # the invitation's text in the unit's language (issue 27)
        text, total = description(list_items(db, meeting_id))
    total = total or int(meeting["total_minutes"])
    begin = dt.datetime.combine(dt.date.fromisoformat(meeting["held_on"]), starts)
    people = [p for p in list_participants(db, meeting_id) if p.get("email")]
    with write_transaction(db):
        uid, sequence = invitations.issue(db, meeting_id, new_uid=f"{uuid.uuid4()}@outside-in", at=clock.now_iso())
        audit.record(db, user, audit.INVITE, {"meeting_id": int(meeting_id), "uid": uid, "sequence": sequence,
                                              "attendees": len(people)})
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", clock.now())
    event.add("dtstart", begin)
    event.add("dtend", begin + dt.timedelta(minutes=total))
    event.add("summary", meeting["title"])
    event.add("description", text)
    event.add("status", "CONFIRMED")
    for person in people:
        attendee = icalendar.vCalAddress(f"mailto:{person['email']}")
        attendee.params["CN"] = icalendar.vText(person["name"])
        attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["RSVP"] = icalendar.vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return f"meeting-{int(meeting_id)}-{meeting['held_on']}-invitation.ics", calendar.to_ical()


def export_invitation(db: sqlite_utils.Database, meeting_id: int, *, out=None, start: str = "09:00", user=None):
    name, data = invitation_ics(db, meeting_id, start=start, user=user)
    return write_output(data, name, out)
