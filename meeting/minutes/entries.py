"""The minutes model: notes, decisions and actions captured per section, and actions carried over.

Rendering and export (.docx / Markdown, anonymised) live in ``meeting.export``; this module only stores
and reads entries.
"""
from __future__ import annotations

import datetime as dt

from meeting import clock
from meeting.accounts import audit
from meeting.sections import section_position
from meeting.store import Database, write_transaction
from meeting.store import actions as action_store
from meeting.store import entries as entry_store
from meeting.store import records as record_store

ENTRY_KINDS = ("note", "decision", "action")
ACTION_STATUSES = ("open", "done", "dropped")
NO_OWNER, NO_DUE_DATE = "no owner", "no due date"
CLOSED_RECORD = "This meeting is closed: its minutes are the record and can no longer be edited or deleted " \
                "(only an action's status can still change)."
FINAL_RECORD = "The minutes of this meeting are final: they are the record, fixed by their fingerprint, and its " \
               "entries can no longer be edited or deleted."
_UNCHANGED = object()


def _refuse_if_unchangeable(db: Database, entry: dict) -> None:
    # Finalised first: it is the stronger reason, and the one a reader of the record needs to hear.
    if record_store.get_record(db, entry["meeting_id"]) is not None:
        raise PermissionError(FINAL_RECORD)
    if entry["meeting_status"] == "closed":
        raise PermissionError(CLOSED_RECORD)


def action_gaps(entry: dict) -> tuple[str, ...]:
    """What an action lacks to be followed up ("no owner", "no due date"); nothing for a note or decision."""
    if entry.get("kind", "action") != "action":
        return ()
    return tuple(gap for gap, present in ((NO_OWNER, entry.get("owner")), (NO_DUE_DATE, entry.get("due_on")))
                 if not present)


def _check_due(due_on: str | None) -> None:
    if due_on:
        try:
            dt.date.fromisoformat(due_on)
        except ValueError:
            raise ValueError(f"Due date {due_on!r} is not a date in the form YYYY-MM-DD.") from None


def add_entry(
    db: Database,
    meeting_id: int,
    section: str,
    kind: str,
    text: str,
    *,
    speaker: str | None = None,
    owner: str | None = None,
    due_on: str | None = None,
) -> int:
    """Store one entry and return its id. Actions start open."""
    section_position(section)
    if kind not in ENTRY_KINDS:
        raise ValueError(f"Entry kind must be one of {', '.join(ENTRY_KINDS)}, not {kind!r}")
    text = (text or "").strip()
    if not text:
        raise ValueError("An entry needs some text.")
    if kind != "action" and (owner or due_on):
        raise ValueError("Only an action has an owner and a due date; leave them empty for a note or decision.")
    _check_due(due_on)
    with write_transaction(db):
        status = entry_store.meeting_status(db, meeting_id)
        if status is None:
            raise LookupError(f"No meeting with id {meeting_id}")
        if status == "closed":
            raise PermissionError("This meeting is closed; only action statuses can still change.")
        return entry_store.insert_entry(db, meeting_id, section=section, kind=kind, text=text,
                                        speaker=speaker or None, owner=owner or None, due_on=due_on or None,
                                        status="open", created_at=clock.now_iso())


def edit_entry(db: Database, entry_id: int, *, text=_UNCHANGED, owner=_UNCHANGED, due_on=_UNCHANGED,
               shown: dict | None = None, user=None) -> dict:
    """Correct an entry's words, or an action's owner or due date (None or "" clears them), while its meeting is
    draft or live; audited with the old and new values. Returns {field: [old, new]} of what changed.

    ``shown``: {text, owner, due_on} as the editor showed them; if someone else changed the entry since, the
    edit is refused rather than silently overwriting theirs."""
    wanted = {}
    if text is not _UNCHANGED:
        wanted["text"] = (text or "").strip()
        if not wanted["text"]:
            raise ValueError("An entry needs some text.")
    for field, value in (("owner", owner), ("due_on", due_on)):
        if value is not _UNCHANGED:
            wanted[field] = (" ".join(str(value).split()) if value else None) or None
    _check_due(wanted.get("due_on"))
    with write_transaction(db):
        entry = entry_store.get_entry(db, entry_id)
        _refuse_if_unchangeable(db, entry)
        if shown is not None and any(entry[field] != shown.get(field) for field in ("text", "owner", "due_on")):
            raise ValueError(f"Someone else changed this entry meanwhile (now: “{entry['text']}”). The page shows "
                             "their version; make your change again.")
        if entry["kind"] != "action" and (wanted.get("owner") or wanted.get("due_on")):
            raise ValueError("Only an action has an owner and a due date; this entry is a "
                             f"{entry['kind']}.")
        changes = {field: [entry[field], value] for field, value in wanted.items() if entry[field] != value}
        if changes:
            entry_store.update_entry(db, entry_id, {field: new for field, (_, new) in changes.items()})
            audit.record(db, user, audit.ENTRY_EDIT, {"entry_id": int(entry_id), "meeting_id": entry["meeting_id"],
                                                      "kind": entry["kind"], "changes": changes})
        return changes


def delete_entry(db: Database, entry_id: int, *, user=None) -> None:
    """Remove a note, decision or action taken by mistake, while its meeting is draft or live; audited with
    its words. A contribution it was made from shows again under "From the invited customers"."""
    with write_transaction(db):
        entry = entry_store.get_entry(db, entry_id)
        _refuse_if_unchangeable(db, entry)
        entry_store.delete_entry(db, entry_id)
        audit.record(db, user, audit.ENTRY_DELETE, {"entry_id": int(entry_id), "meeting_id": entry["meeting_id"],
                                                    "kind": entry["kind"], "section": entry["section"],
                                                    "text": entry["text"]})


def list_entries(db: Database, meeting_id: int) -> list[dict]:
    """A meeting's entries in agenda order (customer first), then in the order they were taken."""
    return sorted(entry_store.list_entries(db, meeting_id), key=lambda row: section_position(row["section"]))


def set_action_status(db: Database, entry_id: int, status: str) -> None:
    """The one change a closed meeting still allows."""
    if status not in ACTION_STATUSES:
        raise ValueError(f"Action status must be one of {', '.join(ACTION_STATUSES)}")
    with write_transaction(db):
        found = action_store.kind_and_status(db, entry_id)
        if found is None or found[0] != "action":
            raise LookupError(f"No action with id {entry_id}")
        old_status = found[1]
        if old_status == status:
            return
        # Every change is audited (the action register shows when it last moved), stamped by the one clock.
        action_store.change_status(db, entry_id, old_status, status, clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"))


def open_actions_before(db: Database, meeting_id: int, *, only_ids=None) -> list[dict]:
    """Open actions from earlier meetings of the same unit, with how many meetings each has been open.

    "Meetings open" counts the meetings of the unit held since the action was taken, up to and including
    this one: an action from last month's meeting shows 1. ``only_ids``: the actions a finalised record carried
    (whatever their status now), as ``meeting.minutes.record`` froze them.
    """
    if only_ids is not None:
        wanted = {int(i) for i in only_ids}
        rows = entry_store.earlier_actions(db, meeting_id, open_only=False)
        return [row for row in rows if row["id"] in wanted]
    return entry_store.earlier_actions(db, meeting_id, open_only=True)

