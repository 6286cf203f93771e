"""Evidence for every section: scores (NPS/CSAT once), taxonomy, sentiment, quotes (one picker),
watermelons, trends. Everything for one unit and review month, compared with the month before."""
import os

from meeting.evidence.quotes import (
    QUOTE_CANDIDATES,
    STAFF_KIND_ORDER,
    choose_quotes,
    drop_near_duplicates,
    normalised_score,
    pick_quotes,
    pick_staff_quotes,
)
from meeting.evidence.scores import DETRACTOR_MAX, PROMOTER_MIN, csat, nps, nps_from_counts
from meeting.evidence.summaries import (
    any_reason,
    by_touchpoint,
    compare,
    engagement_trend,
    latest_by_unit,
    latest_period,
    load_staff,
    load_voc,
    monthly_trend,
    period_bounds,
    row_reasons,
    score_summary,
    section_reasons,
    segment_feedback,
    staff_groups,
    summary_comparison,
    theme_counts,
    theme_totals,
    touchpoint_table,
    units_overview,
)
from meeting.evidence.taxonomy import themes_path, touchpoints_path
from meeting.store import Database
from meeting.store import data_version as _change_count


def data_version(db: Database) -> tuple:
    """The one cache key for evidence: the store's change counter (every write transaction bumps it,
    threshold edits included) and the taxonomy files, which a user may also edit by hand."""
    files = tuple(os.stat(path).st_mtime_ns if path.exists() else 0 for path in (themes_path(), touchpoints_path()))
    return (_change_count(db), *files)


__all__ = ["DETRACTOR_MAX", "PROMOTER_MIN", "QUOTE_CANDIDATES", "STAFF_KIND_ORDER", "any_reason", "by_touchpoint", "choose_quotes",
           "compare", "csat", "data_version", "drop_near_duplicates", "engagement_trend", "latest_by_unit", "latest_period",
           "load_staff", "load_voc", "monthly_trend", "normalised_score", "nps", "nps_from_counts",
           "period_bounds", "pick_quotes", "row_reasons", "pick_staff_quotes", "score_summary", "section_reasons",
           "segment_feedback", "staff_groups", "summary_comparison", "theme_counts", "theme_totals", "touchpoint_table", "units_overview"]
