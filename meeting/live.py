"""The live meeting: join codes, the section clock, invited customers' contributions and their moderation.

State machine of a meeting: ``draft -> live -> closed``. Only a live meeting accepts contributions or moves
through its sections; a closed one is read-only except for action status (``meeting.minutes``). Those
rules are enforced here, inside the write transaction, not only by the pages.

What an invited customer may see is built by ``join_view`` alone, from an explicit list of fields, so the
Join page cannot leak a metric, a figure, a staff input or another customer's words by accident.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import sqlite3
import urllib.parse

import segno
import sqlite_utils

from meeting.minutes import add_entry
from meeting.sections import SECTION_BY_KEY, SECTIONS, allot_minutes
from meeting.store import SECTION_KEYS, write_transaction

# --- join codes -------------------------------------------------------------------------------------------

# Crockford's base32: digits and letters without I, L, O, U, so a code read aloud or off a screen is
# unambiguous. 10 characters x 5 bits = 50 bits from `secrets`.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
CODE_BITS = CODE_LENGTH * 5
_CODE_GROUPS = (4, 4, 2)
# What people type for the letters that are not in the alphabet.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_.]+")

MAX_CONTRIBUTION_CHARS = 2000
MAX_DISPLAY_NAME_CHARS = 60
RATINGS = (1, 2, 3, 4, 5)


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


def next_section_key(key: str | None) -> str | None:
    """The section after ``key`` in the fixed order, or None after finance."""
    if key is None:
        return SECTION_KEYS[0]
    position = SECTION_KEYS.index(key)
    return SECTION_KEYS[position + 1] if position + 1 < len(SECTION_KEYS) else None


def previous_section_key(key: str | None) -> str | None:
    if key is None or key == SECTION_KEYS[0]:
        return None
    return SECTION_KEYS[SECTION_KEYS.index(key) - 1]


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


# --- contributions -----------------------------------------------------------------------------------------

def _clean_contribution(section: str, text: str | None, rating, display_name: str | None) -> tuple:
    if section not in SECTION_KEYS:
        raise ValueError(f"Unknown section {section!r}; expected one of {', '.join(SECTION_KEYS)}")
    text = (text or "").strip()
    if not text:
        raise ValueError("Please write something before sending: the contribution is empty.")
    if len(text) > MAX_CONTRIBUTION_CHARS:
        raise ValueError(f"That is {len(text):,} characters; please keep a contribution to "
                         f"{MAX_CONTRIBUTION_CHARS:,} characters or fewer.")
    if rating is not None:
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise ValueError(f"The rating must be a whole number from 1 to 5, not {rating!r}.")
    name = " ".join((display_name or "").split())[:MAX_DISPLAY_NAME_CHARS] or None
    return text, rating, name


def _insert_contribution(db, meeting: dict, section: str, text: str, rating, author_token: str, name) -> int:
    if meeting["status"] != "live":
        raise PermissionError("This meeting is not open for contributions"
                              + (" any more: it has ended." if meeting["status"] == "closed" else " yet."))
    return db.table("contributions").insert({
        "meeting_id": meeting["id"], "section": section, "author_token": author_token, "display_name": name,
        "text": text, "rating": rating, "created_at": _now(), "hidden": 0,
    }).last_pk


def add_contribution(
    db: sqlite_utils.Database,
    meeting_id: int,
    section: str,
    text: str,
    rating: int | None,
    author_token: str,
    display_name: str | None = None,
) -> int:
    """Store one contribution of a live meeting in a single write transaction; return its id.

    Refuses (ValueError) empty or too long text and ratings outside 1-5; (PermissionError) a meeting that is
    not live.
    """
    text, rating, name = _clean_contribution(section, text, rating, display_name)
    if not author_token:
        raise ValueError("A contribution needs its author's session token.")
    with write_transaction(db):
        return _insert_contribution(db, _meeting_row(db, meeting_id), section, text, rating, author_token, name)


def contribute_by_code(
    db: sqlite_utils.Database,
    code: str,
    text: str,
    rating: int | None,
    author_token: str,
    display_name: str | None = None,
) -> str:
    """The Join page's write: a contribution to the *current* section of the live meeting with this code.

    The page never handles a meeting id; the code is checked again inside the transaction, so a meeting
    closed a second ago refuses. Returns the section key it went to.
    """
    canonical = normalise_code(code)
    with write_transaction(db):
        rows = list(db.query("SELECT * FROM meetings WHERE join_code = ?", [canonical])) if canonical else []
        if not rows:
            raise LookupError("That join code does not open a meeting.")
        meeting = rows[0]
        section = meeting["current_section"] or SECTION_KEYS[0]
        text, rating, name = _clean_contribution(section, text, rating, display_name)
        if not author_token:
            raise ValueError("A contribution needs its author's session token.")
        _insert_contribution(db, meeting, section, text, rating, author_token, name)
        return section


def list_contributions(
    db: sqlite_utils.Database, meeting_id: int, *, include_hidden: bool = True, after_id: int | None = None
) -> list[dict]:
    """A meeting's contributions in the order they arrived (``after_id``: only newer ones)."""
    sql = "SELECT * FROM contributions WHERE meeting_id = ?"
    params: list = [int(meeting_id)]
    if not include_hidden:
        sql += " AND hidden = 0"
    if after_id is not None:
        sql += " AND id > ?"
        params.append(int(after_id))
    return list(db.query(sql + " ORDER BY id", params))


def my_contributions(db: sqlite_utils.Database, meeting_id: int, author_token: str) -> list[dict]:
    """What one browser session has contributed: only the fields its author needs to see again."""
    if not author_token:
        return []
    return list(db.query(
        "SELECT section, text, rating, created_at FROM contributions "
        "WHERE meeting_id = ? AND author_token = ? ORDER BY id",
        [int(meeting_id), author_token],
    ))


def _source_key(contribution_id: int) -> str:
    return f"contribution:{int(contribution_id)}"


def _contribution(db, contribution_id: int) -> dict:
    rows = list(db.query(
        "SELECT c.*, m.status AS meeting_status FROM contributions c JOIN meetings m ON m.id = c.meeting_id "
        "WHERE c.id = ?", [int(contribution_id)]))
    if not rows:
        raise LookupError(f"No contribution with id {contribution_id}")
    return rows[0]


def hide_contribution(db: sqlite_utils.Database, contribution_id: int, hidden: bool = True) -> None:
    """Moderation: a hidden contribution stays stored but never reaches the minutes.

    Hiding one that was already turned into a note or action removes that entry too, so "hidden" always
    means "not in the minutes".
    """
    with write_transaction(db):
        contribution = _contribution(db, contribution_id)
        if contribution["meeting_status"] == "closed":
            raise PermissionError("This meeting is closed; its contributions can no longer be moderated.")
        db.execute("UPDATE contributions SET hidden = ? WHERE id = ?", [1 if hidden else 0, int(contribution_id)])
        if hidden:
            db.execute("DELETE FROM minutes_entries WHERE meeting_id = ? AND source_key LIKE ?",
                       [contribution["meeting_id"], _source_key(contribution_id) + ":%"])


def contribution_to_entry(
    db: sqlite_utils.Database,
    contribution_id: int,
    kind: str = "note",
    owner: str | None = None,
    due_on: str | None = None,
) -> int:
    """Turn a contribution into a minutes note or action (in its section); return the entry id.

    Doing it twice returns the same entry rather than duplicating it. Hidden contributions are refused.
    """
    if kind not in ("note", "action"):
        raise ValueError(f"A contribution becomes a note or an action, not {kind!r}.")
    source_key = f"{_source_key(contribution_id)}:{kind}"
    with write_transaction(db):
        contribution = _contribution(db, contribution_id)
        if contribution["hidden"]:
            raise PermissionError("This contribution is hidden; unhide it before adding it to the minutes.")
        existing = db.execute("SELECT id FROM minutes_entries WHERE meeting_id = ? AND source_key = ?",
                              [contribution["meeting_id"], source_key]).fetchone()
        if existing:
            return existing[0]
        # No speaker: a display name is self-chosen and not on the roster, so the Chatham House redaction
        # (which starts from the roster) could not be trusted to catch it in exported minutes.
        entry_id = add_entry(
            db, contribution["meeting_id"], contribution["section"], kind, contribution["text"],
            speaker=None, owner=owner if kind == "action" else None,
            due_on=due_on if kind == "action" else None,
        )
        db.execute("UPDATE minutes_entries SET source_key = ? WHERE id = ?", [source_key, entry_id])
        return entry_id


def participant_names(db: sqlite_utils.Database, meeting_id: int) -> list[str]:
    """The meeting's participants, leaders first: who can speak or own an action."""
    return [row["name"] for row in db.query(
        "SELECT name FROM participants WHERE meeting_id = ? "
        "ORDER BY CASE kind WHEN 'leader' THEN 0 WHEN 'frontline' THEN 1 WHEN 'customer' THEN 2 ELSE 3 END, name",
        [int(meeting_id)],
    )]


# --- what the invited customer sees -----------------------------------------------------------------------

CLOSED_MESSAGE = "This meeting has ended, so this code no longer opens it. Thank you for taking part."
UNKNOWN_MESSAGE = "That code does not open a live meeting. Check it with the host and try again."
INVALID_MESSAGE = ("A join code has 10 letters and digits, like 7KQ4-M9XZ-2P. Check it with the host "
                   "and try again.")


def join_view(db: sqlite_utils.Database, code: str | None, author_token: str | None = None) -> dict:
    """Everything the Join page may show for ``code``, and nothing else.

    ``{"ok": True, "code", "title", "sections": [{"key", "title"}], "current": {"key", "title", "prompts"},
    "mine": [{"section_title", "text", "rating", "created_at"}]}`` for a live meeting; otherwise
    ``{"ok": False, "reason": "invalid" | "unknown" | "closed", "message"}`` with no meeting data at all.
    """
    canonical = normalise_code(code)
    if canonical is None:
        return {"ok": False, "reason": "invalid", "message": INVALID_MESSAGE}
    rows = list(db.query("SELECT id, title, status, current_section FROM meetings WHERE join_code = ?", [canonical]))
    if not rows or rows[0]["status"] == "draft":
        return {"ok": False, "reason": "unknown", "message": UNKNOWN_MESSAGE}
    meeting = rows[0]
    if meeting["status"] != "live":
        return {"ok": False, "reason": "closed", "message": CLOSED_MESSAGE}
    current = SECTION_BY_KEY[meeting["current_section"] or SECTION_KEYS[0]]
    return {
        "ok": True,
        "code": canonical,
        "title": meeting["title"],
        "sections": [{"key": s.key, "title": s.title} for s in SECTIONS],
        "current": {"key": current.key, "title": current.title, "prompts": list(current.prompts)},
        "mine": [
            {"section_title": SECTION_BY_KEY[row["section"]].title, "text": row["text"], "rating": row["rating"],
             "created_at": row["created_at"]}
            for row in my_contributions(db, meeting["id"], author_token or "")
        ],
    }


# --- slowing down wrong codes ------------------------------------------------------------------------------

FREE_ATTEMPTS = 5          # wrong codes allowed before any wait: typos happen
FIRST_DELAY_SECONDS = 2.0  # then 2 s, 4 s, 8 s ... per further wrong code
MAX_DELAY_SECONDS = 300.0


def new_attempts() -> dict:
    """Per-session state of the wrong-code limiter; the page keeps it in ``st.session_state``."""
    return {"failures": 0, "blocked_until": 0.0}


def attempt_wait(state: dict, now: float) -> float:
    """Seconds this session must still wait before trying another code (0 when free to try)."""
    return max(0.0, float(state.get("blocked_until", 0.0)) - now)


def record_failure(state: dict, now: float) -> float:
    """Count a wrong code; return the wait it now imposes."""
    state["failures"] = int(state.get("failures", 0)) + 1
    extra = state["failures"] - FREE_ATTEMPTS
    delay = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (extra - 1)) if extra > 0 else 0.0
    state["blocked_until"] = now + delay
    return delay


def record_success(state: dict) -> None:
    state["failures"] = 0
    state["blocked_until"] = 0.0


def try_code(db: sqlite_utils.Database, state: dict, code: str | None, now: float,
             author_token: str | None = None) -> dict:
    """``join_view`` behind the limiter: a session that keeps guessing waits longer each time.

    Returns ``join_view``'s dict, or ``{"ok": False, "reason": "wait", "wait_seconds", "message"}``.
    """
    wait = attempt_wait(state, now)
    if wait > 0:
        return {"ok": False, "reason": "wait", "wait_seconds": wait,
                "message": f"Too many wrong codes. Please wait {wait:.0f} s and try again."}
    view = join_view(db, code, author_token)
    if view["ok"]:
        record_success(state)
    elif view["reason"] in ("invalid", "unknown"):
        record_failure(state, now)
    return view


# --- join details for the room -----------------------------------------------------------------------------

def base_url(page_url: str | None, configured: str | None = None) -> str:
    """The app's public root: the configured URL if any, else the scheme and host the GM's browser used."""
    if configured:
        return configured.rstrip("/")
    if not page_url:
        return "http://localhost:8501"
    parts = urllib.parse.urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}"


def join_link(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/join?" + urllib.parse.urlencode({"code": format_code(code)})


def qr_svg(link: str, scale: int = 8) -> str:
    """The link as an SVG QR code (segno: pure Python, no image library)."""
    return segno.make(link, error="m").svg_inline(scale=scale, border=2)


def qr_png(link: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
