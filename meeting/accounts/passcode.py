"""The app passcode (it signs in the built-in `admin` account), password hashing, and the one place that reads deployment settings (environment, then secrets file).

Every page but Join is for the GM. The passcode comes from ``OUTSIDE_IN_PASSCODE`` (environment or
``.streamlit/secrets.toml``). If none is set, the app makes one up on first start, keeps only a salted scrypt
hash in the database, and prints the passcode once to the terminal, as Jupyter prints its token.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from meeting.config import SECRETS_PATH, read_setting  # noqa: F401 (read_setting: meeting.accounts re-exports it)
from meeting.store import Database, write_transaction
from meeting.store import settings as settings_store

PASSCODE_SETTING = "OUTSIDE_IN_PASSCODE"
HASH_KEY = "gm_passcode_hash"

# scrypt at n=2**14, r=8: ~16 MB and a few tens of ms per check; costly enough to slow offline guessing of a
# stolen database, cheap enough for a login form.
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_PASSCODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L: it is read off a terminal and typed


def configured_passcode(*, environ: dict | None = None, secrets_path: Path | None = None) -> str | None:
    return read_setting(PASSCODE_SETTING, environ=environ, secrets_path=secrets_path)


def generate_passcode(groups: int = 4, size: int = 4) -> str:
    """A new passcode such as ``K7QM-4XZ2-...``: 16 characters from 30, about 78 bits."""
    chars = "".join(secrets.choice(_PASSCODE_ALPHABET) for _ in range(groups * size))
    return "-".join(chars[i:i + size] for i in range(0, len(chars), size))


def hash_passcode(passcode: str, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex), self-describing so the cost can be raised later."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(passcode.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_hash(passcode: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(passcode.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
                                dklen=len(digest_hex) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def _get_hash(db: Database) -> str | None:
    return settings_store.get_setting(db, HASH_KEY)


def ensure_passcode(db: Database, configured: str | None) -> str | None:
    """Make sure the app has a passcode. Returns a newly generated passcode (to print once), else None.

    Nothing to do when one is configured. Otherwise the first caller inserts the hash; a second session
    starting at the same moment finds the row and generates nothing (insert-if-absent under the write lock).
    """
    if configured or _get_hash(db):
        return None
    passcode = generate_passcode()
    with write_transaction(db):
        inserted = settings_store.set_setting(db, HASH_KEY, hash_passcode(passcode), replace=False)
    return passcode if inserted else None


def reset_passcode(db: Database) -> str:
    """Replace the stored passcode with a new one and return it (the CLI prints it)."""
    passcode = generate_passcode()
    with write_transaction(db):
        settings_store.set_setting(db, HASH_KEY, hash_passcode(passcode))
    return passcode


def check_passcode(db: Database, attempt: str | None, configured: str | None) -> bool:
    """True when ``attempt`` is the GM passcode; compared in constant time.

    A configured passcode wins over a stored hash. Both sides are hashed before ``compare_digest`` so the
    comparison does not even reveal the passcode's length.
    """
    attempt = (attempt or "").strip()
    if not attempt:
        return False
    if configured:
        expected = hashlib.sha256(configured.encode()).digest()
        return hmac.compare_digest(hashlib.sha256(attempt.encode()).digest(), expected)
    stored = _get_hash(db)
    if not stored:
        return False
    # Only generated passcodes are stored, and they are upper case: accept them typed in lower case too.
    return verify_hash(attempt.upper(), stored)


def passcode_banner(passcode: str) -> str:
    """What the terminal shows once, like Jupyter's token line."""
    line = "=" * 64
    return (f"\n{line}\n  Outside In: GM passcode (shown once; only a hash is stored)\n\n      {passcode}\n\n"
            f"  Set OUTSIDE_IN_PASSCODE to choose your own, or run\n"
            f"  `python -m meeting passcode --reset` to get a new one.\n{line}\n")
