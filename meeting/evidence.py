"""The evidence each agenda section carries: the customers' words and the frontline's, with the figures.

Everything here is computed for one unit and one review period (YYYY-MM), compared with the period before.
Narratives and staff inputs reach a section through the editable taxonomy: a theme (keyword rule) or a
touchpoint belongs to a section, and every quote says why it is there.
"""
from __future__ import annotations

import re

import pandas as pd
import sqlite_utils

from meeting.meetings import shift_period
from meeting.store import SECTION_KEYS
from meeting.taxonomy import Theme, TouchpointRule, is_moment_of_truth, touchpoint_key, touchpoint_section

STAFF_KIND_ORDER = {"challenge": 0, "idea": 1, "praise": 2}
NEAR_DUPLICATE_JACCARD = 0.6
# How many of the most extreme narratives get a sentiment reading before the final pick: enough to find
# the representative ones, few enough that a 200,000-response unit stays fast.
QUOTE_CANDIDATES = 150


def period_bounds(period: str) -> tuple[str, str]:
    """ISO date range [first day of period, first day of next period)."""
    return f"{period}-01", f"{shift_period(period, 1)}-01"


def _load_months(db: sqlite_utils.Database, table: str, date_column: str, columns: str, unit_id: int,
                 first_period: str, last_period: str) -> pd.DataFrame:
    """A unit's rows of ``table`` dated within [first_period, last_period], with a ``period`` column."""
    start, _ = period_bounds(first_period)
    _, end = period_bounds(last_period)
    frame = pd.read_sql_query(
        f"SELECT {columns} FROM {table} WHERE unit_id = ? AND {date_column} >= ? AND {date_column} < ?",
        db.conn, params=[unit_id, start, end])
    frame["period"] = frame[date_column].str.slice(0, 7)
    return frame


def load_voc(db: sqlite_utils.Database, unit_id: int, first_period: str, last_period: str) -> pd.DataFrame:
    return _load_months(db, "voc_responses", "received_on",
                        "id, received_on, channel, touchpoint, segment, score, scale, narrative",
                        unit_id, first_period, last_period)


def load_staff(db: sqlite_utils.Database, unit_id: int, first_period: str, last_period: str) -> pd.DataFrame:
    return _load_months(db, "staff_inputs", "submitted_on",
                        "id, submitted_on, team, role, touchpoint, kind, text, engagement",
                        unit_id, first_period, last_period)


# --- scores -------------------------------------------------------------------------------------------

def nps(scores: pd.Series) -> float | None:
    """Net Promoter Score (-100..100): % promoters (9-10) minus % detractors (0-6); None without scores."""
    scores = scores.dropna()
    if scores.empty:
        return None
    return round(100.0 * ((scores >= 9).mean() - (scores <= 6).mean()), 1)


def csat(scores: pd.Series) -> float | None:
    scores = scores.dropna()
    return None if scores.empty else round(float(scores.mean()), 2)


def score_summary(voc: pd.DataFrame) -> dict:
    nps_scores = voc.loc[voc["scale"] == "nps", "score"]
    csat_scores = voc.loc[voc["scale"] == "csat", "score"]
    return {
        "responses": int(len(voc)),
        "nps": nps(nps_scores),
        "nps_responses": int(nps_scores.notna().sum()),
        "csat": csat(csat_scores),
        "csat_responses": int(csat_scores.notna().sum()),
        "narratives": int(voc["narrative"].fillna("").str.strip().ne("").sum()),
    }


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


def compare(current: dict, previous: dict) -> dict:
    """Current figures with the previous period's and the change, key by key."""
    return {
        key: {"now": value, "before": previous.get(key), "change": _delta(value, previous.get(key))}
        for key, value in current.items()
    }


def by_touchpoint(current: pd.DataFrame, previous: pd.DataFrame, rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """Scores per touchpoint (aliases merged), moments of truth first, with the previous period's."""
    rows = []
    labels = pd.concat([current["touchpoint"], previous["touchpoint"]]).dropna().unique()
    key_of = {label: touchpoint_key(label, rules) for label in labels}  # per distinct label, not per row
    label_of: dict[str, str] = {}
    for label, key in key_of.items():
        label_of.setdefault(key, label)
    before_groups = dict(tuple(previous.groupby(previous["touchpoint"].map(key_of))))
    for key, group in current.groupby(current["touchpoint"].map(key_of)):
        now = score_summary(group)
        before = score_summary(before_groups[key]) if key in before_groups else {}
        rule_label = next((r.name for r in rules if touchpoint_key(r.name, rules) == key), label_of[key])
        rows.append({
            "touchpoint": rule_label,
            "moment_of_truth": is_moment_of_truth(key, rules),
            "responses": now["responses"],
            "nps": now["nps"], "nps_before": before.get("nps"), "nps_change": _delta(now["nps"], before.get("nps")),
            "csat": now["csat"], "csat_before": before.get("csat"), "csat_change": _delta(now["csat"], before.get("csat")),
        })
    return sorted(rows, key=lambda r: (not r["moment_of_truth"], r["touchpoint"].casefold()))


def monthly_trend(db: sqlite_utils.Database, unit_id: int, last_period: str, months: int = 12) -> list[dict]:
    """Volume, NPS and CSAT per month for the ``months`` months ending with ``last_period`` (SQL-side)."""
    first = shift_period(last_period, -(months - 1))
    start, _ = period_bounds(first)
    _, end = period_bounds(last_period)
    rows = db.query("""
        SELECT substr(received_on, 1, 7) AS period, COUNT(*) AS responses,
               SUM(scale = 'nps' AND score IS NOT NULL) AS nps_n,
               SUM(scale = 'nps' AND score >= 9) AS promoters,
               SUM(scale = 'nps' AND score <= 6) AS detractors,
               AVG(CASE WHEN scale = 'csat' THEN score END) AS csat
          FROM voc_responses WHERE unit_id = ? AND received_on >= ? AND received_on < ?
         GROUP BY 1 ORDER BY 1""", [unit_id, start, end])
    return [{
        "period": row["period"],
        "responses": row["responses"],
        "nps": round(100.0 * (row["promoters"] - row["detractors"]) / row["nps_n"], 1) if row["nps_n"] else None,
        "csat": round(row["csat"], 2) if row["csat"] is not None else None,
    } for row in rows]


def engagement_trend(db: sqlite_utils.Database, unit_id: int, last_period: str, months: int = 12) -> list[dict]:
    start, _ = period_bounds(shift_period(last_period, -(months - 1)))
    _, end = period_bounds(last_period)
    return list(db.query("""
        SELECT substr(submitted_on, 1, 7) AS period, ROUND(AVG(engagement), 2) AS engagement, COUNT(engagement) AS readings
          FROM staff_inputs WHERE unit_id = ? AND submitted_on >= ? AND submitted_on < ? AND engagement IS NOT NULL
         GROUP BY 1 ORDER BY 1""", [unit_id, start, end]))


# --- themes and sections -------------------------------------------------------------------------------

def theme_counts(current_tags: pd.DataFrame, previous_tags: pd.DataFrame, themes: tuple[Theme, ...],
                 negative: pd.Series | None = None) -> list[dict]:
    """Mentions per theme now and before, most mentioned first; themes nobody mentioned are left out."""
    rows = []
    for theme in themes:
        mentions = int(current_tags[theme.name].sum()) if len(current_tags) else 0
        before = int(previous_tags[theme.name].sum()) if len(previous_tags) else 0
        if not mentions and not before:
            continue
        row = {"theme": theme.name, "section": theme.section, "mentions": mentions, "before": before,
               "change": mentions - before,
               "share": round(mentions / len(current_tags), 3) if len(current_tags) else 0.0}
        if negative is not None and len(current_tags):
            row["negative"] = int((current_tags[theme.name] & negative).sum())
        rows.append(row)
    return sorted(rows, key=lambda r: (-r["mentions"], r["theme"]))


def section_reasons(tags: pd.DataFrame, touchpoints: pd.Series, themes: tuple[Theme, ...],
                    rules: tuple[TouchpointRule, ...]) -> dict[str, pd.Series]:
    """For each section, per row: why the row concerns it ("theme: X; Y" / "touchpoint: Z"), or "" if not."""
    tp_section = {label: touchpoint_section(label, rules, themes) for label in touchpoints.dropna().unique()}
    row_tp_section = touchpoints.map(tp_section)
    reasons = {}
    for section in SECTION_KEYS:
        names = [t.name for t in themes if t.section == section]
        by_theme = pd.Series("", index=tags.index, dtype=object)
        for name in names:
            hit = tags[name]
            by_theme = by_theme.where(~hit, by_theme.where(by_theme == "", by_theme + "; ") + name)
        by_theme = by_theme.where(by_theme == "", "theme: " + by_theme)
        by_touchpoint = ("touchpoint: " + touchpoints.fillna("").astype(str)).where(row_tp_section == section, "")
        reasons[section] = by_theme.where(by_theme != "", by_touchpoint)
    return reasons


def any_reason(reasons: dict[str, pd.Series], touchpoints: pd.Series) -> pd.Series:
    """Why a row belongs in the customer section, which hears everything: its customer-section reason,
    else any theme it mentions, else its touchpoint."""
    out = reasons["customer"]
    for section in SECTION_KEYS:
        themed = reasons[section].where(reasons[section].str.startswith("theme"), "")
        out = out.where(out != "", themed)
    return out.where(out != "", "touchpoint: " + touchpoints.fillna("").astype(str))


# --- quotes ---------------------------------------------------------------------------------------------

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


def pick_quotes(voc: pd.DataFrame, reasons: pd.Series, *, negative: bool, count: int,
                rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """The most negative (or positive) narratives that concern a section: moments of truth first, no
    near-duplicates, identifiers masked, each with touchpoint, channel, date and why it is here."""
    from meeting.anonymise import mask_identifiers
    from meeting.sentiment import sentiment_scores

    has_text = voc["narrative"].fillna("").str.strip().ne("") & reasons.ne("")
    pool = voc.loc[has_text].copy()
    if pool.empty or count <= 0:
        return []
    pool["why"] = reasons[has_text]
    pool["score_norm"] = normalised_score(pool)
    ranked_by_score = pool.sort_values("score_norm", ascending=negative, na_position="last")
    if negative:
        pool = ranked_by_score[(ranked_by_score["score_norm"] < 0) | ranked_by_score["score_norm"].isna()]
    else:
        pool = ranked_by_score[(ranked_by_score["score_norm"] > 0) | ranked_by_score["score_norm"].isna()]
    pool = pool.head(QUOTE_CANDIDATES).copy()
    if pool.empty:
        return []
    pool["sentiment"] = sentiment_scores(pool["narrative"].tolist())
    # Words and score together: a 0/10 with a mild comment should still lose to a 2/10 with an angry one.
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
        })
        if len(quotes) == count:
            break
    return quotes


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


def staff_groups(staff: pd.DataFrame, tags: pd.DataFrame, themes: tuple[Theme, ...]) -> list[dict]:
    """Frontline input counted by theme and kind, challenges first (the Employees section's table)."""
    rows = []
    for theme in themes:
        hits = staff.loc[tags[theme.name]] if len(staff) else staff
        if hits.empty:
            continue
        counts = hits["kind"].value_counts()
        rows.append({"theme": theme.name, "section": theme.section, "inputs": int(len(hits)),
                     **{kind: int(counts.get(kind, 0)) for kind in STAFF_KIND_ORDER},
                     "touchpoints": ", ".join(sorted(hits["touchpoint"].dropna().unique())[:4])})
    return sorted(rows, key=lambda r: (-r["challenge"], -r["inputs"], r["theme"]))


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


def latest_period(db: sqlite_utils.Database) -> str | None:
    """The newest month with any customer response, across units."""
    row = db.execute("SELECT MAX(received_on) FROM voc_responses").fetchone()
    return row[0][:7] if row and row[0] else None


def units_overview(db: sqlite_utils.Database, months: int = 12) -> list[dict]:
    """Every unit's monthly volume, NPS and CSAT up to the newest month with data: the home page's picture."""
    last = latest_period(db)
    if last is None:
        return []
    return [{"unit": unit["name"], **row}
            for unit in db.query("SELECT id, name FROM units ORDER BY name")
            for row in monthly_trend(db, unit["id"], last, months)]
