"""Signed, expiring session tokens, so a signed-in person stays signed in across a reload (F5).

A token is ``<session id>.<expiry>.<signature>``: the signature is an HMAC-SHA256 with a server secret kept in
``app_settings``, so a token cannot be forged or its expiry stretched; the session id is a row in ``sessions``,
so signing out (or a new password) kills the token even before it expires.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from meeting import clock
from meeting.accounts.users import User, load_user
from meeting.store import Database, write_transaction
from meeting.store import accounts as accounts_store
from meeting.store import settings as settings_store

SECRET_KEY = "session_secret"
SESSION_HOURS = 12  # one working day: a meeting and its minutes, not a week on a shared screen


def _secret(db: Database) -> bytes:
    """The signing secret: ``OUTSIDE_IN_SESSION_SECRET`` from configuration (the same value on every replica),
    else one generated once and kept in the database (a single machine)."""
    from meeting.config import read_setting

    configured = read_setting("OUTSIDE_IN_SESSION_SECRET")
    if configured:
        return hashlib.sha256(configured.encode()).digest()
    stored = settings_store.get_setting(db, SECRET_KEY)
    if stored is None:
        with write_transaction(db, changes_evidence=False):
            settings_store.set_setting(db, SECRET_KEY, secrets.token_hex(32), replace=False)
        stored = settings_store.get_setting(db, SECRET_KEY)  # ours, or another session's that came first
    assert stored is not None, "the secret key was just written"
    return bytes.fromhex(stored)


def _sign(secret: bytes, payload: str) -> str:
    digest = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or clock.now_precise()


def start_session(db: Database, user: User, *, now: dt.datetime | None = None,
                  hours: float = SESSION_HOURS) -> str:
    """A new session for ``user``; returns its token."""
    now = _now(now)
    session_id = secrets.token_urlsafe(16)
    expires = int((now + dt.timedelta(hours=hours)).timestamp())
    with write_transaction(db, changes_evidence=False):
        accounts_store.delete_expired_sessions(db, now.isoformat(timespec="seconds"))
        accounts_store.insert_session(db, session_id, user.id, now.isoformat(timespec="seconds"),
                                      dt.datetime.fromtimestamp(expires, dt.timezone.utc).isoformat(timespec="seconds"))
    payload = f"{session_id}.{expires}"
    return f"{payload}.{_sign(_secret(db), payload)}"


def _parse(db: Database, token: str | None, now: dt.datetime | None) -> str | None:
    """The session id of a well-signed, unexpired token, else None."""
    try:
        session_id, expires, signature = (token or "").split(".")
        expires_at = int(expires)
    except ValueError:
        return None
    if not hmac.compare_digest(_sign(_secret(db), f"{session_id}.{expires}"), signature):
        return None
    if expires_at <= _now(now).timestamp():
        return None
    return session_id


def resume_session(db: Database, token: str | None, *, now: dt.datetime | None = None) -> User | None:
    """The user a token belongs to, with their current role and units; None if forged, expired or ended."""
    session_id = _parse(db, token, now)
    if session_id is None:
        return None
    user_id = accounts_store.session_user_id(db, session_id)
    return load_user(db, user_id=user_id) if user_id is not None else None


def end_session(db: Database, token: str | None) -> None:
    """Sign out: the token stops working everywhere it was copied."""
    session_id = (token or "").split(".")[0]
    if session_id:
        with write_transaction(db, changes_evidence=False):
            accounts_store.delete_session(db, session_id)


class SignInRefused(PermissionError):
    """A sign-in that did not succeed, with the message to show (never which part was wrong) and, when the
    limiter holds this client back, the seconds left."""

    def __init__(self, message: str, wait_seconds: float = 0.0):
        super().__init__(message)
        self.wait_seconds = wait_seconds


def too_many_attempts(wait: float) -> str:
    return f"Too many wrong attempts. Please wait {wait:.0f} s and try again."


WRONG_PASSWORD = "That email and password do not match an account."


def sign_in_with_password(db: Database, email: str | None, password: str | None,
                          configured_passcode: str | None, *, client: str | None) -> tuple[User, str]:
    """Check a password sign-in and start a fresh session (a new id each time: no fixation); returns the user
    and the session token. Wrong passwords are slowed down per client address and in total (meeting.limiter),
    so a fresh browser or a reload does not reset the count. Raises ``SignInRefused`` with the message."""
    from meeting import limiter
    from meeting.accounts.users import authenticate

    wait = limiter.wait_seconds(db, "passcode", client)
    if wait > 0:
        raise SignInRefused(too_many_attempts(wait), wait)
    user = authenticate(db, email or "", password or "", configured_passcode, client=client)
    if user is None:
        limiter.record_failure(db, "passcode", client)
        raise SignInRefused(WRONG_PASSWORD)
    limiter.record_success(db, "passcode", client)
    return user, start_session(db, user)
