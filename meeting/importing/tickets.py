"""Service-desk tickets (ServiceNow incidents, Jira Service Management issues) to monthly metrics.

A ticket export has one row per ticket, or one per ticket event (ServiceNow's incident event log). Each ticket
counts once, by its latest row. Tickets are grouped by the month they were opened and their touchpoint into
``metrics`` rows: the share of tickets within SLA (%, higher is better, against the target given) and, when
resolved times are mapped, the median hours to resolve (lower is better). A re-import replaces the months it
covers, so importing a longer export later does not add to them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from meeting import accounts, clock, store
from meeting.importing.problems import ImportFailed, ImportResult, Problem
from meeting.importing.validating import validate
from meeting.store import batches, imports, units, write_transaction

WITHIN_SLA = "Tickets within SLA (%)"
HOURS_TO_RESOLVE = "Median hours to resolve"


@dataclass(frozen=True)
class TicketPlan:
    unit: str
    metrics: pd.DataFrame = field(repr=False)  # period, touchpoint, name, target, actual, direction, tickets
    mapping: dict[str, str | None]
    tickets: int                               # distinct tickets counted
    rows: int                                  # rows of the file read
    running: int = 0                           # tickets with no SLA result yet, not counted
    rejected: tuple[Problem, ...] = ()         # bad rows left out (only with skip_bad_rows), with reasons


def plan_tickets(db: store.Database, frame: pd.DataFrame, *, filename: str, unit: str | int | None,
                 mapping: Mapping[str, str | None] | None = None, constants: Mapping[str, object] | None = None,
                 decimal: str | None = None, meeting_id=None, skip_bad_rows: bool = False) -> TicketPlan:
    """The monthly metrics a ticket export gives; raises ImportFailed (nothing written) on any problem.

    With ``skip_bad_rows`` the tickets with a bad row are left out whole (``TicketPlan.rejected``: the bad rows
    and the ticket's other rows, so an older row never stands for its ticket); problems of the file or a whole
    column still stop it.
    """
    if unit in (None, ""):
        raise ImportFailed(filename, [Problem(None, "unit", "tickets need a unit: choose one (--unit NAME; created "
                                                            "if new)")])
    clean, problems = validate("tickets", frame, mapping, filename=filename, constants=constants, unit=unit,
                               decimal=decimal)
    used = clean.attrs.get("mapping", {})
    if not used.get("within_sla") and "within_sla" not in (constants or {}):
        problems.append(Problem(None, "within_sla", (
            "the column saying whether each ticket met its SLA is missing: map it (--map within_sla=\"made_sla\"); "
            f"the file's columns are: {', '.join(str(c) for c in frame.columns)}")))
    rejected: list[Problem] = []
    if problems and skip_bad_rows and all(p.row is not None for p in problems):
        rejected, problems = problems, []
        bad_rows = sorted({p.row for p in rejected if p.row is not None})  # all are, checked above
        bad_tickets = set(clean.loc[clean.index.intersection(bad_rows), "ticket_id"].dropna())
        same = clean.index[clean["ticket_id"].isin(bad_tickets) & ~clean.index.isin(bad_rows)]
        column = used.get("ticket_id") or "ticket_id"
        rejected += [Problem(int(row), column, f"another row of ticket {clean.at[row, 'ticket_id']!r} was refused: "
                                               "the ticket is left out whole") for row in same]
        clean = clean.drop(index=[*bad_rows, *same], errors="ignore")
    if problems:
        raise ImportFailed(filename, problems)
    latest = clean
    if used.get("updated_on"):
        latest = latest.sort_values("updated_on", kind="stable", na_position="first")
    latest = latest.drop_duplicates("ticket_id", keep="last")  # the last row of a ticket is its current state
    running = latest["within_sla"].isna()  # no SLA result yet (the clock is still running): not counted
    latest = latest[~running]
    latest = latest.assign(period=latest["opened_on"].str.slice(0, 7), met=latest["within_sla"] == "yes")
    groups = latest.groupby(["period", "touchpoint"], sort=True)
    share = groups.agg(actual=("met", "mean"), tickets=("met", "size"), target=("target", "first")).reset_index()
    share["actual"] = (share["actual"] * 100).round(2)
    share = share.assign(name=WITHIN_SLA, direction="higher")
    parts = [share]
    # A metric needs a target: the median hours to resolve only when its target is given too.
    if used.get("resolved_on") and clean["resolve_target"].notna().any():
        resolved = latest[latest["resolved_on"].notna()]
        hours = (pd.to_datetime(resolved["resolved_on"]) - pd.to_datetime(resolved["opened_on"])).dt.total_seconds()
        resolved = resolved.assign(hours=hours / 3600)
        median = resolved.groupby(["period", "touchpoint"], sort=True).agg(
            actual=("hours", "median"), tickets=("hours", "size"), target=("resolve_target", "first")).reset_index()
        median["actual"] = median["actual"].round(2)
        parts.append(median.assign(name=HOURS_TO_RESOLVE, direction="lower"))
    metrics = pd.concat(parts, ignore_index=True)[
        ["period", "touchpoint", "name", "target", "actual", "direction", "tickets"]]
    unit_name = str(unit)
    return TicketPlan(unit_name, metrics, dict(used), int(latest["ticket_id"].nunique()), len(clean) + len(rejected),
                      int(running.sum()), tuple(rejected))


def describe_plan(plan: TicketPlan) -> str:
    """What a dry run shows: the counts and the metrics as they would be stored."""
    lines = [] if HOURS_TO_RESOLVE in set(plan.metrics["name"]) or not plan.mapping.get("resolved_on") else [
        "Resolved times are mapped: add --set resolve_target=HOURS to import the median hours to resolve too."]
    if plan.running:
        lines.append(f"{plan.running} tickets with no SLA result yet skipped.")
    lines += [f"{plan.rows} rows, {plan.tickets} tickets -> {len(plan.metrics)} monthly metrics for {plan.unit}:"]
    lines.append(plan.metrics.to_string(index=False) if len(plan.metrics) else "  (none)")
    return "\n".join(lines)


def write_tickets(db: store.Database, plan: TicketPlan, *, user=None, filename: str = "") -> ImportResult:
    """Replace the plan's months of its metrics for the unit, in one transaction. ``user`` (None: the CLI) may
    write only into their own units; audited."""
    accounts.require(user, "import", "importing")
    with write_transaction(db):
        unit_id = store.get_or_create_unit(db, plan.unit) if not str(plan.unit).isdigit() else \
            (store.find_unit(db, plan.unit) or {"id": store.get_or_create_unit(db, plan.unit)})["id"]
        accounts.require_unit(db, user, unit_id)  # a refusal rolls back a unit created just now
        replaced = 0
        for name, months in plan.metrics.groupby("name")["period"]:
            replaced += imports.delete_metric_months(db, unit_id, name, sorted(set(months)))
        batch_id = batches.start_batch(db, "tickets", filename, clock.now_iso(), accounts.audit.actor_name(user))
        rows = plan.metrics.drop(columns=["tickets"]).assign(unit_id=unit_id, import_batch_id=batch_id)
        imports.insert_metrics(db, rows[list(imports.METRIC_COLUMNS)].astype(object).itertuples(index=False, name=None))
        unit_name = units.unit_name(db, unit_id)
        accounts.audit.record(db, user, accounts.audit.IMPORT, {"kind": "tickets", "file": filename, "rows": plan.rows,
                                                                "inserted": len(rows), "units": [unit_name]})
        # Months it replaced cannot be undone to their old values: the batch says so, and undo refuses.
        batches.finish_batch(db, batch_id, rows=plan.rows, inserted=len(rows), replaced=replaced, units=[unit_name])
    assert unit_name is not None, "the unit was resolved above"
    return ImportResult(len(rows), min(replaced, len(rows)), (unit_name,), batch_id=batch_id)
