"""app_settings: the application's named values (a unit's languages, the passcode's hash, the session secret,
retention periods), one key to one text value. One reader, one writer: every module that keeps a setting
goes through these two, so the SQL (and its upsert) is written once for both engines.
"""
from __future__ import annotations


def get_setting(db, key: str) -> str | None:
    """The value stored under ``key``, or None."""
    row = db.execute("SELECT value FROM app_settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(db, key: str, value: str | None, *, replace: bool = True) -> bool:
    """Store ``value`` under ``key`` (None removes the key); with ``replace=False`` a value already there is
    kept. Whether the stored value changed hands to ``value``. Call inside a write transaction."""
    if value is None:
        db.execute("DELETE FROM app_settings WHERE key = ?", [key])
        return True
    action = "DO UPDATE SET value = excluded.value" if replace else "DO NOTHING"
    written = db.execute(f"INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) {action} RETURNING key",
                         [key, str(value)]).fetchone()
    return written is not None
