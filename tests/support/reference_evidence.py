"""The slow reference: every section's evidence computed from the raw rows, as the code did before issue 12.

A frozen copy of the pre-issue-12 ``build_evidence`` (and the row-level quote picker and theme tagger it
used), kept as the oracle the stored-tags / SQL-aggregate path must agree with exactly. One deliberate
change from the old code: ties in a quote's score are broken by the order the rows were received
(received_on, id) with a stable sort; the old quicksort broke them arbitrarily, so no fast path could have
matched it. Do not "optimise" this file: its worth is that it shares no shortcut with the fast path.
"""
from __future__ import annotations

import pandas as pd

from meeting import evidence as ev
from meeting.config import load_thresholds
from meeting.evidence.language import detect_language, unit_languages
from meeting.evidence.quotes import drop_near_duplicates, normalised_score
from meeting.evidence.taxonomy import is_moment_of_truth, load_themes, load_touchpoints
from meeting.periods import shift_period
from support.raw_evidence import any_reason, detect_watermelons, load_period_frames, score_summary
from tests.support.reference_scores import compared, month_figures

QUOTE_CANDIDATES = 150


def load_months(db, table, date_column, columns, unit_id, first_period, last_period) -> pd.DataFrame:
    start, _ = ev.period_bounds(first_period)
    _, end = ev.period_bounds(last_period)
    # What pandas.read_sql_query does with a DB-API cursor, on either engine's (sqlite3's or psycopg's).
    cursor = db.execute(
        f"SELECT {columns} FROM {table} WHERE unit_id = ? AND {date_column} >= ? AND {date_column} < ? "
        f"ORDER BY {date_column}, id", [unit_id, start, end])
    names = [column[0] for column in cursor.description]
    frame = pd.DataFrame.from_records(cursor.fetchall(), columns=names, coerce_float=True)
    frame["period"] = frame[date_column].str.slice(0, 7)
    return frame


def tag_themes(texts: pd.Series, themes, languages) -> pd.DataFrame:
    """Row by row, nothing stored: each text's language detected among the unit's, then that language's cues
    (issue 20: the stemmed multilingual tagger replaced the English regexes this file used to run)."""
    from meeting.evidence.language import detect_language
    from meeting.evidence.tagging import ThemeMatcher

    matcher = ThemeMatcher(tuple(themes))
    masks = [matcher.mask(text, detect_language(text, languages)) if isinstance(text, str) else 0 for text in texts]
    return pd.DataFrame({theme.name: [bool(mask >> i & 1) for mask in masks] for i, theme in enumerate(themes)},
                        index=texts.index)


def pick_quotes(voc, reasons, *, negative, count, rules):
    from meeting.anonymise import mask_identifiers
    from meeting.evidence.sentiment import sentiment_scores

    has_text = voc["narrative"].fillna("").str.strip().ne("") & reasons.ne("")
    pool = voc.loc[has_text].copy()
    if pool.empty or count <= 0:
        return []
    pool["why"] = reasons[has_text]
    pool["score_norm"] = normalised_score(pool)
    ranked_by_score = pool.sort_values("score_norm", ascending=negative, na_position="last", kind="stable")
    if negative:
        pool = ranked_by_score[(ranked_by_score["score_norm"] < 0) | ranked_by_score["score_norm"].isna()]
    else:
        pool = ranked_by_score[(ranked_by_score["score_norm"] > 0) | ranked_by_score["score_norm"].isna()]
    pool = pool.head(QUOTE_CANDIDATES).copy()
    if pool.empty:
        return []
    pool["sentiment"] = pd.Series(sentiment_scores(pool["narrative"].tolist(), pool["language"].tolist()),
                                  index=pool.index, dtype="float64")
    pool["polarity"] = pool[["score_norm", "sentiment"]].mean(axis=1, skipna=True)
    pool = pool[pool["polarity"] < 0] if negative else pool[pool["polarity"] > 0]
    pool["moment_of_truth"] = pool["touchpoint"].map(lambda t: is_moment_of_truth(t, rules))
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
            "language": row["language"],
        })
        if len(quotes) == count:
            break
    return quotes


def segment_feedback(voc, segments, count, rules):
    out = []
    keys = voc["segment"].fillna("").map(lambda s: " ".join(str(s).split()).casefold())
    for segment in dict.fromkeys(s for s in segments if s):
        subset = voc.loc[keys == " ".join(segment.split()).casefold()]
        why = ("segment: " + segment) if len(subset) else ""
        reasons = pd.Series(why, index=subset.index, dtype=object)
        out.append({"segment": segment, **score_summary(subset),
                    "quotes": pick_quotes(subset, reasons, negative=True, count=count, rules=rules)
                    + pick_quotes(subset, reasons, negative=False, count=1, rules=rules)})
    return out


def reference_plans(db, unit_id: int, section: str, period: str) -> list[dict]:
    """A section's plans from the raw table: those starting in the month or later, or undated; every plan when
    none is (the room still sees what was planned). Undated first, then by start, title."""
    rows = [{"id": r[0], "title": r[3], "segment": r[4], "starts_on": r[5], "detail": r[6]}
            for r in db.execute("SELECT id, unit_id, section, title, segment, starts_on, detail FROM plans ORDER BY id",
                                []).fetchall() if r[1] == unit_id and r[2] == section]
    rows.sort(key=lambda row: (row["starts_on"] is not None, row["starts_on"] or "", row["title"], row["id"]))
    upcoming = [row for row in rows if not row["starts_on"] or str(row["starts_on"]) >= f"{period}-01"]
    return [{key: row[key] for key in ("title", "segment", "starts_on", "detail")} for row in (upcoming or rows)]


def reference_finance(db, unit_id: int, period: str) -> dict:
    """The month's finance lines in the order imported, each with its variance and the line's actual a month
    before (None when the line is new)."""
    rows = db.execute("SELECT id, unit_id, period, line, actual, budget FROM finance ORDER BY id", []).fetchall()
    previous = shift_period(period, -1)
    before = {}
    for _, unit, month, line, actual, _budget in rows:
        if unit == unit_id and month == previous:
            before.setdefault(line, actual)
    lines = []
    for _, unit, month, line, actual, budget in rows:
        if unit == unit_id and month == period:
            variance = round(actual - budget, 2)
            lines.append({"line": line, "actual": actual, "budget": budget, "actual_before": before.get(line),
                          "variance": variance, "variance_pct": round(100 * variance / budget, 1) if budget else None})
    return {"lines": lines}


def reference_records(found: dict) -> dict:
    """The detector's result with each table as a list of row dicts, missing values as None."""
    return {key: [{column: (None if pd.isna(value) else value) for column, value in row.items()}
                  for row in value.to_dict("records")] if isinstance(value, pd.DataFrame) else value
            for key, value in found.items()}


def reference_watermelons(db, unit_id, period):
    """Detection over every raw row of the 24 months (the DataFrame path), with the unit's thresholds."""
    return detect_watermelons(*load_period_frames(db, unit_id, period), period, load_thresholds(db, unit_id),
                              load_touchpoints())


def reference_evidence(db, unit_id: int, period: str) -> dict[str, dict]:
    thresholds = load_thresholds(db, unit_id)
    themes, rules = load_themes(), load_touchpoints()
    count = thresholds.quotes_per_section
    previous = shift_period(period, -1)

    voc_all = load_months(db, "voc_responses", "received_on",
                          "id, received_on, channel, touchpoint, segment, score, scale, narrative",
                          unit_id, previous, period)
    languages = unit_languages(db, unit_id)
    voc_all["language"] = [detect_language(text, languages) if isinstance(text, str) else None
                           for text in voc_all["narrative"]]
    voc, voc_before = voc_all[voc_all["period"] == period], voc_all[voc_all["period"] == previous]
    staff_all = load_months(db, "staff_inputs", "submitted_on",
                            "id, submitted_on, team, role, touchpoint, kind, text, engagement",
                            unit_id, previous, period)
    staff, staff_before = staff_all[staff_all["period"] == period], staff_all[staff_all["period"] == previous]

    voc_tags_all = tag_themes(voc_all["narrative"], themes, languages)
    voc_tags, voc_tags_before = voc_tags_all.loc[voc.index], voc_tags_all.loc[voc_before.index]
    staff_tags_all = tag_themes(staff_all["text"], themes, languages)
    staff_tags, staff_tags_before = staff_tags_all.loc[staff.index], staff_tags_all.loc[staff_before.index]
    voc_reasons = ev.section_reasons(voc_tags, voc["touchpoint"], themes, rules)
    staff_reasons = ev.section_reasons(staff_tags, staff["touchpoint"], themes, rules)

    def voices(section, reasons_voc=None):
        reasons_voc = voc_reasons[section] if reasons_voc is None else reasons_voc
        return {
            "customer_quotes": pick_quotes(voc, reasons_voc, negative=True, count=count, rules=rules),
            "customer_praise": pick_quotes(voc, reasons_voc, negative=False, count=1, rules=rules),
            "staff_quotes": ev.pick_staff_quotes(staff, staff_reasons[section], count),
        }

    customer_reasons = any_reason(voc_reasons, voc["touchpoint"])
    customer_voices = voices("customer", customer_reasons)
    customer_voices["customer_praise"] = pick_quotes(voc, customer_reasons, negative=False, count=count, rules=rules)

    staff_summary = ev.compare(
        {"inputs": int(len(staff)), **{k: int((staff["kind"] == k).sum()) for k in ev.STAFF_KIND_ORDER}},
        {"inputs": int(len(staff_before)), **{k: int((staff_before["kind"] == k).sum()) for k in ev.STAFF_KIND_ORDER}},
    )
    marketing_plans = reference_plans(db, unit_id, "marketing", period)
    sales_plans = reference_plans(db, unit_id, "sales", period)
    return {
        "customer": {
            "summary": reference_summary(voc, voc_before),
            "by_touchpoint": ev.by_touchpoint(voc, voc_before, rules),
            "trend": reference_trend(voc_all, db, unit_id, period),
            "themes": ev.theme_counts(voc_tags, voc_tags_before, themes),
            "drivers": reference_drivers(voc, voc_tags, themes),
            **customer_voices,
        },
        "employees": {
            "summary": staff_summary,
            "groups": ev.staff_groups(staff, staff_tags, themes),
            "themes": ev.theme_counts(staff_tags, staff_tags_before, themes),
            "engagement_trend": ev.engagement_trend(db, unit_id, period),
            **voices("employees"),
        },
        "operations": {"watermelons": reference_records(reference_watermelons(db, unit_id, period)), **voices("operations")},
        "marketing": {"plans": marketing_plans,
                      "segments": segment_feedback(voc, [p["segment"] for p in marketing_plans if p["segment"]], count, rules),
                      **voices("marketing")},
        "sales": {"plans": sales_plans,
                  "segments": segment_feedback(voc, [p["segment"] for p in sales_plans if p["segment"]], count, rules),
                  **voices("sales")},
        "finance": {**reference_finance(db, unit_id, period), **voices("finance")},
    }


def reference_trend(_voc_all, db, unit_id, period, months=12):
    """Volume, NPS and CSAT per month from the raw rows (pandas, not SQL)."""
    frame = load_months(db, "voc_responses", "received_on", "id, received_on, score, scale",
                        unit_id, shift_period(period, -(months - 1)), period)
    out = []
    for month, rows in frame.groupby("period", sort=True):
        figures = month_figures(rows.loc[rows["scale"] == "nps", "score"], rows.loc[rows["scale"] == "csat", "score"])
        out.append({"period": month, "responses": int(len(rows)), **figures})
    return out


def reference_summary(voc, voc_before) -> dict:
    """The customer summary: volumes as now/before/change, and the contract's flat uncertainty keys."""
    def scores(frame, scale):
        return frame.loc[frame["scale"] == scale, "score"].dropna()

    fields = compared(scores(voc, "nps"), scores(voc_before, "nps"), scores(voc, "csat"), scores(voc_before, "csat"))
    before = month_figures(scores(voc_before, "nps"), scores(voc_before, "csat"))

    def volumes(frame):
        return {"responses": len(frame), "nps_responses": len(scores(frame, "nps")),
                "csat_responses": len(scores(frame, "csat")),
                "narratives": int(frame["narrative"].fillna("").str.strip().ne("").sum())}

    now_volumes, before_volumes = volumes(voc), volumes(voc_before)
    out = {key: {"now": value, "before": before_volumes[key], "change": value - before_volumes[key]}
           for key, value in now_volumes.items()}
    for scale in ("nps", "csat"):
        out[scale] = {"now": fields[scale], "before": before[scale], "change": fields[f"{scale}_change"]}
    out.update({key: fields[key] for key in ("nps_n", "nps_low", "nps_high", "nps_base", "nps_change_significant",
                                             "csat_n", "csat_low", "csat_high", "csat_base", "csat_change_significant")})
    return {key: out[key] for key in ("responses", "nps", "nps_responses", "csat", "csat_responses", "narratives",
                                      *[k for k in out if k not in ("responses", "nps", "nps_responses", "csat",
                                                                    "csat_responses", "narratives")])}


def reference_drivers(voc, voc_tags, themes) -> list[dict]:
    """NPS with and without each theme of 30+ mentions, from the raw rows, by the formulas written out."""
    def nps_and_variance(scores):
        p, d = (scores >= 9).mean(), (scores <= 6).mean()
        return 100 * (p - d), p + d - (p - d) ** 2

    scored = (voc["scale"] == "nps") & voc["score"].notna()
    out = []
    for theme in themes:
        mentioned = voc_tags[theme.name]
        if int(mentioned.sum()) < 30:
            continue
        with_scores = voc.loc[scored & mentioned, "score"]
        without_scores = voc.loc[scored & ~mentioned, "score"]
        row = {"theme": theme.name, "section": theme.section, "mentions": int(mentioned.sum()),
               "nps_with": None, "n_with": len(with_scores), "nps_without": None, "n_without": len(without_scores),
               "share": round(len(with_scores) / int(scored.sum()), 3) if scored.any() else 0.0,
               "difference": None, "difference_low": None, "difference_high": None, "clear": False, "impact": None}
        if len(with_scores) >= 5 and len(without_scores) >= 5:
            (a, v1), (b, v2) = nps_and_variance(with_scores), nps_and_variance(without_scores)
            half = 1.96 * 100 * (v1 / len(with_scores) + v2 / len(without_scores)) ** 0.5
            row.update(nps_with=round(a, 1), nps_without=round(b, 1), difference=round(a - b, 1),
                       difference_low=round(a - b - half, 1), difference_high=round(a - b + half, 1),
                       clear=bool(a - b - half > 0 or a - b + half < 0),
                       impact=round(len(with_scores) / int(scored.sum()) * (a - b), 2))
        out.append(row)
    return sorted(out, key=lambda r: (r["impact"] is None, r["impact"] if r["impact"] is not None else 0.0, r["theme"]))
