"""The evidence each agenda section carries: the customers' words and the frontline's, with the figures.

Everything here is computed for one unit and one review period (YYYY-MM), compared with the period before.
Narratives and staff inputs reach a section through the editable taxonomy: a theme (keyword rule) or a
touchpoint belongs to a section, and every quote says why it is there.
"""
from __future__ import annotations

import pandas as pd

from meeting import store
from meeting.evidence.months import ensure_months, month_stats, summary_of, tally_of
from meeting.evidence.quotes import STAFF_KIND_ORDER
from meeting.evidence.scores import ScoreCounts, score_fields
from meeting.evidence.taxonomy import Theme, TouchpointRule, is_moment_of_truth, touchpoint_key, touchpoint_section
from meeting.periods import shift_period
from meeting.store import SECTION_KEYS
from meeting.store import evidence as stored


def period_bounds(period: str) -> tuple[str, str]:
    """ISO date range [first day of period, first day of next period)."""
    return f"{period}-01", f"{shift_period(period, 1)}-01"


def load_between(read, date_column: str, db: store.Database, unit_id: int, first_period: str,
                 last_period: str) -> pd.DataFrame:
    """A unit's rows (``read(db, unit_id, start, end)``) dated within [first_period, last_period], with a
    ``period`` column."""
    start, _ = period_bounds(first_period)
    _, end = period_bounds(last_period)
    frame = read(db, unit_id, start, end)
    frame["period"] = frame[date_column].str.slice(0, 7)
    return frame


def load_staff(db: store.Database, unit_id: int, first_period: str, last_period: str) -> pd.DataFrame:
    return load_between(stored.staff_inputs_between, "submitted_on", db, unit_id, first_period, last_period)


# --- summaries ----------------------------------------------------------------------------------------

def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


def compare(current: dict, previous: dict) -> dict:
    """Current figures with the previous period's and the change, key by key."""
    return {
        key: {"now": value, "before": previous.get(key), "change": _delta(value, previous.get(key))}
        for key, value in current.items()
    }


_VOLUMES = ("responses", "nps", "nps_responses", "csat", "csat_responses", "narratives")


def summary_comparison(now: ScoreCounts, before: ScoreCounts, current: dict, previous: dict) -> dict:
    """The agenda's customer summary: volumes and scores as now/before/change, and beside them the contract's
    flat uncertainty keys (``nps_n``, ``nps_low``, ``nps_high``, ``nps_base``, ``nps_change_significant``, the
    same for CSAT). ``current``/``previous``: the two months' ``score_summary``/``summary_of``."""
    fields = score_fields(now, before)
    out = compare({key: current[key] for key in _VOLUMES}, previous)
    # The change of a too-few score is no number either (score_fields says which).
    out["nps"]["change"], out["csat"]["change"] = fields["nps_change"], fields["csat_change"]
    out.update({key: fields[key] for key in ("nps_n", "nps_low", "nps_high", "nps_base", "nps_change_significant",
                                             "csat_n", "csat_low", "csat_high", "csat_base", "csat_change_significant")})
    return out


def _touchpoint_row(name: str, moment_of_truth: bool, responses: int, now: ScoreCounts,
                    before: ScoreCounts | None) -> dict:
    return {"touchpoint": name, "moment_of_truth": moment_of_truth, "responses": responses,
            **score_fields(now, before)}


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
        earlier = before_groups.get(key)
        rule_label = next((r.name for r in rules if touchpoint_key(r.name, rules) == key), label_of[key])
        rows.append(_touchpoint_row(
            rule_label, is_moment_of_truth(key, rules), int(len(group)), ScoreCounts.of(group["scale"], group["score"]),
            None if earlier is None else ScoreCounts.of(earlier["scale"], earlier["score"])))
    return sorted(rows, key=lambda r: (not r["moment_of_truth"], r["touchpoint"].casefold()))


def touchpoint_table(now: pd.DataFrame, before: pd.DataFrame, rules: tuple[TouchpointRule, ...]) -> list[dict]:
    """``by_touchpoint`` from two months' stored counts (``meeting.evidence.months.month_stats``)."""
    labels = list(dict.fromkeys([*now.sort_values("first_seen")["touchpoint"],
                                 *before.sort_values("first_seen")["touchpoint"]]))
    key_of = {label: touchpoint_key(label, rules) for label in labels}
    label_of: dict[str, str] = {}
    for label, key in key_of.items():
        label_of.setdefault(key, label)
    now_keys, before_keys = now["touchpoint"].map(key_of), before["touchpoint"].map(key_of)
    rows = []
    for key in sorted(set(now_keys)):
        current = now[now_keys == key]
        previous = before[before_keys == key]
        rule_label = next((r.name for r in rules if touchpoint_key(r.name, rules) == key), label_of[key])
        rows.append(_touchpoint_row(rule_label, is_moment_of_truth(key, rules), int(current["responses"].sum()),
                                    tally_of(current), tally_of(previous) if len(previous) else None))
    return sorted(rows, key=lambda r: (not r["moment_of_truth"], r["touchpoint"].casefold()))


def monthly_trend(db: store.Database, unit_id: int, last_period: str, months: int = 12) -> list[dict]:
    """Volume, NPS and CSAT with their intervals and bases per month (months with responses only) for the
    ``months`` months ending with ``last_period``, from each month's stored counts (built first where stale)."""
    periods = [shift_period(last_period, -back) for back in range(months - 1, -1, -1)]
    ensure_months(db, unit_id, periods)
    stats = month_stats(db, unit_id, periods)
    keys = ("responses", "nps", "nps_n", "nps_low", "nps_high", "nps_base",
            "csat", "csat_n", "csat_low", "csat_high", "csat_base")
    out = []
    for period, rows in stats.groupby("period", sort=True):
        figures = summary_of(rows)
        out.append({"period": period, **{key: figures[key] for key in keys}})
    return out


def engagement_trend(db: store.Database, unit_id: int, last_period: str, months: int = 12) -> list[dict]:
    start, _ = period_bounds(shift_period(last_period, -(months - 1)))
    _, end = period_bounds(last_period)
    return stored.engagement_by_month(db, unit_id, start, end)


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


def row_reasons(mask: int, touchpoint, themes: tuple[Theme, ...], rules: tuple[TouchpointRule, ...],
                sections_of: dict) -> dict[str, str]:
    """``section_reasons`` and ``any_reason`` (key "any") for one row from its stored theme bitmask: the same
    words, for the few hundred quote candidates of a month. ``sections_of`` caches touchpoint sections."""
    label = "" if touchpoint is None or touchpoint != touchpoint else str(touchpoint)
    if label not in sections_of:
        sections_of[label] = touchpoint_section(touchpoint, rules, themes)
    by_touchpoint = "touchpoint: " + label
    hit = [theme for i, theme in enumerate(themes) if mask >> i & 1]
    reasons = {}
    for section in SECTION_KEYS:
        names = [theme.name for theme in hit if theme.section == section]
        reasons[section] = ("theme: " + "; ".join(names) if names
                            else by_touchpoint if sections_of[label] == section else "")
    themed = next((reasons[s] for s in SECTION_KEYS if reasons[s].startswith("theme")), "")
    reasons["any"] = reasons["customer"] or themed or by_touchpoint
    return reasons


def theme_totals(now: dict[str, int], before: dict[str, int], responses: int, themes: tuple[Theme, ...]) -> list[dict]:
    """``theme_counts`` from stored mentions per theme and the month's number of responses."""
    rows = []
    for theme in themes:
        mentions, earlier = now.get(theme.name, 0), before.get(theme.name, 0)
        if not mentions and not earlier:
            continue
        rows.append({"theme": theme.name, "section": theme.section, "mentions": mentions, "before": earlier,
                     "change": mentions - earlier, "share": round(mentions / responses, 3) if responses else 0.0})
    return sorted(rows, key=lambda r: (-r["mentions"], r["theme"]))


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


def latest_period(db: store.Database) -> str | None:
    """The newest month with any customer response, across units."""
    latest = stored.latest_response_date(db)
    return latest[:7] if latest else None


def units_overview(db: store.Database, months: int = 12, unit_ids=None) -> list[dict]:
    """Every unit's monthly volume, NPS and CSAT up to the newest month with data: the home page's picture.

    ``unit_ids`` limits it to the units the reader may see (None: all).
    """
    last = latest_period(db)
    if last is None:
        return []
    return [{"unit": unit["name"], **row}
            for unit in store.list_units(db)
            if unit_ids is None or unit["id"] in unit_ids
            for row in monthly_trend(db, unit["id"], last, months)]


def latest_by_unit(overview: list[dict]) -> list[dict]:
    """Each unit's newest month of ``units_overview``."""
    latest: dict[str, dict] = {}
    for row in overview:
        if row["unit"] not in latest or row["period"] > latest[row["unit"]]["period"]:
            latest[row["unit"]] = row
    return list(latest.values())
