"""The demo organisation: a deterministic generator of its CSVs, and the loader that imports them.

Fernhill Connect sells business broadband, leased lines, managed Wi-Fi and phone systems to SMEs,
mid-market firms, enterprises and the public sector, in two units: the United Kingdom and Ireland.
``python -m meeting.demo generate`` writes ``meeting/data/demo/*.csv`` from a fixed seed (same seed, byte-identical
files: no global ``random``, no dates from the clock); ``load_demo(db)`` imports them through
``meeting.importing`` and creates the demo meetings.

- ``plan``: the design (calendar, units, touchpoints, ``PLANNED``: which touchpoint is a watermelon in which
  month, and so on) and the demo meetings; tests check the generated CSVs against it independently;
- ``voc``: customer feedback (scores drawn to the design, narratives composed from phrase banks);
- ``rows``: staff input, metrics, plans, finance, the meetings' participants and minutes;
- ``write``: ``generate``; ``load``: ``load_demo``; ``__main__``: the command line.
The words (phrase banks, names, the scripted plans and minutes) are data: ``meeting/data/demo_source/*.json``.

Not on a page's import path: only ``init --demo`` imports this package, lazily.

Identifiers inside narratives, as real survey exports carry them (about 4% of narratives), follow these
patterns so that a masker can cover them:

- account numbers: ``ACC-`` and six digits (``ACCOUNT_NUMBER_PATTERN``); ``customer_ref`` uses the same;
- emails: ``first.last@<organisation>.example.com`` (the reserved example.com domain);
- phone numbers: Ofcom's ranges reserved for drama, in international and local form:
  ``+44 20 7946 0xxx`` / ``020 7946 0xxx``, ``+44 161 496 0xxx`` / ``0161 496 0xxx`` and
  ``+44 7700 900xxx`` / ``07700 900xxx``;
- names: "This is Siobhán O'Connor from Kestrel Foods", "ask for Mr Kowalski".
"""
from meeting.demo.load import UNIT_KINDS, load_demo
from meeting.demo.plan import (
    ACCOUNT_NUMBER_PATTERN,
    CHANNELS,
    DEFAULT_SEED,
    DEMO_DIR,
    DEMO_MEETINGS,
    EMAIL_PATTERN,
    PERIODS,
    PHONE_PATTERN,
    PLANNED,
    REFERENCE_DATE,
    REVIEW_PERIOD,
    SEGMENTS,
    TOUCHPOINTS,
    UNITS,
    DemoMeeting,
    UnitSpec,
)
from meeting.demo.rows import FINANCE_LINES, staff_rows
from meeting.demo.write import generate

__all__ = [
    "ACCOUNT_NUMBER_PATTERN", "CHANNELS", "DEFAULT_SEED", "DEMO_DIR", "DEMO_MEETINGS", "EMAIL_PATTERN",
    "FINANCE_LINES", "PERIODS", "PHONE_PATTERN", "PLANNED", "REFERENCE_DATE", "REVIEW_PERIOD", "SEGMENTS",
    "TOUCHPOINTS", "UNITS", "UNIT_KINDS", "DemoMeeting", "UnitSpec", "generate", "load_demo", "staff_rows",
]
