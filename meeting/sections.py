"""The six sections of a customer-first meeting, in their fixed order (finance always last)."""
from __future__ import annotations

from dataclasses import dataclass

from meeting.store import SECTION_KEYS


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    share: float  # default share of the meeting's time
    purpose: str
    prompts: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "customer", "Customer", 0.30,
        "Start with the customer: what they told us, in their own words, and what the invited customer says.",
        ("How customer-focused are we?", "How could we support you?", "What did we get wrong?"),
    ),
    Section(
        "employees", "Employees", 0.20,
        "What our frontline colleagues face, what they suggest, and what stops them serving well.",
        ("What stops you serving customers well?", "What one change would help most?"),
    ),
    Section(
        "operations", "Operations", 0.20,
        "How our processes perform, and whether our measures agree with what customers feel.",
        ("Are we measuring what customers feel?", "Where do hand-offs and waiting hurt customers?"),
    ),
    Section(
        "marketing", "Marketing", 0.10,
        "What we plan to tell which customers, and how they will feel and react.",
        ("How will these customers feel about this?", "Do our promises match the experience?"),
    ),
    Section(
        "sales", "Sales", 0.10,
        "Where we want to grow, and what customers like those targets already tell us.",
        ("What do customers in this segment already say about us?",),
    ),
    Section(
        "finance", "Finance", 0.10,
        "The numbers, last: actual against budget.",
        ("What do the numbers say about the experience we give?",),
    ),
)

SECTION_BY_KEY = {section.key: section for section in SECTIONS}
# Where a meeting approves the previous meeting's minutes (issue 28): the last section, never before the customer.
APPROVAL_SECTION = SECTIONS[-1].key
assert tuple(SECTION_BY_KEY) == SECTION_KEYS, "sections.py and store.py must agree on the order"

DEFAULT_TOTAL_MINUTES = 120


def section_title(key: str) -> str:
    return SECTION_BY_KEY[key].title


def section_position(key: str) -> int:
    """0 for customer ... 5 for finance; raises KeyError for anything else."""
    return SECTION_KEYS.index(key) if key in SECTION_KEYS else _unknown(key)


def _unknown(key: str) -> int:
    raise KeyError(f"Unknown section {key!r}; expected one of {', '.join(SECTION_KEYS)}")


def allot_minutes(total: int = DEFAULT_TOTAL_MINUTES) -> dict[str, int]:
    """Split ``total`` minutes by the sections' shares, in whole minutes that add up to ``total``.

    Largest-remainder rounding, so the customer keeps the largest box whatever the total.
    """
    if total < len(SECTIONS):
        raise ValueError(f"A meeting needs at least {len(SECTIONS)} minutes, one per section.")
    exact = {s.key: s.share * total for s in SECTIONS}
    allotted = {key: max(1, int(value)) for key, value in exact.items()}
    remainder = total - sum(allotted.values())
    by_fraction = sorted(SECTIONS, key=lambda s: (exact[s.key] - int(exact[s.key]), s.share), reverse=True)
    for section in by_fraction[: max(remainder, 0)]:
        allotted[section.key] += 1
    return allotted


def next_section_key(key: str | None) -> str | None:
    """The section after ``key`` in the fixed order, or None after finance."""
    if key is None:
        return SECTION_KEYS[0]
    position = SECTION_KEYS.index(key)
    return SECTION_KEYS[position + 1] if position + 1 < len(SECTION_KEYS) else None


def previous_section_key(key: str | None) -> str | None:
    if key is None or key == SECTION_KEYS[0]:
        return None
    return SECTION_KEYS[SECTION_KEYS.index(key) - 1]
