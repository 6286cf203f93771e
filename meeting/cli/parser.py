"""``build_parser``: every command, flag and default of ``python -m meeting``, wired to its ``cmd_<name>``."""
from __future__ import annotations

import argparse

from meeting.cli.admin import cmd_audit, cmd_language, cmd_languages, cmd_purge, cmd_retention, cmd_users
from meeting.cli.documents import (
    cmd_actions,
    cmd_approve,
    cmd_circulate,
    cmd_export,
    cmd_finalise,
    cmd_followup,
    cmd_invite,
    cmd_minutes_status,
    cmd_review,
)
from meeting.cli.evidence import cmd_agenda, cmd_import, cmd_imports, cmd_responses, cmd_retag, cmd_watermelons
from meeting.cli.meetings import (
    cmd_delete_meeting,
    cmd_entries,
    cmd_init,
    cmd_meetings,
    cmd_new_meeting,
    cmd_participants,
    cmd_passcode,
    cmd_schedule,
    cmd_units,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m meeting", description="Outside In: customer-first leadership meetings.")
    parser.add_argument("--db", help="SQLite file (default: $OUTSIDE_IN_DB, else data/outside_in.db)")
    parser.add_argument("--database-url", metavar="URL",
                        help="PostgreSQL instead of the SQLite file: postgresql://user:pass@host:5432/db "
                             "(default: $OUTSIDE_IN_DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create or migrate the database")
    init.add_argument("--demo", action="store_true", help="load the demo organisation")
    init.add_argument("--if-missing", action="store_true", help="with --demo: only when the database has no data yet")
    init.set_defaults(func=cmd_init)

    commands.add_parser("units", help="list units").set_defaults(func=cmd_units)

    passcode = commands.add_parser("passcode", help="make sure a GM passcode exists; --reset prints a new one")
    passcode.add_argument("--reset", action="store_true", help="replace the generated passcode and print it")
    passcode.set_defaults(func=cmd_passcode)

    listing = commands.add_parser("meetings", help="list meetings")
    listing.add_argument("--unit")
    listing.set_defaults(func=cmd_meetings)

    new = commands.add_parser("new-meeting", help="create a draft meeting with its agenda and the previous meeting's "
                                                  "leaders; print its id (odd dates are flagged on stderr)")
    new.add_argument("--unit", required=True)
    new.add_argument("--held-on", help="YYYY-MM-DD (may be left out when --starts gives the day)")
    new.add_argument("--title")
    new.add_argument("--period", help="month reviewed, YYYY-MM (default: the month before --held-on)")
    new.add_argument("--starts", metavar="HH:MM", help="local start time, or YYYY-MM-DDTHH:MM on its day (the "
                                                      "invitation needs one)")
    new.add_argument("--minutes", metavar="N", help="length in minutes, 30-480 (default 120); the agenda is boxed to it")
    new.set_defaults(func=cmd_new_meeting)

    timing = commands.add_parser("schedule", help="show or set when a meeting starts and how long it lasts "
                                                  "(a new length re-boxes the agenda; audited)")
    timing.add_argument("meeting_id", type=int)
    timing.add_argument("--starts", metavar="HH:MM", help="local start time, or YYYY-MM-DDTHH:MM on the meeting's day")
    timing.add_argument("--minutes", metavar="N", help="length in minutes, 30-480")
    timing.set_defaults(func=cmd_schedule)

    deleting = commands.add_parser("delete-meeting", help="delete a draft meeting (never a live or closed one)")
    deleting.add_argument("meeting_id", type=int)
    deleting.set_defaults(func=cmd_delete_meeting)

    roster = commands.add_parser("participants", help="a meeting's roster: name, organisation, role, kind, email")
    roster.add_argument("meeting_id", type=int)
    roster.add_argument("--json", action="store_true", help="machine-readable: [{name, organisation, role, kind, email}]")
    roster.set_defaults(func=cmd_participants)

    listed = commands.add_parser("entries", help="a meeting's notes, decisions and actions; edit or delete one "
                                                 "(draft or live meetings only; audited)")
    listed.add_argument("what", nargs="+", metavar="MEETING_ID | edit ENTRY_ID | delete ENTRY_ID")
    listed.add_argument("--json", action="store_true",
                        help="machine-readable: [{id, section, kind, text, speaker, owner, due_on, status, missing}]")
    listed.add_argument("--text", help="with edit: the entry's new words")
    listed.add_argument("--owner", help="with edit: an action's owner ('' clears it)")
    listed.add_argument("--due", metavar="YYYY-MM-DD", help="with edit: an action's due date ('' clears it)")
    listed.set_defaults(func=cmd_entries)

    shown = commands.add_parser("agenda", help="print a meeting's agenda with its evidence, or export the pre-read")
    shown.add_argument("meeting_id", type=int)
    shown.add_argument("--json", action="store_true", help="machine-readable: {meeting, sections: [...]}")
    shown.add_argument("--export", choices=["docx", "md"], help="write the pre-read under exports/ and print its path")
    shown.add_argument("--out", help="with --export: the file to write")
    shown.set_defaults(func=cmd_agenda)

    melons = commands.add_parser("watermelons", help="green metrics whose customers say otherwise, for a unit's month")
    melons.add_argument("--unit", required=True, help="unit name or id")
    melons.add_argument("--period", required=True, help="month, YYYY-MM")
    melons.add_argument("--json", action="store_true", help="machine-readable: {watermelons, too_few, reverse, ...}")
    melons.set_defaults(func=cmd_watermelons)

    readings = commands.add_parser("responses", help="each response of a unit's month: id, language, themes, sentiment")
    readings.add_argument("--unit", required=True, help="unit name or id")
    readings.add_argument("--period", required=True, help="month, YYYY-MM")
    readings.add_argument("--json", action="store_true", help="machine-readable: {responses: [{id, language, themes, sentiment, ...}]}")
    readings.set_defaults(func=cmd_responses)

    retag = commands.add_parser("retag", help="tag and summarise every stale month now (after a big import or a "
                                              "taxonomy edit; otherwise done lazily, month by month)")
    retag.add_argument("--unit", help="unit name or id (default: all)")
    retag.set_defaults(func=cmd_retag)

    # Feature modules add their commands below (import, agenda, watermelons, export ...).
    # Spelled out rather than imported from meeting.importing, which loads pandas for every command.
    kinds = ("voc", "staff", "metrics", "plans", "finance", "participants", "minutes", "tickets")
    importer = commands.add_parser("import", help="import a CSV/XLSX file: all rows or none (see README)")
    importer.add_argument("kind", choices=(*kinds, "undo"), metavar="KIND",
                          help=", ".join(kinds) + "; or undo BATCH_ID (see imports)")
    importer.add_argument("file", metavar="FILE", help="CSV (comma, semicolon or tab; UTF-8) or XLSX; with undo: "
                                                       "the batch's id")
    owner = importer.add_mutually_exclusive_group()
    owner.add_argument("--unit", help="unit name (created if new) or id, for voc/staff/metrics/plans/finance")
    owner.add_argument("--meeting", type=int, help="meeting id, for participants/minutes")
    importer.add_argument("--map", action="append", metavar="canonical=Source Header",
                          help="which column of the file holds a canonical column (repeatable)")
    importer.add_argument("--set", action="append", metavar="canonical=value",
                          help="one value for a column the file lacks or leaves blank, e.g. scale=nps (repeatable)")
    importer.add_argument("--source", metavar="NAME", help="the survey these rows come from, scoping its response ids "
                                                           "(default: the export's survey id, else the file's name)")
    importer.add_argument("--create-units", action="store_true", help="create units a mapped unit column names")
    importer.add_argument("--skip-bad-rows", metavar="REJECTS.csv",
                          help="import the good rows and write the refused ones, with reasons, to this CSV")
    importer.add_argument("--decimal", choices=[",", "."], help="the decimal separator, when the file cannot tell")
    importer.add_argument("--score-labels", metavar="LOWEST,...,HIGHEST",
                          help="the order of a score column's labels, lowest first (2, 3 or 5 labels: 1-5; 11: 0-10)")
    importer.add_argument("--percent-as", choices=["fraction", "points"],
                          help="bare numbers in a percent column: fractions (0.944 = 94.4%%) or points (94.4)")
    importer.add_argument("--header-row", type=int, metavar="N", help="the row holding the column names (1 = first)")
    importer.add_argument("--sheet", metavar="NAME", help="XLSX: the sheet to read (default: the one with most data)")
    importer.add_argument("--dry-run", action="store_true",
                          help="print the mapping, the first rows as stored and the counts; write nothing")
    importer.set_defaults(func=cmd_import)
    listed_imports = commands.add_parser("imports", help="the import batches (file, kind, rows, when, who), newest first")
    listed_imports.add_argument("--unit", help="unit name or id (default: all)")
    listed_imports.add_argument("--json", action="store_true", help="machine-readable: [{id, kind, file, rows, ...}]")
    listed_imports.set_defaults(func=cmd_imports)

    exporter = commands.add_parser("export", help="write a meeting's minutes (anonymised unless --internal); print the path")
    exporter.add_argument("meeting_id", type=int)
    exporter.add_argument("--format", choices=["docx", "md"], default="docx")
    exporter.add_argument("--out", help="file or directory to write (default: exports/, with a generated safe name)")
    exporter.add_argument("--internal", action="store_true", help="the named version for the leadership team")
    exporter.add_argument("--by-group", action="store_true", help="attribute speakers by group, not 'a participant'")
    exporter.add_argument("--redact", action="append", metavar="TERMS", help="extra terms to redact, comma separated (repeatable)")
    exporter.set_defaults(func=cmd_export)

    finaliser = commands.add_parser("finalise", help="a closed meeting's minutes become final: entries frozen, "
                                                     "fingerprint fixed (audited)")
    finaliser.add_argument("meeting_id", type=int)
    finaliser.set_defaults(func=cmd_finalise)

    approver = commands.add_parser("approve", help="record who approved a final record, and today's date (audited)")
    approver.add_argument("meeting_id", type=int)
    approver.add_argument("--by", required=True, metavar="NAME", help="a leader on the meeting's roster")
    approver.set_defaults(func=cmd_approve)

    standing = commands.add_parser("minutes-status", help="where a meeting's minutes stand: draft, final or approved")
    standing.add_argument("meeting_id", type=int)
    standing.add_argument("--json", action="store_true",
                          help="machine-readable: {status, approved_by, approved_on, fingerprint}")
    standing.set_defaults(func=cmd_minutes_status)

    inviter = commands.add_parser("invite", help="the agenda as a calendar invitation (.ics) for the roster; "
                                                 "re-issuing keeps its UID (audited)")
    inviter.add_argument("meeting_id", type=int)
    inviter.add_argument("--out", metavar="F.ics", help="file or directory to write (default: exports/)")
    inviter.add_argument("--preread", action="store_true", help="attach the pre-read (.docx): the leadership's copy")
    inviter.add_argument("--cancel", action="store_true", help="cancel the event (METHOD:CANCEL, same UID, higher "
                                                               "SEQUENCE); a draft meeting already invited only")
    inviter.set_defaults(func=cmd_invite)

    circulator = commands.add_parser("circulate", help="e-mail drafts (.eml) of a closed meeting's documents: named "
                                                       "minutes to the leaders, anonymised to the rest (Bcc), the "
                                                       "follow-up to the customers (audited)")
    circulator.add_argument("meeting_id", type=int)
    circulator.add_argument("--out", metavar="DIR", help="folder to write the drafts in (default: exports/circulation-ID)")
    circulator.add_argument("--send", action="store_true", help="also send them through the SMTP server in "
                                                               "OUTSIDE_IN_SMTP_* (each recipient once; audited)")
    circulator.set_defaults(func=cmd_circulate)

    register = commands.add_parser("actions", help="the action register of a unit: every action, overdue first")
    register.add_argument("--unit", required=True, help="unit name or id")
    register.add_argument("--open", action="store_true", help="open actions only")
    register.add_argument("--json", action="store_true", help="machine-readable: a list of actions")
    register.add_argument("--internal", action="store_true", help="owners by name (default: by group, text redacted)")
    register.add_argument("--set", action="append", metavar="ID=STATUS",
                          help="change an action's status first (open, done, dropped; repeatable; audited)")
    register.add_argument("--today", help="YYYY-MM-DD: the day that decides 'overdue' (default: today)")
    register.set_defaults(func=cmd_actions)

    note = commands.add_parser("followup", help="write the 'You said, we did' note for a meeting's invited customers")
    note.add_argument("meeting_id", type=int)
    note.add_argument("--format", choices=["md", "docx"], default="docx")
    note.add_argument("--out", help="file or directory to write (default: exports/)")
    note.add_argument("--today", help="YYYY-MM-DD: the day the note speaks from (default: today)")
    note.set_defaults(func=cmd_followup)

    reviewer = commands.add_parser("review", help="what the anonymised minutes replace, and what may still identify someone")
    reviewer.add_argument("meeting_id", type=int)
    reviewer.add_argument("--json", action="store_true",
                          help="machine-readable: {meeting, redactions: [{entry, text, label}], possibly_identifying: [{entry, text, why}]}")
    reviewer.add_argument("--by-group", action="store_true", help="label people by group, as export --by-group does")
    reviewer.add_argument("--redact", action="append", metavar="TERMS", help="extra terms, as for export (repeatable)")
    reviewer.set_defaults(func=cmd_review)

    purger = commands.add_parser("purge", help="purge raw live contributions of closed meetings now, as the retention setting says")
    purger.add_argument("--unit", help="only this unit (name or id)")
    purger.add_argument("--meeting", type=int, help="this closed meeting, whatever the retention setting")
    purger.add_argument("--now", help=argparse.SUPPRESS)  # tests: the moment to purge as of (ISO 8601)
    purger.set_defaults(func=cmd_purge)

    keeper = commands.add_parser("retention", help="show or set a unit's retention of raw live contributions")
    keeper.add_argument("--unit", required=True, help="unit name or id")
    choice = keeper.add_mutually_exclusive_group()
    choice.add_argument("--days", type=int, help="purge N days after the anonymised minutes are exported")
    choice.add_argument("--off", action="store_true", help="keep raw contributions (the default)")
    keeper.set_defaults(func=cmd_retention)

    spoken = commands.add_parser("languages", help="show or set the languages a unit's customers write in")
    spoken.add_argument("--unit", required=True, help="unit name or id")
    which = spoken.add_mutually_exclusive_group()
    which.add_argument("--set", help="comma-separated codes among en,fr,de,es,nl, e.g. en,fr")
    which.add_argument("--default", action="store_true", help="back to English plus the country the unit's name names")
    spoken.set_defaults(func=cmd_languages)

    written = commands.add_parser("language", help="show or set the language a unit's meeting writes its documents "
                                                   "and room text in (en unless set)")
    written.add_argument("--unit", required=True, help="unit name or id")
    written.add_argument("code", nargs="?", help="en, fr, de, es or nl (a language with a catalogue)")
    written.set_defaults(func=cmd_language)

    users = commands.add_parser("users", help="accounts: add, list, remove, set-password")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    adding = user_commands.add_parser("add", help="create an account; prints a generated password once unless --password-stdin")
    adding.add_argument("email")
    adding.add_argument("--role", required=True, choices=["admin", "gm", "viewer"])
    adding.add_argument("--unit", action="append", metavar="NAME", help="a unit the account sees (repeatable; gm and viewer need one)")
    adding.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    listing_users = user_commands.add_parser("list", help="list accounts (never their passwords)")
    listing_users.add_argument("--json", action="store_true", help="machine-readable: [{email, role, units, created_at}]")
    user_commands.add_parser("remove", help="delete an account and end its sessions").add_argument("email")
    setting = user_commands.add_parser("set-password", help="replace a password (read from standard input)")
    setting.add_argument("email")
    setting.add_argument("--password-stdin", action="store_true", required=True, help="read the password from standard input")
    users.set_defaults(func=cmd_users)

    trail = commands.add_parser("audit", help="who did what and when: sign-ins, imports, roster, meetings, exports, users")
    trail.add_argument("--since", metavar="DATE", help="only events from this date (YYYY-MM-DD) on")
    trail.add_argument("--json", action="store_true", help="machine-readable: [{at, actor, action, detail}]")
    trail.set_defaults(func=cmd_audit)
    return parser
