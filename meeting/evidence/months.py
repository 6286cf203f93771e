"""Each month of a unit's responses, summarised once: counts per touchpoint label, segment and scale; theme
mentions; and the few hundred quote candidates a section or a flag can pick from (issue 12).

A summary is valid for the taxonomy version it was built under (``meeting.evidence.tagging``) and while
the month's rows are unchanged: new rows have ids above the highest id the summary saw (``max_id``), and
deleting or editing a row drops its month's summary (triggers, schema m005). Pages
and the CLI call ``ensure_months`` for the months they show; only stale months are rebuilt, so the cost
of an agenda follows the month reviewed, and after a taxonomy edit the first agenda of a month re-tags that
month (``retag`` does every month at once, with progress).

Summaries are caches, not evidence: building one does not bump the store's change counter.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from meeting.evidence.feedback import touchpoint_keys
from meeting.evidence.flag_quotes import touchpoint_candidates as flag_candidates
from meeting.evidence.quotes import quote_candidates
from meeting.evidence.scores import DETRACTOR_MAX, LOW_CSAT_MAX, PROMOTER_MIN, ScoreCounts, month_fields
from meeting.evidence.sentiment import NEGATIVE_BELOW
from meeting.evidence.tagging import TAG_BATCH, find_version, store_sentiment, tag_rows, version_id
from meeting.evidence.taxonomy import load_themes, load_touchpoints, touchpoint_section
from meeting.periods import shift_period
from meeting.store import SECTION_KEYS, write_transaction
from meeting.store import evidence as stored
from meeting.store.evidence import STAT_COLUMNS


def _bounds(period: str) -> tuple[str, str]:
    return f"{period}-01", f"{shift_period(period, 1)}-01"


def _taxonomy(themes, rules):
    return (load_themes() if themes is None else tuple(themes), load_touchpoints() if rules is None else tuple(rules))


def stale_months(db, unit_id: int, periods, *, themes=None, rules=None, candidates=()) -> list[str]:
    """Which of ``periods`` need (re)building: no summary, an older taxonomy, (for the months in
    ``candidates``) no quote candidates yet, or rows added since it was built. Cheap: new rows are looked
    for among the ids above the summary's ``max_id`` only."""
    themes, rules = _taxonomy(themes, rules)
    version = find_version(db, themes, rules)
    periods = list(dict.fromkeys(periods))
    state = stored.month_states(db, unit_id, periods)
    newest = stored.newest_response_id(db)
    stale, caught_up = [], []
    for period in periods:
        built = state.get(period)
        if built is None or built[0] != version or (period in candidates and not built[1]):
            stale.append(period)
        elif built[2] < newest:
            start, end = _bounds(period)
            if stored.responses_added_since(db, unit_id, start, end, built[2]):
                stale.append(period)
            else:
                caught_up.append(period)
    if caught_up:
        # Nothing new in these months: move their max_id up, so the next check walks no old ids (best effort).
        stored.advance_month_states(db, unit_id, caught_up, newest)
    return stale


def ensure_months(db, unit_id: int, periods, *, themes=None, rules=None, candidates=(), progress=None) -> list[str]:
    """Build the summaries of whichever of ``periods`` are stale; returns the months built.

    ``candidates``: months whose quote candidates are wanted too (a review month). ``progress(done, total,
    period)`` is called after each month, for a long re-tag.
    """
    themes, rules = _taxonomy(themes, rules)
    candidates = set(candidates)
    todo = stale_months(db, unit_id, periods, themes=themes, rules=rules, candidates=candidates)
    for done, period in enumerate(todo, start=1):
        with write_transaction(db, changes_evidence=False):
            # Re-checked under the write lock: another session may have built it meanwhile.
            if stale_months(db, unit_id, [period], themes=themes, rules=rules, candidates=candidates):
                build_month(db, unit_id, period, themes, rules, with_candidates=period in candidates)
        if progress:
            progress(done, len(todo), period)
    return todo


def build_month(db, unit_id: int, period: str, themes, rules, *, with_candidates: bool) -> None:
    """Tag the month's untagged rows, then count it and (optionally) choose its quote candidates."""
    version = version_id(db, themes, rules)
    start, end = _bounds(period)
    tag_rows(db, stored.rows_to_tag(db, unit_id, start, end, version), themes, version)

    stored.clear_month(db, unit_id, period)
    stored.count_month(db, unit_id, period, start, end, promoter_min=PROMOTER_MIN, detractor_max=DETRACTOR_MAX,
                       negative_below=NEGATIVE_BELOW)
    mentions = [0] * len(themes)
    for mask, count in stored.theme_mask_counts(db, unit_id, start, end):
        for index in range(len(themes)):
            if mask >> index & 1:
                mentions[index] += count
    stored.save_month_themes(db, [(unit_id, period, theme.name, n) for theme, n in zip(themes, mentions) if n])
    _count_complaints(db, unit_id, period, themes, start, end)
    if with_candidates:
        _choose_candidates(db, unit_id, period, themes, rules)
    stored.save_month_state(db, unit_id, period, version, with_candidates, stored.newest_response_id(db))


def _count_complaints(db, unit_id: int, period: str, themes, start: str, end: str) -> None:
    """The month's complaints (a detractor, a CSAT of 1-2, or an unscored narrative read as negative) by
    touchpoint label and theme: what "Already known?" ranks."""
    counts: dict[tuple[str, str], int] = {}
    for touchpoint, mask, count in stored.complaint_mask_counts(db, unit_id, start, end, detractor_max=DETRACTOR_MAX,
                                                                csat_low_max=LOW_CSAT_MAX,
                                                                negative_below=NEGATIVE_BELOW):
        for index, theme in enumerate(themes):
            if mask >> index & 1:
                counts[touchpoint, theme.name] = counts.get((touchpoint, theme.name), 0) + count
    stored.save_month_complaints(db, [(unit_id, period, t, th, n) for (t, th), n in counts.items()])


def month_complaints(db, unit_id: int, periods) -> pd.DataFrame:
    """Columns period, touchpoint (label as received), problem (theme), mentions, for ``periods``."""
    return stored.month_complaints(db, unit_id, list(periods))


def _choose_candidates(db, unit_id: int, period: str, themes, rules) -> None:
    """Per pool and direction, the ranked rows a quote is picked from, chosen as ``pick_quotes`` would from
    the whole month; VADER reads those lacking a sentiment, once."""
    start, end = _bounds(period)
    month = stored.candidate_rows(db, unit_id, start, end)
    if month.empty:
        return
    masks = month["themes"].fillna(0).astype("int64")
    labels = month["touchpoint"].fillna("")
    label_section = labels.map({label: touchpoint_section(label, rules, themes) for label in labels.unique()})
    pools: dict[str, pd.Series] = {"any": pd.Series(True, index=month.index)}
    for section in SECTION_KEYS:
        bits = sum(1 << i for i, theme in enumerate(themes) if theme.section == section)
        pools[section] = (masks & bits).ne(0) | label_section.eq(section)
    segments = month["segment"].fillna("").map(lambda s: " ".join(str(s).split()).casefold())
    for key in segments.unique():
        if key:
            pools[f"segment:{key}"] = segments.eq(key)
    chosen = []
    for pool, member in pools.items():
        for negative in (True, False):
            ranked = quote_candidates(month[member], negative=negative)
            chosen += [(unit_id, period, pool, int(negative), rank, row_id) for rank, row_id in enumerate(ranked["id"])]

    # A flag's candidates, per touchpoint key: narrative-only touchpoints rank by their stored reading.
    keys = touchpoint_keys(month["touchpoint"], rules)
    stats = month_stats(db, unit_id, [period])
    stats["key"] = touchpoint_keys(stats["touchpoint"], rules)
    counts = feedback_counts(stats, ["key"])
    text_only = set(counts.index[(counts["nps_responses"] + counts["csat_responses"]).eq(0) & counts["narratives"].gt(0)])
    prep = pd.DataFrame({"key": keys, "narrative": month["narrative"].fillna("").str.strip(),
                         "scale": month["scale"].fillna(""), "score": month["score"].astype("float64"),
                         "received_on": month["received_on"], "id": month["id"]}, index=month.index)
    compound = month["sentiment"].astype("float64").where(keys.isin(text_only))
    for key, ranked in flag_candidates(prep, compound, set(keys)).items():
        chosen += [(unit_id, period, f"touchpoint:{key}", 1, rank, row_id) for rank, row_id in enumerate(ranked["id"])]

    stored.save_quote_candidates(db, chosen)
    ids = {row[5] for row in chosen}
    unread = month[month["id"].isin(ids) & month["sentiment"].isna()]
    store_sentiment(db, list(zip(unread["id"].tolist(), unread["narrative"].tolist(),
                                 unread["language"].astype(object).where(unread["language"].notna(), None).tolist())))


def prepare_new_responses(db, after_id: int, progress=None) -> int:
    """The importer's hook, inside its write transaction: tag every response written after ``after_id``
    and summarise the months they fall in, so the first agenda after even a large import reads month
    summaries only (cost follows the month reviewed). Returns how many responses were tagged."""
    themes, rules = load_themes(), load_touchpoints()
    version = version_id(db, themes, rules)
    tagged, last = 0, after_id
    while rows := stored.rows_to_tag_after(db, last, TAG_BATCH):
        tagged += tag_rows(db, rows, themes, version)
        last = rows[-1][0]
        if progress:
            progress(tagged)
    for unit_id, period in stored.months_of_responses_after(db, after_id):
        build_month(db, unit_id, period, themes, rules, with_candidates=True)
    return tagged


# --- readers ------------------------------------------------------------------------------------------

def month_stats(db, unit_id: int, periods) -> pd.DataFrame:
    return pd.DataFrame(stored.month_stats_rows(db, unit_id, list(periods)), columns=STAT_COLUMNS)


def feedback_counts(stats: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``meeting.evidence.feedback.COUNT_COLUMNS`` per group of ``by``, from stored counts."""
    is_nps, is_csat = stats["scale"].eq("nps"), stats["scale"].eq("csat")
    parts = pd.DataFrame({
        **{column: stats[column] for column in by},
        "nps_responses": stats["scored"].where(is_nps, 0).astype("int64"),
        "promoters": stats["promoters"].where(is_nps, 0).astype("int64"),
        "detractors": stats["detractors"].where(is_nps, 0).astype("int64"),
        "csat_responses": stats["scored"].where(is_csat, 0).astype("int64"),
        "csat_sum": stats["score_sum"].where(is_csat, 0.0).astype("float64"),
        "csat_squares": stats["score_squares"].where(is_csat, 0.0).astype("float64"),
        "csat_low_scores": stats["low_scores"].where(is_csat, 0).astype("int64"),
        "narratives": stats["narratives"].astype("int64"),
        "negatives": stats["negatives"].astype("int64"),
    })
    table = parts.groupby(by, sort=True).sum()
    # Only narrative-only groups are judged on their words (all their rows were read at tagging).
    text_only = (table["nps_responses"] + table["csat_responses"]).eq(0) & table["narratives"].gt(0)
    table["negatives"] = table["negatives"].where(text_only, 0)
    return table


def tally_of(stats: pd.DataFrame) -> ScoreCounts:
    """The counts every score figure is computed from, summed over stored summary rows."""
    scale = stats["scale"].to_numpy(dtype=object)
    is_nps, is_csat = scale == "nps", scale == "csat"

    def total(column: str, rows) -> float:
        return stats[column].to_numpy()[rows].sum()

    return ScoreCounts(nps_n=int(total("scored", is_nps)), promoters=int(total("promoters", is_nps)),
                       detractors=int(total("detractors", is_nps)), csat_n=int(total("scored", is_csat)),
                       csat_sum=float(total("score_sum", is_csat)), csat_squares=float(total("score_squares", is_csat)))


def summary_of(stats: pd.DataFrame) -> dict:
    """``score_summary``'s figures from stored counts: volumes, and each score with its n, interval and base."""
    counts = tally_of(stats)
    return {"responses": int(stats["responses"].sum()), "nps_responses": counts.nps_n,
            "csat_responses": counts.csat_n, "narratives": int(stats["narratives"].sum()), **month_fields(counts)}


def month_themes(db, unit_id: int, period: str) -> dict[str, int]:
    return stored.month_themes(db, unit_id, period)


def load_candidates(db, unit_id: int, period: str, pools=None) -> pd.DataFrame:
    """The month's stored quote candidates with their rows: pool, negative, rank and the response's columns."""
    frame = stored.quote_candidates(db, unit_id, period, None if pools is None else list(pools))
    frame["score"] = frame["score"].astype("float64")
    frame["sentiment"] = frame["sentiment"].astype("float64")
    return frame


def touchpoint_candidates(db, unit_id: int, period: str, keys) -> dict[str, pd.DataFrame]:
    """A flag's stored candidates per touchpoint key, in the shape ``flag_quotes.touchpoint_quotes`` reads."""
    frame = load_candidates(db, unit_id, period, [f"touchpoint:{key}" for key in keys])
    if frame.empty:
        return {}
    scale = frame["scale"].fillna("")
    frame = frame.assign(
        narrative=frame["narrative"].str.strip(), scale=scale,
        q_score01=np.where(scale.eq("nps"), frame["score"] / 10.0,
                           np.where(scale.eq("csat"), (frame["score"] - 1.0) / 4.0, np.nan)),
        q_low=(scale.eq("nps") & frame["score"].le(6)) | (scale.eq("csat") & frame["score"].le(2)),
        q_compound=frame["sentiment"])
    return {pool.split(":", 1)[1]: group for pool, group in frame.groupby("pool", sort=False)}


def retag(db, unit_id: int | None = None, progress=None) -> int:
    """Summarise (and tag) every stale month of one unit or all, quote candidates included; returns the
    number of months built. For after a large import or a taxonomy edit; ``progress(done, total, label)``."""
    names = stored.unit_names_by_id(db)
    units = [unit_id] if unit_id is not None else list(names)
    built = 0
    for unit in units:
        first, last = stored.response_date_range(db, unit)
        if not first or not last:  # both None together: a unit without responses
            continue
        periods, period = [], first[:7]
        while period <= last[:7]:
            periods.append(period)
            period = shift_period(period, 1)
        built += len(ensure_months(db, unit, periods, candidates=periods,
                                   progress=(lambda done, total, p, u=unit: progress(done, total, f"{names.get(u, u)} {p}"))
                                   if progress else None))
    return built


__all__ = ["ensure_months", "feedback_counts", "load_candidates", "month_stats", "month_themes", "retag",
           "stale_months", "summary_of", "tally_of", "touchpoint_candidates"]
