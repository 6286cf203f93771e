"""A watermelon flag's quotes: the month's candidate narratives per touchpoint key (the lowest-scored first,
one per wording) and the most negative few of them, identifiers masked. Used when a month is summarised
(``meeting.evidence.months`` stores the candidates) and when a flag is shown (``meeting.evidence.watermelons``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from meeting.evidence.quotes import drop_near_duplicates
from meeting.evidence.sentiment import NEGATIVE_BELOW

# Narratives read by VADER per flag to find its most negative quotes: the lowest-scored ones first.
QUOTE_CANDIDATES = 30


def plain_number(value, digits: int | None = None):
    """A plain Python number for JSON (None for NaN), optionally rounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    value = float(value)
    return round(value, digits) if digits is not None else value


def touchpoint_candidates(month: pd.DataFrame, compound: pd.Series, keys) -> dict[str, pd.DataFrame]:
    """Per touchpoint key, the narratives of the month a flag's quotes are picked from, in order: the
    lowest-scored first (narrative-only rows by their ``compound`` reading), one per distinct wording,
    at most ``QUOTE_CANDIDATES``. ``month`` is prepared rows (a month's responses with their touchpoint key) in the order received."""
    rows = month[month["key"].isin(set(keys)) & month["narrative"].ne("")]
    if rows.empty:
        return {}
    # Scores on one 0 (worst) .. 1 (best) scale, so the lowest-scored few dozen are the candidates VADER
    # reads rather than every comment; narrative-only rows were read already and rank by that reading.
    score01 = np.where(rows["scale"].eq("nps"), rows["score"] / 10.0,
                       np.where(rows["scale"].eq("csat"), (rows["score"] - 1.0) / 4.0, np.nan))
    low = (rows["scale"].eq("nps") & rows["score"].le(6)) | (rows["scale"].eq("csat") & rows["score"].le(2))
    rows = rows.assign(q_score01=score01, q_low=low, q_compound=compound.reindex(rows.index)).sort_values(
        ["key", "q_score01", "q_compound", "received_on", "id"], na_position="last", kind="stable")
    out = {}
    for key, group in rows.groupby("key", sort=False):
        wording = group["narrative"].map(lambda text: " ".join(text.casefold().split()))
        out[key] = group[~wording.duplicated()].head(QUOTE_CANDIDATES)
    return out


def touchpoint_quotes(candidates: pd.DataFrame, limit: int, name: str) -> list[dict]:
    """A flag's ``limit`` most negative narratives from its candidates (``q_compound`` read for every one).

    A narrative qualifies when VADER reads it as negative, or as not positive with a low score of its own
    (NPS 0-6, CSAT 1-2): "the engineer came late" is neutral to VADER but not from a detractor. Praise
    never qualifies, whatever its score. Near-duplicates (most words shared) are quoted once.
    """
    # The one masker, shared with minutes and agenda; deferred for start-up (~40 ms to import, paid only
    # when a flag has a quote).
    from meeting.anonymise import mask_identifiers

    def rank(row) -> tuple:
        return (row.q_compound, math.inf if math.isnan(row.q_score01) else row.q_score01, row.received_on, row.id)

    if limit <= 0:
        return []
    ranked = sorted((row for row in candidates.itertuples() if row.q_compound < NEGATIVE_BELOW
                     or (row.q_low and row.q_compound < -NEGATIVE_BELOW)), key=rank)
    # Three wordings of one complaint tell the room less than three complaints: the agenda's rule.
    chosen = [ranked[i] for i in drop_near_duplicates([row.narrative for row in ranked])][:limit]
    return [{
        "text": mask_identifiers(row.narrative),
        "touchpoint": name,
        "received_on": row.received_on,
        "channel": None if pd.isna(row.channel) else str(row.channel),
        "score": plain_number(row.score),
        "scale": row.scale or None,
        "sentiment": round(float(row.q_compound), 3),
    } for row in chosen]

