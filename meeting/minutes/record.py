"""The minutes' life after the meeting closes: draft -> final -> approved (issue 28).

- **draft**: the meeting is not closed yet, or closed but not finalised. Exports say DRAFT.
- **final** (``finalise_minutes``, a closed meeting only): the entries are frozen (``entries edit``/``delete``
  refused) and the record's fingerprint is fixed.
- **approved** (``approve_minutes``, a final record only): a leader on the meeting's roster, and the day
  (``meeting.clock``). Exports then say who approved, when, and the fingerprint's first 12 characters.

The fingerprint is the SHA-256 (hex) of the record's canonical form: the named minutes
(``build_minutes(internal=True)``) reduced to what was minuted, written as JSON with sorted keys, no
whitespace between tokens, non-ASCII kept as UTF-8, then encoded as UTF-8. It keeps: meeting_id, title,
held_on, attendance, participants (name, organisation, role, group), time_spent, and per section its key,
title, notes and decisions (text, speaker), actions (text, owner, due_on) and visible customer contributions
(text, rating, display_name). It leaves out what is not the record or changes after it: the export's time
and file name (nothing timed is in it, so exporting later gives the same fingerprint), the action statuses
(followed up in the action register), the open actions carried from earlier meetings (their own record),
and the presentation texts (banner, rule statement, warnings). The record's documents show the action statuses and
carried actions as they stood at finalise (``frozen_actions``), so an approved record's export does not move. The canonical text is stored beside the
fingerprint at finalise, so anyone can recompute the hash: ``sha256(canonical.encode("utf-8"))``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from meeting import clock
from meeting.accounts import audit, scope
from meeting.minutes.entries import add_entry, list_entries, open_actions_before
from meeting.minutes.model import Minutes, build_minutes
from meeting.sections import APPROVAL_SECTION
from meeting.store import Database, write_transaction
from meeting.store import records as record_store
from meeting.store.meetings import get_meeting, previous_meeting

DRAFT, FINAL, APPROVED = "draft", "final", "approved"
FINGERPRINT_SHOWN = 12  # characters of the fingerprint a document carries


@dataclass(frozen=True)
class MinutesStatus:
    """Where a meeting's minutes stand. ``approved_by`` is a roster leader's name; ``approved_on`` YYYY-MM-DD;
    ``fingerprint`` the SHA-256 fixed at finalise (None while a draft)."""
    meeting_id: int
    status: str
    approved_by: str | None = None
    approved_on: str | None = None
    fingerprint: str | None = None

    def as_json(self) -> dict:
        return {"status": self.status, "approved_by": self.approved_by, "approved_on": self.approved_on,
                "fingerprint": self.fingerprint}


def _keep(item: dict, fields: tuple[str, ...]) -> dict:
    return {field: item.get(field) for field in fields}


def canonical_form(model: Minutes) -> str:
    """The record's canonical text from a named minutes model (see the module docstring)."""
    if not model.get("internal"):
        raise ValueError("The record's canonical form is built from the named (internal) minutes.")
    record = {
        "meeting_id": model["meeting_id"], "title": model["title"], "held_on": model["held_on"],
        "attendance": model["attendance"],
        "participants": [_keep(p, ("name", "organisation", "role", "group")) for p in model.get("participants") or []],
        "time_spent": [_keep(row, ("section", "planned_minutes", "actual_minutes")) for row in model.get("time_spent") or []],
        "sections": [{
            "key": sec["key"], "title": sec["title"],
            "notes": [_keep(item, ("text", "speaker")) for item in sec["notes"]],
            "decisions": [_keep(item, ("text", "speaker")) for item in sec["decisions"]],
            "actions": [_keep(item, ("text", "owner", "due_on")) for item in sec["actions"]],
            "contributions": [_keep(item, ("text", "rating", "display_name")) for item in sec["contributions"]],
        } for sec in model["sections"]],
    }
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _actions_now(db: Database, meeting_id: int) -> dict:
    """The statuses of the meeting's actions and the actions it carries, as they stand at finalise: the record's
    documents show these, so they do not move when the action register does."""
    return {"statuses": {str(e["id"]): e["status"] for e in list_entries(db, meeting_id) if e["kind"] == "action"},
            "carried": {str(row["id"]): row["status"] for row in open_actions_before(db, meeting_id)}}


def fingerprint_of(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def minutes_status(db: Database, meeting_id: int) -> MinutesStatus:
    get_meeting(db, meeting_id)  # an unknown meeting is "not found", not a draft
    row = record_store.get_record(db, meeting_id)
    if row is None:
        return MinutesStatus(int(meeting_id), DRAFT)
    return MinutesStatus(int(meeting_id), row["status"], row["approved_by"], row["approved_on"], row["fingerprint"])


def finalise_minutes(db: Database, meeting_id: int, *, user=None) -> MinutesStatus:
    """Closed -> final: fix the canonical text and its fingerprint; from now on no entry is edited or deleted."""
    scope.require_meeting(db, user, meeting_id)
    scope.require(user, "minutes", "finalising minutes")
    with write_transaction(db):
        meeting = get_meeting(db, meeting_id)
        if meeting["status"] != "closed":
            raise PermissionError(f"Only a closed meeting's minutes can be finalised; meeting {int(meeting_id)} is "
                                  f"{meeting['status']}. Close it first (Run page).")
        existing = record_store.get_record(db, meeting_id)
        if existing is not None:
            raise PermissionError(f"The minutes of meeting {int(meeting_id)} are already {existing['status']} "
                                  f"(fingerprint {existing['fingerprint'][:FINGERPRINT_SHOWN]}).")
        # The record is what was minuted, whatever language its documents are later written in.
        canonical = canonical_form(build_minutes(db, meeting_id, internal=True, language="en"))
        fingerprint = fingerprint_of(canonical)
        record_store.insert_final(db, meeting_id, canonical=canonical, fingerprint=fingerprint, at=clock.now_iso(),
                                  by=audit.actor_name(user), frozen_actions=json.dumps(_actions_now(db, meeting_id)))
        audit.record(db, user, audit.MINUTES_FINALISE, {"meeting_id": int(meeting_id), "fingerprint": fingerprint})
    return minutes_status(db, meeting_id)


def leaders(db: Database, meeting_id: int) -> list[str]:
    """Who may approve: the leaders on the meeting's roster."""
    return record_store.leaders_of(db, meeting_id)


def _leader_named(leaders: list[str], name: str) -> str | None:
    wanted = " ".join((name or "").split()).casefold()
    return next((leader for leader in leaders if " ".join(leader.split()).casefold() == wanted), None)


def approve_minutes(db: Database, meeting_id: int, by: str, *, user=None,
                    at_meeting: int | None = None) -> MinutesStatus:
    """Final -> approved by ``by``, a leader on the meeting's roster, today (the one clock). ``at_meeting``: the
    next meeting where it was approved (``approve_at_next_meeting``), named in the audit trail."""
    scope.require_meeting(db, user, meeting_id)
    scope.require(user, "minutes", "approving minutes")
    with write_transaction(db):
        get_meeting(db, meeting_id)
        existing = record_store.get_record(db, meeting_id)
        if existing is None:
            raise PermissionError(f"The minutes of meeting {int(meeting_id)} are a draft: finalise them before "
                                  "they are approved.")
        if existing["status"] == APPROVED:
            raise PermissionError(f"The minutes of meeting {int(meeting_id)} were already approved by "
                                  f"{existing['approved_by']} on {existing['approved_on']}.")
        leaders = record_store.leaders_of(db, meeting_id)
        leader = _leader_named(leaders, by)
        if leader is None:
            raise ValueError(f"{' '.join((by or '').split()) or 'Nobody'} is not a leader on this meeting's roster; "
                             f"the minutes are approved by one of: {', '.join(leaders) or 'nobody (no leader invited)'}.")
        on = clock.today().isoformat()
        record_store.mark_approved(db, meeting_id, by=leader, on=on, at=clock.now_iso(), actor=audit.actor_name(user))
        detail = {"meeting_id": int(meeting_id), "approved_by": leader, "approved_on": on,
                  "fingerprint": existing["fingerprint"]}
        if at_meeting is not None:
            detail["at_meeting_id"] = int(at_meeting)
        audit.record(db, user, audit.MINUTES_APPROVE, detail)
    return minutes_status(db, meeting_id)


def awaiting_approval(db: Database, meeting_id: int) -> dict | None:
    """The previous meeting of the unit when it was held and its minutes are not approved yet: {id, held_on,
    status (draft/final), leaders}. What the next meeting's approval item is about; None when nothing waits."""
    before = previous_meeting(db, meeting_id)
    if before is None or not record_store.awaits_approval(db, before):
        return None
    standing = minutes_status(db, before["id"])
    return {"id": int(before["id"]), "held_on": before["held_on"], "status": standing.status,
            "leaders": leaders(db, before["id"])}


def approve_at_next_meeting(db: Database, meeting_id: int, by: str, *, user=None) -> MinutesStatus:
    """Approve the previous meeting's minutes during this one (its approval item), and minute the decision here."""
    waiting = awaiting_approval(db, meeting_id)
    if waiting is None:
        raise PermissionError("No earlier minutes are waiting for approval at this meeting.")
    with write_transaction(db):
        approved = approve_minutes(db, waiting["id"], by, user=user, at_meeting=meeting_id)
        assert approved.fingerprint is not None, "approved minutes are final, so fingerprinted"
        add_entry(db, meeting_id, APPROVAL_SECTION, "decision",
                  f"The minutes of {waiting['held_on']} were approved (fingerprint "
                  f"{approved.fingerprint[:FINGERPRINT_SHOWN]}).", speaker=approved.approved_by)
    return approved
