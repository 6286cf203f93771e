"""The one quote picker: the customers' and the frontline's own words that concern a section."""
from __future__ import annotations

import math
import re
from functools import lru_cache

import pandas as pd

from meeting.config import TEAM_MIN_INPUTS
from meeting.evidence.taxonomy import TouchpointRule, is_moment_of_truth

STAFF_KIND_ORDER = {"challenge": 0, "idea": 1, "praise": 2}
NEAR_DUPLICATE_JACCARD = 0.6
# How many of the most extreme narratives get a sentiment reading before the final pick: enough to find
# the representative ones, few enough that a 200,000-response unit stays fast.
QUOTE_CANDIDATES = 150


def _tokens(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.casefold()))


def drop_near_duplicates(texts: list[str], threshold: float = NEAR_DUPLICATE_JACCARD) -> list[int]:
    """Indexes of the texts to keep: each kept text shares < ``threshold`` of its words with every earlier kept one."""
    kept: list[int] = []
    kept_tokens: list[frozenset[str]] = []
    for index, text in enumerate(texts):
        tokens = _tokens(text)
        if any(len(tokens & other) / max(len(tokens | other), 1) >= threshold for other in kept_tokens):
            continue
        kept.append(index)
        kept_tokens.append(tokens)
    return kept


def normalised_score(frame: pd.DataFrame) -> pd.Series:
    """Scores on one -1..1 axis: NPS 0-10 around 5 (7-8 passive sits just above), CSAT 1-5 around 3."""
    nps_part = (frame["score"] - 5) / 5
    csat_part = (frame["score"] - 3) / 2
    return nps_part.where(frame["scale"] == "nps", csat_part.where(frame["scale"] == "csat"))


def quote_candidates(pool: pd.DataFrame, *, negative: bool, limit: int = QUOTE_CANDIDATES) -> pd.DataFrame:
    """The ``limit`` rows of ``pool`` (narratives that concern a section, in the order received) whose scores
    are the most negative (or positive), then unscored ones: the only rows whose words are read.

    Ties keep the order received (a stable sort), so the same rows give the same candidates every time,
    whether picked from a month's rows here or stored by ``meeting.evidence.months``.
    """
    pool = pool.assign(score_norm=normalised_score(pool))
    ranked = pool.sort_values("score_norm", ascending=negative, na_position="last", kind="stable")
    wanted = ranked["score_norm"] < 0 if negative else ranked["score_norm"] > 0
    return ranked[wanted | ranked["score_norm"].isna()].head(limit)


@lru_cache(maxsize=4096)
def masked_text(text: str | None) -> str:
    """``mask_identifiers``, remembered: it is pure, and an agenda's sections share many candidates (the
    frontline's especially), so each is masked once per process rather than once per section."""
    # Deferred for start-up: meeting.anonymise.patterns costs ~40 ms to import, paid only when a quote is shown.
    from meeting.anonymise import mask_identifiers

    return mask_identifiers(text)


def first_distinct(texts, count: int | None = None, threshold: float = NEAR_DUPLICATE_JACCARD,
                   stop=None) -> list[tuple[int, str]]:
    """(index, masked text) of the texts ``drop_near_duplicates`` keeps once identifiers are masked, in
    order, masking lazily: it stops after ``count`` kept (or when ``stop(kept)`` says so), since masking is
    the dear part (~0.1 ms a text) and a section shows three of a hundred and fifty candidates."""
    kept: list[tuple[int, str]] = []
    kept_tokens: list[frozenset[str]] = []
    for index, text in enumerate(texts):
        masked = masked_text(text)
        tokens = _tokens(masked)
        if any(len(tokens & other) / max(len(tokens | other), 1) >= threshold for other in kept_tokens):
            continue
        kept.append((index, masked))
        kept_tokens.append(tokens)
        if (count is not None and len(kept) >= count) or (stop is not None and stop(kept)):
            break
    return kept


def _polarity(score_norm: float, sentiment: float) -> float:
    # The mean of what is there (pandas' skipna mean): NaN only when neither is.
    values = [v for v in (score_norm, sentiment) if v is not None and v == v]
    return sum(values) / len(values) if values else math.nan


def choose_quotes(candidates: pd.DataFrame | list[dict], why: pd.Series | None = None, *, negative: bool,
                  count: int, rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """From ranked candidates with a ``sentiment`` column: words and score together, moments of truth
    first, no near-duplicates, identifiers masked, each with touchpoint, channel, date and why it is here.

    ``candidates`` is a frame (with ``why`` beside it) or already a list of row dicts with a ``why`` key;
    plain Python over at most ``QUOTE_CANDIDATES`` rows, since an agenda calls this ~30 times.
    """
    if count <= 0 or len(candidates) == 0:
        return []
    if isinstance(candidates, pd.DataFrame):
        candidates = candidates.assign(why=why).to_dict("records")
    rows = []
    for row in candidates:
        score_norm = _normalised(row["score"], row["scale"])
        # Words and score together: a 0/10 with a mild comment should still lose to a 2/10 with an angry one.
        polarity = _polarity(score_norm, row["sentiment"])
        if polarity < 0 if negative else polarity > 0:
            rows.append({**row, "polarity": polarity})
    moments: dict[object, bool] = {}
    for row in rows:
        if row["touchpoint"] not in moments:
            moments[row["touchpoint"]] = is_moment_of_truth(row["touchpoint"], rules)
        row["moment_of_truth"] = moments[row["touchpoint"]]
    rows.sort(key=lambda r: (not r["moment_of_truth"], r["polarity"] if negative else -r["polarity"]))
    return [{
        "text": text,
        "touchpoint": rows[i]["touchpoint"],
        "channel": rows[i]["channel"] if pd.notna(rows[i]["channel"]) else None,
        "segment": rows[i]["segment"] if pd.notna(rows[i]["segment"]) else None,
        "received_on": rows[i]["received_on"],
        "score": None if pd.isna(rows[i]["score"]) else float(rows[i]["score"]),
        "scale": rows[i]["scale"] if pd.notna(rows[i]["scale"]) else None,
        "moment_of_truth": bool(rows[i]["moment_of_truth"]),
        "why": rows[i]["why"],
        # The language the customer wrote in, shown beside the quote (a French quote in a German meeting).
        "language": _text_or_none(rows[i].get("language")),
    } for i, text in first_distinct([row["narrative"] for row in rows], count)]


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _normalised(score, scale) -> float:
    """``normalised_score`` for one row."""
    if score is None or score != score:
        return math.nan
    if scale == "nps":
        return (score - 5) / 5
    return (score - 3) / 2 if scale == "csat" else math.nan


def pick_staff_quotes(staff: pd.DataFrame, reasons: pd.Series, count: int) -> list[dict]:
    """Frontline inputs that concern a section: challenges first, then ideas, then praise; commonest theme
    first within a kind; no near-duplicates; identifiers masked.

    ``staff`` is the whole month's input: a quote names its team only when that team gave at least
    ``TEAM_MIN_INPUTS`` inputs in it, since a quote from a team of two identifies its author."""

    team_key = staff["team"].map(lambda team: " ".join(str(team).split()).casefold() if pd.notna(team) else None)
    team_inputs = team_key.value_counts()
    pool = staff.loc[reasons.ne("") & staff["text"].fillna("").str.strip().ne("")].copy()
    if pool.empty or count <= 0:
        return []
    pool["why"] = reasons[pool.index]
    pool["kind_order"] = pool["kind"].map(STAFF_KIND_ORDER).fillna(3)
    pool["why_frequency"] = pool.groupby("why")["why"].transform("size")
    pool = pool.sort_values(["kind_order", "why_frequency", "submitted_on"], ascending=[True, False, False], kind="stable")
    pool = pool.head(QUOTE_CANDIDATES)
    kinds = pool["kind"].tolist()
    present = set(kinds) & set(STAFF_KIND_ORDER)
    # Enough kept to fill ``count`` and to have met every kind that is there: the rest cannot be chosen.
    found = first_distinct(pool["text"].tolist(),
                           stop=lambda kept: len(kept) >= count and present <= {kinds[i] for i, _ in kept})
    kept, texts = [i for i, _ in found], dict(found)
    # Spread across kinds: a section should hear an idea too, not only the three loudest challenges.
    chosen: list[int] = []
    for kind in ("challenge", "idea", "praise"):
        first_of_kind = next((i for i in kept if pool.iloc[i]["kind"] == kind), None)
        if first_of_kind is not None:
            chosen.append(first_of_kind)
    chosen += [i for i in kept if i not in chosen]
    chosen = sorted(chosen[:count], key=lambda i: (pool.iloc[i]["kind_order"], kept.index(i)))
    return [{
        "text": texts[i],
        "kind": pool.iloc[i]["kind"],
        "team": pool.iloc[i]["team"] if team_inputs.get(team_key[pool.index[i]], 0) >= TEAM_MIN_INPUTS else None,
        "touchpoint": pool.iloc[i]["touchpoint"] if pd.notna(pool.iloc[i]["touchpoint"]) else None,
        "submitted_on": pool.iloc[i]["submitted_on"],
        "why": pool.iloc[i]["why"],
    } for i in chosen]
