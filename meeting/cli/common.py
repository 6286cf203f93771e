"""What every command group shares: the user-facing error and the small lookups several commands make."""
from __future__ import annotations

from meeting import store


class CommandError(Exception):
    """A message for the user and an exit code; no traceback."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _unit(db, name_or_id):
    unit = store.find_unit(db, name_or_id)
    if unit is None:
        raise CommandError(f"No unit {name_or_id!r}. Known units: {', '.join(u['name'] for u in store.list_units(db)) or 'none'}")
    return unit


def _file_name(path: str) -> str:
    from pathlib import Path

    return Path(path).name
