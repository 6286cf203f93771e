"""The one quote picker: the customers' and the frontline's own words that concern a section."""
from __future__ import annotations

import re

import pandas as pd

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


def choose_quotes(candidates: pd.DataFrame, why: pd.Series, *, negative: bool, count: int,
                  rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """From ranked candidates with a ``sentiment`` column: words and score together, moments of truth
    first, no near-duplicates, identifiers masked, each with touchpoint, channel, date and why it is here."""
    from meeting.anonymise import mask_identifiers

    if candidates.empty or count <= 0:
        return []
    pool = candidates.assign(why=why, score_norm=normalised_score(candidates))
    # Words and score together: a 0/10 with a mild comment should still lose to a 2/10 with an angry one.
    pool["polarity"] = pool[["score_norm", "sentiment"]].mean(axis=1, skipna=True)
    pool = pool[pool["polarity"] < 0] if negative else pool[pool["polarity"] > 0]
    pool = pool.assign(moment_of_truth=pool["touchpoint"].map(lambda t: is_moment_of_truth(t, rules)))
    pool = pool.sort_values(["moment_of_truth", "polarity"], ascending=[False, negative], kind="stable")
    texts = [mask_identifiers(text) for text in pool["narrative"]]
    quotes = []
    for index in drop_near_duplicates(texts):
        row = pool.iloc[index]
        quotes.append({
            "text": texts[index],
            "touchpoint": row["touchpoint"],
            "channel": row["channel"] if pd.notna(row["channel"]) else None,
            "segment": row["segment"] if pd.notna(row["segment"]) else None,
            "received_on": row["received_on"],
            "score": None if pd.isna(row["score"]) else float(row["score"]),
            "scale": row["scale"] if pd.notna(row["scale"]) else None,
            "moment_of_truth": bool(row["moment_of_truth"]),
            "why": row["why"],
        })
        if len(quotes) == count:
            break
    return quotes


def pick_quotes(voc: pd.DataFrame, reasons: pd.Series, *, negative: bool, count: int,
                rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """The most negative (or positive) narratives of ``voc`` (rows in the order received) that concern a
    section (``reasons`` non-empty): ``quote_candidates`` read by VADER, then ``choose_quotes``."""
    from meeting.evidence.sentiment import sentiment_scores

    has_text = voc["narrative"].fillna("").str.strip().ne("") & reasons.ne("")
    if not has_text.any() or count <= 0:
        return []
    candidates = quote_candidates(voc.loc[has_text], negative=negative)
    candidates = candidates.assign(sentiment=sentiment_scores(candidates["narrative"].tolist()))
    return choose_quotes(candidates, reasons[candidates.index], negative=negative, count=count, rules=rules)


def pick_staff_quotes(staff: pd.DataFrame, reasons: pd.Series, count: int) -> list[dict]:
    """Frontline inputs that concern a section: challenges first, then ideas, then praise; commonest theme
    first within a kind; no near-duplicates; identifiers masked."""
    from meeting.anonymise import mask_identifiers

    pool = staff.loc[reasons.ne("") & staff["text"].fillna("").str.strip().ne("")].copy()
    if pool.empty or count <= 0:
        return []
    pool["why"] = reasons[pool.index]
    pool["kind_order"] = pool["kind"].map(STAFF_KIND_ORDER).fillna(3)
    pool["why_frequency"] = pool.groupby("why")["why"].transform("size")
    pool = pool.sort_values(["kind_order", "why_frequency", "submitted_on"], ascending=[True, False, False], kind="stable")
    pool = pool.head(QUOTE_CANDIDATES)
    texts = [mask_identifiers(text) for text in pool["text"]]
    kept = drop_near_duplicates(texts)
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
        "team": pool.iloc[i]["team"] if pd.notna(pool.iloc[i]["team"]) else None,
        "touchpoint": pool.iloc[i]["touchpoint"] if pd.notna(pool.iloc[i]["touchpoint"]) else None,
        "submitted_on": pool.iloc[i]["submitted_on"],
        "why": pool.iloc[i]["why"],
    } for i in chosen]
