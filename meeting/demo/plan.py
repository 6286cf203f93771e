"""The design of the demo organisation: its calendar, units, touchpoints and what each month must show.

``PLANNED`` is derived from each unit's ``schedule``; the generators in ``voc`` and ``rows`` draw data to it,
and tests check the generated CSVs against it independently. The words the generators use are data, in
``meeting/data/demo_source/`` (``read_source``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import random
from dataclasses import dataclass, field
from typing import Any

from meeting.periods import shift_period
from meeting.resources import DATA_DIR

REFERENCE_DATE = dt.date(2026, 11, 20)
DEFAULT_SEED = 20261120
DEMO_DIR = DATA_DIR / "demo"  # the generated CSVs: import examples, and what `init --demo` loads
SOURCE_DIR = DATA_DIR / "demo_source"  # the words the generator draws from (not CSV examples)


@functools.cache
def read_source(name: str) -> dict:
    """One JSON file of ``meeting/data/demo_source``, read once per process."""
    with open(SOURCE_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


COMPANY = read_source("story")["company"]

# Twelve months ending in the reference month; the last one is month-to-date (days 1..20).
PERIODS: tuple[str, ...] = tuple(shift_period(REFERENCE_DATE.strftime("%Y-%m"), i - 11) for i in range(12))
REVIEW_PERIOD = "2026-10"  # the month the draft meeting of 2026-11-20 reviews

ACCOUNT_NUMBER_PATTERN = r"\bACC-\d{6}\b"
EMAIL_PATTERN = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.example\.com\b"
PHONE_PATTERN = r"(?:\+44 ?|0)(?:20 7946 0\d{3}|161 496 0\d{3}|7700 ?900\d{3})"
# The phone numbers narratives carry (international, local): kept beside PHONE_PATTERN, which must cover them.
PHONE_FORMS = (
    ("+44 20 7946 0{n:03d}", "020 7946 0{n:03d}"),
    ("+44 161 496 0{n:03d}", "0161 496 0{n:03d}"),
    ("+44 7700 900{n:03d}", "07700 900{n:03d}"),
)

SEGMENTS = ("SME", "Mid-market", "Enterprise", "Public sector")
SEGMENT_WEIGHTS = (50, 25, 12, 13)
CHANNELS = ("email survey", "SMS", "phone", "web")

# Touchpoint names as meeting/data/touchpoints.csv spells them; the order is the order rows are written in.
TOUCHPOINTS = (
    "Contract", "Installation", "Urgent fault", "Billing dispute", "Billing",
    "Support call", "Website", "Account management", "Renewal", "Cancellation",
)
# Scale per touchpoint: relationship moments ask "would you recommend" (NPS), transactions "how satisfied"
# (CSAT). Cancellation is the exit form: free text only, so it is judged on its narratives' sentiment.
SCALES = {
    "Contract": "nps", "Installation": "nps", "Urgent fault": "csat", "Billing dispute": "nps",
    "Billing": "csat", "Support call": "csat", "Website": "csat", "Account management": "nps",
    "Renewal": "nps", "Cancellation": None,
}
CHANNEL_MIX = {
    "Contract": {"email survey": 100},
    "Installation": {"email survey": 60, "SMS": 40},
    "Urgent fault": {"SMS": 60, "phone": 40},
    "Billing dispute": {"email survey": 60, "phone": 40},
    "Billing": {"email survey": 70, "web": 30},
    "Support call": {"phone": 50, "SMS": 50},
    "Website": {"web": 100},
    "Account management": {"email survey": 70, "phone": 30},
    "Renewal": {"email survey": 80, "phone": 20},
    "Cancellation": {"web": 60, "phone": 40},
}
# Responses per month in the UK (Ireland scales these down); every judged month gets at least 12.
MONTHLY_VOLUME = {
    "Contract": 18, "Installation": 40, "Urgent fault": 35, "Billing dispute": 22, "Billing": 30,
    "Support call": 50, "Website": 30, "Account management": 16, "Renewal": 16, "Cancellation": 15,
}
MIN_JUDGED = 12


@dataclass(frozen=True)
class UnitSpec:
    name: str
    code: str
    currency: str
    volume: float
    cities: tuple[str, ...]
    # touchpoint -> (metric name, direction, target)
    metrics: dict[str, tuple[str, str, float]]
    # touchpoint -> (metric status per month "G"/"A"/"R", feedback per month "G" good / "P" poor / "F" few)
    schedule: dict[str, tuple[str, str]]
    # How this unit's metrics export spells some touchpoints (an alias in meeting/data/touchpoints.csv).
    metric_labels: dict[str, str] = field(default_factory=dict)
    revenue: float = 0.0


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        name="United Kingdom", code="GB", currency="£", volume=1.0, revenue=4_200_000,
        cities=("Leeds", "Manchester", "Bristol", "Glasgow", "Birmingham", "Cardiff", "Nottingham", "London"),
        metrics={
            "Contract": ("Contracts issued within 2 working days %", "higher", 90.0),
            "Installation": ("Installs completed within 5 working days %", "higher", 85.0),
            "Urgent fault": ("Fault calls answered within 60 s %", "higher", 90.0),
            "Billing dispute": ("Disputes resolved within 10 working days %", "higher", 80.0),
            "Billing": ("Invoices issued without error %", "higher", 98.0),
            "Support call": ("Average handling time (min)", "lower", 6.0),
            "Website": ("Online requests completed without a call %", "higher", 70.0),
            "Account management": ("Quarterly account reviews held %", "higher", 90.0),
            "Renewal": ("Renewal quotes sent 90 days before term end %", "higher", 95.0),
            "Cancellation": ("Cancellations confirmed within 2 working days %", "higher", 95.0),
        },
        # Months: 2025-12 .. 2026-11. The story: installs went to a subcontractor in May (the 5-day metric
        # stayed green, customers did not); the fault desk hired call handlers in September (calls answered
        # fast, faults fixed slowly); a billing migration hurt invoices in June-August.
        schedule={
            "Contract":           ("AAAAAAAAAAAA", "GGGGGGGGGGGG"),
            "Installation":       ("GGGGGGGGGGGG", "GGGGGPPPPPPP"),
            "Urgent fault":       ("AAAAAAAAAGGG", "GGGGGGGPPPPP"),
            "Billing dispute":    ("AAAAAARRRRRR", "PPPPPPPPPPPP"),
            "Billing":            ("GGGGGGGGGAAA", "GGGGGGPPPGGG"),
            "Support call":       ("AAARRRRRRRRR", "GGGGGGGGGGGG"),
            "Website":            ("GGGGGGGGGGGG", "GGGGGGGGGGGG"),
            "Account management": ("GGAAAAAAAAAA", "GGGGGGGGGGGG"),
            "Renewal":            ("GGGGGGGGGGGG", "GGGGGGGGGGFG"),
            "Cancellation":       ("AAAAAAAAAAAA", "PPPPPPPPPPPP"),
        },
    ),
    UnitSpec(
        name="Ireland", code="IE", currency="€", volume=0.85, revenue=1_450_000,
        cities=("Dublin", "Cork", "Galway", "Limerick", "Waterford", "Athlone", "Sligo", "Kilkenny"),
        metrics={
            "Contract": ("Contracts issued within 2 working days %", "higher", 90.0),
            "Installation": ("Installs completed within 5 working days %", "higher", 85.0),
            "Urgent fault": ("Urgent faults acknowledged within 15 min %", "higher", 92.0),
            "Billing dispute": ("Average days to resolve a billing dispute", "lower", 10.0),
            "Billing": ("Invoices issued by the 3rd working day %", "higher", 95.0),
            "Support call": ("Calls answered within 30 s %", "higher", 80.0),
            "Website": ("Online requests completed without a call %", "higher", 65.0),
            "Account management": ("Quarterly account reviews held %", "higher", 90.0),
            "Renewal": ("Renewal quotes sent 90 days before term end %", "higher", 95.0),
            "Cancellation": ("Cancellations confirmed within 2 working days %", "higher", 95.0),
        },
        # The story: the urgent-fault desk met its acknowledgement target from June while fixes stayed
        # slow; installs soured in September; a summer promotion over-promised (Contract, July-August).
        schedule={
            "Contract":           ("AAAAAAAGGAAA", "GGGGGGGPPGGG"),
            "Installation":       ("GGGGGGGGGGGG", "GGGGGGGGGPPP"),
            "Urgent fault":       ("AAAAAAGGGGGG", "PPPPPPPPPPPP"),
            "Billing dispute":    ("AAAAAAAARRRR", "PPPPPPPPPPPP"),
            "Billing":            ("AAAAAAARRRRR", "GGGGGGGGGGGG"),
            "Support call":       ("AAAAAAAAAAAA", "GGGGPPPPPPPP"),
            "Website":            ("AAAAAAAAAAAA", "GGGGGGGGGGGG"),
            "Account management": ("GGGGGGGGGGGG", "GGGGGGGGGGGG"),
            "Renewal":            ("AAAAAAAAAGGG", "GGGGGGGGGGFG"),
            "Cancellation":       ("AAAAAAAAAAAA", "PPPPPPPPPPPP"),
        },
        # Ireland's service-desk export says "Install"; meeting/data/touchpoints.csv knows it as Installation.
        metric_labels={"Installation": "Install"},
    ),
)
UNIT_BY_NAME = {unit.name: unit for unit in UNITS}


def _plan(unit: UnitSpec) -> dict[str, dict]:
    plan: dict[str, dict] = {}
    for index, period in enumerate(PERIODS):
        month: dict[str, Any] = {"watermelons": [], "red_poor": [], "green_good": [], "reverse": [], "too_few": [], "ages": {}}
        for touchpoint in TOUCHPOINTS:
            status, feedback = (s[index] for s in unit.schedule[touchpoint])
            if feedback == "F":
                month["too_few"].append(touchpoint)
            elif status == "G" and feedback == "P":
                month["watermelons"].append(touchpoint)
                age = 0
                while index - age >= 0 and unit.schedule[touchpoint][0][index - age] == "G" \
                        and unit.schedule[touchpoint][1][index - age] == "P":
                    age += 1
                month["ages"][touchpoint] = age
            elif status == "R" and feedback == "P":
                month["red_poor"].append(touchpoint)
            elif status == "G" and feedback == "G":
                month["green_good"].append(touchpoint)
            elif status == "R" and feedback == "G":
                month["reverse"].append(touchpoint)
        plan[period] = month
    return plan


# What a watermelon detector must find, per unit and month, with the default thresholds:
#   watermelons: green metric + poor feedback ("ages": consecutive months as a watermelon, this one included);
#   red_poor: red metric + poor feedback (honest red); green_good: green metric + good feedback;
#   reverse: red metric + good feedback; too_few: fewer than 10 responses in the month.
# Every other touchpoint has an amber metric. Touchpoints are named as meeting/data/touchpoints.csv names them
# (Ireland's metrics say "Install" for Installation). In the review month 2026-10:
#   United Kingdom: watermelons Installation (6 months) and Urgent fault (2), red_poor Billing dispute,
#     green_good Website, reverse Support call, too_few Renewal;
#   Ireland: watermelons Installation (2 months) and Urgent fault (5), red_poor Billing dispute,
#     green_good Account management, reverse Billing, too_few Renewal.
PLANNED: dict[str, dict[str, dict]] = {unit.name: _plan(unit) for unit in UNITS}


@dataclass(frozen=True)
class DemoMeeting:
    unit: str
    held_on: str
    period: str
    title: str
    closed: bool


DEMO_MEETINGS = (
    DemoMeeting("United Kingdom", "2026-10-15", "2026-09", "United Kingdom leadership meeting, October 2026", True),
    DemoMeeting("United Kingdom", "2026-11-20", "2026-10", "United Kingdom leadership meeting, November 2026", False),
    DemoMeeting("Ireland", "2026-10-14", "2026-09", "Ireland leadership meeting, October 2026", True),
    DemoMeeting("Ireland", "2026-11-20", "2026-10", "Ireland leadership meeting, November 2026", False),
)


# --- dates ---------------------------------------------------------------------------------------------

def days_in(period: str) -> int:
    """Days with data in ``period``: the reference month only runs to the reference day."""
    year, month = (int(p) for p in period.split("-"))
    last = calendar.monthrange(year, month)[1]
    return min(last, REFERENCE_DATE.day) if period == PERIODS[-1] else last


def date_in(rng: random.Random, period: str) -> str:
    return f"{period}-{rng.randint(1, days_in(period)):02d}"
