"""Evidence for every section: scores (NPS/CSAT once), taxonomy, sentiment, quotes (one picker),
watermelons, trends. Everything for one unit and review month, compared with the month before.

Names load their submodule on first use (``meeting.lazy_exports``): importing one evidence module
(``watermelons``, ``language``) does not load the others' summaries of raw rows.
"""
import os

from meeting import lazy_exports
from meeting.store import Database
from meeting.store import data_version as _change_count

__getattr__, __dir__, __all__ = lazy_exports(__name__, globals(), {
    "quotes": "QUOTE_CANDIDATES STAFF_KIND_ORDER choose_quotes drop_near_duplicates normalised_score "
              "pick_staff_quotes",
    "scores": "DETRACTOR_MAX PROMOTER_MIN csat nps nps_from_counts",
    "summaries": "by_touchpoint compare engagement_trend latest_by_unit latest_period load_staff "
                 "monthly_trend period_bounds row_reasons section_reasons staff_groups "
                 "summary_comparison theme_counts theme_totals touchpoint_table units_overview",
    "taxonomy": "themes_path touchpoints_path",
})
__all__ = [*__all__, "data_version"]


def data_version(db: Database) -> tuple:
    """The one cache key for evidence: the store's change counter (every write transaction bumps it,
    threshold edits included) and the taxonomy files, which a user may also edit by hand."""
    # Deferred for start-up: taxonomy imports pandas (~0.3 s), which ``import meeting.evidence`` need not pay.
    from meeting.evidence.taxonomy import themes_path, touchpoints_path

    files = tuple(os.stat(path).st_mtime_ns if path.exists() else 0 for path in (themes_path(), touchpoints_path()))
    return (_change_count(db), *files)
