"""Accounts and roles: who may sign in, with which role, for which units.

``admin`` sees everything (settings, users, every unit); ``gm`` prepares, runs, imports and exports the
minutes (INTERNAL too) of their units; ``viewer`` reads their units' anonymised minutes and pre-reads only.
The built-in account ``admin`` signs in with the app passcode (``make run`` prints it), so one machine
still needs no user administration.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from meeting import clock
from meeting.accounts import audit
from meeting.accounts.passcode import check_passcode, hash_passcode, verify_hash
from meeting.store import Database, find_unit, list_units, write_transaction
from meeting.store import accounts as accounts_store

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


def _unit_ids(db: Database, role: str, units) -> list[int]:
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


def add_user(db: Database, email: str, role: str, units=(), password: str | None = None, *,
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
        if accounts_store.find_user_by_email(db, email):
            raise ValueError(f"There is already an account for {email}.")
        user_id = accounts_store.insert_user(db, email, role, hashed, _now())
        accounts_store.add_user_units(db, user_id, unit_ids)
        audit.record(db, actor, audit.USER_ADD, {"email": email, "role": role, "units": _names(db, unit_ids)})
    return generated


def _names(db, unit_ids) -> list[str]:
    names = {u["id"]: u["name"] for u in list_units(db)}
    return [names[i] for i in unit_ids if i in names]


def remove_user(db: Database, email: str, *, actor=None) -> None:
    _check_actor(actor)
    email = normalise_email(email)
    with write_transaction(db, changes_evidence=False):
        account = accounts_store.find_user_by_email(db, email)
        if account is None:
            raise LookupError(f"No account {email}.")
        if account["role"] == "admin" and accounts_store.admin_count(db) == 1:
            raise PermissionError(f"{email} is the last admin: add another admin before removing it.")
        accounts_store.delete_user(db, account["id"])  # its sessions and units go with it
        audit.record(db, actor, audit.USER_REMOVE, {"email": email})


def set_password(db: Database, email: str, password: str, *, actor=None) -> None:
    """Replace the password and end every session of the account (a leaked password stops working at once)."""
    _check_actor(actor)
    email = normalise_email(email)
    hashed = hash_passcode(_check_password(password))
    with write_transaction(db, changes_evidence=False):
        account = accounts_store.find_user_by_email(db, email)
        if account is None:
            raise LookupError(f"No account {email}.")
        accounts_store.save_password_hash(db, account["id"], hashed)
        accounts_store.delete_sessions_of_user(db, account["id"])
        audit.record(db, actor, audit.USER_PASSWORD, {"email": email})


def list_accounts(db: Database) -> list[Account]:
    return [Account(row["email"], row["role"], row["units"], row["created_at"], row["has_password"])
            for row in accounts_store.list_accounts(db)]


def ensure_admin_account(db: Database) -> None:
    """The built-in ``admin`` account exists (its password is the app passcode) while no other admin does.

    Idempotent and race-safe. Once a named admin exists and removes ``admin``, it stays removed: the passcode
    then signs nobody in.
    """
    if accounts_store.admin_count(db):
        return
    with write_transaction(db, changes_evidence=False):
        accounts_store.insert_user_if_absent(db, ADMIN_ACCOUNT, "admin", _now())


def load_user(db: Database, email: str | None = None, *, user_id: int | None = None) -> User | None:
    """The account by email (case-insensitive) or id, with its units; None when there is none."""
    if user_id is not None:
        account = accounts_store.find_user_by_id(db, user_id)
    else:
        try:
            account = accounts_store.find_user_by_email(db, normalise_email(email))
        except ValueError:
            return None
    if account is None:
        return None
    return User(account["id"], account["email"], account["role"], accounts_store.user_unit_ids(db, account["id"]))


def authenticate(db: Database, email: str | None, password: str | None, configured_passcode: str | None,
                 *, client: str | None = None) -> User | None:
    """The account when ``password`` is right, else None. Every attempt is audited (never the password).

    The account ``admin`` (an empty email means it) also accepts the app passcode.
    """
    try:
        email = normalise_email(email)
    except ValueError:
        email = (email or "").strip()[:200]
    account = accounts_store.find_user_by_email(db, email)
    password = (password or "").strip()
    accepted = False
    if account is not None and password:
        if email == ADMIN_ACCOUNT and check_passcode(db, password, configured_passcode):
            accepted = True
        elif account["password_hash"]:
            accepted = verify_hash(password, account["password_hash"])
    else:
        # An unknown account costs the same scrypt as a known one, so timing does not reveal which emails exist.
        verify_hash(password or "-", hash_passcode("x", salt=b"0" * 16))
    detail = {"email": email} | ({"client": client} if client else {})
    audit.record(db, email or 'anonymous', audit.SIGN_IN if accepted else audit.SIGN_IN_FAILED,
                 detail | {"method": "password"})
    return load_user(db, email) if accepted else None


def record_sso_sign_in(db: Database, email: str | None, provider: str) -> User | None:
    """Match a single-sign-on identity's email to an account; audit either way. None: no such account."""
    user = load_user(db, email) if email else None
    if user is not None and user.email == ADMIN_ACCOUNT:
        user = None  # the passcode account has no company identity
    audit.record(db, (email or 'anonymous')[:200], audit.SIGN_IN if user else audit.SIGN_IN_FAILED,
                 {"email": (email or "")[:200], "method": f"sso:{provider}"})
    return user
