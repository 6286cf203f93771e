"""Which units a user may see: every page, chart, download and cached result asks here, once."""
from __future__ import annotations

from meeting.accounts.users import User, can
from meeting.store import Database, list_units
from meeting.store import accounts as accounts_store


class NotYours(PermissionError):
    """A unit or meeting outside the signed-in user's units."""

    def __init__(self, what: str = "This belongs to a unit you do not have access to."):
        super().__init__(what)


def visible_units(db: Database, user: User | None) -> list[dict]:
    """The units (id, name) the user may see, by name; None (the CLI at the server) sees all."""
    units = list_units(db)
    if user is None or user.sees_every_unit:
        return units
    return [u for u in units if u["id"] in user.unit_ids]


def allowed_unit_ids(db: Database, user: User | None) -> list[int]:
    return [u["id"] for u in visible_units(db, user)]


def require_unit(db: Database, user: User | None, unit_id: int) -> int:
    if user is not None and not user.sees_every_unit and int(unit_id) not in user.unit_ids:
        raise NotYours("This unit is not one of yours: ask your administrator if you need it.")
    return int(unit_id)


def require_meeting(db: Database, user: User | None, meeting_id: int) -> int:
    """The meeting's unit id when the user may see it; NotYours otherwise, LookupError when there is none."""
    unit_id = accounts_store.meeting_unit_id(db, meeting_id)
    if unit_id is None:
        raise LookupError(f"No meeting {meeting_id}.")
    if user is not None and not user.sees_every_unit and unit_id not in user.unit_ids:
        raise NotYours("This meeting belongs to a unit that is not yours: ask your administrator if you need it.")
    return unit_id


def require(user: User | None, capability: str, what: str) -> None:
    """Refuse (PermissionError) unless the user's role allows ``capability``. None is the CLI: allowed."""
    if user is not None and not can(user, capability):
        raise PermissionError(f"Your role ({user.role}) does not allow {what}.")
