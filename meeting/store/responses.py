"""Customer responses (voc_responses): readers the evidence stage needs beyond the month summaries."""
from __future__ import annotations

from meeting.store.connection import Database


def nps_counts_by_theme_mask(db: Database, unit_id: int, start: str, end: str, *,
                             promoter_min: int, detractor_max: int) -> list[tuple[int, int, int, int]]:
    """(theme bitmask, answers, promoters, detractors) of a unit's NPS answers received in [start, end), one row
    per distinct bitmask: a few hundred rows for a month of any size. Untagged rows count as mentioning nothing."""
    return db.execute(
        "SELECT COALESCE(themes, 0), COUNT(*), COALESCE(SUM(CASE WHEN score >= ? THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN score <= ? THEN 1 ELSE 0 END), 0) "
        "FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ? AND scale = 'nps' "
        "AND score IS NOT NULL GROUP BY COALESCE(themes, 0) ORDER BY 1",
        [promoter_min, detractor_max, unit_id, start, end]).fetchall()


def month_responses(db: Database, unit_id: int, start: str, end: str) -> list[dict]:
    """A unit's responses received in [start, end) with what tagging stored: id, response_id, received_on,
    touchpoint, score, scale, narrative, language, themes (bitmask), tagged_version, sentiment; in the order received."""
    return list(db.query(
        "SELECT id, response_id, received_on, touchpoint, score, scale, narrative, language, themes, tagged_version, "
        "sentiment FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ? "
        "ORDER BY received_on, id", [unit_id, start, end]))


def taxonomy_version_themes(db: Database, version: int) -> list[str]:
    """The theme names of a taxonomy version, in bit order."""
    import json

    row = db.execute("SELECT themes FROM taxonomy_versions WHERE id = ?", [version]).fetchone()
    return json.loads(row[0]) if row else []


def room_contributions(db: Database, meeting_id: int, limit: int) -> list[dict]:
    """A meeting's newest approved, not hidden contributions: id, section, text, rating (no names)."""
    return list(db.query(
        "SELECT id, section, text, rating FROM contributions WHERE meeting_id = ? AND hidden = 0 AND approved = 1 "
        "ORDER BY id DESC LIMIT ?", [int(meeting_id), int(limit)]))
