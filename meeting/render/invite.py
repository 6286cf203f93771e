"""A meeting's agenda as a calendar invitation (.ics, RFC 5545/5546, written by the ``icalendar`` package).

The event has the meeting's title, its start (the stored start time on its day, local floating time: the unit
meets where it is; refused while none is set, never guessed) and its end (start + the meeting's length, which the
agenda's minutes must add up to: ``meeting.agenda.schedule``), the organiser (the sender, as for circulation), the
roster as attendees with their e-mail addresses, and the sections in their fixed order, customer first, in the
description. Re-issuing keeps the UID and raises SEQUENCE, so calendars update the event rather than add a second
one. Audited.

- **The pre-read** (``preread=True``): the .docx attached inside the event (ATTACH;ENCODING=BASE64;VALUE=BINARY;
  FMTTYPE=...;X-FILENAME=...), not linked. There is no address to link to: the app runs on a GM's machine or an
  intranet behind a sign-in the customers do not have, and no secret (a download token) may go in a URL. The
  pre-read holds internal evidence (finance lines, verbatim survey comments), so it is a copy for the leadership
  only: the file is named ``...-invitation-leadership.ics`` and the everyone copy carries no attachment.
- **Cancelled** (``cancel=True``): METHOD:CANCEL and STATUS:CANCELLED, the same UID, a higher SEQUENCE, the same
  attendees (RFC 5546 names who is cancelled). Only an invitation already issued, for a meeting not yet held.
  Issuing the invitation again afterwards reinstates the event.
"""
from __future__ import annotations

import datetime as dt
import uuid
from email.utils import parseaddr

import icalendar

from meeting import accounts, clock
from meeting.accounts import audit
from meeting.agenda.items import list_items
from meeting.agenda.schedule import agenda_mismatch
from meeting.i18n import meeting_language, speaking, tr_known
from meeting.render.circulate import sender
from meeting.render.common import write_output
from meeting.sections import SECTIONS
from meeting.store import Database, invitations, write_transaction
from meeting.store.meetings import get_meeting, list_participants

PRODID = "-//Outside In//Meeting invitation//EN"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def invitation_problem(db: Database, meeting_id: int) -> str | None:
    """Why the meeting cannot be invited to (held already, no start time, an agenda that does not add up), or None."""
    meeting = get_meeting(db, meeting_id)
    if meeting["status"] == "closed":
        return f"Meeting {int(meeting_id)} is closed: it was held on {meeting['held_on']}, there is nothing to invite to."
    if not meeting["start_time"]:
        return (f"Meeting {int(meeting_id)} has no start time yet: set it with `python -m meeting schedule "
                f"{int(meeting_id)} --starts HH:MM` or in Prepare's Meeting settings, then invite.")
    return agenda_mismatch(int(meeting["total_minutes"]), description(list_items(db, meeting_id))[1])


def _preread(db: Database, meeting_id: int) -> tuple[str, bytes]:
    from meeting import agenda, render

    built = agenda.build_agenda(db, meeting_id)
    return render.preread_file_name(built, "docx"), render.render_preread(built, "docx")


def invitation_ics(db: Database, meeting_id: int, *, user=None, preread: bool = False,
                   cancel: bool = False) -> tuple[str, bytes]:
    """The invitation's file name and bytes; records the issue (UID, SEQUENCE, cancelled) and audits it."""
    accounts.require_meeting(db, user, meeting_id)
    meeting = get_meeting(db, meeting_id)
    if cancel:
        if invitations.invitation(db, meeting_id) is None:
            raise PermissionError(f"No invitation to meeting {int(meeting_id)} was issued: there is nothing to cancel.")
        if meeting["status"] != "draft":
            raise PermissionError(f"Meeting {int(meeting_id)} is {meeting['status']}: it is being or has been held, "
                                  "so its invitation is not cancelled.")
        if preread:
            raise ValueError("A cancellation carries no pre-read.")
    else:
        problem = invitation_problem(db, meeting_id)
        if problem:
            raise PermissionError(problem)
    with speaking(meeting_language(db, meeting_id)):  # the invitation's text in the unit's language (issue 27)
        text, _ = description(list_items(db, meeting_id))
    attachment = _preread(db, meeting_id) if preread else None
    people = [p for p in list_participants(db, meeting_id) if p.get("email")]
    with write_transaction(db):
        uid, sequence = invitations.issue(db, meeting_id, new_uid=f"{uuid.uuid4()}@outside-in", at=clock.now_iso(),
                                          cancelled=cancel)
        detail = {"meeting_id": int(meeting_id), "uid": uid, "sequence": sequence, "attendees": len(people)}
        if attachment:
            detail["preread"] = attachment[0]
        audit.record(db, user, audit.INVITE_CANCEL if cancel else audit.INVITE, detail)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", clock.now())
    if meeting["start_time"]:  # a cancellation of an invitation issued before start times were stored has none
        begin = dt.datetime.combine(dt.date.fromisoformat(meeting["held_on"]),
                                    dt.time.fromisoformat(meeting["start_time"]))
        event.add("dtstart", begin)
        event.add("dtend", begin + dt.timedelta(minutes=int(meeting["total_minutes"])))
    event.add("summary", meeting["title"])
    event.add("description", text)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    name, address = parseaddr(sender())
    organiser = icalendar.vCalAddress(f"mailto:{address}")
    if name:
        organiser.params["CN"] = icalendar.vText(name)
    event.add("organizer", organiser, encode=False)
    for person in people:
        attendee = icalendar.vCalAddress(f"mailto:{person['email']}")
        attendee.params["CN"] = icalendar.vText(person["name"])
        attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["RSVP"] = icalendar.vText("FALSE" if cancel else "TRUE")
        event.add("attendee", attendee, encode=False)
    if attachment:
        event.add("attach", icalendar.vBinary(attachment[1]),
                  parameters={"FMTTYPE": DOCX_TYPE, "X-FILENAME": attachment[0]})
    calendar.add_component(event)
    suffix = "cancellation" if cancel else "invitation-leadership" if preread else "invitation"
    return f"meeting-{int(meeting_id)}-{meeting['held_on']}-{suffix}.ics", calendar.to_ical()


def export_invitation(db: Database, meeting_id: int, *, out=None, user=None, preread: bool = False,
                      cancel: bool = False):
    name, data = invitation_ics(db, meeting_id, user=user, preread=preread, cancel=cancel)
    return write_output(data, name, out)
