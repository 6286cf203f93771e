""""Already known?": the complaints a unit keeps hearing, month after month, and whether it acted on them.

A complaint is a narrative from a detractor (NPS 0-6), a low CSAT (1-2), or, where the response has no
score, one that VADER reads as negative. Each complaint is tagged with the themes it mentions
(``meeting/data/themes.csv``) and located at its touchpoint (aliases merged), so a recurring complaint reads as
"Installation: Waiting and delays" rather than as a theme that every touchpoint shares.

A month's top customer themes are its ``TOP_PER_MONTH`` most mentioned (touchpoint, theme) pairs with at
least ``MIN_MENTIONS`` complaints. A theme is already known when it was among them in ``MIN_MONTHS`` or
more of the ``WINDOW_MONTHS`` months up to the review month.

It is addressed when a decision or action of the unit's meetings that reviewed those months (before the
review month: not the meeting being prepared) names both the touchpoint (its name or an alias) and the theme (its name or
one of its keywords): "review the subcontractor hand-offs on installs" addresses
"Installation: Hand-offs", not "Installation: Staff attitude and knowledge".
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from meeting import store
from meeting.evidence import months as months_summary
from meeting.evidence.taxonomy import Theme, TouchpointRule, load_themes, load_touchpoints, touchpoint_key
from meeting.periods import parse_period, shift_period
from meeting.store import evidence as stored

WINDOW_MONTHS = 6
MIN_MONTHS = 3
TOP_PER_MONTH = 5
MIN_MENTIONS = 3


@dataclass(frozen=True)
class KnownTheme:
    theme: str                 # "Installation: Waiting and delays"
    touchpoint: str
    problem: str               # the theme of meeting/data/themes.csv
    months: tuple[str, ...]    # the months (YYYY-MM) it was among the top themes, oldest first
    mentions: int              # complaints mentioning it over those months
    addressed: bool
    addressed_by: tuple[int, ...]  # minutes entry ids of the decisions and actions that named it


def top_themes_by_month(complaints: pd.DataFrame, rules: tuple[TouchpointRule, ...],
                        top: int = TOP_PER_MONTH, min_mentions: int = MIN_MENTIONS) -> pd.DataFrame:
    """``complaints``: period, touchpoint (label), problem, mentions (the month summaries' counts). Returns
    each month's ``top`` most mentioned (touchpoint, problem) pairs, touchpoint aliases merged."""
    columns = ["period", "touchpoint", "problem", "mentions"]
    if complaints.empty:
        return pd.DataFrame(columns=columns)
    # One key per distinct label (a few dozen), then a map over the rows.
    key_of = {label: touchpoint_key(label, rules) for label in complaints["touchpoint"].unique()}
    names = {key: label for label, key in key_of.items()}
    canonical = {touchpoint_key(rule.name, rules): rule.name for rule in rules}
    counts = (complaints.assign(key=complaints["touchpoint"].map(key_of))
              .groupby(["period", "key", "problem"], as_index=False)["mentions"].sum())
    counts = counts[counts["mentions"] >= min_mentions]
    counts = counts.sort_values(["period", "mentions", "key", "problem"], ascending=[True, False, True, True])
    chosen = counts.groupby("period", sort=True).head(top)
    chosen = chosen.assign(touchpoint=chosen["key"].map(lambda k: canonical.get(k) or names.get(k, k)))
    return chosen[columns].reset_index(drop=True)


def _fold(text: str) -> str:
    # "billing-dispute" names the "Billing dispute" touchpoint: hyphens and slashes read as spaces.
    return " ".join(re.sub(r"[-_/]", " ", str(text).casefold()).split())


def _pattern(words) -> re.Pattern | None:
    words = sorted({_fold(w) for w in words if w and _fold(w)}, key=len, reverse=True)
    # A plural still names the thing: "credits" and "installs" as well as "credit" and "install".
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")(?:s|es)?\b") if words else None


def names_both(text: str, place_words, problem_words) -> bool:
    """Whether ``text`` names the place and, elsewhere in it, the problem: "Urgent fault" alone does not
    also name the "fault" of "Faults and reliability"."""
    place, problem = _pattern(place_words), _pattern(problem_words)
    folded = _fold(text)
    if place is None or problem is None or not place.search(folded):
        return False
    return problem.search(place.sub(" ", folded)) is not None


def _plain_cues(theme: Theme) -> list[str]:
    # Every language's cues (minutes are written in the meeting's language), bar the tagger's "*" and "..." forms.
    return [cue for cue in theme.all_cues if "*" not in cue and "..." not in cue]


def _entries(db: store.Database, unit_id: int, months: set[str], period: str) -> list[dict]:
    """Decisions and actions of the unit's meetings that reviewed one of ``months`` before ``period``."""
    return [row for row in stored.decisions_and_actions(db, unit_id) if row["period"] in months and row["period"] < period]


def already_known(db: store.Database, unit_id: int, period: str, *,
                  themes: tuple[Theme, ...] | None = None, rules: tuple[TouchpointRule, ...] | None = None,
                  window: int = WINDOW_MONTHS, min_months: int = MIN_MONTHS) -> list[KnownTheme]:
    """Themes among the unit's top customer themes in ``min_months`` or more of the ``window`` months up to
    ``period``, most months first, then most mentioned."""
    period = parse_period(period)
    themes = load_themes() if themes is None else tuple(themes)
    rules = load_touchpoints() if rules is None else tuple(rules)
    window_months = [shift_period(period, -back) for back in range(window - 1, -1, -1)]
    months_summary.ensure_months(db, unit_id, window_months, themes=themes, rules=rules)
    top = top_themes_by_month(months_summary.month_complaints(db, unit_id, window_months), rules)
    if top.empty:
        return []
    by_name = {theme.name: theme for theme in themes}
    rule_of = {rule.name: rule for rule in rules}
    found = []
    for (touchpoint, problem), group in top.groupby(["touchpoint", "problem"], sort=True):
        months = tuple(sorted(group["period"]))
        if len(months) < min_months:
            continue
        rule = rule_of.get(touchpoint)
        place_words = [touchpoint, *(rule.aliases if rule else ())]
        theme = by_name[problem]
        addressed_by = tuple(entry["id"] for entry in _entries(db, unit_id, set(months), period)
                             if names_both(entry["text"], place_words, [theme.name, *_plain_cues(theme)]))
        found.append(KnownTheme(theme=f"{touchpoint}: {problem}", touchpoint=touchpoint, problem=problem,
                                months=months, mentions=int(group["mentions"].sum()),
                                addressed=bool(addressed_by), addressed_by=addressed_by))
    return sorted(found, key=lambda k: (-len(k.months), -k.mentions, k.theme))


def already_known_records(db: store.Database, unit_id: int, period: str, **options) -> list[dict]:
    """``already_known`` as plain dicts for the agenda and its JSON: theme, touchpoint, problem, months (a
    list), mentions, addressed, addressed_by."""
    return [{**asdict(k), "months": list(k.months), "addressed_by": list(k.addressed_by)}
            for k in already_known(db, unit_id, period, **options)]
