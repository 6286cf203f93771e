"""Invited customers' contributions: taken only while the meeting is live, moderated, made into minutes,
and the Join page's view, built from an explicit list of fields so it cannot leak anything else."""
from __future__ import annotations

import sqlite_utils

from meeting.limiter import attempt_wait, record_failure, record_success
from meeting.live.state import _meeting_row, _now, normalise_code
from meeting.minutes.entries import add_entry
from meeting.sections import SECTION_BY_KEY, SECTIONS
from meeting.store import SECTION_KEYS, write_transaction
from meeting.store.meetings import list_participants

MAX_CONTRIBUTION_CHARS = 2000
MAX_DISPLAY_NAME_CHARS = 60
RATINGS = (1, 2, 3, 4, 5)


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
    return [row["name"] for row in list_participants(db, int(meeting_id))]


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


