"""Circulation (issue 28): the meeting's documents as e-mail drafts (.eml) any mail client opens, addressed by the
roster: the named minutes to the leadership only, the anonymised minutes to everyone else on the roster, the
follow-up note to the invited customers.

Under the Chatham House Rule the non-leaders' drafts name no recipient to another: they go out in Bcc, addressed
"To" the sender, so a customer never learns from the header who else was in the room. Drafts, not sends: the GM
opens them, reads them and presses Send in their own client.
"""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, getaddresses, make_msgid, parseaddr
from pathlib import Path

import sqlite_utils

from meeting import clock
from meeting.accounts import audit
from meeting.config import read_setting
from meeting.render.common import exports_dir
from meeting.render.followup import build_followup, render_followup
from meeting.render.minutes import minutes_document
from meeting.store.meetings import get_meeting, list_participants

SENDER_SETTINGS = ("OUTSIDE_IN_SMTP_FROM", "OUTSIDE_IN_MAIL_FROM")  # the first set wins
DEFAULT_SENDER = "outside-in@localhost"
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def sender() -> str:
    """Who the drafts, the mail sent and the invitation's organiser are from: "Name <address>" or an address."""
    return next((value for value in map(read_setting, SENDER_SETTINGS) if value), DEFAULT_SENDER)


def _address(person: dict) -> str:
    return formataddr((person["name"], person["email"]))


def _draft(subject: str, body: str, attachment: tuple[str, bytes] | None, *, to: list[str], bcc: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender()
    message["To"] = ", ".join(to) if to else sender()
    if bcc:
        message["Bcc"] = ", ".join(bcc)
    message["Subject"] = subject
    message["Date"] = clock.now_precise().strftime("%a, %d %b %Y %H:%M:%S +0000")
    message["Message-ID"] = make_msgid(domain="outside-in.local")
    message["X-Unsent"] = "1"  # Outlook and others open it as a draft to send, not as a received mail
    message.set_content(body)
    if attachment:
        name, data = attachment
        message.add_attachment(data, maintype=DOCX[0], subtype=DOCX[1], filename=name)
    return message


def _with_email(people: list[dict]) -> list[dict]:
    return [person for person in people if (person.get("email") or "").strip()]


def circulation(db: sqlite_utils.Database, meeting_id: int, *, user=None) -> list[tuple[str, EmailMessage]]:
    """The drafts, as (file name, message). Refused before a meeting has closed: its minutes are not written yet."""
    meeting = get_meeting(db, meeting_id)
    if meeting["status"] != "closed":
        raise ValueError(f"Meeting {meeting_id} is {meeting['status']}: close it first, then circulate its minutes.")
    roster = _with_email(list_participants(db, meeting_id))
    leaders = [p for p in roster if p["kind"] == "leader"]
    others = [p for p in roster if p["kind"] != "leader"]
    customers = [p for p in roster if p["kind"] == "customer"]
    title, held = meeting["title"], meeting["held_on"]
    drafts: list[tuple[str, EmailMessage]] = []
    if leaders:
        named = minutes_document(db, meeting_id, fmt="docx", internal=True, user=user)
        drafts.append(("minutes-named-leadership.eml", _draft(
            f"Minutes (named, leadership only): {title}",
            f"The named minutes of {title} ({held}), for the leadership team only. Please do not forward them: "
            "everyone else receives the anonymised minutes.", named, to=[_address(p) for p in leaders], bcc=[])))
    if others:
        anonymised = minutes_document(db, meeting_id, fmt="docx", internal=False, user=user)
        drafts.append(("minutes-anonymised.eml", _draft(
            f"Minutes: {title}",
            f"The minutes of {title} ({held}), under the Chatham House Rule: what was said may be used, but not who "
            "said it or where they come from.", anonymised, to=[], bcc=[_address(p) for p in others])))
    if customers:
        note = build_followup(db, meeting_id)
        drafts.append(("follow-up-customers.eml", _draft(
            f"Thank you for joining us: {title}",
            "Thank you for joining our leadership meeting. The note attached says what you told us and what we "
            "will do about it.", (f"{note['file_stem']}.docx", render_followup(note, "docx")),
            to=[], bcc=[_address(p) for p in customers])))
    return drafts


def circulate(db: sqlite_utils.Database, meeting_id: int, *, out=None, user=None) -> list[Path]:
    """Write the drafts into ``out`` (a folder; default exports/circulation-<id>) and audit it; returns the paths."""
    drafts = circulation(db, meeting_id, user=user)
    folder = Path(out) if out else exports_dir() / f"circulation-{int(meeting_id)}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, message in drafts:
        path = folder / name
        path.write_bytes(bytes(message))
        paths.append(path)
    audit.record(db, user, audit.CIRCULATE, {"meeting_id": int(meeting_id), "drafts": [p.name for p in paths],
                                              "recipients": sum(_recipients(m) for _, m in drafts)})
    return paths


def _recipients(message: EmailMessage) -> int:
    """The people a draft reaches: its To (unless it is the sender, standing in for undisclosed ones) and Bcc."""
    to = [address for _, address in getaddresses([str(message.get("To", ""))]) if address != parseaddr(sender())[1]]
    return len(to) + len(getaddresses([str(message["Bcc"])]) if message["Bcc"] else [])
