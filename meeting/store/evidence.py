"""The evidence stage's tables: month summaries (voc_month_state, _stats, _themes, _complaints,
voc_quote_candidates), the tags stored on voc_responses, taxonomy versions, and the rows the evidence reads
(responses, staff inputs, metrics, earlier meetings' decisions).

Month summaries are caches the evidence stage rebuilds; it decides what a month holds, this module only reads
and writes the rows. Writers run inside the caller's ``write_transaction``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from meeting.store.bulk import frame
from meeting.store.connection import DatabaseBusy, is_postgres, write_transaction

# What a row to tag is read with (``meeting.evidence.tagging.tag_rows``' tuple, in this order).
TAG_COLUMNS = "id, narrative, score, scale, sentiment, unit_id, language"
STAT_COLUMNS = ["period", "touchpoint", "segment", "scale", "first_seen", "first_id", "responses", "scored",
                "promoters", "detractors", "score_sum", "low_scores", "narratives", "negatives", "score_squares"]
CANDIDATE_COLUMNS = ["id", "received_on", "channel", "touchpoint", "segment", "score", "scale", "narrative", "themes",
                     "sentiment", "language"]
_MONTH_TABLES = ("voc_month_stats", "voc_month_themes", "voc_month_complaints", "voc_quote_candidates")


def _marks(values: Sequence) -> str:
    return ", ".join("?" * len(values))


# --- month state ----------------------------------------------------------------------------------------

def month_states(db, unit_id: int, periods: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """period -> (taxonomy version, candidates chosen 0/1, max_id) of the unit's summarised months among ``periods``."""
    periods = list(periods)
    rows = db.execute(f"SELECT period, version, candidates, max_id FROM voc_month_state "
                      f"WHERE unit_id = ? AND period IN ({_marks(periods) or 'NULL'})", [unit_id, *periods]).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def newest_response_id(db) -> int:
    """The highest response id (0 without responses): a summary built now has seen every row up to it."""
    return db.execute("SELECT MAX(id) FROM voc_responses").fetchone()[0] or 0


def responses_added_since(db, unit_id: int, start: str, end: str, after_id: int) -> bool:
    """Whether the unit has a response received in [start, end) with an id above ``after_id``."""
    # Walk the ids above after_id (the rows written since), not the month's rows: SQLite would otherwise pick
    # the (unit_id, received_on) index. PostgreSQL has no index hints; its planner weighs the id range itself.
    hint = "" if is_postgres(db) else " NOT INDEXED"
    return db.execute(f"SELECT 1 FROM voc_responses{hint} WHERE id > ? AND unit_id = ? AND received_on >= ? "
                      "AND received_on < ? LIMIT 1", [after_id, unit_id, start, end]).fetchone() is not None


def advance_month_states(db, unit_id: int, periods: Sequence[str], newest: int) -> None:
    """Move these months' ``max_id`` up to ``newest`` (nothing new in them). Best effort: while another writer
    holds the write lock (a long import) this is given up with ``DatabaseBusy`` and skipped."""
    rows = [(newest, newest, unit_id, period) for period in periods]
    sql = "UPDATE voc_month_state SET max_id = CASE WHEN max_id > ? THEN max_id ELSE ? END WHERE unit_id = ? AND period = ?"
    try:
        if is_postgres(db):
            # write_transaction's advisory lock waits at most the session's lock_timeout, then DatabaseBusy.
            with write_transaction(db, changes_evidence=False):
                db.executemany(sql, rows)
            return
        timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
        try:
            db.execute("PRAGMA busy_timeout = 0")  # give up at once if another process holds the write lock
            with write_transaction(db, changes_evidence=False):
                db.executemany(sql, rows)
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    except DatabaseBusy:
        pass


def save_month_state(db, unit_id: int, period: str, version: int, candidates: bool, max_id: int) -> None:
    db.execute("INSERT INTO voc_month_state (unit_id, period, version, candidates, max_id) VALUES (?, ?, ?, ?, ?) "
               "ON CONFLICT (unit_id, period) DO UPDATE SET version = excluded.version, "
               "candidates = excluded.candidates, max_id = excluded.max_id",
               [unit_id, period, version, int(candidates), max_id])


def drop_month_states_of(db, response_ids: Sequence[int]) -> None:
    """Forget the summaries of the months these responses fall in (they are counted again when next read)."""
    ids = list(response_ids)
    if not ids:
        return
    db.execute(f"DELETE FROM voc_month_state WHERE (unit_id, period) IN (SELECT DISTINCT unit_id, "
               f"substr(received_on, 1, 7) FROM voc_responses WHERE id IN ({_marks(ids)}))", ids)


# --- building a month -----------------------------------------------------------------------------------

def rows_to_tag(db, unit_id: int, start: str, end: str, version: int) -> list[tuple]:
    """The unit's responses received in [start, end) not tagged under ``version``, as ``TAG_COLUMNS`` tuples."""
    return db.execute(f"SELECT {TAG_COLUMNS} FROM voc_responses WHERE unit_id = ? AND received_on >= ? "
                      "AND received_on < ? AND (tagged_version IS NULL OR tagged_version != ?)",
                      [unit_id, start, end, version]).fetchall()


def rows_to_tag_after(db, after_id: int, limit: int) -> list[tuple]:
    """Up to ``limit`` responses with ids above ``after_id``, in id order, as ``TAG_COLUMNS`` tuples."""
    return db.execute(f"SELECT {TAG_COLUMNS} FROM voc_responses WHERE id > ? ORDER BY id LIMIT ?",
                      [after_id, limit]).fetchall()


def rows_to_tag_by_id(db, ids: Sequence[int]) -> list[tuple]:
    ids = list(ids)
    return db.execute(f"SELECT {TAG_COLUMNS} FROM voc_responses WHERE id IN ({_marks(ids) or 'NULL'})", ids).fetchall()


def months_of_responses_after(db, after_id: int) -> list[tuple[int, str]]:
    """(unit_id, period) of every month holding a response with an id above ``after_id``."""
    return [tuple(row) for row in db.execute(
        "SELECT DISTINCT unit_id, substr(received_on, 1, 7) FROM voc_responses WHERE id > ? ORDER BY 1, 2",
        [after_id]).fetchall()]


def save_tags(db, rows: Iterable[tuple]) -> None:
    """Rows of (themes mask, has_text 0/1, sentiment, language, tagged_version, response id)."""
    db.executemany("UPDATE voc_responses SET themes = ?, has_text = ?, sentiment = ?, language = ?, "
                    "tagged_version = ? WHERE id = ?", rows)


def save_sentiments(db, rows: Iterable[tuple]) -> None:
    """Rows of (sentiment, response id)."""
    db.executemany("UPDATE voc_responses SET sentiment = ? WHERE id = ?", rows)


def clear_month(db, unit_id: int, period: str) -> None:
    """Remove the month's counts, theme mentions, complaints and quote candidates (before counting it again)."""
    for table in _MONTH_TABLES:
        db.execute(f"DELETE FROM {table} WHERE unit_id = ? AND period = ?", [unit_id, period])


def count_month(db, unit_id: int, period: str, start: str, end: str, *, promoter_min: int, detractor_max: int,
                negative_below: float) -> None:
    """Store the month's counts per touchpoint label, segment and scale (voc_month_stats)."""
    # first_seen: received_on and the zero-padded id, so MIN picks the label's earliest row, then its lowest id.
    padded = "LPAD(CAST(id AS TEXT), 15, '0')" if is_postgres(db) else "printf('%015d', id)"
    # TOTAL is SQLite's float sum (0.0 over no rows); PostgreSQL sums REAL into double precision.
    total = "COALESCE(SUM({0}), 0.0)" if is_postgres(db) else "TOTAL({0})"
    db.execute(f"""
        INSERT INTO voc_month_stats (unit_id, {', '.join(STAT_COLUMNS)})
        SELECT ?, ?, touchpoint, segment, scale, MIN(received_on || '#' || {padded}), MIN(id),
               COUNT(*), COUNT(score), COALESCE(SUM(CASE WHEN score >= ? THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(CASE WHEN score <= ? THEN 1 ELSE 0 END), 0), {total.format('score')},
               COALESCE(SUM(CASE WHEN score <= 2 THEN 1 ELSE 0 END), 0), COALESCE(SUM(has_text), 0),
               COALESCE(SUM(CASE WHEN has_text = 1 AND sentiment < ? THEN 1 ELSE 0 END), 0),
               {total.format('score * score')}
          FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ?
         GROUP BY touchpoint, segment, scale""",
               [unit_id, period, promoter_min, detractor_max, negative_below, unit_id, start, end])


def theme_mask_counts(db, unit_id: int, start: str, end: str) -> list[tuple[int, int]]:
    """(themes bitmask, responses) for the unit's tagged responses in [start, end) that mention a theme."""
    return db.execute("SELECT themes, COUNT(*) FROM voc_responses WHERE unit_id = ? AND received_on >= ? "
                      "AND received_on < ? AND themes != 0 GROUP BY themes ORDER BY themes",
                      [unit_id, start, end]).fetchall()


def complaint_mask_counts(db, unit_id: int, start: str, end: str, *, detractor_max: int, csat_low_max: int,
                          negative_below: float) -> list[tuple[str, int, int]]:
    """(touchpoint, themes bitmask, complaints) in [start, end): a complaint is a detractor, a CSAT at or below
    ``csat_low_max``, or an unscored narrative whose sentiment is below ``negative_below``."""
    return db.execute(
        "SELECT touchpoint, themes, COUNT(*) FROM voc_responses WHERE unit_id = ? AND received_on >= ? "
        "AND received_on < ? AND themes != 0 AND has_text = 1 "
        "AND ((scale = 'nps' AND score <= ?) OR (scale = 'csat' AND score <= ?) OR (score IS NULL AND sentiment < ?)) "
        "GROUP BY touchpoint, themes ORDER BY touchpoint, themes",
        [unit_id, start, end, detractor_max, csat_low_max, negative_below]).fetchall()


def save_month_themes(db, rows: Iterable[tuple]) -> None:
    """Rows of (unit_id, period, theme, mentions)."""
    db.executemany("INSERT INTO voc_month_themes (unit_id, period, theme, mentions) VALUES (?, ?, ?, ?)", rows)


def save_month_complaints(db, rows: Iterable[tuple]) -> None:
    """Rows of (unit_id, period, touchpoint, theme, mentions)."""
    db.executemany("INSERT INTO voc_month_complaints (unit_id, period, touchpoint, theme, mentions) "
                    "VALUES (?, ?, ?, ?, ?)", rows)


def candidate_rows(db, unit_id: int, start: str, end: str) -> pd.DataFrame:
    """The unit's responses with a narrative received in [start, end), ``CANDIDATE_COLUMNS``, in the order received."""
    return frame(db, f"SELECT {', '.join(CANDIDATE_COLUMNS)} FROM voc_responses WHERE unit_id = ? "
                     "AND received_on >= ? AND received_on < ? AND has_text = 1 ORDER BY received_on, id",
                 [unit_id, start, end], CANDIDATE_COLUMNS)


def save_quote_candidates(db, rows: Iterable[tuple]) -> None:
    """Rows of (unit_id, period, pool, negative 0/1, rank, response id)."""
    db.executemany("INSERT INTO voc_quote_candidates (unit_id, period, pool, negative, rank, response_id) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rows)


# --- reading months -------------------------------------------------------------------------------------

def month_stats_rows(db, unit_id: int, periods: Sequence[str]) -> list[tuple]:
    """The stored counts of the unit's ``periods``, as ``STAT_COLUMNS`` tuples."""
    periods = list(periods)
    # Ordered as built (grouped by label, segment, scale; SQLite puts NULL first, PostgreSQL last unless told), so
    # sums over them add up in one order on both engines.
    return db.execute(f"SELECT {', '.join(STAT_COLUMNS)} FROM voc_month_stats WHERE unit_id = ? "
                      f"AND period IN ({_marks(periods) or 'NULL'}) ORDER BY period, touchpoint, "
                      "CASE WHEN segment IS NULL THEN 0 ELSE 1 END, segment, CASE WHEN scale IS NULL THEN 0 ELSE 1 END, "
                      "scale", [unit_id, *periods]).fetchall()


def month_complaints(db, unit_id: int, periods: Sequence[str]) -> pd.DataFrame:
    """Columns period, touchpoint (label as received), problem (theme), mentions, for ``periods``."""
    periods = list(periods)
    return frame(db, f"SELECT period, touchpoint, theme AS problem, mentions FROM voc_month_complaints "
                     f"WHERE unit_id = ? AND period IN ({_marks(periods) or 'NULL'}) ORDER BY period, touchpoint, theme",
                 [unit_id, *periods], ["period", "touchpoint", "problem", "mentions"])


def month_themes(db, unit_id: int, period: str) -> dict[str, int]:
    """theme -> mentions in the unit's summarised month."""
    return dict(db.execute("SELECT theme, mentions FROM voc_month_themes WHERE unit_id = ? AND period = ? "
                           "ORDER BY theme", [unit_id, period]).fetchall())


def quote_candidates(db, unit_id: int, period: str, pools: Sequence[str] | None = None) -> pd.DataFrame:
    """The month's stored quote candidates with their rows: pool, negative, rank, then ``CANDIDATE_COLUMNS``."""
    sql = (f"SELECT c.pool, c.negative, c.rank, {', '.join('v.' + c for c in CANDIDATE_COLUMNS)} "
           "FROM voc_quote_candidates c JOIN voc_responses v ON v.id = c.response_id "
           "WHERE c.unit_id = ? AND c.period = ?")
    params: list = [unit_id, period]
    if pools is not None:
        pools = list(pools)
        sql += f" AND c.pool IN ({_marks(pools) or 'NULL'})"
        params += pools
    return frame(db, sql + " ORDER BY c.pool, c.negative, c.rank", params, ["pool", "negative", "rank",
                                                                            *CANDIDATE_COLUMNS])


def unit_names_by_id(db) -> dict[int, str]:
    return dict(db.execute("SELECT id, name FROM units ORDER BY id").fetchall())


def response_date_range(db, unit_id: int) -> tuple[str | None, str | None]:
    """The unit's first and last received_on (None, None without responses)."""
    first, last = db.execute("SELECT MIN(received_on), MAX(received_on) FROM voc_responses WHERE unit_id = ?",
                             [unit_id]).fetchone()
    return first, last


def latest_response_date(db) -> str | None:
    """The newest received_on across units."""
    # Per unit, so each MAX is one step down the (unit_id, received_on) index rather than a table scan.
    row = db.execute("SELECT MAX(latest) FROM (SELECT (SELECT MAX(received_on) FROM voc_responses v "
                     "WHERE v.unit_id = u.id) AS latest FROM units u) per_unit").fetchone()
    return row[0] if row else None


# --- taxonomy versions ----------------------------------------------------------------------------------

def find_taxonomy_version(db, taxonomy_hash: str) -> int | None:
    row = db.execute("SELECT id FROM taxonomy_versions WHERE hash = ?", [taxonomy_hash]).fetchone()
    return row[0] if row else None


def add_taxonomy_version(db, taxonomy_hash: str, themes_json: str) -> int:
    """Record a taxonomy version (inside a write transaction); its id."""
    return db.execute("INSERT INTO taxonomy_versions (hash, themes) VALUES (?, ?) RETURNING id",
                      [taxonomy_hash, themes_json]).fetchone()[0]


# --- rows the evidence reads ----------------------------------------------------------------------------

VOC_COLUMNS = ["id", "received_on", "channel", "touchpoint", "segment", "score", "scale", "narrative"]
STAFF_COLUMNS = ["id", "submitted_on", "team", "role", "touchpoint", "kind", "text", "engagement"]


def responses_between(db, unit_id: int, start: str, end: str) -> pd.DataFrame:
    """The unit's responses received in [start, end), ``VOC_COLUMNS``."""
    # The order of the voc_unit_date_scores index SQLite reads them through (no sort), written out so PostgreSQL
    # returns the same order.
    return frame(db, f"SELECT {', '.join(VOC_COLUMNS)} FROM voc_responses WHERE unit_id = ? AND received_on >= ? "
                     "AND received_on < ? ORDER BY received_on, touchpoint, scale NULLS FIRST, score NULLS FIRST, id",
                 [unit_id, start, end], VOC_COLUMNS)


def staff_inputs_between(db, unit_id: int, start: str, end: str) -> pd.DataFrame:
    """The unit's frontline inputs submitted in [start, end), ``STAFF_COLUMNS``."""
    return frame(db, f"SELECT {', '.join(STAFF_COLUMNS)} FROM staff_inputs WHERE unit_id = ? AND submitted_on >= ? "
                     "AND submitted_on < ? ORDER BY submitted_on, id", [unit_id, start, end], STAFF_COLUMNS)


def engagement_by_month(db, unit_id: int, start: str, end: str) -> list[dict]:
    """Per month (period) in [start, end): the average engagement to 2 decimals and how many readings."""
    # PostgreSQL rounds numeric only (no round(double precision, int)); back to a float, as SQLite returns.
    average = ("CAST(ROUND(CAST(AVG(engagement) AS NUMERIC), 2) AS DOUBLE PRECISION)" if is_postgres(db)
               else "ROUND(AVG(engagement), 2)")
    return list(db.query(f"""
        SELECT substr(submitted_on, 1, 7) AS period, {average} AS engagement, COUNT(engagement) AS readings
          FROM staff_inputs WHERE unit_id = ? AND submitted_on >= ? AND submitted_on < ? AND engagement IS NOT NULL
         GROUP BY substr(submitted_on, 1, 7) ORDER BY 1""", [unit_id, start, end]))


def team_names(db, unit_id: int) -> list[str]:
    """The unit's frontline team names, each once, sorted."""
    return [row[0] for row in db.execute(
        "SELECT DISTINCT team FROM staff_inputs WHERE unit_id = ? AND team IS NOT NULL AND TRIM(team) != '' "
        "ORDER BY team", [unit_id]).fetchall()]


METRIC_COLUMNS = ["id", "period", "touchpoint", "name", "target", "actual", "direction"]


def metrics_between(db, unit_id: int, first: str, last: str) -> pd.DataFrame:
    """The unit's metric readings of the periods first..last (YYYY-MM, both included), by period then id."""
    return frame(db, f"SELECT {', '.join(METRIC_COLUMNS)} FROM metrics WHERE unit_id = ? AND period BETWEEN ? AND ? "
                     "ORDER BY period, id", [unit_id, first, last], METRIC_COLUMNS)


def metric_periods(db, unit_id: int) -> list[str]:
    """The months with metric readings for the unit, newest first."""
    return [row[0] for row in db.execute(
        "SELECT DISTINCT period FROM metrics WHERE unit_id = ? ORDER BY period DESC", [unit_id]).fetchall()]


WATERMELON_VOC_COLUMNS = ["id", "received_on", "channel", "touchpoint", "score", "scale", "narrative", "language"]


def watermelon_responses(db, unit_id: int, first: str, start: str, end: str,
                         labels: Sequence[str] | None = None) -> pd.DataFrame:
    """The unit's responses received in [first, end) (only these touchpoint ``labels``, if given), by id. Those
    before ``start`` come without channel, and a scored one without narrative: detection reads only their scores."""
    sql = ("SELECT id, received_on, CASE WHEN received_on >= ? THEN channel END AS channel, touchpoint, score, scale, "
           "CASE WHEN received_on >= ? OR score IS NULL THEN narrative END AS narrative, language FROM voc_responses "
           "WHERE unit_id = ? AND received_on >= ? AND received_on < ?")
    params: list = [start, start, unit_id, first, end]
    if labels is not None:
        labels = list(labels)
        sql += f" AND touchpoint IN ({_marks(labels) or 'NULL'})"
        params += labels
    return frame(db, sql + " ORDER BY id", params, WATERMELON_VOC_COLUMNS)


def decisions_and_actions(db, unit_id: int) -> list[dict]:
    """Every decision and action of the unit's meetings: id, text, and the meeting's period and held_on, by id."""
    return list(db.query(
        "SELECT e.id, e.text, m.period, m.held_on FROM minutes_entries e JOIN meetings m ON m.id = e.meeting_id "
        "WHERE m.unit_id = ? AND e.kind IN ('decision', 'action') ORDER BY e.id", [unit_id]))
