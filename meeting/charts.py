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


LABEL_LINE = 7.0  # one label's height in customer-score units (the y axis: 200 units over about 420 px)


def _label_positions(xs: list[float], ys: list[float], x_span: float) -> list[float]:
    """A y for each point's label: its own score, moved down a line at a time while another label sits within
    a line of it and close on x (4% of the axis), so every touchpoint stays readable."""
    placed: list[tuple[float, float]] = []
    positions = [0.0] * len(xs)
    for index in sorted(range(len(xs)), key=lambda i: (-ys[i], xs[i])):
        label_y = ys[index]
        while any(abs(xs[index] - px) < 0.04 * (x_span or 1) and abs(label_y - py) < LABEL_LINE for px, py in placed):
            label_y -= LABEL_LINE
        placed.append((xs[index], label_y))
        positions[index] = label_y
    return positions


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
    y = alt.Y("customer_score:Q", scale=alt.Scale(domain=[-100, 100]),
              axis=alt.Axis(title="Customer score (0 = poor-feedback line)", format="d"))
    colour = alt.Color("category:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=320),
                       scale=alt.Scale(domain=list(QUADRANT_COLOURS), range=list(QUADRANT_COLOURS.values())))
    tooltip = [
        alt.Tooltip("touchpoint:N", title="Touchpoint"),
        alt.Tooltip("category:N", title="Reading"),
        alt.Tooltip("metrics:N", title="Metrics (actual vs target)"),
        alt.Tooltip("attainment:Q", title="Attainment", format=".1%"),
        alt.Tooltip("customer_label:N", title="Customers"),
        alt.Tooltip("responses:Q", title="Responses", format=",d"),
        alt.Tooltip("age_months:Q", title="Months as a watermelon", format="d"),
    ]
    base = alt.Chart(frame)
    watermelon = alt.when(alt.datum.is_watermelon)
    dots = base.mark_circle(opacity=0.9, stroke="black").encode(
        x=x, y=y, color=colour, tooltip=tooltip,
        size=watermelon.then(alt.value(420)).otherwise(alt.value(140)),
        strokeWidth=watermelon.then(alt.value(2)).otherwise(alt.value(0)),
    )
    frame["label_y"] = _label_positions(frame["x"].tolist(), frame["customer_score"].tolist(), high - low)
    # Labels at their own y (same scale as the points): two touchpoints at one spot no longer print over
    # each other; the second label moves a line down.
    labels = base.mark_text(align="left", dx=14, fontSize=12).encode(
        x=x, y=alt.Y("label_y:Q", scale=alt.Scale(domain=[-100, 100]), axis=None), text="touchpoint:N")
    # The rules use the same scales as the points: a layer with a default scale would pull the shared
    # x axis back to include zero.
    target_rule = alt.Chart(pd.DataFrame({"x": [1.0], "label": ["target"]})).mark_rule(strokeDash=[4, 4]).encode(
        x=x, tooltip=alt.Tooltip("label:N", title="Line"))
    poor_rule = alt.Chart(pd.DataFrame({"customer_score": [0.0], "label": ["poor-feedback line"]})).mark_rule(
        strokeDash=[4, 4]).encode(y=y, tooltip=alt.Tooltip("label:N", title="Line"))
    # alt.layer is typed LayerChart | FacetChart (FacetChart only when given facet=): here always a LayerChart.
    return alt.layer(target_rule, poor_rule, dots, labels).properties(height=420)  # type: ignore[return-value]



# Room per category on a bar chart (a label is ~12 px tall), plus what the axis and the legend take, so every
# category keeps its label at the page's real width: Streamlit fits the whole chart, axes included, in the height.
ROW_PX = 26
AXIS_AND_LEGEND_PX = 90
MIN_HEIGHT = 180


def bar_height(categories: int, per_category: int = ROW_PX) -> int:
    """A bar chart's height in proportion to how many categories it names."""
    return max(MIN_HEIGHT, per_category * categories + AXIS_AND_LEGEND_PX)


def category_axis(label_limit: int = 260) -> alt.Axis:
    """An axis that names every category: no label dropped for overlap, long names cut only past ``label_limit`` px."""
    return alt.Axis(labelOverlap=False, labelLimit=label_limit, labelPadding=4, ticks=False)


def count_axis(title: str) -> alt.Axis:
    """Counts are whole: no "0.05" ticks on a small unit."""
    return alt.Axis(title=title, format="d", tickMinStep=1)


def nps_axis(title: str = "NPS", **kwargs) -> alt.Axis:
    """NPS in whole points, never "-33.300000"."""
    return alt.Axis(title=title, format="d", tickMinStep=1, **kwargs)


MONTH_AXIS = alt.Axis(title=None, format="%b %y", labelAngle=0, tickCount="month", grid=False)


def _months(periods: pd.Series) -> pd.Series:
    """"2026-10" -> the first of the month, so Vega-Lite draws a time axis with short month labels."""
    return pd.to_datetime(periods.astype(str) + "-01", format="%Y-%m-%d")


def trend_chart(trend: list[dict]) -> alt.LayerChart:
    """Twelve months of NPS (left axis) and CSAT (right axis) in one panel, a legend naming both, volume in the tooltip."""
    frame = pd.DataFrame([{key: row.get(key) for key in ("period", "responses", "nps", "csat", "nps_low", "nps_high")}
                          for row in trend], columns=["period", "responses", "nps", "csat", "nps_low", "nps_high"])
    frame["month"] = _months(frame["period"])
    long = frame.melt(id_vars=["period", "month", "responses", "nps_low", "nps_high"], value_vars=["nps", "csat"],
                      var_name="measure", value_name="value")
    long["measure"] = long["measure"].map({"nps": "NPS (-100..100)", "csat": "CSAT (1..5)"})
    long = long.dropna(subset=["value"])
    colour = alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=["NPS (-100..100)", "CSAT (1..5)"], range=["#1f77b4", "#ff7f0e"]))
    tooltip = [alt.Tooltip("period:N", title="Month"), alt.Tooltip("measure:N", title="Measure"),
               alt.Tooltip("value:Q", title="Value", format=".1f"), alt.Tooltip("nps_low:Q", title="NPS from", format=".0f"),
               alt.Tooltip("nps_high:Q", title="NPS to", format=".0f"),
               alt.Tooltip("responses:Q", title="Responses", format=",d")]
    base = alt.Chart(long).mark_line(point=True).encode(x=alt.X("month:T", axis=MONTH_AXIS), color=colour, tooltip=tooltip)
    only_nps = alt.datum.measure == "NPS (-100..100)"
    nps_line = base.transform_filter(only_nps).encode(
        y=alt.Y("value:Q", axis=nps_axis("NPS", titleColor="#1f77b4"), scale=alt.Scale(zero=False)))
    # Each month's NPS with its 95% interval: a month on a small base shows as the long bar it is.
    nps_bars = alt.Chart(long).mark_errorbar(ticks=True, color="#1f77b4", opacity=0.5).transform_filter(
        only_nps).transform_filter("isValid(datum.nps_low)").encode(
        x=alt.X("month:T", axis=MONTH_AXIS), y=alt.Y("nps_low:Q", title="NPS"), y2="nps_high:Q", tooltip=tooltip)
    csat = base.transform_filter(alt.datum.measure == "CSAT (1..5)").encode(
        y=alt.Y("value:Q", axis=alt.Axis(title="CSAT", format=".1f", orient="right", titleColor="#ff7f0e"),
                scale=alt.Scale(zero=False)))
    return alt.layer(alt.layer(nps_line, nps_bars), csat).resolve_scale(y="independent").properties(height=300)


def touchpoint_chart(rows: list[dict]) -> alt.LayerChart:
    """NPS by touchpoint (CSAT where a touchpoint has no NPS) with its 95% interval as an error bar, moments of
    truth marked, low bases marked, every touchpoint named; too-few scores are not drawn."""
    columns = ["touchpoint", "moment_of_truth", "responses", "nps", "nps_low", "nps_high", "nps_n", "nps_base",
               "nps_change", "csat", "csat_low", "csat_high", "csat_n", "csat_base", "csat_change"]
    frame = pd.DataFrame([{key: row.get(key) for key in columns} for row in rows], columns=columns)
    for column in ("nps", "nps_low", "nps_high", "csat", "csat_low", "csat_high"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    has_nps = frame["nps"].notna()
    for out, nps_column, csat_column in (("score", "nps", "csat"), ("low", "nps_low", "csat_low"),
                                         ("high", "nps_high", "csat_high")):
        frame[out] = frame[nps_column].where(has_nps, (frame[csat_column] - 3) * 50)
    frame["scale"] = has_nps.map({True: "NPS", False: "CSAT mapped to -100..100"})
    frame["base"] = frame["nps_base"].where(has_nps, frame["csat_base"]).map(
        {"ok": "30 or more responses", "low": "low base (5-29)"})
    frame["moment"] = frame["moment_of_truth"].map({True: "moment of truth", False: "other"})
    frame = frame.dropna(subset=["score"])
    y = alt.Y("touchpoint:N", sort=alt.EncodingSortField("score", order="ascending"), title=None, axis=category_axis(220))
    x_scale = alt.Scale(domain=[-100, 100])
    tooltip = [alt.Tooltip("touchpoint:N", title="Touchpoint"), alt.Tooltip("moment:N", title="Kind"),
               alt.Tooltip("responses:Q", title="Responses", format=",d"), alt.Tooltip("base:N", title="Base"),
               alt.Tooltip("nps:Q", title="NPS", format=".0f"), alt.Tooltip("nps_low:Q", title="NPS from", format=".0f"),
               alt.Tooltip("nps_high:Q", title="NPS to", format=".0f"),
               alt.Tooltip("nps_change:Q", title="NPS change", format="+.0f"), alt.Tooltip("csat:Q", title="CSAT", format=".1f"),
               alt.Tooltip("csat_change:Q", title="CSAT change", format="+.1f"), alt.Tooltip("scale:N", title="Scale")]
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("score:Q", axis=nps_axis("NPS with its 95% interval (CSAT mapped where there is no NPS)"), scale=x_scale),
        y=y,
        color=alt.condition("datum.score < 0", alt.value("#c0392b"), alt.value("#27ae60")),
        opacity=alt.Opacity("base:N", scale=alt.Scale(domain=["30 or more responses", "low base (5-29)"], range=[1.0, 0.4]),
                            legend=alt.Legend(title=None, orient="bottom")),
        tooltip=tooltip,
    )
    whiskers = alt.Chart(frame).mark_errorbar(ticks=True, color="#333333").encode(
        x=alt.X("low:Q", scale=x_scale, title=None), x2="high:Q", y=y, tooltip=tooltip)
    # alt.layer is typed LayerChart | FacetChart (FacetChart only when given facet=): here always a LayerChart.
    return alt.layer(bars, whiskers).properties(height=bar_height(len(frame)))  # type: ignore[return-value]


def themes_chart(rows: list[dict], top: int = 8) -> alt.Chart:
    """Mentions per theme now and last month, every theme named."""
    frame = pd.DataFrame(rows[:top], columns=["theme", "section", "mentions", "before"])
    long = frame.melt(id_vars=["theme", "section"], value_vars=["mentions", "before"], var_name="when", value_name="count")
    long["when"] = long["when"].map({"mentions": "this month", "before": "last month"})
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("count:Q", axis=count_axis("Mentions")),
        y=alt.Y("theme:N", sort=list(frame["theme"]), title=None, axis=category_axis(260)),
        yOffset=alt.YOffset("when:N", sort=["this month", "last month"]),
        color=alt.Color("when:N", sort=["this month", "last month"], legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("theme:N", title="Theme"), alt.Tooltip("section:N", title="Section"),
                 alt.Tooltip("when:N", title="When"), alt.Tooltip("count:Q", title="Mentions", format=",d")],
    ).properties(height=bar_height(len(frame), per_category=2 * ROW_PX))


def finance_chart(lines: list[dict]) -> alt.Chart:
    """Actual against budget per line, every line named, amounts with thousands separators."""
    frame = pd.DataFrame(lines, columns=["line", "actual", "budget", "variance", "variance_pct"])
    long = frame.melt(id_vars=["line", "variance", "variance_pct"], value_vars=["actual", "budget"], var_name="kind", value_name="amount")
    long["kind"] = long["kind"].map({"actual": "Actual", "budget": "Budget"})
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("amount:Q", axis=alt.Axis(title=None, format=",.0f")),
        y=alt.Y("line:N", title=None, sort=list(frame["line"]), axis=category_axis(220)),
        yOffset=alt.YOffset("kind:N", sort=["Actual", "Budget"]),
        color=alt.Color("kind:N", sort=["Actual", "Budget"], legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("kind:N", title="Figure"),
                 alt.Tooltip("amount:Q", title="Amount", format=",.0f"), alt.Tooltip("variance:Q", title="Variance", format="+,.0f"),
                 alt.Tooltip("variance_pct:Q", title="Variance %", format="+.1f")],
    ).properties(height=bar_height(len(frame), per_category=2 * ROW_PX))


def engagement_chart(trend: list[dict]) -> alt.Chart:
    """The frontline's engagement month by month."""
    frame = pd.DataFrame(trend, columns=["period", "engagement", "readings"])
    frame["month"] = _months(frame["period"])
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("month:T", axis=MONTH_AXIS),
        y=alt.Y("engagement:Q", title="Engagement", scale=alt.Scale(zero=False), axis=alt.Axis(format=".1f")),
        tooltip=[alt.Tooltip("period:N", title="Month"), alt.Tooltip("engagement:Q", title="Engagement", format=".1f"),
                 alt.Tooltip("readings:Q", title="Readings", format=",d")],
    ).properties(height=220)


def units_chart(rows: list[dict]) -> alt.Chart:
    """NPS per unit per month, one line each, named in the legend: which country's customers are drifting.
    A month on a low base is a hollow point; the tooltip gives each month's 95% interval."""
    columns = ["unit", "period", "responses", "nps", "csat", "nps_low", "nps_high", "nps_base"]
    frame = pd.DataFrame([{key: row.get(key) for key in columns} for row in rows], columns=columns)
    frame["month"] = _months(frame["period"])
    frame["base"] = frame["nps_base"].map({"ok": "30 or more responses", "low": "low base (5-29)"})
    return alt.Chart(frame.dropna(subset=["nps"])).mark_line(point=alt.OverlayMarkDef(size=50)).encode(
        x=alt.X("month:T", axis=MONTH_AXIS),
        y=alt.Y("nps:Q", axis=nps_axis(), scale=alt.Scale(zero=False)),
        color=alt.Color("unit:N", legend=alt.Legend(title=None, orient="right", labelLimit=240)),
        tooltip=[alt.Tooltip("unit:N", title="Unit"), alt.Tooltip("period:N", title="Month"),
                 alt.Tooltip("nps:Q", title="NPS", format=".0f"), alt.Tooltip("nps_low:Q", title="NPS from", format=".0f"),
                 alt.Tooltip("nps_high:Q", title="NPS to", format=".0f"), alt.Tooltip("base:N", title="Base"),
                 alt.Tooltip("csat:Q", title="CSAT", format=".1f"),
                 alt.Tooltip("responses:Q", title="Responses", format=",d")],
    ).properties(height=340)


def balance_chart(rows: pd.DataFrame) -> alt.Chart:
    """Minutes per section for each meeting, stacked in agenda order (customer at the bottom), planned and,
    where recorded, spent side by side. ``rows``: ``meeting.agenda.balance.meeting_balance(...).rows``."""
    frame = pd.DataFrame(rows).copy()
    long = frame.melt(id_vars=["held_on", "section_title", "order"], value_vars=["planned", "spent"],
                      var_name="measure", value_name="minutes").dropna(subset=["minutes"])
    titles = list(dict.fromkeys(frame.sort_values("order")["section_title"])) if len(frame) else []
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("held_on:O", title="Meeting"),
        xOffset=alt.XOffset("measure:N", sort=["planned", "spent"]),
        y=alt.Y("minutes:Q", title="Minutes", stack="zero"),
        color=alt.Color("section_title:N", title="Section", sort=titles, legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        opacity=alt.Opacity("measure:N", title=None, sort=["planned", "spent"], scale=alt.Scale(range=[0.55, 1.0])),
        tooltip=[alt.Tooltip("held_on:O", title="Meeting"), alt.Tooltip("section_title:N", title="Section"),
                 alt.Tooltip("measure:N", title="Minutes"), alt.Tooltip("minutes:Q", title="Minutes", format=".0f")],
    ).properties(height=300)
