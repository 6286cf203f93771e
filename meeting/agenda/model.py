"""The agenda's shape, as the pages, the pre-read and ``agenda --json`` read it.

TypedDicts rather than dataclasses: the agenda is JSON on the command line and cached by Streamlit, and
these names let a reader (and a type checker) see every key that crosses a module boundary.
"""
from __future__ import annotations

from typing import Any, TypedDict


class Change(TypedDict):
    """A figure now, the month before, and the difference (None when either is missing)."""
    now: Any
    before: Any
    change: Any


class Quote(TypedDict):
    """A customer's own words, identifiers masked, and why it is in this section."""
    text: str
    touchpoint: str
    channel: str | None
    segment: str | None
    received_on: str
    score: float | None
    scale: str | None
    moment_of_truth: bool
    why: str


class StaffQuote(TypedDict):
    text: str
    kind: str            # challenge / idea / praise
    team: str | None
    touchpoint: str | None
    submitted_on: str
    why: str


class OpenAction(TypedDict):
    """An action from an earlier meeting of the unit, still open."""
    id: int
    text: str
    owner: str | None
    due_on: str | None
    raised_on: str
    meetings_open: int


class Person(TypedDict):
    name: str
    organisation: str | None
    role: str | None
    kind: str            # leader / customer / frontline / guest


class SectionEvidence(TypedDict, total=False):
    """What a section shows. Every section has the three voices and its open actions; the rest by section:
    customer: summary, by_touchpoint, trend, themes, drivers, already_known, invited; employees: summary, groups, themes,
    engagement_trend, invited; operations: watermelons; marketing and sales: plans, segments; finance: lines."""
    customer_quotes: list[Quote]
    customer_praise: list[Quote]
    staff_quotes: list[StaffQuote]
    open_actions: list[OpenAction]
    invited: list[Person]
    summary: dict  # volumes and scores as Change, beside them nps_n, nps_low, nps_high, nps_base, ... (issue 21)
    by_touchpoint: list[dict]
    trend: list[dict]
    themes: list[dict]
    drivers: list[dict]  # meeting.evidence.drivers: themes with NPS with/without and the difference's interval
    already_known: list[dict]  # meeting.evidence.known: theme, touchpoint, problem, months, mentions, addressed
    groups: list[dict]
    engagement_trend: list[dict]
    watermelons: dict
    plans: list[dict]
    segments: list[dict]
    lines: list[dict]


class AgendaItem(TypedDict):
    id: int
    position: int
    title: str
    minutes: int | None
    owner: str | None


class AgendaSection(TypedDict):
    key: str
    title: str
    purpose: str
    prompts: list[str]
    minutes: int
    items: list[AgendaItem]
    evidence: SectionEvidence


class AgendaMeeting(TypedDict):
    id: int
    unit: str
    title: str
    held_on: str
    period: str
    status: str
    total_minutes: int
    language: str  # the pre-read's language (issue 27)


class Agenda(TypedDict):
    meeting: AgendaMeeting
    participants: list[Person]
    sections: list[AgendaSection]


Evidence = dict[str, SectionEvidence]  # section key -> its evidence, as build_evidence returns it
