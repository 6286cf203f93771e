"""The raw-rows evidence path, frozen as an oracle: watermelons, touchpoint feedback, score summaries,
segment feedback and quotes computed from every response row in pandas, as the app did before it read
stored month summaries. Production never calls this; tests and benches hold the stored path to it.
"""
from __future__ import annotations

import pandas as pd

from meeting import store
from meeting.config import DEFAULTS, Thresholds
from meeting.evidence.feedback import (
    FEEDBACK_COLUMNS,
    VOC_COLUMNS,
    display_names,
    judge_feedback,
    rules_or_shipped,
    touchpoint_keys,
)
from meeting.evidence.flag_quotes import touchpoint_candidates, touchpoint_quotes
from meeting.evidence.quotes import choose_quotes, quote_candidates
from meeting.evidence.scores import DETRACTOR_MAX, LOW_CSAT_MAX, PROMOTER_MIN, ScoreCounts, month_fields
from meeting.evidence.sentiment import NEGATIVE_BELOW, languages_of, sentiment_scores
from meeting.evidence.summaries import load_between
from meeting.evidence.taxonomy import TouchpointRule
from meeting.evidence.watermelons import assemble, metrics_of_month, poor_pairs, result_shell
from meeting.periods import parse_period, shift_period
from meeting.store import SECTION_KEYS
from meeting.store import evidence as stored


def detect_watermelons(metrics: pd.DataFrame, voc: pd.DataFrame, period: str, thresholds: Thresholds = DEFAULTS,
                       rules=None) -> dict:
    """Watermelons (green metric, poor feedback) of one month, with the evidence behind each.

    ``metrics`` has period, touchpoint, name, target, actual, direction; ``voc`` has received_on,
    touchpoint, score, scale, narrative (and optionally id, channel). Earlier months in either frame
    are used only for each flag's age. ``rules`` is the touchpoint alias list (default: the shipped one).

    Returns a dict:
      period, thresholds (the values used, as a dict), watermelons (list of dicts: touchpoint, touchpoint_key, metric, target, actual, direction,
        status, attainment, responses, nps, csat, detractor_share, negative_share, basis, age_months,
        severity and moment_of_truth (``meeting.evidence.severity``; flags are ranked by severity),
        quotes [{text, touchpoint, received_on, channel, score, scale, sentiment}], reading),
      watch (green metrics whose touchpoint's interval reaches across the poor line: touchpoint, metric, target,
        actual, responses, nps, nps_n, nps_low, nps_high, csat, csat_n, csat_low, csat_high, reading),
      too_few (touchpoints with a green metric and too few responses to judge: touchpoint, touchpoint_key,
        responses, metrics), reverse (red metric, customers not unhappy: touchpoint, metric, target,
        actual, direction, status, responses, nps, csat, negative_share),
      statuses (DataFrame: every metric of the month with status), points (DataFrame: one row per
        touchpoint with a metric, for ``meeting.charts.quadrant_chart``).
    """
    return _detect(metrics, voc, period, thresholds, rules, evidence=True)


def _detect(metrics, voc, period: str, thresholds: Thresholds, rules, *, evidence: bool) -> dict:
    # From the raw rows. evidence=False: which touchpoints are flagged, without ages or quotes.
    period = parse_period(period)
    rules = rules_or_shipped(rules)
    all_metrics, month = metrics_of_month(metrics, period, thresholds, rules)
    if month is None:
        return result_shell(period, thresholds)
    voc = voc if voc is not None and len(voc) else _empty_voc()
    located = _locate(voc, rules)
    month_rows = located["period"].eq(period) & located["key"].isin(set(month["key"]))
    in_month = _prepare_voc(voc[month_rows], rules, located[month_rows])
    feedback, compound = _feedback_table(in_month, thresholds, ["key"])

    def poor_in(keys, periods):
        wanted = located["key"].isin(keys) & located["period"].isin(set(periods))
        table, _ = _feedback_table(_prepare_voc(voc[wanted], rules, located[wanted]), thresholds, ["period", "key"])
        return poor_pairs(table)

    def quotes(keys, names):
        return _quotes(in_month, compound, keys, thresholds.quotes_per_section, names)

    return assemble(all_metrics, month, feedback, in_month[["key", "label"]], period, thresholds, rules,
                     poor_in if evidence else None, quotes if evidence else None)


def _quotes(month: pd.DataFrame, compound: pd.Series, keys, limit: int, names: dict[str, str]) -> dict[str, list[dict]]:
    """Per touchpoint key, the ``limit`` most negative narratives of the month, identifiers masked; VADER
    reads the candidates it has not read yet."""
    quotes: dict[str, list[dict]] = {key: [] for key in keys}
    for key, candidates in touchpoint_candidates(month, compound, keys).items():
        unread = candidates["q_compound"].isna()
        candidates = candidates.assign(q_compound=candidates["q_compound"].where(
            ~unread, pd.Series(sentiment_scores(candidates.loc[unread, "narrative"], languages_of(candidates.loc[unread])),
                               index=candidates.index[unread], dtype="float64")))
        quotes[key] = touchpoint_quotes(candidates, limit, names.get(key, key))
    return quotes


def _empty_voc() -> pd.DataFrame:
    return pd.DataFrame({"id": pd.Series(dtype="int64"), "received_on": pd.Series(dtype="str"),
                         "channel": pd.Series(dtype="str"), "touchpoint": pd.Series(dtype="str"),
                         "score": pd.Series(dtype="float64"), "scale": pd.Series(dtype="str"),
                         "narrative": pd.Series(dtype="str")})


def _load_voc(db, unit_id: int, first: str, last: str, period: str, labels: list[str] | None = None) -> pd.DataFrame:
    # Months before ``period`` only give flags their age, and detection reads nothing of a scored
    # response there but its score: their narratives and channels stay in the database. Narratives
    # without a score are kept: they are how a touchpoint without a score question is judged.
    return stored.watermelon_responses(db, unit_id, f"{first}-01", f"{period}-01", f"{shift_period(last, 1)}-01",
                                       labels)


def load_period_frames(db, unit_id: int, period: str, months_back: int = 24) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A unit's metrics and customer responses for ``period`` and the ``months_back`` - 1 months before it.

    The earlier months only give each flag its age (so ages are capped at ``months_back``); their scored
    responses come without narrative and channel, which detection does not read.
    """
    period = parse_period(period)
    first = shift_period(period, -(max(int(months_back), 1) - 1))
    return stored.metrics_between(db, unit_id, first, period), _load_voc(db, unit_id, first, period, period)


def _locate(voc: pd.DataFrame, rules) -> pd.DataFrame:
    """Each response's touchpoint key and month: all detection needs to know about every row."""
    missing = [c for c in VOC_COLUMNS if c not in voc.columns]
    if missing:
        raise ValueError(f"Customer responses lack column(s): {', '.join(missing)}")
    return pd.DataFrame({"key": touchpoint_keys(voc["touchpoint"], rules),
                         "period": voc["received_on"].astype("str").str.slice(0, 7)}, index=voc.index)


def _prepare_voc(voc: pd.DataFrame, rules, located: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tidy responses for aggregation. Called on the rows that matter only (a month, a few touchpoints):
    string clean-up over 200,000 narratives would cost more than the detection itself."""
    located = _locate(voc, rules) if located is None else located
    frame = pd.DataFrame({
        "key": located["key"],
        "label": voc["touchpoint"].fillna("").astype("str"),
        "period": located["period"],
        "received_on": voc["received_on"].astype("str"),
        "score": pd.to_numeric(voc["score"], errors="coerce").astype("float64"),
        "scale": voc["scale"].fillna("").astype("str").str.strip().str.casefold(),
        "narrative": voc["narrative"].fillna("").astype("str").str.strip(),
        "channel": voc["channel"].astype("str") if "channel" in voc.columns else pd.Series(pd.NA, index=voc.index, dtype="str"),
        "id": voc["id"] if "id" in voc.columns else pd.Series(voc.index, index=voc.index),
        # The language each narrative was written in (stored at import), so it is read with its own lexicon.
        "language": voc["language"] if "language" in voc.columns else pd.Series(None, index=voc.index, dtype=object),
    }, index=voc.index)
    return frame


def _feedback_table(prep: pd.DataFrame, thresholds: Thresholds, by: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Feedback per group of ``by`` (["key"] or ["period", "key"]), and VADER's score per row it read."""
    if prep.empty:
        return pd.DataFrame(columns=[*by, *FEEDBACK_COLUMNS]), pd.Series(dtype="float64")
    table, compound = count_responses(prep, by)
    return judge_feedback(table, thresholds, by), compound


def count_responses(prep: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """``COUNT_COLUMNS`` per group of ``by`` from prepared rows, and VADER's score per row it read."""
    scored = prep["score"].notna()
    is_nps = scored & prep["scale"].eq("nps")
    is_csat = scored & prep["scale"].eq("csat")
    has_text = prep["narrative"].ne("")
    parts = pd.DataFrame({
        **{column: prep[column] for column in by},
        "nps_responses": is_nps.astype("int64"),
        "promoters": (is_nps & (prep["score"] >= PROMOTER_MIN)).astype("int64"),
        "detractors": (is_nps & (prep["score"] <= DETRACTOR_MAX)).astype("int64"),
        "csat_responses": is_csat.astype("int64"),
        "csat_sum": prep["score"].where(is_csat, 0.0),
        "csat_squares": (prep["score"] ** 2).where(is_csat, 0.0),
        "csat_low_scores": (is_csat & (prep["score"] <= LOW_CSAT_MAX)).astype("int64"),
        "narratives": has_text.astype("int64"),
    })
    table = parts.groupby(by, sort=True).sum()

    # Narrative-only groups (no score at all): VADER reads their narratives, and only theirs.
    text_only = (table["nps_responses"] + table["csat_responses"]).eq(0) & table["narratives"].gt(0)
    compound = pd.Series(dtype="float64")
    table["negatives"] = 0
    if text_only.any():
        group_of_row = pd.MultiIndex.from_frame(prep[by]) if len(by) > 1 else pd.Index(prep[by[0]])
        rows = has_text & group_of_row.isin(table.index[text_only])
        compound = pd.Series(sentiment_scores(prep.loc[rows, "narrative"].tolist(), languages_of(prep.loc[rows])),
                             index=prep.index[rows], dtype="float64")
        negatives = (compound < NEGATIVE_BELOW).groupby([prep.loc[rows, c] for c in by]).sum()
        table.loc[negatives.index, "negatives"] = negatives.astype("int64")
    return table, compound


def feedback_by_touchpoint(voc: pd.DataFrame, thresholds: Thresholds = DEFAULTS, rules=None) -> pd.DataFrame:
    """Customer feedback per touchpoint key over all of ``voc`` (pass one month's responses).

    Columns: touchpoint_key, touchpoint (a readable name), responses (scored responses, or narratives
    where there are no scores), nps_responses, nps, csat_responses, csat, detractor_share (NPS 0-6),
    low_score_share (CSAT 1-2), narratives, negative_share (narrative-only touchpoints), basis, judged
    (enough responses), poor, customer_score (-100..100, 0 = the poor-feedback line). Missing figures are
    NaN.
    """
    rules = rules_or_shipped(rules)
    prep = _prepare_voc(voc, rules)
    table, _ = _feedback_table(prep, thresholds, ["key"])
    names = display_names(prep, rules)
    table.insert(1, "touchpoint", table["key"].map(names).astype("str"))
    return table.rename(columns={"key": "touchpoint_key"})


def load_voc(db: store.Database, unit_id: int, first_period: str, last_period: str) -> pd.DataFrame:
    return load_between(stored.responses_between, "received_on", db, unit_id, first_period, last_period)


def score_summary(voc: pd.DataFrame) -> dict:
    """Volumes, and each score with its n, 95% interval and base, from a frame of responses."""
    counts = ScoreCounts.of(voc["scale"], voc["score"])
    return {"responses": int(len(voc)), "nps_responses": counts.nps_n, "csat_responses": counts.csat_n,
            "narratives": int(voc["narrative"].fillna("").str.strip().ne("").sum()), **month_fields(counts)}


def any_reason(reasons: dict[str, pd.Series], touchpoints: pd.Series) -> pd.Series:
    """Why a row belongs in the customer section, which hears everything: its customer-section reason,
    else any theme it mentions, else its touchpoint."""
    out = reasons["customer"]
    for section in SECTION_KEYS:
        themed = reasons[section].where(reasons[section].str.startswith("theme"), "")
        out = out.where(out != "", themed)
    return out.where(out != "", "touchpoint: " + touchpoints.fillna("").astype(str))


def segment_feedback(voc: pd.DataFrame, segments: list[str], count: int, rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """What customers in each named segment said this period: figures plus a negative and a positive quote."""
    out = []
    keys = voc["segment"].fillna("").map(lambda s: " ".join(str(s).split()).casefold())
    for segment in dict.fromkeys(s for s in segments if s):
        in_segment = keys == " ".join(segment.split()).casefold()
        subset = voc.loc[in_segment]
        why = ("segment: " + segment) if len(subset) else ""
        reasons = pd.Series(why, index=subset.index, dtype=object)
        out.append({
            "segment": segment,
            **score_summary(subset),
            "quotes": pick_quotes(subset, reasons, negative=True, count=count, rules=rules)
                      + pick_quotes(subset, reasons, negative=False, count=1, rules=rules),
        })
    return out


def pick_quotes(voc: pd.DataFrame, reasons: pd.Series, *, negative: bool, count: int,
                rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """The most negative (or positive) narratives of ``voc`` (rows in the order received) that concern a
    section (``reasons`` non-empty): ``quote_candidates`` read by VADER, then ``choose_quotes``."""
    from meeting.evidence.sentiment import sentiment_scores

    has_text = voc["narrative"].fillna("").str.strip().ne("") & reasons.ne("")
    if not has_text.any() or count <= 0:
        return []
    candidates = quote_candidates(voc.loc[has_text], negative=negative)
    languages = (candidates["language"].astype(object).where(candidates["language"].notna(), None).tolist()
                 if "language" in candidates else None)
    # "Not scored" (a language no lexicon reads) is NaN: the pick then rests on the score alone.
    candidates = candidates.assign(sentiment=pd.Series(sentiment_scores(candidates["narrative"].tolist(), languages),
                                                       index=candidates.index, dtype="float64"))
    return choose_quotes(candidates, reasons[candidates.index], negative=negative, count=count, rules=rules)


