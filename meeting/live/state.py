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
import sqlite3

import sqlite_utils

from meeting.sections import SECTION_BY_KEY, allot_minutes, next_section_key, previous_section_key  # noqa: F401
from meeting.store import SECTION_KEYS, write_transaction

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
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _meeting_row(db: sqlite_utils.Database, meeting_id: int) -> dict:
    rows = list(db.query("SELECT * FROM meetings WHERE id = ?", [int(meeting_id)]))
    if not rows:
        raise LookupError(f"No meeting with id {meeting_id}")
    return rows[0]


def start_meeting(db: sqlite_utils.Database, meeting_id: int) -> str:
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
                db.execute(
                    "UPDATE meetings SET status = 'live', join_code = ?, current_section = ?, "
                    "section_started_at = ?, started_at = ? WHERE id = ?",
                    [code, SECTION_KEYS[0], now, now, int(meeting_id)],
                )
                return code
        except sqlite3.IntegrityError:
            continue
    raise RuntimeError("Could not issue a unique join code; try again.")


def advance_section(db: sqlite_utils.Database, meeting_id: int, to: str | None = None) -> str:
    """Move a live meeting to section ``to`` (default: the next in the fixed order); restart its clock.

    Returns the new current section key.
    """
    if to is not None and to not in SECTION_KEYS:
        raise ValueError(f"Unknown section {to!r}; expected one of {', '.join(SECTION_KEYS)}")
    with write_transaction(db):
        meeting = _meeting_row(db, meeting_id)
        if meeting["status"] != "live":
            raise PermissionError(f"Only a live meeting moves between sections; this one is {meeting['status']}.")
        target = to or next_section_key(meeting["current_section"])
        if target is None:
            raise ValueError("Finance is the last section: close the meeting instead.")
        if target != meeting["current_section"]:
            db.execute("UPDATE meetings SET current_section = ?, section_started_at = ? WHERE id = ?",
                       [target, _now(), int(meeting_id)])
        return target


def close_meeting(db: sqlite_utils.Database, meeting_id: int) -> None:
    """Live -> closed. From now on only action statuses change; the join code stops working."""
    with write_transaction(db):
        meeting = _meeting_row(db, meeting_id)
        if meeting["status"] == "closed":
            return
        if meeting["status"] != "live":
            raise PermissionError("Only a live meeting can be closed; start it first.")
        db.execute("UPDATE meetings SET status = 'closed', closed_at = ? WHERE id = ?", [_now(), int(meeting_id)])


def find_live_meeting_by_code(db: sqlite_utils.Database, code: str | None) -> dict | None:
    """The live meeting with this join code, or None (wrong code, draft or closed meeting)."""
    canonical = normalise_code(code)
    if canonical is None:
        return None
    rows = list(db.query("SELECT * FROM meetings WHERE join_code = ? AND status = 'live'", [canonical]))
    return rows[0] if rows else None


# --- time boxes --------------------------------------------------------------------------------------------

def time_boxes(db: sqlite_utils.Database, meeting_id: int) -> dict[str, int]:
    """Minutes per section: the agenda items' minutes summed, else the default share of the meeting's total."""
    meeting = _meeting_row(db, meeting_id)
    boxes = allot_minutes(int(meeting["total_minutes"] or 0) or 120)
    planned = db.execute(
        "SELECT section, SUM(minutes) FROM agenda_items WHERE meeting_id = ? AND minutes IS NOT NULL GROUP BY section",
        [int(meeting_id)],
    ).fetchall()
    for section, minutes in planned:
        if minutes:
            boxes[section] = int(minutes)
    return boxes


def section_clock(meeting: dict, boxes: dict[str, int], now: dt.datetime | None = None) -> dict:
    """Elapsed time in the current section against its box: plain numbers for the page to draw."""
    key = meeting.get("current_section")
    if meeting.get("status") != "live" or not key or not meeting.get("section_started_at"):
        return {"section": key, "elapsed_seconds": 0, "box_minutes": boxes.get(key, 0) if key else 0,
                "share": 0.0, "over": False}
    now = now or dt.datetime.now(dt.timezone.utc)
    started = dt.datetime.fromisoformat(meeting["section_started_at"])
    elapsed = max(0, int((now - started).total_seconds()))
    box = boxes.get(key, 0)
    share = elapsed / (box * 60) if box else 0.0
    return {"section": key, "elapsed_seconds": elapsed, "box_minutes": box, "share": share, "over": share > 1}


def format_elapsed(seconds: int) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


