"""Commands for evidence and its data: agenda, watermelons, responses, imports, import, retag."""
from __future__ import annotations

import json
import sys

from meeting import store
from meeting.cli.common import CommandError, _file_name, _unit
from meeting.store import meetings


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
        import_plan = importing.plan_import(db, args.kind, frame, filename=_file_name(args.file), **options,
                                            source=args.source, create_units=args.create_units,
                                            skip_bad_rows=args.skip_bad_rows is not None)
        print(f"Mapping: {importing.describe_mapping(import_plan.mapping)}")
        if skipped := importing.describe_skipped(import_plan.skipped.items()):
            print(f"Skipped by rule: {skipped}.")
        print("First rows as they would be stored:")
        shown = import_plan.clean.drop(columns=["source_key"], errors="ignore").head(5)
        print(shown.to_string(max_colwidth=40) if len(shown) else "  (none)")
        print(f"{len(import_plan.clean)} rows would be imported; {sum(import_plan.skipped.values())} skipped; "
              f"{len({p.row for p in import_plan.rejected})} refused"
              + (f"; new units: {', '.join(import_plan.new_units)}" if import_plan.new_units else "") + ".")
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
