"""Circulation (issue 28): the meeting's documents as e-mail drafts (.eml) any mail client opens, addressed by the
roster: the named minutes to the leadership only, the anonymised minutes to everyone else on the roster, the
follow-up note to the invited customers.

Under the Chatham House Rule the non-leaders' drafts name no recipient to another: they go out in Bcc, addressed
"To" the sender, so a customer never learns from the header who else was in the room. Drafts, not sends: the GM
opens them, reads them and presses Send in their own client.

Or, with an SMTP server configured (``meeting.render.smtp``), ``send_circulation`` sends them: each recipient in a
transaction of their own (the envelope names only them, the Bcc header is not sent), so the server's answer says
exactly who has their copy. A delivery is marked sent (``circulation_sends``) only once the server accepted it,
and the next ``--send`` skips whoever already has theirs: a failure half-way is finished by sending again, and
nobody gets two copies.
"""
from __future__ import annotations

import copy
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, getaddresses, make_msgid, parseaddr
from pathlib import Path

from meeting import clock
from meeting.accounts import audit
from meeting.config import read_setting
from meeting.render import smtp
from meeting.render.common import exports_dir
from meeting.render.followup import build_followup, render_followup
from meeting.render.minutes import minutes_document
from meeting.store import Database, invitations, write_transaction
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


def circulation(db: Database, meeting_id: int, *, user=None) -> list[tuple[str, EmailMessage]]:
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


def circulate(db: Database, meeting_id: int, *, out=None, user=None,
              drafts: list[tuple[str, EmailMessage]] | None = None) -> list[Path]:
    """Write the drafts (``circulation``'s, unless given) into ``out`` (a folder; default exports/circulation-<id>)
    and audit it; returns the paths."""
    drafts = circulation(db, meeting_id, user=user) if drafts is None else drafts
    folder = Path(out) if out else exports_dir() / f"circulation-{int(meeting_id)}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, message in drafts:
        path = folder / name
        path.write_bytes(bytes(message))
        paths.append(path)
    audit.record(db, user, audit.CIRCULATE, {"meeting_id": int(meeting_id), "drafts": [p.name for p in paths],
                                              "recipients": sum(len(recipients_of(m)) for _, m in drafts)})
    return paths


def recipients_of(message: EmailMessage) -> list[str]:
    """The addresses a draft is for: its To (unless it is the sender, standing in for undisclosed ones) and Bcc."""
    own = parseaddr(sender())[1].lower()
    to = [address for _, address in getaddresses([str(message.get("To", ""))]) if address.lower() != own]
    return to + [address for _, address in getaddresses([str(message["Bcc"])])] if message["Bcc"] else to


def _as_sent(message: EmailMessage) -> bytes:
    """What goes over the wire: no Bcc header (the envelope carries those recipients), no draft marker."""
    sent = copy.deepcopy(message)
    del sent["Bcc"]
    del sent["X-Unsent"]
    return sent.as_bytes(policy=sent.policy.clone(linesep="\r\n"))  # SMTP lines end in CRLF (RFC 5321)


@dataclass(frozen=True)
class SendReport:
    """What ``send_circulation`` did, per (draft, address): ``sent`` now, ``already`` sent by an earlier run (skipped),
    ``failed`` with the reason (``(draft, address, why)``): these are not marked sent."""
    sent: tuple[tuple[str, str], ...]
    already: tuple[tuple[str, str], ...]
    failed: tuple[tuple[str, str, str], ...]


def send_circulation(db: Database, meeting_id: int, drafts: list[tuple[str, EmailMessage]], *,
                     settings: smtp.SmtpSettings, user=None) -> SendReport:
    """Send each draft to each of its recipients through ``settings``' server; audited (``circulate_send``) whatever
    happened, with who got which draft and who did not."""
    done = invitations.sent_to(db, meeting_id)
    pending = [(name, address, message) for name, message in drafts  # one copy per address, even if two share one
               for address in dict.fromkeys(recipients_of(message))]
    already = tuple((name, address) for name, address, _ in pending if (name, address) in done)
    todo = [(name, address, message) for name, address, message in pending if (name, address) not in done]
    sent: list[tuple[str, str]] = []
    failed: list[tuple[str, str, str]] = []
    envelope_from = parseaddr(sender())[1]
    wire = {name: _as_sent(message) for name, message in drafts}
    try:
        if todo:
            connection = smtp.connect(settings)
            try:
                for index, (name, address, _) in enumerate(todo):
                    try:
                        connection.sendmail(envelope_from, [address], wire[name])
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                        failed.append((name, address, _why(error)))  # this one refused; the server goes on
                        _reset(connection)
                        continue
                    except (smtplib.SMTPServerDisconnected, OSError) as error:  # the connection is gone: the rest wait
                        failed += [(n, a, f"not sent: {_why(error)}") for n, a, _ in todo[index:]]
                        break
                    with write_transaction(db, changes_evidence=False):
                        invitations.mark_sent(db, meeting_id, name, address, clock.now_iso())
                    sent.append((name, address))
            finally:
                try:
                    connection.quit()
                except (smtplib.SMTPException, OSError):
                    connection.close()
    except (smtplib.SMTPException, OSError) as error:  # connecting, STARTTLS or signing in failed: nothing went
        done_now = {(n, a) for n, a in sent} | {(n, a) for n, a, _ in failed}
        failed += [(n, a, f"not sent: {_why(error)}") for n, a, _ in todo if (n, a) not in done_now]
    finally:
        audit.record(db, user, audit.CIRCULATE_SEND, {
            "meeting_id": int(meeting_id), "server": f"{settings.host}:{settings.port}",
            "sent": [list(pair) for pair in sent], "already_sent": [list(pair) for pair in already],
            "not_sent": [[n, a, why] for n, a, why in failed]})
    return SendReport(sent=tuple(sent), already=already, failed=tuple(failed))


def _why(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return f"refused by the server ({code} {text.decode(errors='replace') if isinstance(text, bytes) else text})"
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"refused by the server ({error.smtp_code} {reply})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _reset(connection: smtplib.SMTP) -> None:
    try:
        connection.rset()
    except (smtplib.SMTPException, OSError):
        pass  # the next delivery finds out whether the connection is still there
