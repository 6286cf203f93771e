"""Accounts and roles: who may sign in, with which role, for which units.

``admin`` sees everything (settings, users, every unit); ``gm`` prepares, runs, imports and exports the
minutes (INTERNAL too) of their units; ``viewer`` reads their units' anonymised minutes and pre-reads only.
The built-in account ``admin`` signs in with the app passcode (``make run`` prints it), so one machine
still needs no user administration.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlite_utils

from meeting import clock
from meeting.accounts import audit
from meeting.accounts.passcode import check_passcode, hash_passcode, verify_hash
from meeting.store import find_unit, list_units, write_transaction

ROLES = ("admin", "gm", "viewer")
ADMIN_ACCOUNT = "admin"
MIN_PASSWORD_LENGTH = 10

# What each role may do; pages and domain functions ask ``can(user, ...)``, and the README's table says the same.
CAPABILITIES = {
    "admin": {"prepare", "run", "import", "minutes", "internal", "documents", "users", "audit", "settings"},
    "gm": {"prepare", "run", "import", "minutes", "internal", "documents"},
    "viewer": {"documents"},
}


@dataclass(frozen=True)
class User:
    """A signed-in person (picklable: it lives in the session state). ``unit_ids`` is empty for an admin,
    who sees every unit."""
    id: int
    email: str
    role: str
    unit_ids: tuple[int, ...] = ()

    @property
    def sees_every_unit(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Account:
    """A row of ``users list``: never the password hash."""
    email: str
    role: str
    units: tuple[str, ...]
    created_at: str
    has_password: bool


def can(user: User | None, capability: str) -> bool:
    return user is not None and capability in CAPABILITIES.get(user.role, ())


def normalise_email(email: str | None) -> str:
    """Lower case, no surrounding spaces; an address, or the built-in ``admin``. Empty means ``admin``."""
    clean = (email or "").strip().lower()
    if not clean:
        return ADMIN_ACCOUNT
    if clean != ADMIN_ACCOUNT and ("@" not in clean or " " in clean or clean.startswith("@") or clean.endswith("@")):
        raise ValueError(f"{email!r} is not an email address.")
    return clean


def generate_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    return password


def _check_actor(actor) -> None:
    """A signed-in user changing accounts must be an admin; a string or None is the CLI at the server."""
    if isinstance(actor, User) and not can(actor, "users"):
        raise PermissionError("Only an admin can change accounts.")


def _now() -> str:
    return clock.now_iso()


def _unit_ids(db: sqlite_utils.Database, role: str, units) -> list[int]:
    names = [u for u in (units or ()) if str(u).strip()]
    if role != "admin" and not names:
        raise ValueError(f"A {role} needs at least one unit: add --unit NAME (known units: "
                         f"{', '.join(u['name'] for u in list_units(db)) or 'none yet'}).")
    ids = []
    for name in names:
        unit = find_unit(db, name)
        if unit is None:
            raise LookupError(f"No unit {name!r}. Known units: {', '.join(u['name'] for u in list_units(db)) or 'none yet'}")
        ids.append(unit["id"])
    return sorted(set(ids))


def add_user(db: sqlite_utils.Database, email: str, role: str, units=(), password: str | None = None, *,
             actor=None) -> str | None:
    """Create an account. Returns the generated password when none was given (to show once), else None."""
    _check_actor(actor)
    email = normalise_email(email)
    if role not in ROLES:
        raise ValueError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    unit_ids = _unit_ids(db, role, units)
    generated = None
    if password is None:
        password = generated = generate_password()
    hashed = hash_passcode(_check_password(password))
    with write_transaction(db, changes_evidence=False):
        if db.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone():
            raise ValueError(f"There is already an account for {email}.")
        user_id = db.table("users").insert({"email": email, "role": role, "password_hash": hashed,
                                            "created_at": _now()}).last_pk
        db.table("user_units").insert_all([{"user_id": user_id, "unit_id": u} for u in unit_ids])
        audit.record(db, actor, audit.USER_ADD, {"email": email, "role": role, "units": _names(db, unit_ids)})
    return generated


def _names(db, unit_ids) -> list[str]:
    names = {u["id"]: u["name"] for u in list_units(db)}
    return [names[i] for i in unit_ids if i in names]


def remove_user(db: sqlite_utils.Database, email: str, *, actor=None) -> None:
    _check_actor(actor)
    email = normalise_email(email)
    with write_transaction(db, changes_evidence=False):
        row = db.execute("SELECT id, role FROM users WHERE email = ?", [email]).fetchone()
        if row is None:
            raise LookupError(f"No account {email}.")
        if row[1] == "admin" and db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin'").fetchone()[0] == 1:
            raise PermissionError(f"{email} is the last admin: add another admin before removing it.")
        db.execute("DELETE FROM users WHERE id = ?", [row[0]])  # its sessions and units go with it (cascade)
        audit.record(db, actor, audit.USER_REMOVE, {"email": email})


def set_password(db: sqlite_utils.Database, email: str, password: str, *, actor=None) -> None:
    """Replace the password and end every session of the account (a leaked password stops working at once)."""
    _check_actor(actor)
    email = normalise_email(email)
    hashed = hash_passcode(_check_password(password))
    with write_transaction(db, changes_evidence=False):
        row = db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()
        if row is None:
            raise LookupError(f"No account {email}.")
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hashed, row[0]])
        db.execute("DELETE FROM sessions WHERE user_id = ?", [row[0]])
        audit.record(db, actor, audit.USER_PASSWORD, {"email": email})


def list_accounts(db: sqlite_utils.Database) -> list[Account]:
    rows = db.execute(
        "SELECT u.email, u.role, u.created_at, u.password_hash IS NOT NULL, "
        "(SELECT group_concat(n.name, char(31)) FROM (SELECT un.name FROM user_units uu JOIN units un ON un.id = uu.unit_id "
        " WHERE uu.user_id = u.id ORDER BY un.name) n) FROM users u ORDER BY u.email").fetchall()
    return [Account(email, role, tuple(units.split("\x1f")) if units else (), created, bool(has))
            for email, role, created, has, units in rows]


def ensure_admin_account(db: sqlite_utils.Database) -> None:
    """The built-in ``admin`` account exists (its password is the app passcode) while no other admin does.

    Idempotent and race-safe. Once a named admin exists and removes ``admin``, it stays removed: the passcode
    then signs nobody in.
    """
    if db.execute("SELECT 1 FROM users WHERE role = 'admin'").fetchone():
        return
    with write_transaction(db, changes_evidence=False):
        db.execute("INSERT OR IGNORE INTO users (email, role, password_hash, created_at) VALUES (?, 'admin', NULL, ?)",
                   [ADMIN_ACCOUNT, _now()])


def load_user(db: sqlite_utils.Database, email: str | None = None, *, user_id: int | None = None) -> User | None:
    """The account by email (case-insensitive) or id, with its units; None when there is none."""
    if user_id is not None:
        row = db.execute("SELECT id, email, role FROM users WHERE id = ?", [user_id]).fetchone()
    else:
        try:
            row = db.execute("SELECT id, email, role FROM users WHERE email = ?", [normalise_email(email)]).fetchone()
        except ValueError:
            return None
    if row is None:
        return None
    units = tuple(r[0] for r in db.execute("SELECT unit_id FROM user_units WHERE user_id = ? ORDER BY unit_id", [row[0]]))
    return User(row[0], row[1], row[2], units)


def authenticate(db: sqlite_utils.Database, email: str | None, password: str | None, configured_passcode: str | None,
                 *, client: str | None = None) -> User | None:
    """The account when ``password`` is right, else None. Every attempt is audited (never the password).

    The account ``admin`` (an empty email means it) also accepts the app passcode.
    """
    try:
        email = normalise_email(email)
    except ValueError:
        email = (email or "").strip()[:200]
    row = db.execute("SELECT password_hash FROM users WHERE email = ?", [email]).fetchone()
    password = (password or "").strip()
    accepted = False
    if row is not None and password:
        if email == ADMIN_ACCOUNT and check_passcode(db, password, configured_passcode):
            accepted = True
        elif row[0]:
            accepted = verify_hash(password, row[0])
    else:
        # An unknown account costs the same scrypt as a known one, so timing does not reveal which emails exist.
        verify_hash(password or "-", hash_passcode("x", salt=b"0" * 16))
    detail = {"email": email} | ({"client": client} if client else {})
    audit.record(db, email or 'anonymous', audit.SIGN_IN if accepted else audit.SIGN_IN_FAILED,
                 detail | {"method": "password"})
    return load_user(db, email) if accepted else None


def record_sso_sign_in(db: sqlite_utils.Database, email: str | None, provider: str) -> User | None:
    """Match a single-sign-on identity's email to an account; audit either way. None: no such account."""
    user = load_user(db, email) if email else None
    if user is not None and user.email == ADMIN_ACCOUNT:
        user = None  # the passcode account has no company identity
    audit.record(db, (email or 'anonymous')[:200], audit.SIGN_IN if user else audit.SIGN_IN_FAILED,
                 {"email": (email or "")[:200], "method": f"sso:{provider}"})
    return user
