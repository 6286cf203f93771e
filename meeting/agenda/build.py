"""A meeting's agenda: items in the fixed customer-first order, time boxes, and each section's evidence.

Items are rows (``agenda_items``) the GM edits; the section order is not data and cannot be edited. The
evidence is computed from the unit's data for the meeting's review period (``build_evidence``, the heavy
part, which pages cache) and joined with the items and carried-over actions in ``build_agenda``.
"""
from __future__ import annotations

import json

import pandas as pd
import sqlite_utils

from meeting import evidence as ev
from meeting.agenda.items import list_items
from meeting.agenda.model import Agenda, Evidence
from meeting.agenda.quotes import assign_quotes_once
from meeting.config import load_thresholds
from meeting.evidence.taxonomy import load_themes, load_touchpoints, tag_themes
from meeting.minutes.entries import open_actions_before
from meeting.periods import shift_period
from meeting.sections import SECTIONS
from meeting.store.meetings import get_meeting, list_participants


def _plans(db: sqlite_utils.Database, unit_id: int, section: str, period: str) -> list[dict]:
    start, _ = ev.period_bounds(period)
    rows = list(db.query(
        "SELECT title, segment, starts_on, detail FROM plans WHERE unit_id = ? AND section = ? ORDER BY starts_on, title",
        [unit_id, section]))
    upcoming = [row for row in rows if not row["starts_on"] or row["starts_on"] >= start]
    return upcoming or rows


def _finance(db: sqlite_utils.Database, unit_id: int, period: str) -> dict:
    previous = shift_period(period, -1)
    rows = list(db.query("""
        SELECT now.line, now.actual, now.budget, before.actual AS actual_before
          FROM finance now LEFT JOIN finance before
            ON before.unit_id = now.unit_id AND before.line = now.line AND before.period = ?
         WHERE now.unit_id = ? AND now.period = ? ORDER BY now.id""", [previous, unit_id, period]))
    for row in rows:
        row["variance"] = round(row["actual"] - row["budget"], 2)
        row["variance_pct"] = round(100 * row["variance"] / row["budget"], 1) if row["budget"] else None
    return {"lines": rows}


def _records(found: dict) -> dict:
    """The detector's tables as lists of plain dicts, so the agenda stays JSON- and cache-friendly."""
    return {key: value.astype(object).where(value.notna(), None).to_dict("records") if isinstance(value, pd.DataFrame) else value
            for key, value in found.items()}


def build_evidence(db: sqlite_utils.Database, unit_id: int, period: str) -> Evidence:
    """Every section's evidence for one unit and review period, compared with the period before."""
    from meeting.evidence.known import already_known_records
    from meeting.evidence.watermelons import detect_for_unit

    thresholds = load_thresholds(db, unit_id)
    themes, rules = load_themes(), load_touchpoints()
    count = thresholds.quotes_per_section
    previous = shift_period(period, -1)

    voc_all = ev.load_voc(db, unit_id, previous, period)
    voc, voc_before = voc_all[voc_all["period"] == period], voc_all[voc_all["period"] == previous]
    staff_all = ev.load_staff(db, unit_id, previous, period)
    staff, staff_before = staff_all[staff_all["period"] == period], staff_all[staff_all["period"] == previous]

    voc_tags_all = tag_themes(voc_all["narrative"], themes)
    voc_tags, voc_tags_before = voc_tags_all.loc[voc.index], voc_tags_all.loc[voc_before.index]
    staff_tags_all = tag_themes(staff_all["text"], themes)
    staff_tags, staff_tags_before = staff_tags_all.loc[staff.index], staff_tags_all.loc[staff_before.index]
    voc_reasons = ev.section_reasons(voc_tags, voc["touchpoint"], themes, rules)
    staff_reasons = ev.section_reasons(staff_tags, staff["touchpoint"], themes, rules)

    def voices(section: str, reasons_voc: pd.Series | None = None) -> dict:
        reasons_voc = voc_reasons[section] if reasons_voc is None else reasons_voc
        return {
            "customer_quotes": ev.pick_quotes(voc, reasons_voc, negative=True, count=count, rules=rules),
            "customer_praise": ev.pick_quotes(voc, reasons_voc, negative=False, count=1, rules=rules),
            "staff_quotes": ev.pick_staff_quotes(staff, staff_reasons[section], count),
        }

    # The customer section hears every narrative, not only those about "customer" themes.
    customer_reasons = ev.any_reason(voc_reasons, voc["touchpoint"])
    customer_voices = voices("customer", customer_reasons)
    customer_voices["customer_praise"] = ev.pick_quotes(voc, customer_reasons, negative=False, count=count, rules=rules)

    staff_summary = ev.compare(
        {"inputs": int(len(staff)), **{k: int((staff["kind"] == k).sum()) for k in ev.STAFF_KIND_ORDER}},
        {"inputs": int(len(staff_before)), **{k: int((staff_before["kind"] == k).sum()) for k in ev.STAFF_KIND_ORDER}},
    )
    marketing_plans = _plans(db, unit_id, "marketing", period)
    sales_plans = _plans(db, unit_id, "sales", period)
    return {
        "customer": {
            "summary": ev.compare(ev.score_summary(voc), ev.score_summary(voc_before)),
            "by_touchpoint": ev.by_touchpoint(voc, voc_before, rules),
            "trend": ev.monthly_trend(db, unit_id, period),
            "themes": ev.theme_counts(voc_tags, voc_tags_before, themes),
            "already_known": already_known_records(db, unit_id, period, themes=themes, rules=rules),
            **customer_voices,
        },
        "employees": {
            "summary": staff_summary,
            "groups": ev.staff_groups(staff, staff_tags, themes),
            "themes": ev.theme_counts(staff_tags, staff_tags_before, themes),
            "engagement_trend": ev.engagement_trend(db, unit_id, period),
            **voices("employees"),
        },
        "operations": {
            "watermelons": _records(detect_for_unit(db, unit_id, period)),
            **voices("operations"),
        },
        "marketing": {
            "plans": marketing_plans,
            "segments": ev.segment_feedback(voc, [p["segment"] for p in marketing_plans if p["segment"]], count, rules),
            **voices("marketing"),
        },
        "sales": {
            "plans": sales_plans,
            "segments": ev.segment_feedback(voc, [p["segment"] for p in sales_plans if p["segment"]], count, rules),
            **voices("sales"),
        },
        "finance": {**_finance(db, unit_id, period), **voices("finance")},
    }


def build_agenda(db: sqlite_utils.Database, meeting_id: int, evidence: Evidence | None = None) -> Agenda:
    """The whole agenda as plain data, sections in the fixed order (the shape of ``agenda --json``).

    Pass ``evidence`` from a cache to skip recomputing it.
    """
    meeting = get_meeting(db, meeting_id)
    if evidence is None:
        evidence = build_evidence(db, meeting["unit_id"], meeting["period"])
    # Each quote in the one section it fits best: a post-pass, whichever way the evidence was computed.
    evidence = assign_quotes_once({section.key: evidence[section.key] for section in SECTIONS})
    items = list_items(db, meeting_id)
    carried = open_actions_before(db, meeting_id)
    participants = [{k: p[k] for k in ("name", "organisation", "role", "kind")}
                    for p in list_participants(db, meeting_id)]
    sections = []
    for section in SECTIONS:
        own_items = [item for item in items if item["section"] == section.key]
        section_evidence = dict(evidence[section.key])
        section_evidence["open_actions"] = [
            {"text": a["text"], "owner": a["owner"], "due_on": a["due_on"], "raised_on": a["raised_on"],
             "meetings_open": a["meetings_open"], "id": a["id"]}
            for a in carried if a["section"] == section.key]
        if section.key == "customer":
            section_evidence["invited"] = [p for p in participants if p["kind"] == "customer"]
        if section.key == "employees":
            section_evidence["invited"] = [p for p in participants if p["kind"] == "frontline"]
        sections.append({
            "key": section.key,
            "title": section.title,
            "purpose": section.purpose,
            "prompts": list(section.prompts),
            "minutes": sum(item["minutes"] or 0 for item in own_items),
            "items": [{k: item[k] for k in ("id", "position", "title", "minutes", "owner")} for item in own_items],
            "evidence": section_evidence,
        })
    return {
        "meeting": {k: meeting[k] for k in ("id", "unit", "title", "held_on", "period", "status", "total_minutes")},
        "participants": participants,
        "sections": sections,
    }


def agenda_json(agenda: Agenda) -> str:
    return json.dumps(agenda, indent=2, ensure_ascii=False, default=str)
