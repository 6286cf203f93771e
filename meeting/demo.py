"""The demo organisation: a deterministic generator of its CSVs, and the loader that imports them.

Fernhill Connect sells business broadband, leased lines, managed Wi-Fi and phone systems to SMEs,
mid-market firms, enterprises and the public sector, in two units: the United Kingdom and Ireland.
``python -m meeting.demo generate`` writes ``data/demo/*.csv`` from a fixed seed (same seed, byte-identical
files: no global ``random``, no dates from the clock); ``load_demo(db)`` imports them through
``meeting.importing`` and creates the demo meetings.

The design the data is built to (which touchpoint is a watermelon in which month, and so on) is
``PLANNED``, derived from each unit's ``schedule``; tests check the generated CSVs against it independently.

Identifiers inside narratives, as real survey exports carry them (about 4% of narratives), follow these
patterns so that a masker can cover them:

- account numbers: ``ACC-`` and six digits (``ACCOUNT_NUMBER_PATTERN``); ``customer_ref`` uses the same;
- emails: ``first.last@<organisation>.example.com`` (the reserved example.com domain);
- phone numbers: Ofcom's ranges reserved for drama, in international and local form:
  ``+44 20 7946 0xxx`` / ``020 7946 0xxx``, ``+44 161 496 0xxx`` / ``0161 496 0xxx`` and
  ``+44 7700 900xxx`` / ``07700 900xxx``;
- names: "This is Siobhán O'Connor from Kestrel Foods", "ask for Mr Kowalski".
"""
from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from meeting.periods import shift_period
from meeting.store import PROJECT_ROOT

REFERENCE_DATE = dt.date(2026, 11, 20)
DEFAULT_SEED = 20261120
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
COMPANY = "Fernhill Connect"

# Twelve months ending in the reference month; the last one is month-to-date (days 1..20).
PERIODS: tuple[str, ...] = tuple(shift_period(REFERENCE_DATE.strftime("%Y-%m"), i - 11) for i in range(12))
REVIEW_PERIOD = "2026-10"  # the month the draft meeting of 2026-11-20 reviews

ACCOUNT_NUMBER_PATTERN = r"\bACC-\d{6}\b"
EMAIL_PATTERN = r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.example\.com\b"
PHONE_PATTERN = r"(?:\+44 ?|0)(?:20 7946 0\d{3}|161 496 0\d{3}|7700 ?900\d{3})"

SEGMENTS = ("SME", "Mid-market", "Enterprise", "Public sector")
SEGMENT_WEIGHTS = (50, 25, 12, 13)
CHANNELS = ("email survey", "SMS", "phone", "web")

# Touchpoint names as data/touchpoints.csv spells them; the order is the order rows are written in.
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
    # How this unit's metrics export spells some touchpoints (an alias in data/touchpoints.csv).
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
        # Ireland's service-desk export says "Install"; data/touchpoints.csv knows it as Installation.
        metric_labels={"Installation": "Install"},
    ),
)
UNIT_BY_NAME = {unit.name: unit for unit in UNITS}


def _plan(unit: UnitSpec) -> dict[str, dict]:
    plan: dict[str, dict] = {}
    for index, period in enumerate(PERIODS):
        month = {"watermelons": [], "red_poor": [], "green_good": [], "reverse": [], "too_few": [], "ages": {}}
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
# Every other touchpoint has an amber metric. Touchpoints are named as data/touchpoints.csv names them
# (Ireland's metrics say "Install" for Installation). In the review month 2026-10:
#   United Kingdom: watermelons Installation (6 months) and Urgent fault (2), red_poor Billing dispute,
#     green_good Website, reverse Support call, too_few Renewal;
#   Ireland: watermelons Installation (2 months) and Urgent fault (5), red_poor Billing dispute,
#     green_good Account management, reverse Billing, too_few Renewal.
PLANNED: dict[str, dict[str, dict]] = {unit.name: _plan(unit) for unit in UNITS}


# --- narratives ----------------------------------------------------------------------------------------
# Customers' words, composed from fragments: an opening, an episode specific to the touchpoint and the
# sentiment, a detail, a consequence and a closing. Placeholders in braces are filled per response.

EPISODES = {
    ("Contract", "neg"): [
        "The salesperson quoted one price and the contract came through with a higher monthly fee.",
        "We were promised a {months}-month discount that never appeared in the contract.",
        "The terms in the contract did not match what the sales rep told us on the call.",
        "It took {weeks} weeks and three chasers to get a contract we could actually sign.",
        "Nobody could explain the early cancellation terms before we signed, which is worrying.",
        "The quote expired while we were waiting for your legal team, so the price went up.",
        "Your advert promised free installation, then the contract added a set-up fee.",
        "The contract listed the wrong sites and it took {times} attempts to correct it.",
    ],
    ("Contract", "pos"): [
        "The contract was clear and the price was exactly what we were quoted.",
        "Our sales rep explained the terms properly and answered every question patiently.",
        "Signing up took one call and a simple e-signature, really easy.",
        "The quote was competitive and the contract matched it line by line.",
        "{staff} in sales made the contract simple and got us a fair discount.",
        "Great experience agreeing the contract, no pressure and no hidden fees.",
    ],
    ("Installation", "neg"): [
        "The install was booked for {weekday} and the engineer was a no-show, nobody called.",
        "We waited {weeks} weeks for the installation after being promised five days.",
        "The installation engineer arrived without the router and had to come back {days} days later.",
        "The line was marked as live on your system but nothing worked at our {site}.",
        "We were passed between your install team and a subcontractor and had to explain everything again.",
        "Two engineers came on different days and each said the other team had to finish the job.",
        "The install was signed off as complete on day four but the line only worked on day {days2}.",
        "The engineer said the survey notes were wrong, so the installation was delayed again.",
        "Your subcontractor drilled through the wrong wall and left a mess at our {site}.",
    ],
    ("Installation", "pos"): [
        "The engineer arrived on time, installed everything and tested every desk before leaving.",
        "Installation was done in {days} days, faster than we were promised.",
        "The technician was friendly and explained the new router to our office manager.",
        "Smooth install at our {site}, the engineer even tidied the comms cabinet.",
        "{staff} from your install team kept us informed and the line worked first time.",
        "Excellent installation, really professional engineer and no disruption.",
    ],
    ("Urgent fault", "neg"): [
        "Our {product} went down on a {weekday} morning and it was {hours} hours before anyone came out.",
        "Your fault line answered straight away, but then nobody owned the fault and we heard nothing.",
        "The outage took out card payments at our {site} and we were chasing updates all day.",
        "We were told an engineer was on the way, then transferred to another department with no record of it.",
        "Third outage this quarter and still no explanation of why the line keeps failing.",
        "The advert says faults are fixed in four hours; ours took {days} days.",
        "The call was answered in seconds, then the fault sat in a queue for {hours} hours.",
        "Nobody called back about the fault, so I rang {times} times for an update.",
    ],
    ("Urgent fault", "pos"): [
        "The fault was fixed within {fix_hours} hours and we had updates every hour.",
        "The engineer found the fault quickly and it was sorted the same afternoon.",
        "Fantastic response to our outage, the team kept us updated and it was resolved fast.",
        "{staff} on the fault desk took ownership and called me back as promised.",
        "Our {product} failed at 8am and was working again before lunch, great job.",
    ],
    ("Billing dispute", "neg"): [
        "We were overcharged for {months} months and the credit still has not appeared.",
        "I have disputed the same invoice {times} times and every time I have to explain it again.",
        "Your billing team promised a refund by the end of the month; we are still waiting.",
        "We were charged a cancellation fee on a line we never cancelled.",
        "The dispute was closed without anyone calling me back.",
        "Nobody owns the dispute: billing says it is sales, sales says it is billing.",
        "We were billed {amount} for a site that was never connected and the dispute has gone nowhere.",
        "The credit note was issued for the wrong amount, so the dispute started all over again.",
    ],
    ("Billing dispute", "pos"): [
        "The billing team sorted the disputed invoice in one call and the credit appeared the next week.",
        "Someone finally owned our dispute and the refund came quickly.",
        "{staff} resolved the overcharge, apologised and credited {amount} without any fuss.",
        "Dispute handled professionally and the corrected invoice was clear.",
    ],
    ("Billing", "neg"): [
        "The invoice is impossible to read and does not match our contract pricing.",
        "Our direct debit was taken twice this month.",
        "We were billed for a line at a site we closed months ago.",
        "The new billing system sends invoices with no site references, so our finance team cannot check them.",
        "Invoices arrive late and the payment terms keep changing.",
        "We were charged {amount} in fees nobody can explain.",
        "The invoice ignored the discount in our contract again.",
    ],
    ("Billing", "pos"): [
        "The invoice is clear and matches our contract.",
        "Billing has been accurate and the direct debit is always on time.",
        "Easy to read invoices with every site listed, which our finance team loves.",
        "Simple billing, no surprises, exactly the price we agreed.",
        "Paying by direct debit is easy and the invoices arrive on time.",
    ],
    ("Support call", "neg"): [
        "I was on hold for {mins} minutes and then the call dropped.",
        "The adviser had to transfer me three times and nobody could help.",
        "I had to repeat myself to every agent because your system did not show the earlier call.",
        "The agent read from a script and did not understand the problem.",
        "I was promised a call back that never came.",
        "Your adviser rushed me off the phone before the problem was solved.",
    ],
    ("Support call", "pos"): [
        "The adviser took the time to understand the problem and fixed it while I was on the line.",
        "Really helpful agent, knowledgeable and patient; resolved first time.",
        "{staff} stayed on the call until the line was working again, brilliant.",
        "Friendly adviser who explained everything clearly and sorted the issue.",
        "The agent was polite, took ownership and called back exactly when promised.",
        "Great support call, the problem was solved in one go.",
    ],
    ("Website", "neg"): [
        "The portal login failed {times} times and the reset email never arrived.",
        "The website said the upgrade was available at our postcode; it was not.",
        "Your online portal crashed halfway through placing the order.",
        "Could not find our invoices anywhere on the website, very frustrating.",
        "The web form lost everything I typed when the session timed out.",
    ],
    ("Website", "pos"): [
        "The portal is easy to use and I can download every invoice.",
        "Ordered an extra line online in five minutes, great.",
        "Logging a fault on the website was quick and I got updates by email.",
        "The new portal is clear and I never need to call now.",
        "Really easy to change our account details online.",
        "Useful website, found the answer to my question in the help pages.",
    ],
    ("Account management", "neg"): [
        "We have not heard from our account manager in {months} months.",
        "Our account manager changed three times this year and nobody handed over our history.",
        "The quarterly review was cancelled again at the last minute.",
        "Our account manager only calls when there is something to sell.",
        "We asked our account manager for a fault report {times} times and never got one.",
    ],
    ("Account management", "pos"): [
        "{staff}, our account manager, knows our business and always calls back.",
        "Our quarterly review was useful and the account manager followed up on every point.",
        "Excellent account management, proactive advice on our {product}.",
        "Our account manager helped us plan the move to our new {site} and it went perfectly.",
        "Great relationship with our account manager, honest and helpful.",
        "{staff} spotted we were on the wrong tariff and saved us money, very impressed.",
    ],
    ("Renewal", "neg"): [
        "The renewal price went up {pct}% with no warning and no explanation.",
        "We had to chase the renewal quote ourselves, two weeks before the contract ended.",
        "The renewal terms were worse than what you offer new customers in your adverts.",
        "Nobody contacted us about renewal and we were moved to an expensive rolling tariff.",
    ],
    ("Renewal", "pos"): [
        "The renewal was straightforward and we got a fair price.",
        "Our account manager sent the renewal quote three months early with options.",
        "Renewing was easy and we got a better price than last time.",
        "Smooth renewal, clear terms and a sensible upgrade.",
    ],
    ("Cancellation", "neg"): [
        "We are leaving because the line went down too often and faults took days to fix.",
        "Cancelling took {weeks} weeks and {times} phone calls, awful.",
        "We were charged after the cancellation date and are still waiting for the refund.",
        "Nobody asked why we were leaving until the final invoice arrived.",
        "A competitor offered the same speed for less and you refused to match the price.",
        "We are cancelling after {months} months of broken promises about install dates.",
        "Leaving because every billing error turns into a dispute that nobody owns.",
        "Terrible service since the new system, we have had enough and are cancelling.",
    ],
    ("Cancellation", "pos"): [
        "Sorry to leave; the cancellation was handled quickly and politely.",
        "We are moving abroad; your team made cancelling easy and the final bill was correct.",
        "Closing our {site}, so cancelling, but the service was great and the team helpful.",
        "Only leaving because we merged with another firm; thank you for a good service.",
    ],
}

OPENINGS = {
    "neg": ["", "", "", "Frankly,", "Honestly,", "Where do I start.", "Second time writing this survey.",
            "As a customer of {years} years,", "Not impressed.", "Disappointing experience."],
    "pos": ["", "", "", "Very happy.", "Credit where it is due.", "As a customer of {years} years,",
            "Good experience overall.", "Quick note to say thanks."],
}
# Details that fit any touchpoint, plus those that only make sense where an engineer visits.
FIELD_TOUCHPOINTS = ("Installation", "Urgent fault")
DETAILS = {
    "neg": [
        "Every time I call I get a different person and have to explain it again.",
        "Your staff seem to be fighting their own systems.",
        "Nobody called to update us.",
        "We only heard back after I chased it {times} times.",
        "It feels like nobody owns the problem.",
        "We were kept in the dark for days.",
        "What the website said is not what we got.",
        "The hand-off between your teams is a mess.",
        "Waiting this long is not acceptable for a business line.",
        "Your advert promised far more than this.",
        "I was told it was sorted when it was not.",
        "The adviser admitted they are short-staffed this month.",
        "Your new staff clearly have not been trained on the system.",
        "Everyone I spoke to sounded overworked.",
    ],
    "pos": [
        "The team kept us informed throughout.",
        "Everyone we spoke to was polite and knowledgeable.",
        "No chasing needed, which makes a nice change.",
        "Clear updates at every step.",
        "Exactly what we were promised.",
        "Good communication from start to finish.",
        "Clearly well trained staff.",
    ],
}
FIELD_DETAILS = {
    "neg": ["The engineer was decent but clearly had no information from the office.",
            "The engineer had not been told what the fault was.",
            "Your engineer said the job had been booked wrongly by the office."],
    "pos": ["The engineer was helpful and tidy.", "It was fixed first time.",
            "The engineer explained exactly what had gone wrong."],
}
CONSEQUENCES = {
    "neg": [
        "I have escalated this to our finance director.", "We are now reviewing whether to renew.",
        "Our own customers noticed.", "It has damaged our trust in you.", "It wasted hours of my week.", "",
    ],
    "pos": ["It saved us a lot of hassle.", "", "", "Our staff were delighted.", "That is why we stay with you."],
}
# What a dead line does to a business: only where the line itself failed or was late.
FIELD_CONSEQUENCES = {
    "neg": ["That cost us a day of trading.", "Our staff could not take card payments.",
            "We have had to put in a backup line from another provider.",
            "We lost {hours} hours of work across {staff_count} staff."],
    "pos": ["Our office did not notice a thing.", "We were trading again within the hour."],
}
CLOSINGS = {
    "neg": ["Not good enough for a business service.", "Please sort this out.", "Very disappointed.",
            "I would not recommend you at the moment.", "Fix the basics before selling us more.",
            "Poor.", "Really frustrating.", ""],
    "pos": ["Thank you.", "Keep it up.", "Would recommend.", "Great service.", "Credit to the team.",
            "Thanks again!", ""],
}
SMS_TAILS = {
    "neg": ["Awful.", "Not happy.", "Very poor.", "Sort it out.", "Terrible service.", "Useless.",
            "Really annoyed.", "Disappointed again.", "Shocking.", "Worst experience this year.", "Poor.",
            "Not acceptable."],
    "pos": ["Great.", "Thanks!", "Brilliant.", "Very happy.", "Spot on.", "Excellent.", "Good job.",
            "Thank you.", "Really pleased.", "Top marks."],
}
MIXED_LINKS = ["But", "However,", "That said,", "Only thing:"]
MIXED_NEG = [
    "it took a while to get there.", "the first person I spoke to could not help.",
    "I had to chase once for an update.", "we waited longer than we expected.",
    "the hand-off to the next team was slow.", "it could have been quicker.",
]
MIXED_NEG_BY_TOUCHPOINT = {
    "Contract": ["the contract paperwork took a week longer than the sales rep said."],
    "Installation": ["it needed a second visit to finish.", "the install date moved once."],
    "Urgent fault": ["the first update came late.", "the fault came back a week later."],
    "Billing dispute": ["the credit took another billing cycle to appear."],
    "Billing": ["the invoice layout is still confusing."],
    "Support call": ["I was on hold for a while first."],
    "Website": ["the portal login is fiddly.", "the website search is poor."],
    "Account management": ["the quarterly review slipped by a month."],
    "Renewal": ["the renewal quote came later than I would like."],
    "Cancellation": ["the final invoice was confusing."],
}

PRODUCTS = ("leased line", "business broadband", "managed Wi-Fi", "SD-WAN link", "phone system")
SITES = ("office", "warehouse", "head office", "depot", "clinic", "shop", "branch", "school office")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
AGENT_NAMES = ("Priya", "Tom", "Declan", "Aisha", "Gareth", "Mei", "Ciara", "Ravi", "Hannah", "Kofi")
NUMBER_WORDS = ("two", "three", "four", "five", "six")

# Customers who name themselves in the free text. Accents, apostrophes, hyphens and short names on purpose.
FIRST_NAMES = ("Siobhán", "Aoife", "Ciarán", "Seán", "Niamh", "Oisín", "Zoë", "Chloë", "Renée", "José",
               "Łukasz", "Małgorzata", "Kwame", "Aisha", "Raj", "Mei", "Jo", "Al", "Dev", "Tom", "Priya",
               "Fatima", "Gareth", "Rhys", "Eilidh", "Hamish", "Agnieszka", "Bo")
SURNAMES = ("O'Connor", "Kowalski", "Ní Bhriain", "McAllister", "Smith-Jones", "Lefèvre", "Nowak", "Okafor",
            "Patel", "Ó Dónaill", "D'Arcy", "Wiśniewska", "Fitzgerald", "Chen", "MacLeod", "Byrne", "Ahmed",
            "Evans", "Ng", "Van der Berg")
TITLES = ("Mr", "Ms", "Mrs", "Dr")
ORG_PREFIXES = ("Brightwater", "Kestrel", "Harbourside", "Oakfield", "Marlow", "Thistle", "Granite", "Bluebell",
                "Corrib", "Liffey", "Ashgrove", "Northgate", "Riverside", "Hawthorn", "Kingfisher", "Millbrook")
ORG_SUFFIXES = ("Logistics", "Foods", "Dental Care", "Solicitors", "Engineering", "Council", "Academy Trust",
                "Health Partners", "Accountants", "Hotels", "Print", "Veterinary Group")
PHONE_FORMS = (
    ("+44 20 7946 0{n:03d}", "020 7946 0{n:03d}"),
    ("+44 161 496 0{n:03d}", "0161 496 0{n:03d}"),
    ("+44 7700 900{n:03d}", "07700 900{n:03d}"),
)
IDENTIFIER_SHARE = 0.04

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "ß": "ss"})


def ascii_slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII for email local parts and domains: "Ó Dónaill" -> "odonaill"."""
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.casefold().replace("'", ""))
    return sep.join(words)


def _email(first: str, last: str, organisation: str) -> str:
    return f"{ascii_slug(first)}.{ascii_slug(last, '-')}@{ascii_slug(organisation, '-')}.example.com"


def _phone(rng: random.Random) -> str:
    international, local = rng.choice(PHONE_FORMS)
    return rng.choice((international, local)).format(n=rng.randrange(1000))


@dataclass(frozen=True)
class Customer:
    ref: str
    segment: str
    organisation: str


def _customers(rng: random.Random, count: int) -> list[Customer]:
    refs = rng.sample(range(100000, 1000000), count)
    return [
        Customer(f"ACC-{ref}", rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0],
                 f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_SUFFIXES)}")
        for ref in refs
    ]


def _fill(rng: random.Random, text: str, unit: UnitSpec) -> str:
    if "{" not in text:
        return text
    return text.format(
        days=rng.randint(2, 9), days2=rng.randint(8, 15), weeks=rng.randint(2, 6), hours=rng.randint(5, 30),
        mins=rng.choice((25, 30, 40, 45, 55, 70)), months=rng.randint(2, 7), times=rng.choice(NUMBER_WORDS),
        pct=rng.choice((12, 15, 18, 22, 25, 30)), weekday=rng.choice(WEEKDAYS), product=rng.choice(PRODUCTS),
        site=f"{rng.choice(unit.cities)} {rng.choice(SITES)}", staff=rng.choice(AGENT_NAMES),
        amount=f"{unit.currency}{rng.randint(2, 95) * 20:,}", years=rng.randint(2, 12),
        staff_count=rng.choice((8, 12, 20, 35, 60)), fix_hours=rng.choice(("two", "three", "four")),
    )


def _identifier_sentence(rng: random.Random, customer: Customer) -> tuple[str, bool]:
    """A sentence carrying a customer identifier, and whether it opens the narrative."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    org = customer.organisation
    choice = rng.randrange(7)
    if choice == 0:
        return f"This is {first} {last} from {org}.", True
    if choice == 1:
        return f"Please ask for {rng.choice(TITLES)} {last}, our office manager.", False
    if choice == 2:
        return f"You can reach me on {_phone(rng)}.", False
    if choice == 3:
        return f"Email me at {_email(first, last, org)} if you need the details.", False
    if choice == 4:
        return f"Our account number is {customer.ref}.", False
    if choice == 5:
        return f"Ref {customer.ref}, {org}.", True
    return f"Call {first} on {_phone(rng)} or email {_email(first, last, org)}.", False


def _compose(rng: random.Random, unit: UnitSpec, touchpoint: str, tone: str, channel: str) -> str:
    if tone == "mixed":
        core = _fill(rng, rng.choice(EPISODES[(touchpoint, "pos")]), unit)
        return f"{core} {rng.choice(MIXED_LINKS)} {rng.choice(MIXED_NEG + MIXED_NEG_BY_TOUCHPOINT[touchpoint])}"
    episode = _fill(rng, rng.choice(EPISODES[(touchpoint, tone)]), unit)
    if channel == "SMS":  # texts are short, and people type them in lower case
        short = episode if rng.random() < 0.3 else f"{episode} {rng.choice(SMS_TAILS[tone])}"
        return short.lower().rstrip(".") if rng.random() < 0.3 else short
    parts = [_fill(rng, rng.choice(OPENINGS[tone]), unit)]
    if parts[0].endswith(","):  # "As a customer of 5 years," runs into the episode
        parts = [f"{parts[0]} {episode[0].lower()}{episode[1:]}"]
    else:
        parts.append(episode)
    if rng.random() < 0.7:
        details = DETAILS[tone] + (FIELD_DETAILS[tone] if touchpoint in FIELD_TOUCHPOINTS else [])
        parts.append(_fill(rng, rng.choice(details), unit))
    if touchpoint != "Cancellation" and rng.random() < 0.6:  # "we stay with you" from a leaver reads wrong
        consequences = CONSEQUENCES[tone] + (FIELD_CONSEQUENCES[tone] if touchpoint in FIELD_TOUCHPOINTS else [])
        parts.append(_fill(rng, rng.choice(consequences), unit))
    parts.append(rng.choice(CLOSINGS[tone]))
    return " ".join(p for p in parts if p)


class _Tone:
    """Checks that a composed narrative reads the way its score says (VADER, as the app reads it).

    Complaints told as plain facts read neutral to VADER, and that is fine for scored responses (the score
    judges them); they must only never read the opposite way, or a detractor's words would be quoted as
    praise. Where there is no score (``strict``), the narrative is the verdict: a complaint must read
    negative (compound below -0.05, the app's cut-off) and praise must not.
    """

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyser = SentimentIntensityAnalyzer()

    def agrees(self, text: str, tone: str, strict: bool) -> bool:
        compound = self._analyser.polarity_scores(text)["compound"]
        if tone == "neg":
            return compound < (-0.05 if strict else 0.05)
        if tone == "pos":
            return compound >= -0.05 if strict else compound > -0.05
        return True


def _narrative(rng, tone_check, unit, customer, touchpoint, tone, channel) -> str:
    # Re-compose until VADER agrees with the intended tone, so the most negative quotes the app picks
    # come from detractors, and narrative-only touchpoints are judged as designed. Bounded, deterministic.
    strict = SCALES[touchpoint] is None
    for _ in range(30):
        text = _compose(rng, unit, touchpoint, tone, channel)
        if tone_check.agrees(text, tone, strict):
            break
    else:
        raise RuntimeError(f"No {tone} narrative for {touchpoint} reads {tone}: fix the fragments")
    if rng.random() < IDENTIFIER_SHARE:
        sentence, opens = _identifier_sentence(rng, customer)
        text = f"{sentence} {text}" if opens else f"{text} {sentence}"
    return text


# --- scores -------------------------------------------------------------------------------------------

def _nps(scores: list[int]) -> float:
    return 100.0 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def _scores(rng: random.Random, scale: str, feedback: str, n: int) -> list[int]:
    """``n`` scores whose NPS / mean CSAT lands clearly on the designed side of the poor-feedback line."""
    for _ in range(200):
        if scale == "nps":
            bands = (0.09, 0.21, 0.70) if feedback in "PF" else (0.55, 0.30, 0.15)
            scores = []
            for _i in range(n):
                band = rng.choices(("promoter", "passive", "detractor"), bands)[0]
                scores.append(rng.choice((9, 10)) if band == "promoter" else rng.choice((7, 8)) if band == "passive"
                              else rng.choices(range(7), (1, 1, 2, 3, 3, 4, 4))[0])
            value, poor_line, good_line = _nps(scores), -20.0, 15.0
        else:
            weights = (26, 26, 20, 18, 10) if feedback in "PF" else (3, 5, 12, 38, 42)
            scores = rng.choices(range(1, 6), weights, k=n)
            value, poor_line, good_line = sum(scores) / n, 3.2, 3.8
        if (feedback in "PF" and value <= poor_line) or (feedback == "G" and value >= good_line):
            return scores
    raise RuntimeError("Could not draw scores for the design")  # pragma: no cover - 200 draws never miss


def _tone_of(scale: str, score: int) -> str:
    if scale == "nps":
        return "neg" if score <= 6 else "mixed" if score <= 8 else "pos"
    return "neg" if score <= 2 else "mixed" if score == 3 else "pos"


def _days(period: str) -> int:
    year, month = (int(p) for p in period.split("-"))
    last = calendar.monthrange(year, month)[1]
    return min(last, REFERENCE_DATE.day) if period == PERIODS[-1] else last


def _date_in(rng: random.Random, period: str) -> str:
    return f"{period}-{rng.randint(1, _days(period)):02d}"


NARRATIVE_RATE = {"email survey": 0.8, "web": 0.75, "SMS": 0.55, "phone": 0.85}


def _voc_rows(seed: int, unit: UnitSpec, tone_check: _Tone) -> list[dict]:
    rng = random.Random(f"{seed}:{unit.code}:voc")
    customers = _customers(rng, 700 if unit.volume >= 1 else 520)
    rows = []
    for index, period in enumerate(PERIODS):
        month_share = _days(period) / calendar.monthrange(*map(int, period.split("-")))[1]
        for touchpoint in TOUCHPOINTS:
            feedback = unit.schedule[touchpoint][1][index]
            if feedback == "F":
                n = rng.randint(4, 7)
            else:
                n = round(MONTHLY_VOLUME[touchpoint] * unit.volume * month_share * rng.uniform(0.85, 1.15))
                n = max(n, MIN_JUDGED)
            scale = SCALES[touchpoint]
            if scale:
                tones_scores = [(_tone_of(scale, s), s) for s in _scores(rng, scale, feedback, n)]
            else:
                # Narrative-only: the share of negative narratives decides, so fix it per month.
                negative = round(n * (rng.uniform(0.65, 0.8) if feedback in "PF" else rng.uniform(0.15, 0.3)))
                tones_scores = [("neg", None)] * negative + [("pos", None)] * (n - negative)
                rng.shuffle(tones_scores)
            mix = CHANNEL_MIX[touchpoint]
            for tone, score in tones_scores:
                channel = rng.choices(list(mix), list(mix.values()))[0]
                customer = rng.choice(customers)
                wants_text = scale is None or rng.random() < (0.9 if tone == "neg" else NARRATIVE_RATE[channel])
                rows.append({
                    "unit": unit.name, "response_id": "", "received_on": _date_in(rng, period),
                    "channel": channel, "touchpoint": touchpoint, "segment": customer.segment,
                    "customer_ref": customer.ref, "score": "" if score is None else str(score),
                    "scale": scale or "",
                    "narrative": _narrative(rng, tone_check, unit, customer, touchpoint, tone, channel) if wants_text else "",
                })
    # Ids follow arrival order, as a survey tool numbers its responses.
    rows.sort(key=lambda r: (r["received_on"], TOUCHPOINTS.index(r["touchpoint"])))
    for number, row in enumerate(rows, start=1):
        row["response_id"] = f"{unit.code}-{number:06d}"
    return rows


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
STAFF_TEXT = {
    ("Contact centre", "challenge"): [
        "The CRM freezes when I open a customer's fault history, so they have to repeat themselves.",
        "We are measured on average handling time, so people rush calls that need more time.",
        "Three systems to check one fault: the CRM, the network tool and the dispatch screen.",
        "Customers ring back about urgent faults because nobody gives them updates after we hand off to field.",
        "Short-staffed on late shifts again; {n} of us covering the whole queue.",
        "We cannot see billing credits, so we promise refunds we cannot check.",
        "The adverts promise four-hour fixes and customers quote it at us when the engineer is two days away.",
        "Billing disputes get transferred to us and back again because nobody owns them.",
    ],
    ("Contact centre", "idea"): [
        "Let us book the engineer directly instead of handing off to dispatch.",
        "Send customers an automatic update every two hours during an urgent fault.",
        "Measure first contact resolution alongside handling time.",
        "One screen with the customer's open faults, bills and disputes.",
        "Give team leaders authority to issue credits up to {amount} on the call.",
        "Pair new advisers with a buddy for their first month instead of two days of training.",
    ],
    ("Contact centre", "praise"): [
        "{name} on the late shift talked a new adviser through a nasty outage call brilliantly.",
        "The new knowledge articles on billing disputes saved me a transfer today.",
        "Field team called back within the hour when I flagged a hospital site outage.",
        "{name} stayed late to ring every customer affected by the {city} outage.",
    ],
    ("Field engineering", "challenge"): [
        "Since installs went to the subcontractor we turn up to finish jobs with no notes from the first visit.",
        "Install jobs are closed as complete on the system when the line is not working yet, so the 5-day figure looks great.",
        "Kit is not in the van because the order system does not tell stores what the survey found.",
        "Urgent fault tickets arrive with no site contact, so we waste an hour finding someone to let us in.",
        "Overtime every weekend since {month}; morale is low.",
        "The job app logs me out in basements with no signal and I lose the notes.",
        "We fix the fault but the customer hears nothing, because the ticket goes back to a queue.",
    ],
    ("Field engineering", "idea"): [
        "Only close an install when the customer confirms the line works.",
        "Photograph the comms room at survey so we bring the right kit.",
        "Give engineers the customer's direct number on the job sheet.",
        "Let the engineer send the customer a text when the fault is fixed.",
        "Keep a spare router in every van for urgent faults.",
    ],
    ("Field engineering", "praise"): [
        "Dispatch rerouted {name} to a school outage and it was fixed before lunch.",
        "The new tablets make the job sheets easier.",
        "{name} trained two subcontractor engineers on our install checklist in their own time.",
    ],
    ("Billing", "challenge"): [
        "Since the billing system migration, credits are applied manually and it takes weeks.",
        "Disputes bounce between us and sales because nobody owns contract pricing errors.",
        "The invoice template does not show site names, so public sector customers reject them.",
        "We are chasing {n} open disputes, each with no owner.",
        "The old and new billing systems disagree on prices for {n} accounts.",
    ],
    ("Billing", "idea"): [
        "One owner per dispute from first call to credit.",
        "Put the contract price on the invoice line so customers can check it.",
        "Auto-credit missed install appointments.",
        "A weekly call with sales to clear pricing errors before invoices go out.",
    ],
    ("Billing", "praise"): [
        "{name} cleared a backlog of {n} credits in a week.",
        "The contact centre's dispute notes are much better since the new template.",
    ],
    ("Sales", "challenge"): [
        "The price list changed mid-quarter and quotes we had sent were no longer valid.",
        "Customers at renewal see the new-customer offer in our adverts and ask why they pay more.",
        "We sell a 5-day install but the install team has no slots for three weeks.",
        "Account managers have {n} accounts each; quarterly reviews slip.",
        "Contract pricing errors surface as billing disputes months later and sour the renewal.",
    ],
    ("Sales", "idea"): [
        "Match the new-customer discount at renewal for Enterprise accounts.",
        "Share each account's fault history before renewal calls.",
        "Send renewal quotes 120 days ahead for Public sector, their budgets need it.",
    ],
    ("Sales", "praise"): [
        "Field engineering's quick fix at a {city} customer saved the renewal.",
        "{name} in onboarding turned round a {n}-site order in record time.",
    ],
    ("Marketing", "challenge"): [
        "The four-hour fix promise in the campaign came from an old SLA.",
        "Portal errors generate complaints that land on our social media channels.",
        "We do not see the NPS comments, so campaigns miss what customers actually say.",
    ],
    ("Marketing", "idea"): [
        "Test campaign claims with the contact centre before launch.",
        "Use real customer stories from the NPS survey in the newsletter.",
        "Put the real install lead time on the website instead of 'within five days'.",
    ],
    ("Marketing", "praise"): [
        "The web self-service pages cut calls about invoices.",
        "The contact centre gave us great examples for the new help pages.",
    ],
    ("Onboarding", "challenge"): [
        "Orders reach us with missing site contacts, so installs are booked late.",
        "We re-key every order from the CRM into the provisioning tool.",
        "Hand-offs between onboarding and the subcontractor happen by email and get lost.",
        "Sales promise install dates before we have checked capacity.",
    ],
    ("Onboarding", "idea"): [
        "A welcome call before the install visit to confirm access.",
        "A shared install calendar with the subcontractor.",
        "Block orders without a site contact at the CRM stage.",
    ],
    ("Onboarding", "praise"): [
        "{name} sorted a tricky multi-site install for a council.",
        "The subcontractor's {city} team has been spot on this month.",
    ],
}
STAFF_FOLLOW_UP = {
    "challenge": ["", "", "It has been like this for months.", "Customers notice.",
                  "We raised it in the team meeting but nothing changed.", "It adds minutes to every job.",
                  "It is hurting morale.", "Training does not cover it."],
    "idea": ["", "", "Happy to help trial it.", "It would save us hours each week.",
             "Other teams do this already.", "Cheap to try."],
    "praise": ["", "", "Worth recognising.", "More of this please.", "Made a real difference."],
}
COLLEAGUE_NAMES = ("Jo", "Marek", "Síle", "Dev", "Olu", "Kasia", "Liam", "Bea", "Tariq", "Róisín")
MONTH_NAMES = ("the summer", "the migration", "the spring", "the new rota")
# Engagement pulse (1-10) per team and month: the contact centre drifts down all year, field engineering
# dips after the install subcontract (May), billing dips during its migration (June-August).
ENGAGEMENT = {
    "Contact centre": (7.2, 7.1, 7.0, 6.9, 6.8, 6.6, 6.4, 6.2, 6.0, 5.9, 5.7, 5.6),
    "Field engineering": (7.0, 7.0, 7.1, 7.0, 6.9, 6.3, 6.0, 5.9, 5.8, 5.9, 5.8, 5.9),
    "Billing": (6.8, 6.9, 6.8, 6.9, 6.8, 6.7, 5.6, 5.4, 5.5, 6.0, 6.2, 6.3),
}


def _staff_rows(seed: int, unit: UnitSpec) -> list[dict]:
    rng = random.Random(f"{seed}:{unit.code}:staff")
    per_month = 27 if unit.volume >= 1 else 25
    teams = list(TEAMS)
    rows, seen = [], set()
    for index, period in enumerate(PERIODS):
        count = round(per_month * _days(period) / 30)
        made = 0
        while made < count:
            team = rng.choices(teams, [TEAMS[t][0] for t in teams])[0]
            _weight, roles, touchpoints, pulse = TEAMS[team]
            kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            text = rng.choice(STAFF_TEXT[(team, kind)]).format(
                n=rng.randint(3, 40), name=rng.choice(COLLEAGUE_NAMES), city=rng.choice(unit.cities),
                month=rng.choice(MONTH_NAMES), amount=f"{unit.currency}{rng.choice((50, 100, 150, 250))}")
            text = " ".join(p for p in (text, rng.choice(STAFF_FOLLOW_UP[kind])) if p)
            engagement = ""
            if pulse:
                engagement = str(min(10, max(1, round(rng.gauss(ENGAGEMENT[team][index], 1.3)))))
            row = {"unit": unit.name, "submitted_on": _date_in(rng, period), "team": team,
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

def metric_status(target: float, actual: float, direction: str, tolerance: float = 0.05) -> str:
    """The generator's own check that a drawn actual lands in the designed status (not the app's rule)."""
    gap = actual - target if direction == "higher" else target - actual
    return "G" if gap >= 0 else "A" if gap >= -tolerance * abs(target) else "R"


def _actual(rng: random.Random, target: float, direction: str, status: str) -> float:
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
        if metric_status(target, value, direction) == status:
            return value
    raise RuntimeError(f"No actual for target {target} in status {status}")  # pragma: no cover


def _metric_rows(seed: int, unit: UnitSpec) -> list[dict]:
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


def _plan_rows(unit: UnitSpec) -> list[dict]:
    c = unit.currency
    if unit.name == "United Kingdom":
        plans = [
            ("marketing", "Always-on leased line campaign", "Mid-market", "2026-12-01",
             "Digital and trade-press adverts for 1 Gbps leased lines promising faults 'fixed in 4 hours'; "
             "40% of the budget on LinkedIn."),
            ("marketing", "Public sector framework webinars", "Public sector", "2027-01-14",
             "Three webinars for councils and academy trusts on our new framework listing and invoicing by PO."),
            ("marketing", "SME spring switch offer", "SME", "2027-02-01",
             "Three months half price on business broadband for SMEs who switch before April; install "
             "'within five days' in the advert."),
            ("marketing", "Enterprise customer stories newsletter", "Enterprise", "2026-12-08",
             "Quarterly newsletter with named Enterprise customers; the first issue features managed Wi-Fi."),
            ("sales", "Win 12 Public sector sites through the framework", "Public sector", "2027-01-04",
             f"Target: 12 council and academy trust sites, {c}420k annual contract value."),
            ("sales", "Enterprise SD-WAN upsell", "Enterprise", "2026-12-01",
             f"Target: 8 Enterprise accounts upgraded to SD-WAN, {c}1.1m annual recurring revenue."),
            ("sales", "Mid-market renewals drive", "Mid-market", "2027-01-11",
             "Keep 90% of the 64 Mid-market contracts ending before June; renewal quotes 120 days ahead."),
            ("sales", "SME new logos", "SME", "2027-02-01",
             "350 new SME customers in Q1 from the spring switch offer."),
        ]
    else:
        plans = [
            ("marketing", "Connected Ireland radio and digital campaign", "SME", "2026-12-07",
             "Regional radio and social adverts: 'business broadband installed in five days, faults fixed fast'."),
            ("marketing", "Healthcare and education roadshow", "Public sector", "2027-02-09",
             "Roadshow in Cork, Galway and Limerick for HSE partners, schools and councils."),
            ("marketing", "Mid-market managed Wi-Fi launch", "Mid-market", "2027-01-18",
             "Launch emails and a webinar for managed Wi-Fi; first three months free for existing customers."),
            ("sales", "Public sector tender pipeline", "Public sector", "2027-01-11",
             f"Bid for 6 public sector tenders worth {c}900k; two framework lots close in February."),
            ("sales", "Enterprise account growth", "Enterprise", "2026-12-01",
             f"Grow the top 20 Enterprise accounts by {c}350k: SD-WAN and managed Wi-Fi cross-sell."),
            ("sales", "SME renewals before price rise", "SME", "2027-03-01",
             "Renew 400 SME contracts before the April price change; offer two-year terms."),
            ("sales", "Mid-market new logos in Munster", "Mid-market", "2027-02-01",
             "40 new Mid-market customers in Cork and Limerick, led by the new account team."),
        ]
    return [{"unit": unit.name, "section": s, "title": t, "segment": seg, "starts_on": d, "detail": detail}
            for s, t, seg, d, detail in plans]


FINANCE_LINES = ("Revenue", "Cost of service", "Credits and refunds", "Marketing spend", "Staff costs")


def _finance_rows(seed: int, unit: UnitSpec) -> list[dict]:
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

_UK_LEADERS = [
    ("Zoë Lefèvre-Martin", "General Manager, United Kingdom", "+44 20 7946 0101"),
    ("Seán O'Brien-Kowalczyk", "Chief Financial Officer", "+44 20 7946 0102"),
    ("Li Wu", "Director of Operations", "+44 161 496 0103"),
    ("Ana Zieliński", "Sales Director", "+44 7700 900104"),
    ("Marcus D'Souza", "Marketing Director", "+44 7700 900105"),
    ("Bethan ap Rhys", "People Director", "+44 20 7946 0106"),
]
_IE_LEADERS = [
    ("Aoife Mac Giolla Bhríde", "General Manager, Ireland", "+44 20 7946 0201"),
    ("Dara Ó Súilleabháin", "Chief Financial Officer", "+44 20 7946 0202"),
    ("Niamh Byrne-Fitzgerald", "Head of Operations", "+44 161 496 0203"),
    ("Piotr Wiśniewski", "Sales Director", "+44 7700 900204"),
    ("Éabha O'Neill", "Marketing Director", "+44 7700 900205"),
    ("Ed Ng", "People Director", "+44 20 7946 0206"),
]
# (held_on, name, organisation, role, kind, phone): the guests of each meeting.
_GUESTS = {
    ("United Kingdom", "2026-10-15"): [
        ("Grace Okonkwo-Reid", "Brightwater Logistics", "Head of Procurement", "customer", "+44 20 7946 0321"),
        ("Jo Tan", COMPANY, "Senior field engineer", "frontline", "+44 7700 900322"),
    ],
    ("United Kingdom", "2026-11-20"): [
        ("Rhiannon Price", "Marlow & Finch Solicitors", "Chief Operating Officer", "customer", "+44 161 496 0323"),
        ("Abdi Farah", COMPANY, "Customer service adviser", "frontline", "+44 7700 900324"),
    ],
    ("Ireland", "2026-10-14"): [
        ("Conor McAllister", "Kestrel Foods", "Head of IT", "customer", "+44 20 7946 0421"),
        ("Ewa Dąbrowska-Ryan", COMPANY, "Contact centre team leader", "frontline", "+44 7700 900422"),
    ],
    ("Ireland", "2026-11-20"): [
        ("Máire Doyle", "Shannonside Health Partners", "Head of Procurement", "customer", "+44 161 496 0423"),
        ("Kit Ó Dálaigh", COMPANY, "Onboarding coordinator", "frontline", "+44 7700 900424"),
    ],
}


def _participant_rows() -> list[dict]:
    rows = []
    for meeting in DEMO_MEETINGS:
        leaders = _UK_LEADERS if meeting.unit == "United Kingdom" else _IE_LEADERS
        people = [(name, COMPANY, role, "leader", phone) for name, role, phone in leaders]
        people += _GUESTS[(meeting.unit, meeting.held_on)]
        for name, organisation, role, kind, phone in people:
            first, _, last = name.partition(" ")
            domain = COMPANY if organisation == COMPANY else organisation
            rows.append({"unit": meeting.unit, "held_on": meeting.held_on, "name": name,
                         "organisation": organisation, "role": role, "kind": kind,
                         "email": _email(first, last, domain), "phone": phone})
    return rows


# Minutes of the two closed October meetings: (section, kind, text, speaker, owner, due_on). Notes name
# participants, use the customer organisation as a possessive and carry an email and a phone, as real
# minutes do; the anonymiser must strip all of it. Actions are open so they carry over to November.
_MINUTES = {
    "United Kingdom": [
        ("customer", "note", "Grace Okonkwo-Reid said Brightwater's depots lost connectivity twice in September; "
         "each time the fault desk 'answered fast and fixed slowly'.", "Grace Okonkwo-Reid", "", ""),
        ("customer", "note", "Grace asked that fault updates go to the Brightwater ops desk at "
         "ops.desk@brightwater-logistics.example.com and the depot line +44 20 7946 0321.", "Grace Okonkwo-Reid", "", ""),
        ("customer", "decision", "Every detractor on Installation and Urgent fault gets a call back within two "
         "working days, starting this month.", "Zoë Lefèvre-Martin", "", ""),
        ("customer", "action", "Call Brightwater's depot managers and agree a fault-update routine.",
         "Zoë Lefèvre-Martin", "Li Wu", "2026-10-31"),
        ("employees", "note", "Jo Tan described installs booked before the site survey: engineers arrive "
         "without the right kit and the job is still closed as complete.", "Jo Tan", "", ""),
        ("employees", "action", "Refresher training on the ordering system for Onboarding and the install "
         "subcontractor.", "Bethan ap Rhys", "Bethan ap Rhys", "2026-11-30"),
        ("operations", "note", "Installs within 5 days is green while installation NPS is far below zero: "
         "Li Wu thinks the metric counts jobs closed, not lines working.", "Li Wu", "", ""),
        ("operations", "decision", "Report 'installs working first time' next to the 5-day install metric "
         "from November.", "Zoë Lefèvre-Martin", "", ""),
        ("operations", "action", "Review the subcontractor hand-offs on installs and report back at the "
         "November meeting.", "Li Wu", "Li Wu", "2026-11-13"),
        ("marketing", "note", "Marcus D'Souza agreed the 'fixed in 4 hours' advert promises more than urgent "
         "fault repairs deliver.", "Marcus D'Souza", "", ""),
        ("marketing", "action", "Pause the 'fixed in 4 hours' advert until fix times support it.",
         "Marcus D'Souza", "Marcus D'Souza", "2026-10-20"),
        ("sales", "action", "Call the 14 Public sector customers whose renewals fall before March.",
         "Ana Zieliński", "Ana Zieliński", "2026-12-15"),
        ("finance", "note", "Seán O'Brien-Kowalczyk: credits and refunds ran well over budget in "
         "September, mostly billing-dispute credits.", "Seán O'Brien-Kowalczyk", "", ""),
        ("finance", "action", "Report the monthly cost of billing-dispute credits, with the top ten causes.",
         "Seán O'Brien-Kowalczyk", "Seán O'Brien-Kowalczyk", "2026-11-13"),
    ],
    "Ireland": [
        ("customer", "note", "Conor McAllister said Kestrel's Cork plant waited 19 hours for an urgent fault "
         "fix although the call was acknowledged in minutes.", "Conor McAllister", "", ""),
        ("customer", "note", "Conor offered to test the new fault-update texts; reach him on +44 20 7946 0421 or "
         "conor.mcallister@kestrel-foods.example.com.", "Conor McAllister", "", ""),
        ("customer", "action", "Set up a monthly service review with Kestrel Foods.",
         "Aoife Mac Giolla Bhríde", "Niamh Byrne-Fitzgerald", "2026-11-06"),
        ("employees", "note", "Ewa Dąbrowska-Ryan reported that advisers transfer billing disputes three "
         "times on average because nobody owns them.", "Ewa Dąbrowska-Ryan", "", ""),
        ("employees", "decision", "Each billing dispute gets one named owner from first call to credit.",
         "Aoife Mac Giolla Bhríde", "", ""),
        ("employees", "action", "Write the dispute-owner rule into the contact centre and billing procedures.",
         "Ed Ng", "Ed Ng", "2026-11-27"),
        ("operations", "note", "Urgent faults acknowledged within 15 minutes is green, but customers score "
         "urgent fault CSAT below 3 of 5: Niamh Byrne-Fitzgerald will add time-to-fix.", "Niamh Byrne-Fitzgerald", "", ""),
        ("operations", "action", "Add time-to-fix for urgent faults to the operations dashboard.",
         "Niamh Byrne-Fitzgerald", "Niamh Byrne-Fitzgerald", "2026-11-20"),
        ("marketing", "note", "Éabha O'Neill will check the radio campaign's 'faults fixed fast' line "
         "with the fault desk before it runs.", "Éabha O'Neill", "", ""),
        ("marketing", "action", "Rewrite the campaign promise to match real fix times.",
         "Éabha O'Neill", "Éabha O'Neill", "2026-11-30"),
        ("sales", "note", "Piotr Wiśniewski: two Public sector tenders close in February; Kestrel's experience "
         "is the reference case we cannot use yet.", "Piotr Wiśniewski", "", ""),
        ("finance", "note", "Dara Ó Súilleabháin: credits and refunds are well over budget since August, "
         "matching the red dispute metric.", "Dara Ó Súilleabháin", "", ""),
        ("finance", "action", "Forecast the credits needed to clear open disputes by year end.",
         "Dara Ó Súilleabháin", "Dara Ó Súilleabháin", "2026-12-04"),
    ],
}
# The one October action already done (the advert was paused), so the carry-over shows both states.
DONE_ACTIONS = {"United Kingdom": ("Pause the 'fixed in 4 hours' advert until fix times support it.",)}


def _minutes_rows() -> list[dict]:
    rows = []
    for meeting in DEMO_MEETINGS:
        if not meeting.closed:
            continue  # the November meetings are drafts: nothing minuted yet
        for section, kind, text, speaker, owner, due_on in _MINUTES[meeting.unit]:
            rows.append({"unit": meeting.unit, "held_on": meeting.held_on, "section": section, "kind": kind,
                         "text": text, "speaker": speaker, "owner": owner, "due_on": due_on})
    return rows


# --- writing ------------------------------------------------------------------------------------------

FILES = {
    "voc": ("unit", "response_id", "received_on", "channel", "touchpoint", "segment", "customer_ref",
            "score", "scale", "narrative"),
    "staff": ("unit", "submitted_on", "team", "role", "touchpoint", "kind", "text", "engagement"),
    "metrics": ("unit", "period", "touchpoint", "name", "target", "actual", "direction"),
    "plans": ("unit", "section", "title", "segment", "starts_on", "detail"),
    "finance": ("unit", "period", "line", "actual", "budget"),
    "participants": ("unit", "held_on", "name", "organisation", "role", "kind", "email", "phone"),
    "minutes": ("unit", "held_on", "section", "kind", "text", "speaker", "owner", "due_on"),
}


def _write(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    # "\n" line endings and a fixed column order: byte-identical output on every platform.
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(out_dir: str | Path = DEMO_DIR, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the demo CSVs into ``out_dir``; the same seed gives byte-identical files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tone_check = _Tone()
    rows: dict[str, list[dict]] = {kind: [] for kind in FILES}
    for unit in UNITS:
        rows["voc"] += _voc_rows(seed, unit, tone_check)
        rows["staff"] += _staff_rows(seed, unit)
        rows["metrics"] += _metric_rows(seed, unit)
        rows["plans"] += _plan_rows(unit)
        rows["finance"] += _finance_rows(seed, unit)
    rows["participants"] = _participant_rows()
    rows["minutes"] = _minutes_rows()
    paths = {}
    for kind, columns in FILES.items():
        paths[kind] = out / f"{kind}.csv"
        _write(paths[kind], columns, rows[kind])
    return paths


# --- loading ------------------------------------------------------------------------------------------

UNIT_KINDS = ("voc", "staff", "metrics", "plans", "finance")


def load_demo(db, demo_dir: str | Path = DEMO_DIR) -> dict[str, int]:
    """Import the demo CSVs and create the demo meetings; returns rows added per kind. Idempotent."""
    from meeting import agenda, importing, minutes, store
    from meeting.store import meetings

    demo_dir = Path(demo_dir)
    counts: dict[str, int] = {}
    before = len(store.list_units(db))
    for unit in UNITS:
        store.get_or_create_unit(db, unit.name)
    db.conn.commit()
    counts["units"] = len(store.list_units(db)) - before
    for kind in UNIT_KINDS:
        counts[kind] = importing.import_file(db, kind, demo_dir / f"{kind}.csv").inserted

    # One file each for all demo meetings' participants and minutes, keyed by unit and date; the importer
    # takes one meeting at a time, so each meeting gets its slice without those two columns.
    tables = {kind: importing.read_table(demo_dir / f"{kind}.csv", f"{kind}.csv") for kind in ("participants", "minutes")}
    counts.update(meetings=0, participants=0, minutes=0)
    for meeting in DEMO_MEETINGS:
        unit_id = store.find_unit(db, meeting.unit)["id"]
        found = db.execute("SELECT id, status FROM meetings WHERE unit_id = ? AND held_on = ? AND title = ?",
                           [unit_id, meeting.held_on, meeting.title]).fetchone()
        if found:
            meeting_id, status = found
        else:
            meeting_id = meetings.create_meeting(db, meeting.unit, meeting.held_on, title=meeting.title,
                                                 period=meeting.period)
            status = "draft"
            counts["meetings"] += 1
        if status == "closed":
            continue  # a closed meeting is the record (the store refuses changes); a second load leaves it alone
        agenda.draft_agenda(db, meeting_id)  # idempotent: a meeting without items gets the default agenda
        counts["participants"] += _import_slice(db, tables["participants"], "participants", meeting, meeting_id)
        if not meeting.closed:
            continue
        counts["minutes"] += _import_slice(db, tables["minutes"], "minutes", meeting, meeting_id)
        for text in DONE_ACTIONS.get(meeting.unit, ()):
            for (entry_id,) in db.execute("SELECT id FROM minutes_entries WHERE meeting_id = ? AND text = ? "
                                          "AND kind = 'action'", [meeting_id, text]).fetchall():
                minutes.set_action_status(db, entry_id, "done")
        # The live-meeting module owns the draft -> live -> closed flow; the demo only needs the end state.
        with store.write_transaction(db):
            db.execute("UPDATE meetings SET status = 'closed', started_at = ?, closed_at = ? WHERE id = ?",
                       [f"{meeting.held_on}T09:00:00+00:00", f"{meeting.held_on}T11:05:00+00:00", meeting_id])
    return counts


def _import_slice(db, table, kind: str, meeting: DemoMeeting, meeting_id: int) -> int:
    from meeting import importing

    rows = table[(table["unit"] == meeting.unit) & (table["held_on"] == meeting.held_on)]
    rows = rows.drop(columns=["unit", "held_on"]).reset_index(drop=True)
    return importing.import_frame(db, kind, rows, filename=f"{kind}.csv", meeting_id=meeting_id).inserted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m meeting.demo", description="The demo organisation.")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the demo CSVs (deterministic)")
    gen.add_argument("--out", default=str(DEMO_DIR), help=f"folder (default: {DEMO_DIR})")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for kind, path in generate(args.out, args.seed).items():
        with open(path, encoding="utf-8") as handle:
            print(f"{path}: {sum(1 for _ in handle) - 1} {kind} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
