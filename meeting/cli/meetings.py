"""Commands for the database, units and meetings: init, units, passcode, meetings, new-meeting, schedule,
delete-meeting, participants, entries."""
from __future__ import annotations

import json
import sys

from meeting import store
from meeting.cli.common import CommandError
from meeting.store import imports, meetings


def cmd_init(db, args) -> int:
    if args.demo:
        from meeting import demo

        if args.if_missing and imports.has_responses(db):
            print(f"{imports.database_location(db)} already has data; left as it is.")
            return 0
        counts = demo.load_demo(db)
        print("Demo organisation loaded: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    print(f"Database ready (schema version {store.schema_version(db)}).")
    return 0


def cmd_units(db, args) -> int:
    for unit in store.list_units(db):
        print(f"{unit['id']}\t{unit['name']}")
    return 0


def cmd_passcode(db, args) -> int:
    from meeting.accounts import passcode as auth

    configured = auth.configured_passcode()
    from meeting import accounts

    accounts.ensure_admin_account(db)  # the account the passcode signs in
    if args.reset:
        print(auth.passcode_banner(auth.reset_passcode(db)))
    else:
        generated = auth.ensure_passcode(db, configured)
        if generated:
            print(auth.passcode_banner(generated))
        elif not configured:
            print("A generated GM passcode is already set (only its hash is stored). "
                  "Use --reset to replace it and print the new one.")
    if configured:
        print("Note: OUTSIDE_IN_PASSCODE is set (environment or .streamlit/secrets.toml); it is the passcode in use.")
    return 0


def cmd_meetings(db, args) -> int:
    for row in meetings.list_meetings(db, args.unit):
        print(f"{row['id']}\t{row['unit']}\t{row['held_on']}\t{row['status']}\t{row['title']}")
    return 0


def cmd_new_meeting(db, args) -> int:
    from meeting import agenda

    # Asked about, not refused: a script decides. Bad input is refused here already (exit 2).
    held_on = args.held_on
    if held_on is None:  # --starts 2026-12-10T09:00 says the day too
        from meeting.agenda import schedule

        day = schedule.parse_starts(args.starts)[0] if args.starts else None
        if day is None:
            raise CommandError("Say the day: --held-on YYYY-MM-DD, or --starts YYYY-MM-DDTHH:MM.", 2)
        held_on = day.isoformat()
    warnings = agenda.new_meeting_warnings(db, args.unit, held_on, period=args.period)
    details = {"title": args.title, "period": args.period, "starts": args.starts}
    if args.minutes is not None:
        details["total_minutes"] = args.minutes
    created = agenda.new_meeting(db, args.unit, held_on, **details)
    print(created.id)  # the only line on stdout, for scripts; the rest goes to stderr
    if created.leaders_copied:
        print(f"Invited the leadership team of meeting {created.copied_from}: {', '.join(created.leaders_copied)}",
              file=sys.stderr)
    for warning in warnings:
        print(f"Check: {warning}", file=sys.stderr)
    return 0


def cmd_schedule(db, args) -> int:
    from meeting.agenda import schedule

    if args.starts is None and args.minutes is None:
        meeting = meetings.get_meeting(db, args.meeting_id)
        now = {"start_time": meeting["start_time"], "total_minutes": int(meeting["total_minutes"])}
    else:
        now = schedule.set_schedule(db, args.meeting_id, starts=args.starts, minutes=args.minutes)
    starts = f"starts at {now['start_time']}" if now["start_time"] else "no start time set yet (--starts HH:MM)"
    print(f"Meeting {args.meeting_id}: {starts}; lasts {now['total_minutes']} minutes.")
    return 0


def cmd_delete_meeting(db, args) -> int:
    meeting = meetings.get_meeting(db, args.meeting_id)
    meetings.delete_meeting(db, args.meeting_id)
    print(f"Deleted draft meeting {args.meeting_id}: {meeting['title']} ({meeting['held_on']}).")
    return 0


PARTICIPANT_FIELDS = ("name", "organisation", "role", "kind", "email")


def cmd_participants(db, args) -> int:
    meetings.get_meeting(db, args.meeting_id)  # an unknown meeting is "not found", not an empty list
    rows = [{field: person[field] for field in PARTICIPANT_FIELDS}
            for person in meetings.list_participants(db, args.meeting_id)]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            print("\t".join(row[field] or "" for field in PARTICIPANT_FIELDS))
    return 0


ENTRY_FIELDS = ("id", "section", "kind", "text", "speaker", "owner", "due_on", "status")


def _entry_id(words: list[str]) -> int:
    if len(words) != 2 or not words[1].isdigit():
        raise CommandError(f"entries {words[0]}: give one ENTRY_ID (the numbers `entries MEETING_ID` lists).", 2)
    return int(words[1])


def cmd_entries(db, args) -> int:
    """``entries ID`` lists; ``entries edit ENTRY_ID --text ...``, ``entries delete ENTRY_ID`` correct."""
    from meeting import minutes

    words = args.what
    if words[0] == "edit":
        entry_id = _entry_id(words)
        changes = {name: value for name, value in (("text", args.text), ("owner", args.owner), ("due_on", args.due))
                   if value is not None}
        if not changes:
            raise CommandError("entries edit: say what changes: --text, --owner or --due ('' clears owner or due).", 2)
        changed = minutes.edit_entry(db, entry_id, **changes)
        print(f"Entry {entry_id}: " + (", ".join(f"{field} changed" for field in changed) or "nothing to change") + ".")
        return 0
    if words[0] == "delete":
        entry_id = _entry_id(words)
        minutes.delete_entry(db, entry_id)
        print(f"Deleted entry {entry_id}.")
        return 0
    if len(words) != 1 or not words[0].isdigit():
        raise CommandError("entries: write `entries MEETING_ID`, `entries edit ENTRY_ID --text ...` or "
                           "`entries delete ENTRY_ID`.", 2)
    if args.text is not None or args.owner is not None or args.due is not None:
        raise CommandError("entries: --text, --owner and --due go with `entries edit ENTRY_ID`.", 2)
    meeting_id = int(words[0])
    meetings.get_meeting(db, meeting_id)
    rows = [{**{field: entry[field] for field in ENTRY_FIELDS}, "missing": list(minutes.action_gaps(entry))}
            for entry in minutes.list_entries(db, meeting_id)]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        details = [f"speaker {row['speaker']}" if row["speaker"] else "",
                   f"owner {row['owner']}" if row["owner"] else "", f"due {row['due_on']}" if row["due_on"] else "",
                   row["status"] if row["kind"] == "action" else "", *(f"MISSING: {gap}" for gap in row["missing"])]
        print(f"[{row['id']}] {row['section']} {row['kind']}: {row['text']}"
              + "".join(f" · {d}" for d in details if d))
    return 0
