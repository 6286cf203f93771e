"""Altair charts built by pure functions (DataFrame in, chart out), so they can be tested without a browser.

Others may add chart functions here; pages only render what these return.
"""
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
