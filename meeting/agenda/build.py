"""A meeting's agenda: items in the fixed customer-first order, time boxes, and each section's evidence.

Items are rows (``agenda_items``) the GM edits; the section order is not data and cannot be edited. The
evidence is computed from the unit's data for the meeting's review period (``build_evidence``, the heavy
part, which pages cache) and joined with the items and carried-over actions in ``build_agenda``.
"""
from __future__ import annotations

import json
from typing import cast

import pandas as pd

from meeting import evidence as ev
from meeting.agenda.items import list_items
from meeting.agenda.model import Agenda, AgendaItem, AgendaMeeting, AgendaSection, Evidence, Person, Quote, SectionEvidence
from meeting.agenda.quotes import assign_quotes_once
from meeting.config import load_thresholds
from meeting.evidence.drivers import month_drivers
from meeting.evidence.language import unit_languages
from meeting.evidence.tagging import tag_themes
from meeting.evidence.taxonomy import load_themes, load_touchpoints
from meeting.i18n import meeting_language, speaking, unit_language
from meeting.minutes.entries import open_actions_before
from meeting.periods import shift_period
from meeting.sections import SECTIONS
from meeting.store import Database
from meeting.store import plans as plan_store
from meeting.store.meetings import get_meeting, list_participants


def _plans(db: Database, unit_id: int, section: str, period: str) -> list[dict]:
    start, _ = ev.period_bounds(period)
    rows = plan_store.section_plans(db, unit_id, section)
    upcoming = [row for row in rows if not row["starts_on"] or row["starts_on"] >= start]
    return upcoming or rows


def _finance(db: Database, unit_id: int, period: str) -> dict:
    previous = shift_period(period, -1)
    rows = plan_store.finance_lines(db, unit_id, period, previous)
    for row in rows:
        row["variance"] = round(row["actual"] - row["budget"], 2)
        row["variance_pct"] = round(100 * row["variance"] / row["budget"], 1) if row["budget"] else None
    return {"lines": rows}


def _records(found: dict) -> dict:
    """The detector's tables as lists of plain dicts, so the agenda stays JSON- and cache-friendly."""
    return {key: value.astype(object).where(value.notna(), None).to_dict("records") if isinstance(value, pd.DataFrame) else value
            for key, value in found.items()}


def _candidate_pools(candidates: pd.DataFrame, themes, rules) -> dict[tuple[str, bool], list[dict]]:
    """The month's stored candidates as row dicts per (pool, negative), in rank order, each with the reason
    it concerns every section (``row_reasons``)."""
    pools: dict[tuple[str, bool], list[dict]] = {}
    sections_of: dict = {}
    for row in candidates.to_dict("records"):
        mask = 0 if row["themes"] is None or row["themes"] != row["themes"] else int(row["themes"])
        row["reasons"] = ev.row_reasons(mask, row["touchpoint"], themes, rules, sections_of)
        pools.setdefault((row["pool"], bool(row["negative"])), []).append(row)
    return pools


def _quotes_from(pools, pool: str, why, *, negative: bool, count: int, rules) -> list[Quote]:
    """``pick_quotes`` over the month, from the pool's stored candidates (chosen the same way, once);
    ``why`` is a section key (its reason per row) or a fixed text."""
    rows = pools.get((pool, negative), [])
    rows = [{**row, "why": row["reasons"][why] if why in row["reasons"] else why} for row in rows]
    # The stored candidates' Quote fields plus why (meeting/evidence/quotes.py builds them as plain dicts).
    return cast(list[Quote], ev.choose_quotes(rows, negative=negative, count=count, rules=rules))


def build_evidence(db: Database, unit_id: int, period: str) -> Evidence:
    """Every section's evidence for one unit and review period, compared with the period before.

    Customer figures, themes and quotes come from each month's stored summary (``meeting.evidence.months``,
    built once per month and taxonomy version), so the cost follows the months shown, not the history.
    """

    # The readings the pre-read quotes (watermelons) are written in the unit's language (issue 27).
    with speaking(unit_language(db, unit_id)):
        return _build_evidence(db, unit_id, period)


def _build_evidence(db: Database, unit_id: int, period: str) -> Evidence:
    from meeting.evidence import months
    from meeting.evidence.known import already_known_records
    from meeting.evidence.watermelons import detect_for_unit

    thresholds = load_thresholds(db, unit_id)
    themes, rules = load_themes(), load_touchpoints()
    count = thresholds.quotes_per_section
    previous = shift_period(period, -1)
    trend_months = [shift_period(period, -back) for back in range(11, -1, -1)]
    months.ensure_months(db, unit_id, trend_months, themes=themes, rules=rules, candidates=[period])

    stats = months.month_stats(db, unit_id, [previous, period])
    stats_now, stats_before = stats[stats["period"] == period], stats[stats["period"] == previous]
    pools = _candidate_pools(months.load_candidates(db, unit_id, period), themes, rules)

    staff_all = ev.load_staff(db, unit_id, previous, period)
    staff, staff_before = staff_all[staff_all["period"] == period], staff_all[staff_all["period"] == previous]
    # Colleagues write in the unit's languages too: each input is read in its own.
    staff_tags_all = tag_themes(staff_all["text"], themes, unit_languages(db, unit_id))
    staff_tags, staff_tags_before = staff_tags_all.loc[staff.index], staff_tags_all.loc[staff_before.index]
    staff_reasons = ev.section_reasons(staff_tags, staff["touchpoint"], themes, rules)

    def voices(section: str) -> SectionEvidence:
        return {
            "customer_quotes": _quotes_from(pools, section, section, negative=True, count=count, rules=rules),
            "customer_praise": _quotes_from(pools, section, section, negative=False, count=1, rules=rules),
            "staff_quotes": ev.pick_staff_quotes(staff, staff_reasons[section], count),
        }

    # The customer section hears every narrative, not only those about "customer" themes.
    customer_voices: SectionEvidence = {
        "customer_quotes": _quotes_from(pools, "any", "any", negative=True, count=count, rules=rules),
        "customer_praise": _quotes_from(pools, "any", "any", negative=False, count=count, rules=rules),
        "staff_quotes": ev.pick_staff_quotes(staff, staff_reasons["customer"], count),
    }

    def segments(plans: list[dict]) -> list[dict]:
        keys = stats_now["segment"].fillna("").map(lambda s: " ".join(str(s).split()).casefold())
        out = []
        for segment in dict.fromkeys(p["segment"] for p in plans if p["segment"]):
            key = " ".join(segment.split()).casefold()
            pool, why = f"segment:{key}", "segment: " + segment
            out.append({"segment": segment, **months.summary_of(stats_now[keys == key]),
                        "quotes": _quotes_from(pools, pool, why, negative=True, count=count, rules=rules)
                        + _quotes_from(pools, pool, why, negative=False, count=1, rules=rules)})
        return out

    staff_summary = ev.compare(
        {"inputs": int(len(staff)), **{k: int((staff["kind"] == k).sum()) for k in ev.STAFF_KIND_ORDER}},
        {"inputs": int(len(staff_before)), **{k: int((staff_before["kind"] == k).sum()) for k in ev.STAFF_KIND_ORDER}},
    )
    marketing_plans = _plans(db, unit_id, "marketing", period)
    sales_plans = _plans(db, unit_id, "sales", period)
    return {
        "customer": {
            "summary": ev.summary_comparison(months.tally_of(stats_now), months.tally_of(stats_before),
                                             months.summary_of(stats_now), months.summary_of(stats_before)),
            "by_touchpoint": ev.touchpoint_table(stats_now, stats_before, rules),
            "trend": ev.monthly_trend(db, unit_id, period),
            "themes": ev.theme_totals(months.month_themes(db, unit_id, period), months.month_themes(db, unit_id, previous),
                                      int(stats_now["responses"].sum()), themes),
            "drivers": month_drivers(db, unit_id, period, themes, months.month_themes(db, unit_id, period)),
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
            "watermelons": _records(detect_for_unit(db, unit_id, period, rules)),
            **voices("operations"),
        },
        "marketing": {"plans": marketing_plans, "segments": segments(marketing_plans), **voices("marketing")},
        "sales": {"plans": sales_plans, "segments": segments(sales_plans), **voices("sales")},
        "finance": {**_finance(db, unit_id, period), **voices("finance")},
    }


def build_agenda(db: Database, meeting_id: int, evidence: Evidence | None = None) -> Agenda:
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
    participants = [Person(name=p["name"], organisation=p["organisation"], role=p["role"], kind=p["kind"])
                    for p in list_participants(db, meeting_id)]
    sections: list[AgendaSection] = []
    for section in SECTIONS:
        own_items = [item for item in items if item["section"] == section.key]
        section_evidence = evidence[section.key].copy()
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
            "items": [AgendaItem(id=item["id"], position=item["position"], title=item["title"], minutes=item["minutes"],
                                 owner=item["owner"]) for item in own_items],
            "evidence": section_evidence,
        })
    return {
        "meeting": AgendaMeeting(id=meeting["id"], unit=meeting["unit"], title=meeting["title"], held_on=meeting["held_on"],
                                 period=meeting["period"], status=meeting["status"], total_minutes=meeting["total_minutes"],
                                 language=meeting_language(db, meeting_id)),  # the pre-read's language (issue 27)
        "participants": participants,
        "sections": sections,
    }


def agenda_json(agenda: Agenda) -> str:
    return json.dumps(agenda, indent=2, ensure_ascii=False, default=str)
