"""Commands for retention, languages, accounts and the audit trail: purge, retention, languages, language, users,
audit."""
from __future__ import annotations

import json
import sys

from meeting.cli.common import CommandError, _unit


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
