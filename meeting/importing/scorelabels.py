"""Scores the tools write as words: each choice list with its order on the scale.

Survey tools export a rating as its choice text when asked to ("Very satisfied", Zendesk's "Good, I'm
satisfied", Qualtrics' "Extremely likely" at the ends of a 0-10 question). A column is read onto a scale only
when every label in it belongs to one list below (or to the order the user gives with ``--score-labels``);
anything else is refused, naming the labels found, so no score is ever guessed.

Two-point and three-point lists are spread over CSAT's 1-5 (bad = 1, good = 5): the CSAT mean then moves with
the share satisfied. Five-point lists are 1-5; eleven labels are 0-10 (NPS).
"""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

# Lowest first. Each entry is one position on the scale: its spellings (any of them matches).
_SATISFACTION: list[list[tuple[str, ...]]] = [
    # en (plain, SurveyMonkey, Qualtrics)
    [("very dissatisfied", "extremely dissatisfied"), ("dissatisfied", "somewhat dissatisfied"),
     ("neither satisfied nor dissatisfied", "neutral"), ("satisfied", "somewhat satisfied"),
     ("very satisfied", "extremely satisfied")],
    # fr
    [("tres insatisfait", "tres mecontent", "extremement insatisfait"), ("insatisfait", "plutot insatisfait",
     "mecontent"), ("ni satisfait ni insatisfait", "neutre"), ("satisfait", "plutot satisfait", "content"),
     ("tres satisfait", "tres content", "extremement satisfait")],
    # de
    [("sehr unzufrieden", "aeusserst unzufrieden", "ausserst unzufrieden"), ("unzufrieden", "eher unzufrieden"),
     ("weder zufrieden noch unzufrieden", "neutral", "teils teils"), ("zufrieden", "eher zufrieden"),
     ("sehr zufrieden", "aeusserst zufrieden", "ausserst zufrieden")],
    # es
    [("muy insatisfecho", "extremadamente insatisfecho"), ("insatisfecho", "algo insatisfecho"),
     ("ni satisfecho ni insatisfecho", "neutral", "neutro"), ("satisfecho", "algo satisfecho"),
     ("muy satisfecho", "extremadamente satisfecho")],
    # nl
    [("zeer ontevreden", "heel ontevreden"), ("ontevreden",), ("neutraal", "niet tevreden niet ontevreden"),
     ("tevreden",), ("zeer tevreden", "heel tevreden")],
]
_LIKELIHOOD: list[list[tuple[str, ...]]] = [
    [("not at all likely",), ("not so likely", "not very likely"), ("somewhat likely",), ("very likely",),
     ("extremely likely",)],
    [("very unlikely",), ("unlikely",), ("neither likely nor unlikely",), ("likely",), ("very likely",)],
    [("pas du tout probable",), ("peu probable",), ("assez probable", "moyennement probable"),
     ("tres probable",), ("extremement probable",)],
    [("uberhaupt nicht wahrscheinlich", "ueberhaupt nicht wahrscheinlich"), ("eher unwahrscheinlich",
     "unwahrscheinlich"), ("etwas wahrscheinlich",), ("sehr wahrscheinlich",),
     ("ausserst wahrscheinlich", "aeusserst wahrscheinlich", "extrem wahrscheinlich")],
    [("nada probable",), ("poco probable",), ("algo probable",), ("muy probable",), ("extremadamente probable",)],
    [("helemaal niet waarschijnlijk",), ("niet zo waarschijnlijk", "onwaarschijnlijk"),
     ("enigszins waarschijnlijk",), ("zeer waarschijnlijk",), ("uiterst waarschijnlijk", "extreem waarschijnlijk")],
]
# Zendesk's two-point satisfaction, in its own words per language.
_GOOD_BAD: list[list[tuple[str, ...]]] = [
    [("bad i m unsatisfied", "bad"), ("good i m satisfied", "good")],
    [("mauvais je ne suis pas satisfait", "mauvais"), ("bon je suis satisfait", "bon")],
    [("schlecht ich bin unzufrieden", "schlecht"), ("gut ich bin zufrieden", "gut")],
    [("malo no estoy satisfecho", "malo"), ("bueno estoy satisfecho", "bueno")],
    [("slecht ik ben ontevreden", "slecht"), ("goed ik ben tevreden", "goed")],
]
KNOWN_LISTS = _GOOD_BAD + _SATISFACTION + _LIKELIHOOD
# Zendesk's states of a rating never given: no score, not a label to refuse.
# What a tool derives from a 0-10 answer: a group, never the score itself (and never read as one).
_NPS_GROUPS = {"promoter", "promoters", "passive", "passives", "detractor", "detractors"}
NOT_RATED = {"offered", "unoffered", "not offered", "not rated"}


def label_key(text: str) -> str:
    """'Good, I’m satisfied' -> 'good i m satisfied'; accents and ß folded, so 'Äußerst' = 'ausserst'."""
    text = str(text).casefold().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def positions(count: int) -> list[int] | None:
    """Where ``count`` ordered labels sit: 11 on 0-10, 5 on 1-5, 2 or 3 spread over 1-5; else None."""
    return {2: [1, 5], 3: [1, 3, 5], 5: [1, 2, 3, 4, 5], 11: list(range(11))}.get(count)


def _lookup(ordered: list[tuple[str, ...]]) -> dict[str, int]:
    places = positions(len(ordered)) or []
    return {label_key(spelling): place for spellings, place in zip(ordered, places) for spelling in spellings}


def is_label(text: str) -> bool:
    """Is this a choice text of a known list (or a 'not rated' state)?"""
    key = label_key(text)
    return key in NOT_RATED or any(key in _lookup(ordered) for ordered in KNOWN_LISTS)


def read_labels(text: pd.Series, given: str | None = None, *, nps: bool = False
                ) -> tuple[pd.Series, str | None, str | None]:
    """The score column with its labels replaced by numbers (as text), the scale the labels set ("nps",
    "csat" or None), and a complaint for the whole column (or None).

    ``given`` is the user's order, lowest first, comma-separated (``--score-labels``). Numbers in the column are
    left as they are; beside numbers, or under a header stating 0-10 (``nps``), only the two ends of a
    likelihood list are read (0 and 10: Qualtrics' 0-10 question with its end labels as text).
    """
    present = text.dropna()
    numeric = pd.to_numeric(present.str.replace(",", ".", regex=False), errors="coerce")
    words = present[numeric.isna()]
    if words.empty:
        return text, None, None
    distinct = list(dict.fromkeys(words.tolist()))
    keys = {value: label_key(value) for value in distinct}
    rated = [v for v in distinct if keys[v] not in NOT_RATED]
    unrated = [v for v in distinct if keys[v] in NOT_RATED]
    out = text.where(~text.isin(unrated)) if unrated else text  # distinct values only: fast on 200k rows
    if not rated:
        return out, None, None
    table: dict[str, int] | None  # spelling key -> score, from the user's order or a known list
    scale: str | None
    if given:
        order = [label_key(part) for part in given.split(",") if part.strip()]
        places = positions(len(order))
        if places is None:
            return out, None, (f"--score-labels gives {len(order)} labels: give 2, 3 or 5 (read onto 1-5) or 11 "
                               "(0-10), lowest first")
        table = dict(zip(order, places))
        missing = [v for v in rated if keys[v] not in table]
        if missing:
            return out, None, (f"labels {_listed(missing)} are not in --score-labels: add them in their place "
                               "(lowest first)")
        scale = "nps" if len(order) == 11 else "csat"
    elif all(keys[v] in _NPS_GROUPS for v in rated):
        return out, None, (f"{_listed(rated)} are NPS groups, not scores: map the column holding the 0-10 answer "
                           "instead (--map score=\"Column name\")")
    else:
        numbers = not numeric.dropna().empty
        table, scale = _known_table([keys[v] for v in rated], numbers=nps or numbers)
        if table is None and nps and not numbers:  # a five-point likelihood under a "recommend" header
            table, scale = _known_table([keys[v] for v in rated], numbers=False)
        if table is None:
            return out, None, (
                f"the scores are written as labels whose order is not known: {_listed(rated)}. Give their order, "
                f"lowest first: --score-labels \"{','.join(rated)}\" (reordered), or map another column")
    mapped = {v: str(table[keys[v]]) for v in rated}
    out = out.copy()
    labelled = out.isin(list(mapped)).fillna(False).astype(bool)
    out[labelled] = out[labelled].map(mapped)
    return out.astype("str"), scale, None


def _known_table(keys: list[str], numbers: bool) -> tuple[dict[str, int] | None, str | None]:
    if numbers:
        # Labels beside numbers: only the ends of a 0-10 likelihood question.
        for ordered in _LIKELIHOOD:
            ends = {label_key(s): 0 for s in ordered[0]} | {label_key(s): 10 for s in ordered[-1]}
            if all(k in ends for k in keys):
                return ends, "nps"
        return None, None
    for ordered in KNOWN_LISTS:
        table = _lookup(ordered)
        if all(k in table for k in keys):
            return table, "csat"
    return None, None


def _listed(values: list[str], limit: int = 12) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
