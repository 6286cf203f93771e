"""Every Altair chart the app draws, built by pure functions (rows in, chart out), so they can be tested
without a browser; pages only render what these return."""
from __future__ import annotations

import altair as alt
import pandas as pd

# Watermelons must jump out; the rest recedes. Same order in the legend as in this dict.
QUADRANT_COLOURS = {
    "watermelon": "#d62728",
    "red metric, customers not unhappy": "#ff9f1c",
    "metric and customers agree": "#4c78a8",
    "too few responses": "#b0b0b0",
}
X_CLIP = (0.0, 2.0)  # attainment shown between 0% and 200% of target; the tooltip keeps the true figure


def quadrant_chart(points: pd.DataFrame) -> alt.LayerChart:
    """Metric attainment vs target (x) against customer score (y), one point per touchpoint.

    ``points`` is ``detect_watermelons(...)["points"]``. Top right: measures and customers agree it is
    good; bottom right: watermelons (green metric, poor feedback); bottom left: both say poor; top left:
    a missed target customers do not seem to mind. Touchpoints without any customer score cannot be placed
    and are left out (the page lists them as "too few responses to judge").
    """
    columns = ["touchpoint", "attainment", "customer_score", "customer_label", "responses", "category",
               "metrics", "age_months", "is_watermelon"]
    frame = pd.DataFrame(points, columns=columns).dropna(subset=["attainment", "customer_score"]).copy()
    frame["x"] = frame["attainment"].astype("float64").clip(*X_CLIP)
    frame["is_watermelon"] = frame["is_watermelon"].astype(bool)

    # Zoom on the data (most metrics sit within a few % of target) but always show the target line.
    low = max(X_CLIP[0], min(frame["x"].min(), 0.9) - 0.05) if len(frame) else X_CLIP[0]
    high = min(X_CLIP[1], max(frame["x"].max(), 1.1) + 0.05) if len(frame) else X_CLIP[1]
    x = alt.X("x:Q", title="Metric attainment vs target (100% = on target)",
              scale=alt.Scale(domain=[round(low, 2), round(high, 2)], zero=False), axis=alt.Axis(format=".0%"))
    y = alt.Y("customer_score:Q", title="Customer score (0 = poor-feedback line)", scale=alt.Scale(domain=[-100, 100]))
    colour = alt.Color("category:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=320),
                       scale=alt.Scale(domain=list(QUADRANT_COLOURS), range=list(QUADRANT_COLOURS.values())))
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("category:N", title="Reading"),
        alt.Tooltip("metrics:N", title="Metrics (actual vs target)"),
        alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
        alt.Tooltip("customer_label:N", title="Customers"),
        alt.Tooltip("responses:Q", title="Responses"),
        alt.Tooltip("age_months:Q", title="Months as a watermelon"),
    ]
    base = alt.Chart(frame)
    watermelon = alt.when(alt.datum.is_watermelon)
    dots = base.mark_circle(opacity=0.9, stroke="black").encode(
        x=x, y=y, color=colour, tooltip=tooltip,
        size=watermelon.then(alt.value(420)).otherwise(alt.value(140)),
        strokeWidth=watermelon.then(alt.value(2)).otherwise(alt.value(0)),
    )
    labels = base.mark_text(align="left", dx=14, fontSize=12).encode(x=x, y=y, text="touchpoint:N")
    # The rules use the same scales as the points: a layer with a default scale would pull the shared
    # x axis back to include zero.
    target_rule = alt.Chart(pd.DataFrame({"x": [1.0], "label": ["target"]})).mark_rule(strokeDash=[4, 4]).encode(
        x=x, tooltip=alt.Tooltip("label:N", title="Line"))
    poor_rule = alt.Chart(pd.DataFrame({"customer_score": [0.0], "label": ["poor-feedback line"]})).mark_rule(
        strokeDash=[4, 4]).encode(y=y, tooltip=alt.Tooltip("label:N", title="Line"))
    return alt.layer(target_rule, poor_rule, dots, labels).properties(height=420)



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
