"""Accounts' tables: users and their units, signed-in sessions, the audit trail, and the one meeting fact
scope checks need (its unit). The settings the accounts keep (passcode hash, session secret) go through
meeting.store.settings, app_settings' one reader and writer.

Plain statements: the stage (meeting.accounts) decides the transaction, so a check and the write it guards
stay inside one ``write_transaction``. Written once for SQLite and PostgreSQL (``?`` placeholders, ``ON
CONFLICT``, ``RETURNING``); text is ordered in Python where the order is shown, because PostgreSQL's collation
does not sort text as SQLite's byte order does.
"""
from __future__ import annotations

from meeting.store.connection import Database

# --- users and their units ----------------------------------------------------------------------------------

def find_user_by_email(db: Database, email: str) -> dict | None:
    """The account with this (already normalised) email: id, email, role, password_hash; None if none."""
    row = db.execute("SELECT id, email, role, password_hash FROM users WHERE email = ?", [email]).fetchone()
    return _user(row)


def find_user_by_id(db: Database, user_id: int) -> dict | None:
    """The account with this id: id, email, role, password_hash; None if none."""
    row = db.execute("SELECT id, email, role, password_hash FROM users WHERE id = ?", [int(user_id)]).fetchone()
    return _user(row)


def _user(row) -> dict | None:
    return None if row is None else {"id": row[0], "email": row[1], "role": row[2], "password_hash": row[3]}


def user_unit_ids(db: Database, user_id: int) -> tuple[int, ...]:
    """The units a gm or viewer may see, in id order (empty for an admin)."""
    return tuple(row[0] for row in db.execute(
        "SELECT unit_id FROM user_units WHERE user_id = ? ORDER BY unit_id", [int(user_id)]).fetchall())


def admin_count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin'").fetchone()[0])


def insert_user(db: Database, email: str, role: str, password_hash: str | None, created_at: str) -> int:
    """A new account; returns its id."""
    return db.execute("INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                      [email, role, password_hash, created_at]).fetchone()[0]


def insert_user_if_absent(db: Database, email: str, role: str, created_at: str) -> bool:
    """An account without a password unless one with this email exists (two sessions starting at once);
    whether it was inserted."""
    row = db.execute("INSERT INTO users (email, role, password_hash, created_at) VALUES (?, ?, NULL, ?) "
                     "ON CONFLICT DO NOTHING RETURNING id", [email, role, created_at]).fetchone()
    return row is not None


def add_user_units(db: Database, user_id: int, unit_ids) -> None:
    db.executemany("INSERT INTO user_units (user_id, unit_id) VALUES (?, ?)",
                   [(int(user_id), int(unit_id)) for unit_id in unit_ids])


def delete_user(db: Database, user_id: int) -> None:
    """Remove an account; its sessions and units go with it (ON DELETE CASCADE)."""
    db.execute("DELETE FROM users WHERE id = ?", [int(user_id)])


def save_password_hash(db: Database, user_id: int, password_hash: str) -> None:
    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, int(user_id)])


def list_accounts(db: Database) -> list[dict]:
    """Every account by email: email, role, created_at, has_password, units (names, sorted); no hash."""
    users = db.execute("SELECT id, email, role, created_at, password_hash IS NOT NULL FROM users").fetchall()
    units: dict[int, list[str]] = {}
    for user_id, name in db.execute(
            "SELECT uu.user_id, un.name FROM user_units uu JOIN units un ON un.id = uu.unit_id").fetchall():
        units.setdefault(user_id, []).append(name)
    return [{"email": email, "role": role, "created_at": created, "has_password": bool(has),
             "units": tuple(sorted(units.get(user_id, ()), key=_nocase))}
            for user_id, email, role, created, has in sorted(users, key=lambda row: _nocase(row[1]))]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(text: str) -> str:
    """SQLite's NOCASE order (users.email and units.name are declared with it, and unique under it): ASCII
    letters folded, everything else by code point."""
    return text.translate(_ASCII_LOWER)


# --- sessions ---------------------------------------------------------------------------------------------------

def insert_session(db: Database, session_id: str, user_id: int, created_at: str, expires_at: str) -> None:
    db.execute("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
               [session_id, int(user_id), created_at, expires_at])


def delete_expired_sessions(db: Database, now: str) -> None:
    """Sessions that expired before ``now`` (ISO text, compared as stored)."""
    db.execute("DELETE FROM sessions WHERE expires_at < ?", [now])


def session_user_id(db: Database, session_id: str) -> int | None:
    row = db.execute("SELECT user_id FROM sessions WHERE id = ?", [session_id]).fetchone()
    return row[0] if row else None


def delete_session(db: Database, session_id: str) -> None:
    db.execute("DELETE FROM sessions WHERE id = ?", [session_id])


def delete_sessions_of_user(db: Database, user_id: int) -> None:
    db.execute("DELETE FROM sessions WHERE user_id = ?", [int(user_id)])


# --- the audit trail --------------------------------------------------------------------------------------------

def append_audit_event(db: Database, at: str, actor: str, action: str, detail_json: str) -> None:
    db.execute("INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)", [at, actor, action, detail_json])


def list_audit_events(db: Database, since: str | None = None, *, limit: int | None = None) -> list[tuple]:
    """(at, actor, action, detail JSON) oldest first, from ``since`` (ISO text) on; ``limit``: the newest that
    many, still oldest first."""
    where, params = ("WHERE at >= ?", [since]) if since else ("", [])
    if not limit:
        return db.execute(f"SELECT at, actor, action, detail FROM audit {where} ORDER BY id", params).fetchall()
    return db.execute(
        f"SELECT at, actor, action, detail FROM (SELECT id, at, actor, action, detail FROM audit {where} "
        "ORDER BY id DESC LIMIT ?) newest ORDER BY at, id", [*params, int(limit)]).fetchall()


# --- scope --------------------------------------------------------------------------------------------------

def meeting_unit_id(db: Database, meeting_id: int) -> int | None:
    """The unit a meeting belongs to, or None when there is no such meeting."""
    row = db.execute("SELECT unit_id FROM meetings WHERE id = ?", [int(meeting_id)]).fetchone()
    return row[0] if row else None
