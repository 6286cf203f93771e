"""Customer responses (voc_responses): readers the evidence stage needs beyond the month summaries."""
from __future__ import annotations

import sqlite_utils


def nps_counts_by_theme_mask(db: sqlite_utils.Database, unit_id: int, start: str, end: str, *,
                             promoter_min: int, detractor_max: int) -> list[tuple[int, int, int, int]]:
    """(theme bitmask, answers, promoters, detractors) of a unit's NPS answers received in [start, end), one row
    per distinct bitmask: a few hundred rows for a month of any size. Untagged rows count as mentioning nothing."""
    return db.execute(
        "SELECT COALESCE(themes, 0), COUNT(*), COALESCE(SUM(score >= ?), 0), COALESCE(SUM(score <= ?), 0) "
        "FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ? AND scale = 'nps' "
        "AND score IS NOT NULL GROUP BY 1",
        [promoter_min, detractor_max, unit_id, start, end]).fetchall()
