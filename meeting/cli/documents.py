"""Commands for the minutes and what goes out: export, finalise, approve, minutes-status, invite, circulate,
actions, followup, review."""
from __future__ import annotations

import json
import sys

from meeting.cli.common import CommandError, _unit


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
    assert settings is not None  # refused above when --send has no server
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
