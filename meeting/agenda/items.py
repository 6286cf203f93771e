"""Agenda items: the rows a GM edits within the fixed customer-first order, with their time boxes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meeting import clock
from meeting.accounts import audit
from meeting.i18n import meeting_language, month_year, speaking, tr_known
from meeting.periods import parse_period
from meeting.sections import APPROVAL_SECTION, allot_minutes, section_position
from meeting.store import SECTION_KEYS, Database, find_unit, write_transaction
from meeting.store import agenda as agenda_store
from meeting.store import meetings as meeting_store
from meeting.store import records as record_store
from meeting.store import schedule as schedule_store
from meeting.store.meetings import copy_participants, create_meeting, get_meeting, list_meetings, previous_meeting

DEFAULT_ITEMS: dict[str, tuple[str, ...]] = {
    "customer": ("What our customers told us in {month}", "Invited customer: how customer-focused are we? How could we support you?"),
    "employees": ("What the frontline told us in {month}", "Invited frontline colleague: what stops you serving customers well?"),
    "operations": ("Watermelons: green metrics, unhappy customers", "Process metrics against what customers feel"),
    "marketing": ("Planned programmes: how will the target customers feel and react?",),
    "sales": ("Targets and what customers in those segments already say",),
    "finance": ("Actual against budget",),
}

ITEM_GONE = "That agenda item no longer exists: someone else removed it. The page now shows the latest agenda."


def _split_minutes(total: int, parts: int) -> list[int]:
    """``total`` minutes over ``parts`` items, the first items taking the remainder."""
    if parts == 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def draft_agenda(db: Database, meeting_id: int) -> int:
    """Give a meeting its default items (once); returns how many were added."""
    meeting = get_meeting(db, meeting_id)
    with write_transaction(db):
        if agenda_store.count_items(db, meeting_id):
            return 0
        boxes = allot_minutes(meeting["total_minutes"])
        rows = []
        # The default items are written once, in the unit's language (issue 27): the GM edits them from there.
        with speaking(meeting_language(db, meeting_id)):
            month = month_year(dt.date.fromisoformat(meeting["period"] + "-01"))
            for key, titles in DEFAULT_ITEMS.items():
                for position, (title, minutes) in enumerate(zip(titles, _split_minutes(boxes[key], len(titles)))):
                    rows.append({"meeting_id": meeting_id, "section": key, "position": position,
                                 "title": tr_known(title).format(month=month), "minutes": minutes, "owner": None})
        agenda_store.insert_items(db, rows)
        return len(rows)


def list_items(db: Database, meeting_id: int) -> list[dict]:
    return sorted(agenda_store.list_items(db, meeting_id), key=lambda row: section_position(row["section"]))


def _check_minutes(minutes) -> int | None:
    if minutes in (None, ""):
        return None
    value = int(minutes)
    if not 0 <= value <= 600:
        raise ValueError("An item's time box must be between 0 and 600 minutes.")
    return value


def add_item(db: Database, meeting_id: int, section: str, title: str,
             minutes: int | None = None, owner: str | None = None) -> int:
    section_position(section)
    title = " ".join((title or "").split())
    if not title:
        raise ValueError("An agenda item needs a title.")
    with write_transaction(db):
        return agenda_store.insert_item(db, meeting_id, section, title, _check_minutes(minutes),
                                        (owner or "").strip() or None)


def update_item(db: Database, item_id: int, *, title: str | None = None,
                minutes: int | None | str = "unchanged", owner: str | None | bool = False,
                shown: dict | None = None) -> None:
    """Change an item's title, time box or owner. Its section is fixed: the order of sections is the point.

    ``shown``: the item as the editor's page showed it ({title, minutes, owner}). If someone else changed it
    since, the edit is refused rather than silently overwriting theirs (two GMs preparing at once).
    """
    changes: dict = {}
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise ValueError("An agenda item needs a title.")
        changes["title"] = title
    if minutes != "unchanged":
        changes["minutes"] = _check_minutes(minutes)
    if owner is not False:
        assert owner is not True, "owner is a label, None (nobody) or False (unchanged)"
        changes["owner"] = (owner or "").strip() or None
    if changes:
        with write_transaction(db):
            item = agenda_store.get_item(db, item_id)
            if item is None:
                raise LookupError(ITEM_GONE)
            if shown is not None and any(item[key] != shown.get(key) for key in ("title", "minutes", "owner")):
                raise ValueError(f"Someone else changed this item meanwhile (now: “{item['title']}”, "
                                 f"{item['minutes'] or 0} min, {item['owner'] or 'no owner'}). The page shows their "
                                 "version; make your change again.")
            agenda_store.update_item(db, item_id, changes)


def delete_item(db: Database, item_id: int) -> None:
    with write_transaction(db):
        agenda_store.delete_item(db, item_id)


def move_item(db: Database, item_id: int, offset: int) -> None:
    """Move an item up (-1) or down (+1) within its own section; at either end it stays put."""
    with write_transaction(db):
        item = agenda_store.get_item(db, item_id)
        if item is None:
            raise LookupError(ITEM_GONE)
        siblings = [row["id"] for row in agenda_store.section_items(db, item["meeting_id"], item["section"])]
        index = siblings.index(item_id)
        target = index + offset
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        agenda_store.set_positions(db, siblings)


def set_total_minutes(db: Database, meeting_id: int, total: int) -> None:
    """Change the meeting's length and re-box every section by its default share, items pro rata."""
    boxes = allot_minutes(int(total))
    with write_transaction(db):
        meeting_store.set_total_minutes(db, meeting_id, int(total))
        for key in SECTION_KEYS:
            items = agenda_store.section_items(db, meeting_id, key)
            if not items:
                continue
            weights = [row["minutes"] or 0 for row in items]
            if not sum(weights):
                weights = [1] * len(items)
            exact = [boxes[key] * w / sum(weights) for w in weights]
            minutes = [int(x) for x in exact]
            for index in sorted(range(len(items)), key=lambda i: exact[i] - minutes[i], reverse=True)[: boxes[key] - sum(minutes)]:
                minutes[index] += 1
            agenda_store.set_minutes(db, {row["id"]: value for row, value in zip(items, minutes)})


def section_minutes(items: list[dict]) -> dict[str, int]:
    return {key: sum(item["minutes"] or 0 for item in items if item["section"] == key) for key in SECTION_KEYS}


# --- evidence --------------------------------------------------------------------------------------------


FAR_AHEAD_DAYS = 45  # a monthly meeting dated further ahead than this is more likely a mistyped month


@dataclass(frozen=True)
class NewMeeting:
    """What ``create_meeting_with_agenda`` did: the meeting, and the leaders it invited from the one before."""
    id: int
    title: str
    held_on: str
    leaders_copied: tuple[str, ...]
    copied_from: int | None


def create_meeting_with_agenda(db: Database, unit: str | int, held_on: str, *, user=None,
                               **details) -> int:
    """``new_meeting``, returning only the new meeting's id."""
    return new_meeting(db, unit, held_on, user=user, **details).id


APPROVAL_MINUTES = 2


def approval_item_title(held_on: str) -> str:
    return f"Approve the minutes of {held_on}"


def add_approval_item(db: Database, meeting_id: int, before: dict) -> int | None:
    """Issue 28: when the previous meeting was held and its minutes are not approved yet, the new meeting approves
    them: one item at the end of the last section, its minutes taken from that section's first item so the time
    boxes still add up. Returns the item's id, or None when nothing is awaiting approval."""
    if not record_store.awaits_approval(db, before):
        return None
    with write_transaction(db):
        first = agenda_store.first_item(db, meeting_id, APPROVAL_SECTION)
        taken = min(APPROVAL_MINUTES, (first[1] or 0) if first else 0)
        if taken:
            assert first is not None  # taken is 0 without a first item
            agenda_store.take_minutes(db, first[0], taken)
        return add_item(db, meeting_id, APPROVAL_SECTION, approval_item_title(before["held_on"]),
                        minutes=taken or None)


def new_meeting(db: Database, unit: str | int, held_on: str, *, user=None, starts: str | None = None,
                **details) -> NewMeeting:
    """A new draft meeting with its default agenda and the previous meeting's leadership team invited (the
    customers, frontline and guests change from month to month): what the Prepare page and ``new-meeting``
    both do. Nothing is refused for an odd date: ``new_meeting_warnings`` says what to ask first. ``starts``
    (HH:MM, or the day's YYYY-MM-DDTHH:MM) and ``total_minutes`` are checked before anything is created."""
    from meeting.agenda import schedule

    start = schedule.start_on(str(held_on).strip(), starts) if starts else None
    if details.get("total_minutes") is not None:
        details["total_minutes"] = schedule.check_length(details["total_minutes"])
    meeting_id = create_meeting(db, unit, held_on, **details)
    if start:
        with write_transaction(db):
            schedule_store.set_start_time(db, meeting_id, start)
    meeting = get_meeting(db, meeting_id)
    audit.record(db, user, audit.MEETING_CREATE, {"meeting_id": meeting_id, "title": meeting["title"],
                                                  "held_on": meeting["held_on"], "start_time": meeting["start_time"],
                                                  "total_minutes": int(meeting["total_minutes"])})
    draft_agenda(db, meeting_id)
    before = previous_meeting(db, meeting_id)
    if before:
        add_approval_item(db, meeting_id, before)
    copied = copy_participants(db, before["id"], meeting_id, "leader", user=user) if before else []
    return NewMeeting(id=int(meeting_id), title=meeting["title"], held_on=meeting["held_on"],
                      leaders_copied=tuple(copied), copied_from=int(before["id"]) if before else None)


def new_meeting_warnings(db: Database, unit: str | int, held_on: str | dt.date, *,
                         period: str | None = None, today: dt.date | str | None = None) -> list[str]:
    """What to ask before creating a meeting on ``held_on``: a date already past, one more than 45 days ahead,
    a second meeting of the unit in the same month. Empty when nothing looks odd. Bad input (a date or month
    that is not one) is refused here as ``create_meeting`` would refuse it, so it is said before any question."""
    try:
        held = held_on if isinstance(held_on, dt.date) else dt.date.fromisoformat(str(held_on).strip())
    except ValueError:
        raise ValueError(f"Date {held_on!r} is not in the form YYYY-MM-DD") from None
    if period:
        parse_period(period)
    day = clock.as_date(today)
    warnings = []
    if held < day:
        warnings.append(f"{held.isoformat()} is in the past (today is {day.isoformat()}): the follow-up note would "
                        "speak of a meeting already held.")
    elif (held - day).days > FAR_AHEAD_DAYS:
        warnings.append(f"{held.isoformat()} is {(held - day).days} days ahead, more than {FAR_AHEAD_DAYS}: "
                        "is the month right?")
    unit_row = find_unit(db, unit)
    if unit_row is not None:
        same_month = [m for m in list_meetings(db, unit_row["id"]) if m["held_on"][:7] == held.isoformat()[:7]]
        for other in same_month:
            warnings.append(f"{unit_row['name']} already has a meeting in {held:%B %Y}: {other['title']} on "
                            f"{other['held_on']} ({other['status']}).")
    return warnings
