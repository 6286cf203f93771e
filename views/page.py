"""The one helper every page uses: a database per script run, run-an-action-and-report, flash messages.

Pages call ``meeting`` functions through ``act`` from widget callbacks, so a refusal (a closed meeting, a
row someone else deleted, bad input, a busy database) becomes a message beside the control that caused it,
never a traceback. Not a page: app.py does not list it.
"""
from __future__ import annotations

import contextlib
import functools
import inspect

import streamlit as st

from meeting import accounts, store
from meeting.text import escape_for_streamlit

# What a domain function raises when it refuses: shown to the user as its message. (A row that is gone is a
# LookupError from the store's readers, on either engine; sqlite-utils' NotFoundError no longer reaches here.)
REFUSALS = (ValueError, LookupError, PermissionError)
BUSY_MESSAGE = "The database is busy with another change. Please try again in a moment."
_FLASH_KEY = "_flash_messages"


def database(path: str | None = None):
    """``with database() as db:``: one connection for this script run or cached call (never shared between
    sessions). Cached functions pass ``db_path()`` so the file is part of their cache key."""
    return contextlib.closing(store.open_db(path))


def db_path() -> str:
    return str(store.resolve_db_path())


def act(action, *args, where: str = "page", success: str | None = None, **kwargs):
    """Run ``action(db, *args, **kwargs)``; on refusal keep its message for ``where`` and return None.

    Returns the action's result (True if it returned None), so callers can tell success from refusal.
    A domain function that takes ``user`` (scope checks, the audit trail) gets the signed-in user unless the
    caller passes one, so no page can forget to say who acted.
    """
    if "user" not in kwargs and _takes_user(action):
        kwargs["user"] = current_user()
    try:
        with database() as db:
            result = action(db, *args, **kwargs)
    except REFUSALS as error:
        message = str(error)
        if not message:
            message = "That item no longer exists: someone else may have removed it. The page now shows the latest."
        flash(message, where=where)
        return None
    except store.DatabaseBusy:
        flash(BUSY_MESSAGE, where=where)
        return None
    if success:
        flash(success, where=where, kind="success")
    return True if result is None else result


@functools.cache
def _takes_user(action) -> bool:
    try:
        return "user" in inspect.signature(action).parameters
    except (TypeError, ValueError):
        return False


def flash(message: str, *, where: str = "page", kind: str = "error") -> None:
    """Keep a message to show at ``where`` on the next draw (callbacks run before the page draws)."""
    st.session_state.setdefault(_FLASH_KEY, {}).setdefault(where, []).append((kind, message))


def show_messages(where: str = "page") -> None:
    """Draw (once) the messages kept for ``where``: call it right beside the control they concern."""
    for kind, message in st.session_state.get(_FLASH_KEY, {}).pop(where, []):
        {"error": st.error, "success": st.success, "warning": st.warning, "info": st.info}[kind](
            escape_for_streamlit(message))


# --- who is signed in, and which units they may see (app.py signs people in; pages only ask) ----------------

def set_user(user, token: str | None) -> None:
    """Only app.py calls this: the signed-in user (a ``meeting.accounts.User``) and their session token."""
    st.session_state["user"], st.session_state["session_token"] = user, token


def current_user():
    """The signed-in ``meeting.accounts.User`` (role, units), or None for a visitor."""
    return st.session_state.get("user")


def allowed_unit_ids() -> list[int]:
    """The units the signed-in user may see: filter every figure, chart and list with this."""
    with database() as db:
        return accounts.allowed_unit_ids(db, current_user())


def require_meeting(meeting_id: int | None) -> None:
    """Stop the page with a clear message when the meeting belongs to a unit that is not the user's."""
    if meeting_id is None:
        return
    with database() as db:
        try:
            accounts.require_meeting(db, current_user(), meeting_id)
        except REFUSALS as refusal:
            st.error(escape_for_streamlit(str(refusal)))
            st.stop()

def client_address() -> str | None:
    """The visitor's address for the guessing limiter (None when unknown: a local run, AppTest)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def chosen_unit() -> int:
    """The unit picked in the sidebar; without one, say how to get one and stop the page."""
    unit_id = st.session_state.get("unit_id")
    if unit_id is None:
        st.info("No unit yet: import data on the Import page, or run `python -m meeting init --demo`.")
        st.stop()
    return unit_id


# --- correcting a minutes entry (Run and Minutes pages) -----------------------------------------------------------

def entry_details(entry: dict) -> str:
    """"speaker X · owner Y · due Z", and what an action lacks ("⚠ no owner"), escaped for Markdown."""
    from meeting.minutes import action_gaps

    details = [f"speaker {entry['speaker']}" if entry.get("speaker") else "",
               f"owner {entry['owner']}" if entry.get("owner") else "",
               f"due {entry['due_on']}" if entry.get("due_on") else ""]
    text = escape_for_streamlit(" · ".join(d for d in details if d))
    gaps = " ".join(f":orange-badge[⚠ {gap}]" for gap in action_gaps(entry))
    return " ".join(part for part in (text, gaps) if part)


def _save_entry(entry: dict, where: str) -> None:
    from meeting import minutes

    state = st.session_state
    changes = {"text": state.get(f"edit_text_{entry['id']}", entry["text"])}
    if entry["kind"] == "action":
        due = state.get(f"edit_due_{entry['id']}")
        changes.update(owner=state.get(f"edit_owner_{entry['id']}") or None, due_on=due.isoformat() if due else None)
    shown = {field: entry[field] for field in ("text", "owner", "due_on")}
    if not act(minutes.edit_entry, entry["id"], **changes, shown=shown, where=where,
               success="Entry corrected (recorded in the audit trail)."):
        for name in ("text", "owner", "due"):  # redrawn from what is stored now (someone else's correction)
            state.pop(f"edit_{name}_{entry['id']}", None)


def entry_editor(entry: dict, people: list[str], *, where: str) -> None:
    """An Edit popover for one entry: its words, an action's owner and due date, or delete it. Keys carry the
    entry's id, so nothing typed for one entry is saved onto another. Refusals (a closed meeting) go to
    ``where``."""
    import datetime as dt

    from meeting import minutes

    entry_id = entry["id"]
    with st.popover("Edit", icon=":material/edit:", key=f"edit_pop_{entry_id}"):
        st.text_area("Text", value=entry["text"], key=f"edit_text_{entry_id}")
        if entry["kind"] == "action":
            owners = [""] + [name for name in people if name]
            if entry["owner"] and entry["owner"] not in owners:
                owners.append(entry["owner"])
            st.selectbox("Owner", owners, index=owners.index(entry["owner"] or ""), key=f"edit_owner_{entry_id}",
                         format_func=lambda name: name or "nobody yet")
            st.date_input("Due", value=dt.date.fromisoformat(entry["due_on"]) if entry["due_on"] else None,
                          key=f"edit_due_{entry_id}")
        save, delete = st.columns(2)
        save.button("Save", key=f"edit_save_{entry_id}", type="primary", on_click=_save_entry, args=(entry, where))
        delete.button("Delete", key=f"edit_delete_{entry_id}", icon=":material/delete:", on_click=act,
                      args=(minutes.delete_entry, entry_id),
                      kwargs={"where": where, "success": "Entry deleted (recorded in the audit trail)."})


def set_page_language(language: str) -> None:
    """``<html lang>`` for this page (issue 27): the server sets it on the page it serves (meeting.web.PageLanguage);
    this keeps it right when the app moves between pages in the browser, or the customer picks another language."""
    import json

    from meeting import i18n

    code = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    st.html(f"<script>document.documentElement.lang = {json.dumps(code)};</script>", unsafe_allow_javascript=True)
