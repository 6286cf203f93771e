"""Altair charts for the agenda's evidence: pure functions from plain rows to ``alt.Chart``."""
from __future__ import annotations

import altair as alt
import pandas as pd


def trend_chart(trend: list[dict]) -> alt.Chart:
    """Twelve months of NPS and CSAT, one panel each, volume in the tooltip."""
    frame = pd.DataFrame(trend, columns=["period", "responses", "nps", "csat"])
    long = frame.melt(id_vars=["period", "responses"], value_vars=["nps", "csat"], var_name="measure", value_name="value")
    long["measure"] = long["measure"].map({"nps": "NPS (-100..100)", "csat": "CSAT (1..5)"})
    return alt.Chart(long.dropna(subset=["value"])).mark_line(point=True).encode(
        x=alt.X("period:O", title="Month"),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
        color=alt.Color("measure:N", legend=None),
        tooltip=["period", "measure", "value", "responses"],
    ).properties(height=160).facet(row=alt.Row("measure:N", title=None)).resolve_scale(y="independent")


def touchpoint_chart(rows: list[dict]) -> alt.Chart:
    """NPS by touchpoint (CSAT where a touchpoint has no NPS), moments of truth marked."""
    frame = pd.DataFrame(rows, columns=["touchpoint", "moment_of_truth", "responses", "nps", "nps_change", "csat", "csat_change"])
    frame["score"] = frame["nps"].where(frame["nps"].notna(), (frame["csat"] - 3) * 50)
    frame["scale"] = frame["nps"].notna().map({True: "NPS", False: "CSAT mapped to -100..100"})
    frame["moment"] = frame["moment_of_truth"].map({True: "moment of truth", False: "other"})
    return alt.Chart(frame.dropna(subset=["score"])).mark_bar().encode(
        x=alt.X("score:Q", title="NPS", scale=alt.Scale(domain=[-100, 100])),
        y=alt.Y("touchpoint:N", sort="x", title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.condition("datum.score < 0", alt.value("#c0392b"), alt.value("#27ae60")),
        opacity=alt.Opacity("moment:N", scale=alt.Scale(domain=["moment of truth", "other"], range=[1.0, 0.55]),
                            legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["touchpoint", "moment", "responses", "nps", "nps_change", "csat", "csat_change", "scale"],
    ).properties(height=max(160, 30 * len(frame)))


def themes_chart(rows: list[dict], top: int = 8) -> alt.Chart:
    """Mentions per theme now and last month."""
    frame = pd.DataFrame(rows[:top], columns=["theme", "section", "mentions", "before"])
    long = frame.melt(id_vars=["theme", "section"], value_vars=["mentions", "before"], var_name="when", value_name="count")
    long["when"] = long["when"].map({"mentions": "this month", "before": "last month"})
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("count:Q", title="Mentions"),
        y=alt.Y("theme:N", sort=list(frame["theme"]), title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("when:N", sort=["this month", "last month"]),
        color=alt.Color("when:N", sort=["this month", "last month"], legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["theme", "section", "when", "count"],
    ).properties(height=max(160, 46 * len(frame)))


def finance_chart(lines: list[dict]) -> alt.Chart:
    """Actual against budget per line."""
    frame = pd.DataFrame(lines, columns=["line", "actual", "budget", "variance", "variance_pct"])
    long = frame.melt(id_vars=["line", "variance", "variance_pct"], value_vars=["actual", "budget"], var_name="kind", value_name="amount")
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("amount:Q", title=None),
        y=alt.Y("line:N", title=None, sort=list(frame["line"])),
        yOffset="kind:N",
        color=alt.Color("kind:N", legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["line", "kind", "amount", "variance", "variance_pct"],
    ).properties(height=max(120, 40 * len(frame)))


def engagement_chart(trend: list[dict]) -> alt.Chart:
    frame = pd.DataFrame(trend, columns=["period", "engagement", "readings"])
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("period:O", title="Month"), y=alt.Y("engagement:Q", scale=alt.Scale(zero=False)),
        tooltip=["period", "engagement", "readings"],
    ).properties(height=160)


def units_chart(rows: list[dict]) -> alt.Chart:
    """NPS per unit per month, one line each: which country's customers are drifting."""
    frame = pd.DataFrame(rows, columns=["unit", "period", "responses", "nps", "csat"])
    return alt.Chart(frame.dropna(subset=["nps"])).mark_line(point=True).encode(
        x=alt.X("period:O", title="Month"),
        y=alt.Y("nps:Q", title="NPS", scale=alt.Scale(zero=False)),
        color=alt.Color("unit:N", legend=alt.Legend(title=None, orient="bottom")),
        tooltip=["unit", "period", "nps", "csat", "responses"],
    ).properties(height=260)
