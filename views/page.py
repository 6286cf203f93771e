"""The one helper every page uses: a database per script run, run-an-action-and-report, flash messages.

Pages call ``meeting`` functions through ``act`` from widget callbacks, so a refusal (a closed meeting, a
row someone else deleted, bad input, a busy database) becomes a message beside the control that caused it,
never a traceback. Not a page: app.py does not list it.
"""
from __future__ import annotations

import contextlib
import sqlite3

import sqlite_utils
import streamlit as st

from meeting import store
from meeting.text import escape_for_streamlit

# What a domain function raises when it refuses: shown to the user as its message.
REFUSALS = (ValueError, LookupError, PermissionError, sqlite_utils.db.NotFoundError)
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
    """
    try:
        with database() as db:
            result = action(db, *args, **kwargs)
    except REFUSALS as error:
        message = str(error)
        if isinstance(error, sqlite_utils.db.NotFoundError) or not message:
            message = "That item no longer exists: someone else may have removed it. The page now shows the latest."
        flash(message, where=where)
        return None
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        flash(BUSY_MESSAGE, where=where)
        return None
    if success:
        flash(success, where=where, kind="success")
    return True if result is None else result


def flash(message: str, *, where: str = "page", kind: str = "error") -> None:
    """Keep a message to show at ``where`` on the next draw (callbacks run before the page draws)."""
    st.session_state.setdefault(_FLASH_KEY, {}).setdefault(where, []).append((kind, message))


def show_messages(where: str = "page") -> None:
    """Draw (once) the messages kept for ``where``: call it right beside the control they concern."""
    for kind, message in st.session_state.get(_FLASH_KEY, {}).pop(where, []):
        {"error": st.error, "success": st.success, "warning": st.warning, "info": st.info}[kind](
            escape_for_streamlit(message))
