"""The live meeting: join codes, the section clock, invited customers' contributions and their moderation.

State machine of a meeting: ``draft -> live -> closed``. Only a live meeting accepts contributions or moves
through its sections; a closed one is read-only except for action status (``meeting.minutes``). Those
rules are enforced here, inside the write transaction, not only by the pages.

What an invited customer may see is built by ``join_view`` alone, from an explicit list of fields, so the
Join page cannot leak a metric, a figure, a staff input or another customer's words by accident.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets

from meeting import clock
from meeting.accounts import audit
from meeting.i18n import tr
from meeting.minutes.entries import add_entry
from meeting.sections import SECTION_BY_KEY, allot_minutes, next_section_key, previous_section_key  # noqa: F401
from meeting.store import SECTION_KEYS, Database, IntegrityError, write_transaction
from meeting.store import live as live_store

# --- join codes -------------------------------------------------------------------------------------------

# Crockford's base32: digits and letters without I, L, O, U, so a code read aloud or off a screen is
# unambiguous. 10 characters x 5 bits = 50 bits from `secrets`.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_CODE_GROUPS = (4, 4, 2)
# What people type for the letters that are not in the alphabet.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_.]+")



def generate_code(length: int = CODE_LENGTH) -> str:
    """A fresh random code in canonical form (upper case, no separators)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def format_code(code: str) -> str:
    """The code as people read it: ``7KQ4-M9XZ-2P``."""
    canonical = normalise_code(code) or code
    parts, start = [], 0
    for size in _CODE_GROUPS:
        parts.append(canonical[start:start + size])
        start += size
    if start < len(canonical):
        parts.append(canonical[start:])
    return "-".join(part for part in parts if part)


def normalise_code(text: str | None) -> str | None:
    """The canonical code for what someone typed, or None if it cannot be one.

    Case-insensitive; spaces, dashes, dots and underscores ignored; I and L read as 1, O as 0.
    """
    if not text:
        return None
    cleaned = _SEPARATORS.sub("", str(text)).upper().translate(_LOOKALIKES)
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


# --- the meeting's state machine ---------------------------------------------------------------------------

def _now() -> str:
    return clock.now_iso()


def _meeting_row(db: Database, meeting_id: int) -> dict:
    meeting = live_store.meeting_by_id(db, meeting_id)
    if meeting is None:
        raise LookupError(f"No meeting with id {meeting_id}")
    return meeting


def start_meeting(db: Database, meeting_id: int, *, user=None) -> str:
    """Draft -> live: open the customer section and issue a join code. Returns the code (canonical form).

    Starting a meeting that is already live returns its code, so a double click does no harm.
    """
    for _ in range(5):  # a clash of 50-bit codes is very unlikely; retry rather than fail if it happens
        try:
            with write_transaction(db):
                meeting = _meeting_row(db, meeting_id)
                if meeting["status"] == "live":
                    return meeting["join_code"]
                if meeting["status"] == "closed":
                    raise PermissionError("This meeting is closed; it cannot be started again.")
                code, now = generate_code(), _now()
                live_store.mark_meeting_live(db, meeting_id, join_code=code, section=SECTION_KEYS[0], now=now)
                live_store.record_section_visit(db, meeting_id, SECTION_KEYS[0], now)
                audit.record(db, user, audit.MEETING_START, {"meeting_id": int(meeting_id), "title": meeting["title"]})
                return code
        except IntegrityError:  # the code is taken (join_code is unique)
            continue
    raise RuntimeError("Could not issue a unique join code; try again.")


class StaleSection(ValueError):
    """The page asked to move from a section the meeting has already left (another GM moved it)."""


def advance_section(db: Database, meeting_id: int, to: str | None = None, *,
                    from_section: str | None = None) -> str:
    """Move a live meeting to section ``to`` (default: the next in the fixed order); restart its clock.

    ``from_section`` is the section the caller's page showed: if the meeting is no longer there (another
    GM moved it meanwhile) the move is refused with StaleSection, so a stale "Next" never moves it twice.
    Returns the new current section key.
    """
    if to is not None and to not in SECTION_KEYS:
        raise ValueError(f"Unknown section {to!r}; expected one of {', '.join(SECTION_KEYS)}")
    with write_transaction(db):
        meeting = _meeting_row(db, meeting_id)
        if meeting["status"] != "live":
            raise PermissionError(f"Only a live meeting moves between sections; this one is {meeting['status']}.")
        current = meeting["current_section"]
        if from_section is not None and from_section != current:
            raise StaleSection(
                f"Not moved: the meeting is already at {SECTION_BY_KEY[current].title}, not "
                f"{SECTION_BY_KEY[from_section].title} (someone else moved it). The page now shows where it is.")
        target = to or next_section_key(current)
        if target is None:
            raise ValueError("Finance is the last section: close the meeting instead.")
        if target != current:
            now = _now()
            live_store.move_to_section(db, meeting_id, target, now)
            live_store.end_section_visits(db, meeting_id, now)
            live_store.record_section_visit(db, meeting_id, target, now)
        return target


def previous_section(db: Database, meeting_id: int, *, from_section: str) -> str:
    """Back one section from ``from_section`` (refused, like Next, if the meeting has moved on)."""
    target = previous_section_key(from_section)
    if target is None:
        raise ValueError("The customer section is the first: there is nothing before it.")
    return advance_section(db, meeting_id, target, from_section=from_section)


def close_meeting(db: Database, meeting_id: int, *, user=None) -> None:
    """Live -> closed. From now on only action statuses change; the join code stops working."""
    with write_transaction(db):
        meeting = _meeting_row(db, meeting_id)
        if meeting["status"] == "closed":
            return
        if meeting["status"] != "live":
            raise PermissionError("Only a live meeting can be closed; start it first.")
        now = _now()
        # Before the status changes: the guard freezes the visits after.
        live_store.end_section_visits(db, meeting_id, now)
        live_store.mark_meeting_closed(db, meeting_id, now)
        audit.record(db, user, audit.MEETING_CLOSE, {"meeting_id": int(meeting_id), "title": meeting["title"]})


def capture_entry(db: Database, meeting_id: int, section_shown: str, kind: str, text: str,
                  **details) -> tuple[int, str | None]:
    """File a note, decision or action under the section the GM's page showed; return (entry id, moved to).

    "Moved to" is the section the meeting is at now when that differs from the one shown (another GM moved
    it while this entry was typed): the entry stays where its author meant it, and the page says so.
    """
    entry_id = add_entry(db, meeting_id, section_shown, kind, text, **details)
    current = _meeting_row(db, meeting_id)["current_section"]
    return entry_id, (current if current and current != section_shown else None)


def set_room_settings(db: Database, meeting_id: int, *, interval_seconds: int,
                      premoderate: bool) -> None:
    """Per meeting: the least time between two contributions from one device, and pre-moderation."""
    if isinstance(interval_seconds, bool) or not isinstance(interval_seconds, int) or not 0 <= interval_seconds <= 600:
        raise ValueError(f"The pace must be a whole number of seconds from 0 to 600, not {interval_seconds!r}.")
    with write_transaction(db):
        meeting = _meeting_row(db, meeting_id)
        if meeting["status"] == "closed":
            raise PermissionError("This meeting is closed; its settings can no longer change.")
        live_store.save_room_settings(db, meeting_id, interval_seconds=interval_seconds, premoderate=premoderate)


def find_live_meeting_by_code(db: Database, code: str | None) -> dict | None:
    """The live meeting with this join code, or None (wrong code, draft or closed meeting)."""
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return live_store.live_meeting_by_join_code(db, canonical)


# --- time boxes --------------------------------------------------------------------------------------------

def time_boxes(db: Database, meeting_id: int) -> dict[str, int]:
    """Minutes per section: the agenda items' minutes summed, else the default share of the meeting's total."""
    meeting = _meeting_row(db, meeting_id)
    boxes = allot_minutes(int(meeting["total_minutes"] or 0) or 120)
    for section, minutes in live_store.planned_minutes(db, meeting_id).items():
        if minutes:
            boxes[section] = int(minutes)
    return boxes


def section_clock(meeting: dict, boxes: dict[str, int], now: dt.datetime | None = None) -> dict:
    """Elapsed time in the current section against its box: plain numbers for the page to draw."""
    key = meeting.get("current_section")
    if meeting.get("status") != "live" or not key or not meeting.get("section_started_at"):
        return {"section": key, "elapsed_seconds": 0, "box_minutes": boxes.get(key, 0) if key else 0,
                "share": 0.0, "over": False}
    now = now or clock.now_precise()
    started = dt.datetime.fromisoformat(meeting["section_started_at"])
    elapsed = max(0, int((now - started).total_seconds()))
    box = boxes.get(key, 0)
    share = elapsed / (box * 60) if box else 0.0
    return {"section": key, "elapsed_seconds": elapsed, "box_minutes": box, "share": share, "over": share > 1}


def time_spent(db: Database, meeting_id: int, now: dt.datetime | None = None) -> list[dict]:
    """Planned against actual minutes per section, from the recorded section moves.

    ``[{"section", "title", "planned_minutes", "actual_seconds", "actual_minutes"}]`` in agenda order; a
    section still open (live meeting) counts up to ``now``.
    """
    boxes = time_boxes(db, meeting_id)
    now = now or clock.now_precise()
    spent = {key: 0.0 for key in SECTION_KEYS}
    for row in live_store.section_visits(db, meeting_id):
        end = dt.datetime.fromisoformat(row["ended_at"]) if row["ended_at"] else now
        spent[row["section"]] += max(0.0, (end - dt.datetime.fromisoformat(row["started_at"])).total_seconds())
    return [{"section": key, "title": SECTION_BY_KEY[key].title, "planned_minutes": boxes[key],
             "actual_seconds": int(spent[key]), "actual_minutes": round(spent[key] / 60, 1)}
            for key in SECTION_KEYS]


def format_when(iso: str | None) -> str:
    """A stored UTC timestamp as people read it: "12 March 2025 at 14:05 UTC" (empty for None)."""
    if not iso:
        return ""
    when = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    return f"{when.day} {when:%B %Y} at {when:%H:%M} UTC"


def time_left_text(tick: dict) -> str:
    """"12:30 left" for the room's screen, or "Over time by 2:10" once the section's box is spent (in the room's
    language when one is being spoken, ``meeting.i18n.speaking``)."""
    left = tick["box_minutes"] * 60 - tick["elapsed_seconds"]
    return (tr("{time} left").format(time=format_elapsed(left)) if left >= 0 else
            tr("Over time by {time}").format(time=format_elapsed(-left)))


def format_elapsed(seconds: int) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


