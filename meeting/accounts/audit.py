"""The audit trail: who did what and when. Domain functions record their own events, so the CLI and the
pages both leave a trace; the actor is passed down from whoever asked (a signed-in user, or the CLI)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from meeting import clock
from meeting.store import accounts as accounts_store
from meeting.store.connection import Database, write_transaction

CLI_ACTOR = "cli"  # a person at the server's terminal: whoever can run the CLI can read the file anyway

# The events the trail holds (the README lists them).
SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = "sign_in", "sign_in_failed", "sign_out"
IMPORT = "import"
ROSTER_ADD, ROSTER_REMOVE = "roster_add", "roster_remove"
MEETING_START, MEETING_CLOSE = "meeting_start", "meeting_close"
MEETING_CREATE, MEETING_DELETE, ROSTER_COPY = "meeting_create", "meeting_delete", "roster_copy"
ENTRY_EDIT, ENTRY_DELETE = "entry_edit", "entry_delete"
EXPORT_MINUTES = "export_minutes"
MINUTES_FINALISE, MINUTES_APPROVE = "minutes_finalise", "minutes_approve"
INVITE, INVITE_CANCEL, MEETING_SCHEDULE = "invite", "invite_cancel", "meeting_schedule"
CIRCULATE, CIRCULATE_SEND = "circulate", "circulate_send"
USER_ADD, USER_REMOVE, USER_PASSWORD = "user_add", "user_remove", "user_password"


@dataclass(frozen=True)
class AuditEvent:
    at: str
    actor: str
    action: str
    detail: dict


def actor_name(actor) -> str:
    """A User (its email), a plain string, or None (the CLI)."""
    if actor is None:
        return CLI_ACTOR
    return str(getattr(actor, "email", actor))


def _now() -> str:
    return clock.now_iso()


def record(db: Database, actor, action: str, detail: dict | None = None) -> None:
    """Add one event. Inside the caller's transaction when there is one, so the event and the change it
    describes are written together or not at all."""
    with write_transaction(db, changes_evidence=False):
        accounts_store.append_audit_event(db, _now(), actor_name(actor), action,
                                          json.dumps(detail or {}, ensure_ascii=False, sort_keys=True))


def parse_since(text: str | None) -> str | None:
    """``YYYY-MM-DD`` (or a full ISO timestamp) -> the ISO text events are compared with; bad input is a ValueError."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since {text!r} is not a date: use YYYY-MM-DD") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def list_events(db: Database, since: str | None = None, *, limit: int | None = None) -> list[AuditEvent]:
    """Events, oldest first, from ``since`` (a date or timestamp) on."""
    return [AuditEvent(at, actor, action, json.loads(detail))
            for at, actor, action, detail in accounts_store.list_audit_events(db, parse_since(since), limit=limit)]


def describe(detail: dict) -> str:
    """One line for a table cell or the terminal: ``file=voc.csv inserted=12``."""
    return " ".join(f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}"
                    for key, value in detail.items())
