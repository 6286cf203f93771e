"""Invited customers' contributions: taken only while the meeting is live, moderated, made into minutes,
and the Join page's view, built from an explicit list of fields so it cannot leak anything else."""
from __future__ import annotations

import datetime as dt
import re
import time

from meeting import clock, limiter
from meeting.live.state import _meeting_row, normalise_code
from meeting.minutes.entries import add_entry
from meeting.sections import SECTION_BY_KEY, SECTIONS
from meeting.store import SECTION_KEYS, Database, DatabaseBusy, write_transaction
from meeting.store import live as live_store
from meeting.store.meetings import list_participants

MAX_CONTRIBUTION_CHARS = 2000
MAX_DISPLAY_NAME_CHARS = 60
RATINGS = (1, 2, 3, 4, 5)
# A device token (the Join link's ``device=``): random, URL-safe, so a reload keeps "what you have sent".
_DEVICE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SEND_ATTEMPTS = 4  # a send that finds the database busy is retried this often before "try again"


class ContributionRefused(ValueError):
    """A refusal the customer reads: its English ``template`` and ``params``, so the Join page can show it in
    the customer's language (the template is the catalogue's msgid)."""

    def __init__(self, template: str, **params):
        self.template, self.params = template, params
        super().__init__(template.format(**{key: f"{value:,}" if isinstance(value, int) else value
                                            for key, value in params.items()}))


EMPTY_MESSAGE = "Please write something or choose a rating before sending: the contribution is empty."
TOO_LONG_MESSAGE = ("That is {length} characters; please keep a contribution to {limit} characters or fewer.")
PACE_MESSAGE = ("Thank you! Please wait {seconds} s before sending again, so that everyone in the room "
                "gets heard.")
ENDED_MESSAGE = "This meeting is not open for contributions any more: it has ended."
NOT_YET_MESSAGE = "This meeting is not open for contributions yet."
NO_MEETING_MESSAGE = "That join code does not open a meeting."


class PaceError(ContributionRefused):
    """One device sending faster than the meeting's pace allows."""

    def __init__(self, wait_seconds: float):
        self.wait_seconds = max(1, int(wait_seconds + 0.999))
        super().__init__(PACE_MESSAGE, seconds=self.wait_seconds)


NOT_REACHED_MESSAGE = "That section has not been discussed yet."


class SectionMoved(Exception):
    """Nothing stored: the customer started writing during ``shown`` and the meeting is now at ``current``.
    The Join page asks which of the two the contribution is about, then sends it again with ``section=``."""

    def __init__(self, shown: str, current: str):
        self.shown, self.current = shown, current
        super().__init__(f"The meeting moved from {shown} to {current} while this was written.")


class AlreadyConverted(PermissionError):
    """A contribution that is already a note or action in the minutes."""


def valid_device_token(token: str | None) -> bool:
    return bool(token) and bool(_DEVICE_TOKEN.match(str(token)))


def _now_precise() -> str:
    # Milliseconds: the pace between two sends of one device is measured on these.
    return clock.now_precise().isoformat(timespec="milliseconds")


# --- contributions -----------------------------------------------------------------------------------------

def _clean_contribution(section: str, text: str | None, rating, display_name: str | None) -> tuple:
    if section not in SECTION_KEYS:
        raise ValueError(f"Unknown section {section!r}; expected one of {', '.join(SECTION_KEYS)}")
    text = (text or "").strip()
    if not text and rating is None:
        raise ContributionRefused(EMPTY_MESSAGE)
    if len(text) > MAX_CONTRIBUTION_CHARS:
        raise ContributionRefused(TOO_LONG_MESSAGE, length=len(text), limit=MAX_CONTRIBUTION_CHARS)
    if rating is not None:
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise ValueError(f"The rating must be a whole number from 1 to 5, not {rating!r}.")
    name = " ".join((display_name or "").split())[:MAX_DISPLAY_NAME_CHARS] or None
    return text, rating, name


def _insert_contribution(db, meeting: dict, section: str, text: str, rating, author_token: str, name) -> int:
    if meeting["status"] != "live":
        raise PermissionError(ENDED_MESSAGE if meeting["status"] == "closed" else NOT_YET_MESSAGE)
    now = _now_precise()
    return live_store.save_contribution(db, meeting["id"], section, author_token=author_token, display_name=name,
                                        text=text, rating=rating, created_at=now,
                                        approved=not meeting.get("premoderate"))


def add_contribution(
    db: Database,
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
    db: Database,
    code: str,
    text: str,
    rating: int | None,
    author_token: str,
    display_name: str | None = None,
    *,
    section_shown: str | None = None,
    section: str | None = None,
) -> str:
    """The Join page's write: a contribution to the live meeting with this code, in the *current* section.

    ``section_shown`` is the section the page showed when the customer started writing: if the meeting has
    moved on since, nothing is stored and ``SectionMoved`` names both, so the customer can say which one it
    is about; ``section`` is that answer (the current section, or one already discussed). The page never
    handles a meeting id; the code is checked again inside the transaction, so a meeting closed a second ago
    refuses. Returns the section key it went to.
    """
    if not author_token:
        raise ValueError("A contribution needs its author's device token.")
    canonical = normalise_code(code)
    for attempt in range(SEND_ATTEMPTS):
        try:
            return _contribute(db, canonical, text, rating, author_token, display_name, section_shown, section)
        except DatabaseBusy:  # busy past the timeout (either engine): nothing was written, so retry
            if attempt == SEND_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2 ** attempt)
    raise AssertionError("unreachable")


def _contribute(db, canonical: str | None, text, rating, author_token: str, display_name,
                section_shown: str | None = None, chosen: str | None = None) -> str:
    with write_transaction(db, changes_evidence=False):
        meeting = live_store.meeting_by_join_code(db, canonical) if canonical else None
        if meeting is None:
            raise LookupError(NO_MEETING_MESSAGE)
        current = meeting["current_section"] or SECTION_KEYS[0]
        if chosen is not None:
            if chosen not in SECTION_KEYS:
                raise ValueError(f"Unknown section {chosen!r}; expected one of {', '.join(SECTION_KEYS)}")
            if SECTION_KEYS.index(chosen) > SECTION_KEYS.index(current):
                raise ContributionRefused(NOT_REACHED_MESSAGE)
            section = chosen
        elif section_shown and section_shown != current and meeting["status"] == "live":
            raise SectionMoved(section_shown, current)
        else:
            section = current
        text, rating, name = _clean_contribution(section, text, rating, display_name)
        _check_pace(db, meeting, author_token)
        _insert_contribution(db, meeting, section, text, rating, author_token, name)
        return section


def _check_pace(db, meeting: dict, author_token: str) -> None:
    """Refuse a device's send that comes sooner than the meeting's pace allows (inside the write
    transaction, so twenty fast sends cannot all slip through together)."""
    interval = int(meeting.get("contribution_interval_seconds") or 0)
    if not interval or meeting["status"] != "live":
        return
    last = live_store.last_contribution_at(db, meeting["id"], author_token)
    if last:
        since = (clock.now_precise() - dt.datetime.fromisoformat(last)).total_seconds()
        if since < interval:
            raise PaceError(interval - since)


def list_contributions(
    db: Database, meeting_id: int, *, include_hidden: bool = True, after_id: int | None = None
) -> list[dict]:
    """A meeting's contributions in the order they arrived (``after_id``: only newer ones).

    Each row also says whether it is already in the minutes: ``entry_id`` and ``entry_kind`` (else None).
    """
    return live_store.list_contributions(db, meeting_id, include_hidden=include_hidden, after_id=after_id)


def approve_contribution(db: Database, contribution_id: int) -> None:
    """Pre-moderation: let a contribution show on the room screen."""
    with write_transaction(db, changes_evidence=False):
        contribution = _contribution(db, contribution_id)
        if contribution["meeting_status"] == "closed":
            raise PermissionError("This meeting is closed; its contributions can no longer be moderated.")
        live_store.approve_contribution(db, contribution_id)


def my_contributions(db: Database, meeting_id: int, author_token: str) -> list[dict]:
    """What one device has contributed: only the fields its author needs to see again."""
    if not author_token:
        return []
    return live_store.contributions_by_author(db, meeting_id, author_token)


def _contribution(db, contribution_id: int) -> dict:
    contribution = live_store.contribution_with_meeting_status(db, contribution_id)
    if contribution is None:
        raise LookupError(f"No contribution with id {contribution_id}")
    return contribution


def hide_contribution(db: Database, contribution_id: int, hidden: bool = True) -> None:
    """Moderation: a hidden contribution stays stored but never reaches the minutes.

    Hiding one that was already turned into a note or action removes that entry too, so "hidden" always
    means "not in the minutes".
    """
    with write_transaction(db):
        contribution = _contribution(db, contribution_id)
        if contribution["meeting_status"] == "closed":
            raise PermissionError("This meeting is closed; its contributions can no longer be moderated.")
        live_store.set_contribution_hidden(db, contribution_id, hidden)
        if hidden:
            live_store.delete_entries_of_contribution(db, contribution["meeting_id"], contribution_id)


def contribution_to_entry(
    db: Database,
    contribution_id: int,
    kind: str = "note",
    owner: str | None = None,
    due_on: str | None = None,
) -> int:
    """Turn a contribution into a minutes note or action (in its section); return the entry id.

    Refused (AlreadyConverted) if it already is a note or an action, so repeated presses, or a note then an
    action, never put it into the minutes twice. Hidden contributions are refused.
    """
    if kind not in ("note", "action"):
        raise ValueError(f"A contribution becomes a note or an action, not {kind!r}.")
    with write_transaction(db):
        contribution = _contribution(db, contribution_id)
        if contribution["hidden"]:
            raise PermissionError("This contribution is hidden; unhide it before adding it to the minutes.")
        existing = live_store.entry_of_contribution(db, contribution["meeting_id"], contribution_id)
        if existing:
            raise AlreadyConverted(f"Already in the minutes as {existing[1]} #{existing[0]}: a contribution goes "
                                   "into the minutes once.")
        # No speaker: a display name is self-chosen and not on the roster, so the Chatham House redaction
        # (which starts from the roster) could not be trusted to catch it in exported minutes.
        entry_id = add_entry(
            db, contribution["meeting_id"], contribution["section"], kind, contribution["text"],
            speaker=None, owner=owner if kind == "action" else None,
            due_on=due_on if kind == "action" else None,
        )
        live_store.link_entry_to_contribution(db, entry_id, contribution_id, kind)
        return entry_id


def participant_names(db: Database, meeting_id: int) -> list[str]:
    """The meeting's participants, leaders first: who can speak or own an action."""
    return [row["name"] for row in list_participants(db, int(meeting_id))]


# --- what the invited customer sees -----------------------------------------------------------------------

CLOSED_MESSAGE = "This meeting has ended, so this code no longer opens it. Thank you for taking part."
UNKNOWN_MESSAGE = "That code does not open a live meeting. Check it with the host and try again."
INVALID_MESSAGE = ("A join code has 10 letters and digits, like 7KQ4-M9XZ-2P. Check it with the host "
                   "and try again.")


def join_view(db: Database, code: str | None, author_token: str | None = None) -> dict:
    """Everything the Join page may show for ``code``, and nothing else.

    ``{"ok": True, "code", "title", "sections": [{"key", "title"}], "current": {"key", "title", "prompts"},
    "mine": [{"section_title", "text", "rating", "created_at"}]}`` for a live meeting; otherwise
    ``{"ok": False, "reason": "invalid" | "unknown" | "closed", "message"}`` with no meeting data at all.
    """
    canonical = normalise_code(code)
    if canonical is None:
        return {"ok": False, "reason": "invalid", "message": INVALID_MESSAGE}
    meeting = live_store.joinable_meeting(db, canonical)
    if meeting is None or meeting["status"] == "draft":
        return {"ok": False, "reason": "unknown", "message": UNKNOWN_MESSAGE}
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


def try_code(db: Database, code: str | None, *, client: str | None, now: float | None = None,
             author_token: str | None = None) -> dict:
    """``join_view`` behind the server-side limiter: a client that keeps guessing waits longer each time.

    Returns ``join_view``'s dict, or ``{"ok": False, "reason": "wait", "wait_seconds", "message"}``.
    """
    now = clock.epoch() if now is None else now
    wait = limiter.wait_seconds(db, "join", client, now)
    if wait > 0:
        return {"ok": False, "reason": "wait", "wait_seconds": wait,
                "message": f"Too many wrong codes. Please wait {wait:.0f} s and try again."}
    view = join_view(db, code, author_token)
    if view["ok"]:
        limiter.record_success(db, "join", client, now)
    elif view["reason"] in ("invalid", "unknown"):
        limiter.record_failure(db, "join", client, now)
    return view
