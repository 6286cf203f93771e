"""The demo's other tables: frontline staff input, metrics, plans, finance, and the demo meetings' people
and minutes. Words come from ``meeting/data/demo_source/`` (staff phrases in ``phrases.json``, the scripted plans,
people and minutes in ``story.json``); numbers are drawn to the design in ``plan``."""
from __future__ import annotations

import random

from meeting.config import DEFAULTS
from meeting.demo.plan import COMPANY, DEMO_MEETINGS, PERIODS, TOUCHPOINTS, UnitSpec, date_in, days_in, read_source
from meeting.demo.voc import email_address
from meeting.evidence.watermelons import metric_status

# --- frontline staff ----------------------------------------------------------------------------------

TEAMS = {
    # team: (weight, roles, touchpoints, gives an engagement pulse)
    "Contact centre": (30, ("Customer service adviser", "Team leader", "Quality coach"),
                       ("Support call", "Urgent fault", "Billing dispute"), True),
    "Field engineering": (20, ("Field engineer", "Senior field engineer", "Dispatch coordinator"),
                          ("Installation", "Urgent fault"), True),
    "Billing": (15, ("Billing specialist", "Credit controller", "Billing team lead"),
                ("Billing", "Billing dispute"), True),
    "Sales": (12, ("Account executive", "Account manager", "Bid manager"),
              ("Contract", "Renewal", "Account management"), False),
    "Marketing": (8, ("Campaign manager", "Digital marketing executive"), ("Website", "Contract"), False),
    "Onboarding": (15, ("Onboarding coordinator", "Provisioning analyst"), ("Installation", "Contract"), False),
}
KIND_WEIGHTS = {"challenge": 50, "idea": 30, "praise": 20}
# Engagement pulse (1-10) per team and month: the contact centre drifts down all year, field engineering
# dips after the install subcontract (May), billing dips during its migration (June-August).
ENGAGEMENT = {
    "Contact centre": (7.2, 7.1, 7.0, 6.9, 6.8, 6.6, 6.4, 6.2, 6.0, 5.9, 5.7, 5.6),
    "Field engineering": (7.0, 7.0, 7.1, 7.0, 6.9, 6.3, 6.0, 5.9, 5.8, 5.9, 5.8, 5.9),
    "Billing": (6.8, 6.9, 6.8, 6.9, 6.8, 6.7, 5.6, 5.4, 5.5, 6.0, 6.2, 6.3),
}


def staff_rows(seed: int, unit: UnitSpec) -> list[dict]:
    """One unit's staff inputs (challenges, ideas, praise), distinct rows in date order."""
    words = read_source("phrases")["staff"]
    rng = random.Random(f"{seed}:{unit.code}:staff")
    per_month = 27 if unit.volume >= 1 else 25
    teams = list(TEAMS)
    rows, seen = [], set()
    for index, period in enumerate(PERIODS):
        count = round(per_month * days_in(period) / 30)
        made = 0
        while made < count:
            team = rng.choices(teams, [TEAMS[t][0] for t in teams])[0]
            _weight, roles, touchpoints, pulse = TEAMS[team]
            kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            text = rng.choice(words["text"][team][kind]).format(
                n=rng.randint(3, 40), name=rng.choice(words["colleague_names"]), city=rng.choice(unit.cities),
                month=rng.choice(words["month_names"]), amount=f"{unit.currency}{rng.choice((50, 100, 150, 250))}")
            text = " ".join(p for p in (text, rng.choice(words["follow_up"][kind])) if p)
            engagement = ""
            if pulse:
                engagement = str(min(10, max(1, round(rng.gauss(ENGAGEMENT[team][index], 1.3)))))
            row = {"unit": unit.name, "submitted_on": date_in(rng, period), "team": team,
                   "role": rng.choice(roles), "touchpoint": rng.choice(touchpoints), "kind": kind,
                   "text": text, "engagement": engagement}
            key = tuple(row.values())
            if key in seen:  # no id column: the importer keys staff rows on their content
                continue
            seen.add(key)
            rows.append(row)
            made += 1
    rows.sort(key=lambda r: (r["submitted_on"], r["team"], r["text"]))
    return rows


# --- metrics, plans, finance --------------------------------------------------------------------------

_STATUS_LETTER = {"green": "G", "amber": "A", "red": "R"}  # the schedule's letters for the app's statuses


def _actual(rng: random.Random, target: float, direction: str, status: str) -> float:
    """An actual that the app's own status rule (default amber tolerance) puts in the designed status."""
    sign = 1 if direction == "higher" else -1
    cap = 100.0 if direction == "higher" and target <= 100 else float("inf")
    for _ in range(100):
        if status == "G":
            miss = -rng.uniform(0.005, 0.06)
        elif status == "A":
            miss = rng.uniform(0.012, 0.04)
        else:
            miss = rng.uniform(0.08, 0.25)
        value = round(min(cap, target * (1 - sign * miss)), 1)
        if _STATUS_LETTER[metric_status(target, value, direction, DEFAULTS.amber_tolerance)] == status:
            return value
    raise RuntimeError(f"No actual for target {target} in status {status}")  # pragma: no cover


def metric_rows(seed: int, unit: UnitSpec) -> list[dict]:
    rng = random.Random(f"{seed}:{unit.code}:metrics")
    rows = []
    for index, period in enumerate(PERIODS):
        for touchpoint in TOUCHPOINTS:
            name, direction, target = unit.metrics[touchpoint]
            actual = _actual(rng, target, direction, unit.schedule[touchpoint][0][index])
            rows.append({"unit": unit.name, "period": period,
                         "touchpoint": unit.metric_labels.get(touchpoint, touchpoint), "name": name,
                         "target": f"{target:g}", "actual": f"{actual:g}", "direction": direction})
    return rows


def plan_rows(unit: UnitSpec) -> list[dict]:
    return [{"unit": unit.name, "section": plan["section"], "title": plan["title"], "segment": plan["segment"],
             "starts_on": plan["starts_on"], "detail": plan["detail"].format(currency=unit.currency)}
            for plan in read_source("story")["plans"][unit.name]]


FINANCE_LINES = ("Revenue", "Cost of service", "Credits and refunds", "Marketing spend", "Staff costs")


def finance_rows(seed: int, unit: UnitSpec) -> list[dict]:
    rng = random.Random(f"{seed}:{unit.code}:finance")
    rows = []
    for index, period in enumerate(PERIODS):
        revenue_budget = unit.revenue * (1 + 0.006 * index)
        disputes_poor = unit.schedule["Billing dispute"][0][index] == "R"
        budgets = {
            "Revenue": revenue_budget,
            "Cost of service": revenue_budget * 0.46,
            "Credits and refunds": revenue_budget * 0.012,
            "Marketing spend": revenue_budget * (0.05 if index in (1, 2, 8, 9) else 0.035),
            "Staff costs": revenue_budget * 0.27,
        }
        drift = {
            "Revenue": rng.uniform(-0.035, 0.015) - 0.004 * index * disputes_poor,
            "Cost of service": rng.uniform(-0.01, 0.04),
            # Credits follow the billing-dispute story: well over budget once disputes go red.
            "Credits and refunds": rng.uniform(0.3, 0.55) if disputes_poor else rng.uniform(-0.1, 0.15),
            "Marketing spend": rng.uniform(-0.08, 0.05),
            "Staff costs": rng.uniform(0.0, 0.03) + (0.02 if index >= 5 else 0.0),  # overtime since May
        }
        for line in FINANCE_LINES:
            budget = round(budgets[line], -2)
            actual = round(budgets[line] * (1 + drift[line]), -2)
            rows.append({"unit": unit.name, "period": period, "line": line,
                         "actual": f"{actual:.0f}", "budget": f"{budget:.0f}"})
    return rows


# --- demo meetings ------------------------------------------------------------------------------------

def participant_rows() -> list[dict]:
    """Each demo meeting's roster: the unit's leaders, then that meeting's guests (a customer, a frontliner)."""
    story = read_source("story")
    rows = []
    for meeting in DEMO_MEETINGS:
        leaders = story["leaders"][meeting.unit]
        people = [{**leader, "organisation": COMPANY, "kind": "leader"} for leader in leaders]
        people += story["guests"][meeting.unit][meeting.held_on]
        for person in people:
            first, _, last = person["name"].partition(" ")
            rows.append({"unit": meeting.unit, "held_on": meeting.held_on, "name": person["name"],
                         "organisation": person["organisation"], "role": person["role"], "kind": person["kind"],
                         "email": email_address(first, last, person["organisation"]), "phone": person["phone"]})
    return rows


def minutes_rows() -> list[dict]:
    """Minutes of the closed October meetings. Notes name participants, use the customer organisation as a
    possessive and carry an email and a phone, as real minutes do; the anonymiser must strip all of it.
    Actions are open (but one, see ``done_actions``) so they carry over to November."""
    minutes = read_source("story")["minutes"]
    rows = []
    for meeting in DEMO_MEETINGS:
        if not meeting.closed:
            continue  # the November meetings are drafts: nothing minuted yet
        for entry in minutes[meeting.unit]:
            rows.append({"unit": meeting.unit, "held_on": meeting.held_on, **entry})
    return rows


def done_actions(unit: str) -> tuple[str, ...]:
    """The October actions already done (the advert was paused), so the carry-over shows both states."""
    return tuple(read_source("story")["done_actions"].get(unit, ()))
