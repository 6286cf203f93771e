"""What drives the score: for each theme customers mention often enough, the NPS of the answers that mention it
against the NPS of those that do not, with the difference's 95% interval (issue 21).

A theme drags the score down by its share of the answers times that difference; the customer section shows the
three that drag it most, and says which of them are not clear of noise.
"""
from __future__ import annotations

import math

from meeting.config import BASE_TOO_FEW_BELOW, DRIVER_MIN_MENTIONS, Z
from meeting.evidence.scores import DETRACTOR_MAX, PROMOTER_MIN, nps_from_counts
from meeting.evidence.summaries import period_bounds
from meeting.store.responses import nps_counts_by_theme_mask

SHOWN = 3


def _variance(promoters: int, detractors: int, n: int) -> float:
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def theme_drivers(mask_counts, themes, mentions: dict[str, int]) -> list[dict]:
    """Every theme with at least ``DRIVER_MIN_MENTIONS`` mentions in the month, the most dragging first.

    ``mask_counts``: (theme bitmask, answers, promoters, detractors) of the month's NPS answers;
    ``mentions``: the month's mentions per theme (every response, scored or not).
    """
    total_n = sum(row[1] for row in mask_counts)
    total_p = sum(row[2] for row in mask_counts)
    total_d = sum(row[3] for row in mask_counts)
    out = []
    for index, theme in enumerate(themes):
        if mentions.get(theme.name, 0) < DRIVER_MIN_MENTIONS:
            continue
        with_n = sum(n for mask, n, _, _ in mask_counts if mask >> index & 1)
        with_p = sum(p for mask, _, p, _ in mask_counts if mask >> index & 1)
        with_d = sum(d for mask, _, _, d in mask_counts if mask >> index & 1)
        without_n, without_p, without_d = total_n - with_n, total_p - with_p, total_d - with_d
        row = {"theme": theme.name, "section": theme.section, "mentions": mentions[theme.name],
               "nps_with": None, "n_with": with_n, "nps_without": None, "n_without": without_n,
               "share": round(with_n / total_n, 3) if total_n else 0.0,
               "difference": None, "difference_low": None, "difference_high": None, "clear": False, "impact": None}
        if with_n >= BASE_TOO_FEW_BELOW and without_n >= BASE_TOO_FEW_BELOW:
            nps_with = nps_from_counts(with_p, with_d, with_n)
            nps_without = nps_from_counts(without_p, without_d, without_n)
            difference = nps_with - nps_without
            half = Z * 100.0 * math.sqrt(_variance(with_p, with_d, with_n) / with_n
                                         + _variance(without_p, without_d, without_n) / without_n)
            row.update(nps_with=round(nps_with, 1), nps_without=round(nps_without, 1), difference=round(difference, 1),
                       difference_low=round(difference - half, 1), difference_high=round(difference + half, 1),
                       clear=bool(difference - half > 0 or difference + half < 0),
                       impact=round(with_n / total_n * difference, 2))
        out.append(row)
    return sorted(out, key=lambda r: (r["impact"] is None, r["impact"] if r["impact"] is not None else 0.0, r["theme"]))


def month_drivers(db, unit_id: int, period: str, themes, mentions: dict[str, int]) -> list[dict]:
    """``theme_drivers`` of a unit's month, from the stored theme tags (the month must be summarised first)."""
    start, end = period_bounds(period)
    counts = nps_counts_by_theme_mask(db, unit_id, start, end, promoter_min=PROMOTER_MIN, detractor_max=DETRACTOR_MAX)
    return theme_drivers(counts, themes, mentions)


def dragging(drivers: list[dict], count: int = SHOWN) -> list[dict]:
    """The ``count`` themes that pull the score down most (a negative difference), clear or not."""
    return [row for row in drivers if row["impact"] is not None and row["impact"] < 0][:count]
