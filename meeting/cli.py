"""``python -m meeting``: script what the app does (prepare meetings, import, export).

Each command is a small function ``cmd_<name>(db, args) -> exit code``; ``build_parser`` wires them.
Exit codes: 0 done, 1 not found / refused, 2 bad input.
"""
from __future__ import annotations

import argparse
import json
import sys

from meeting import store
from meeting.store import imports, meetings


class CommandError(Exception):
    """A message for the user and an exit code; no traceback."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


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


def cmd_agenda(db, args) -> int:
    from meeting import agenda, render

    built = agenda.build_agenda(db, args.meeting_id)
    if args.export:
        print(render.export_preread(built, args.export, args.out))
    elif args.json:
        print(agenda.agenda_json(built))
    else:
        print(render.agenda_markdown(built))
    return 0


def cmd_watermelons(db, args) -> int:
    from meeting.evidence import watermelons

    period = meetings.parse_period(args.period)  # a malformed month is bad input (exit 2), checked first
    unit = store.find_unit(db, args.unit)
    if unit is None:
        raise CommandError(f"No unit {args.unit!r}. Known units: {', '.join(u['name'] for u in store.list_units(db)) or 'none'}")
    result = watermelons.detect_for_unit(db, unit["id"], period)
    print(watermelons.result_json(result) if args.json else watermelons.result_text(result, unit["name"]))
    return 0


def cmd_responses(db, args) -> int:
    from meeting.evidence import responses

    period = meetings.parse_period(args.period)
    unit = store.find_unit(db, args.unit)
    if unit is None:
        raise CommandError(f"No unit {args.unit!r}. Known units: {', '.join(u['name'] for u in store.list_units(db)) or 'none'}")
    readings = responses.read_responses(db, unit["id"], period)
    print(responses.responses_json(readings) if args.json else responses.responses_text(readings, unit["name"], period))
    return 0


def cmd_imports(db, args) -> int:
    from dataclasses import asdict

    from meeting.store import batches

    unit_id = _unit(db, args.unit)["id"] if args.unit else None
    found = batches.list_batches(db, unit_id)
    if args.json:
        print(json.dumps([asdict(b) for b in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No imports yet.")
    for b in found:
        state = f"undone {b.undone_at}" if b.undone_at else f"{b.inserted} added" + (
            f", {b.replaced} replaced" if b.replaced else "")
        print(f"{b.id}\t{b.at}\t{b.who or ''}\t{b.kind}\t{b.file}\t{b.rows} rows ({state})\t{b.units}")
    return 0


def cmd_import(db, args) -> int:
    from meeting import importing

    if args.kind == "undo":
        try:
            batch_id = int(args.file)
        except ValueError:
            raise CommandError(f"import undo needs a batch id (see python -m meeting imports), not {args.file!r}",
                               2) from None
        removed = importing.undo_import(db, batch_id)
        print(f"Undid import batch {batch_id}: {removed} rows removed.")
        return 0

    # ImportFailed is a ValueError: main() prints its report to stderr and exits 2.
    options = {"unit": args.unit, "meeting_id": args.meeting, "mapping": importing.parse_assignments(args.map, "--map"),
               "constants": importing.parse_assignments(args.set, "--set"), "decimal": args.decimal}
    # How to read a score column of labels and a percent column of mixed forms: decided by the user, per file.
    for flag, value in (("score_labels", args.score_labels), ("percent_as", args.percent_as)):
        if value:
            options["constants"][flag] = value
    if args.kind == "tickets":
        from meeting.importing import tickets

        frame = importing.read_table(args.file, _file_name(args.file), header_row=args.header_row, sheet=args.sheet)
        plan = tickets.plan_tickets(db, frame, filename=_file_name(args.file), **options,
                                    skip_bad_rows=args.skip_bad_rows is not None)
        if plan.rejected:
            importing.write_rejects(frame, list(plan.rejected), args.skip_bad_rows)
        print(f"Mapping: {importing.describe_mapping(plan.mapping)}")
        if args.dry_run:
            print(tickets.describe_plan(plan))
            print("Dry run: nothing was written.")
            return 0
        result = tickets.write_tickets(db, plan, filename=_file_name(args.file))
        if plan.running:
            print(f"Skipped by rule: {plan.running} tickets with no SLA result yet.")
        if plan.rejected:
            print(f"{len({p.row for p in plan.rejected})} bad rows left out, written with their reasons to "
                  f"{args.skip_bad_rows}.")
        print(f"Imported {result.inserted} monthly metrics from {plan.tickets} tickets into {plan.unit} "
              f"({result.duplicates} replaced).")
        print(f"Import batch {result.batch_id} (undo: python -m meeting import undo {result.batch_id}).")
        return 0
    if args.dry_run:
        frame = importing.read_table(args.file, _file_name(args.file), header_row=args.header_row, sheet=args.sheet)
        plan = importing.plan_import(db, args.kind, frame, filename=_file_name(args.file), **options,
                                     source=args.source, create_units=args.create_units,
                                     skip_bad_rows=args.skip_bad_rows is not None)
        print(f"Mapping: {importing.describe_mapping(plan.mapping)}")
        if skipped := importing.describe_skipped(plan.skipped.items()):
            print(f"Skipped by rule: {skipped}.")
        print("First rows as they would be stored:")
        shown = plan.clean.drop(columns=["source_key"], errors="ignore").head(5)
        print(shown.to_string(max_colwidth=40) if len(shown) else "  (none)")
        print(f"{len(plan.clean)} rows would be imported; {sum(plan.skipped.values())} skipped; "
              f"{len({p.row for p in plan.rejected})} refused"
              + (f"; new units: {', '.join(plan.new_units)}" if plan.new_units else "") + ".")
        print("Dry run: nothing was written.")
        return 0
    # import_file streams a large VoC CSV in chunks; other files are read whole.
    result = importing.import_file(db, args.kind, args.file, header_row=args.header_row, sheet=args.sheet,
                                   source=args.source, create_units=args.create_units,
                                   skip_bad_rows=args.skip_bad_rows, **options)
    print(f"Mapping: {importing.describe_mapping(dict(result.mapping))}")
    if skipped := importing.describe_skipped(result.skipped):
        print(f"Skipped by rule: {skipped}.")
    if result.rejected:
        print(f"{result.rejected} bad rows left out, written with their reasons to {args.skip_bad_rows}.")
    where = f" into {', '.join(result.units)}" if result.units else ""
    replaced = bool(importing.get_kind(args.kind).update)
    print(f"Imported {result.inserted} {args.kind} rows{where} ({result.describe_duplicates(replaced)}).")
    if result.batch_id is not None:
        print(f"Import batch {result.batch_id} (undo: python -m meeting import undo {result.batch_id}).")
    return 0


def cmd_retag(db, args) -> int:
    from meeting.evidence import months

    unit = None
    if args.unit:
        found = store.find_unit(db, args.unit)
        if found is None:
            raise CommandError(f"No unit {args.unit!r}. Known units: {', '.join(u['name'] for u in store.list_units(db)) or 'none'}")
        unit = found["id"]
    built = months.retag(db, unit, progress=lambda done, total, label: print(f"  {label}: {done}/{total}", file=sys.stderr))
    print(f"Tagged and summarised {built} month{'' if built == 1 else 's'}; the rest were up to date.")
    return 0


def _file_name(path: str) -> str:
    from pathlib import Path

    return Path(path).name


def cmd_export(db, args) -> int:
    from meeting import anonymise
    from meeting.anonymise import retention
    from meeting.minutes import export as minutes_export

    exported = minutes_export.export_minutes(
        db, args.meeting_id, fmt=args.format, out=args.out, internal=args.internal, attribute_by_group=args.by_group,
        extra_terms=[t for item in args.redact or [] for t in anonymise.parse_extra_terms(item)])
    print(exported.path)
    if exported.purged:  # stdout stays the path alone, for scripts
        print(retention.purge_report(list(exported.purged)), file=sys.stderr)
    return 0


def _print_status(status, as_json: bool) -> None:
    if as_json:
        print(json.dumps(status.as_json(), indent=2, ensure_ascii=False))
        return
    line = f"Meeting {status.meeting_id}: minutes {status.status}"
    if status.approved_by:
        line += f", approved by {status.approved_by} on {status.approved_on}"
    if status.fingerprint:
        line += f"; fingerprint {status.fingerprint}"
    print(line + ".")


def cmd_finalise(db, args) -> int:
    from meeting.minutes import record

    _print_status(record.finalise_minutes(db, args.meeting_id), False)
    return 0


def cmd_approve(db, args) -> int:
    from meeting.minutes import record

    _print_status(record.approve_minutes(db, args.meeting_id, args.by), False)
    return 0


def cmd_minutes_status(db, args) -> int:
    from meeting.minutes import record

    _print_status(record.minutes_status(db, args.meeting_id), args.json)
    return 0


def cmd_invite(db, args) -> int:
    from meeting.render import invite

    path = invite.export_invitation(db, args.meeting_id, out=args.out, preread=args.preread, cancel=args.cancel)
    print(path)
    if args.preread:
        print("Send this copy to the leadership only: the pre-read attached holds internal evidence (finance, "
              "verbatim comments). Everyone else gets `invite ID` without --preread.", file=sys.stderr)
    return 0


def cmd_circulate(db, args) -> int:
    from meeting.minutes import record
    from meeting.render import circulate, smtp

    settings = smtp.smtp_settings() if args.send else None  # a setting that cannot work is said before anything
    if args.send and settings is None:
        raise CommandError("No SMTP server is configured: set OUTSIDE_IN_SMTP_HOST (and OUTSIDE_IN_SMTP_PORT, _USER, "
                           "_PASSWORD, _STARTTLS, _FROM as needed; see the README), or leave out --send and send the "
                           "drafts from your mail client.")
    drafts = circulate.circulation(db, args.meeting_id)
    for path in circulate.circulate(db, args.meeting_id, out=args.out, drafts=drafts):
        print(path)
    if not args.send:
        return 0
    if record.minutes_status(db, args.meeting_id).status != record.APPROVED:
        print("Note: these minutes are not approved yet; every copy says DRAFT.", file=sys.stderr)
    report = circulate.send_circulation(db, args.meeting_id, drafts, settings=settings)
    for draft, address in report.sent:
        print(f"sent\t{draft}\t{address}")
    for draft, address in report.already:
        print(f"already sent\t{draft}\t{address}")
    for draft, address, why in report.failed:
        print(f"NOT SENT\t{draft}\t{address}\t{why}")
    if report.failed:
        raise CommandError(f"{len(report.failed)} of {len(report.sent) + len(report.already) + len(report.failed)} "
                           f"copies were not sent (listed above as NOT SENT; {len(report.sent)} sent now). Run "
                           f"`python -m meeting circulate {args.meeting_id} --send` again to send them: whoever has "
                           "their copy is skipped.")
    return 0


def _unit(db, name_or_id):
    unit = store.find_unit(db, name_or_id)
    if unit is None:
        raise CommandError(f"No unit {name_or_id!r}. Known units: {', '.join(u['name'] for u in store.list_units(db)) or 'none'}")
    return unit


def cmd_actions(db, args) -> int:
    from meeting.minutes import actions

    changes = [actions.parse_status_assignment(item) for item in args.set or []]  # all checked before any write
    unit = _unit(db, args.unit)
    for entry_id, status in changes:
        actions.change_status(db, entry_id, status)
    items = actions.action_register(db, unit["id"], open_only=args.open, today=args.today,
                                    anonymised=not args.internal)
    print(actions.register_json(items) if args.json else actions.register_text(items, unit["name"]))
    return 0


def cmd_followup(db, args) -> int:
    from meeting.render import followup

    path, flags = followup.export_with_jargon(db, args.meeting_id, fmt=args.format, out=args.out, today=args.today)
    print(path)
    if flags:  # to stderr: the path stays the only line on stdout, for scripts
        print(f"Check before sending: {len(flags)} word(s) customers may not know (list: meeting/data/jargon.csv)",
              file=sys.stderr)
        for flag in flags:
            print(f"  - {flag.message()}", file=sys.stderr)
    return 0


def cmd_review(db, args) -> int:
    import json

    from meeting.anonymise import parse_extra_terms, review

    result = review.review_meeting(db, args.meeting_id, by_group=args.by_group,
                                   extra_terms=[t for item in args.redact or [] for t in parse_extra_terms(item)])
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else review.review_text(result))
    return 0


def cmd_purge(db, args) -> int:
    from meeting.anonymise import retention

    purged = retention.purge_contributions(db, unit=args.unit, meeting_id=args.meeting, now=args.now,
                                           force=args.meeting is not None)
    print(retention.purge_report(purged))
    return 0


def cmd_retention(db, args) -> int:
    from meeting.anonymise import retention

    unit = _unit(db, args.unit)
    if args.off:
        retention.set_retention_days(db, unit["id"], None)
    elif args.days is not None:
        retention.set_retention_days(db, unit["id"], args.days)
    days = retention.retention_days(db, unit["id"])
    print(f"{unit['name']}: " + ("raw contributions are kept (retention off)." if days is None else
                                 f"raw contributions of closed meetings are purged {days} days after the "
                                 "anonymised minutes are exported."))
    return 0


def cmd_languages(db, args) -> int:
    from meeting.evidence import language

    unit = _unit(db, args.unit)
    try:
        if args.default:
            language.set_unit_languages(db, unit["id"], None)
        elif args.set:
            language.set_unit_languages(db, unit["id"], args.set.split(","))
    except ValueError as error:
        raise CommandError(str(error), 2) from None
    print(f"{unit['name']}: " + ", ".join(language.unit_languages(db, unit["id"])))
    return 0


def cmd_language(db, args) -> int:
    from meeting import i18n

    unit = _unit(db, args.unit)
    if args.code:
        try:
            i18n.set_unit_language(db, unit["id"], args.code)
        except ValueError as error:
            raise CommandError(str(error), 2) from None
    print(f"{unit['name']}: {i18n.unit_language(db, unit['id'])}")
    return 0


def _read_password_stdin() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CommandError("--password-stdin: no password on standard input.", 2)
    return line


def cmd_users(db, args) -> int:
    from meeting import accounts

    if args.users_command == "add":
        password = _read_password_stdin() if args.password_stdin else None
        generated = accounts.add_user(db, args.email, args.role, args.unit or (), password)
        print(f"Added {accounts.users.normalise_email(args.email)} ({args.role}).")
        if generated:  # shown once: only its hash is stored
            print(f"Password (shown once, only a hash is kept): {generated}")
    elif args.users_command == "remove":
        accounts.remove_user(db, args.email)
        print(f"Removed {accounts.users.normalise_email(args.email)}.")
    elif args.users_command == "set-password":
        accounts.set_password(db, args.email, _read_password_stdin())
        print(f"Password changed for {accounts.users.normalise_email(args.email)}; its sessions are signed out.")
    else:
        rows = accounts.list_accounts(db)
        if args.json:
            print(json.dumps([{"email": r.email, "role": r.role, "units": list(r.units), "created_at": r.created_at}
                              for r in rows], indent=2, ensure_ascii=False))
        for r in rows if not args.json else ():
            print(f"{r.email}\t{r.role}\t{', '.join(r.units) or ('every unit' if r.role == 'admin' else '-')}")
    return 0


def cmd_audit(db, args) -> int:
    from meeting.accounts import audit

    events = audit.list_events(db, args.since)
    if args.json:
        print(json.dumps([{"at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail} for e in events],
                         indent=2, ensure_ascii=False))
    else:
        for e in events:
            print(f"{e.at}\t{e.actor}\t{e.action}\t{audit.describe(e.detail)}")
    return 0


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.database_url and not args.database_url.startswith(("postgresql://", "postgres://")):
            raise ValueError("--database-url must be a postgresql:// URL")
        db = store.open_db(args.database_url or args.db)
        try:
            return args.func(db, args)
        finally:
            db.close()
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.code
    except PermissionError as error:  # a closed meeting, a role that may not: refused, not bad input
        print(error, file=sys.stderr)
        return 1
    except LookupError as error:
        print(error.args[0] if error.args else error, file=sys.stderr)
        return 1
    except BrokenPipeError:  # `... --json | head`: the reader has what it wanted; no traceback
        sys.stderr.close()
        return 0
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
