"""Insights: green metrics that the customers of the same touchpoint disagree with (watermelons) first,
then where every touchpoint sits between its measures and its customers."""
import pandas as pd
import streamlit as st

from meeting import charts, evidence
from meeting.config import BASE_TOO_FEW_BELOW
from meeting.evidence import watermelons
from meeting.formatting import format_number, format_score_with_interval
from meeting.text import escape_for_streamlit
from views.page import chosen_unit, database
from views.page import db_path as page_db_path


@st.cache_data(ttl=600, max_entries=32, show_spinner="Comparing the metrics with what customers said…")
def cached_detection(db_path: str, unit_id: int, period: str, version: tuple) -> dict:
    """Keyed on the data's fingerprint (``version``), so reruns reuse it and an import refreshes it."""
    with database(db_path) as db:
        return watermelons.detect_for_unit(db, unit_id, period)


def page_context(unit_id: int, meeting_id: int | None) -> tuple[list[str], str | None, tuple]:
    """Months with metrics, the month to show by default, and the data's fingerprint."""
    with database() as db:
        periods, default = watermelons.periods_to_review(db, unit_id, meeting_id)
        return periods, default, evidence.data_version(db)


def customer_figure(flag: dict) -> tuple[str, str]:
    if flag["nps"] is not None:
        return "Customers (NPS)", format_score_with_interval(flag, "nps")
    if flag["csat"] is not None:
        return "Customers (CSAT of 5)", format_score_with_interval(flag, "csat")
    return "Negative comments", f"{flag['negative_share']:.0%}"


def show_flag(flag: dict) -> None:
    with st.container(border=True):
        months = "month" if flag["age_months"] == 1 else "months"
        st.markdown(f"**{escape_for_streamlit(flag['touchpoint'])}** · {escape_for_streamlit(flag['metric'])} "
                    f":red-badge[:material/warning: watermelon for {flag['age_months']} {months}] "
                    f":orange-badge[severity {format_number(flag.get('severity', 0))}]"
                    + (" :violet-badge[moment of truth]" if flag.get("moment_of_truth") else ""))
        st.text(flag["reading"])
        metric_col, customer_col, share_col, n_col = st.columns(4)
        better = "at most" if flag["direction"] == "lower" else "at least"
        metric_col.metric("Metric (green)", format_number(flag["actual"]),
                          help=f"Target: {better} {format_number(flag['target'])}")
        label, value = customer_figure(flag)
        customer_col.metric(label, value)
        if flag["detractor_share"] is not None:
            share_col.metric("Detractors (0-6)" if flag["nps"] is not None else "Scores of 1-2",
                             f"{flag['detractor_share']:.0%}")
        n_col.metric("Responses", f"{format_number(flag['responses'])}")
        if flag["quotes"]:
            st.caption("The most negative comments this month (identifiers masked)")
            for quote in flag["quotes"]:
                where = ", ".join(part for part in (quote["received_on"], quote["channel"]) if part)
                st.text(f"“{quote['text']}” ({where})")


st.title("Insights")
st.caption("Watermelons: metrics that are green on the outside while the customers of the same touchpoint, "
           "in the same month, say the experience is poor.")

unit_id = chosen_unit()

db_path = page_db_path()
periods, default_period, version = page_context(unit_id, st.session_state.get("meeting_id"))
if not periods:
    st.info("This unit has no metrics yet, so there is nothing to compare with the customers' feedback. "
            "Import metrics (period, touchpoint, name, target, actual, direction) on the Import page.")
    st.stop()

# Follow the sidebar: a new unit or meeting brings its own review month; otherwise keep the user's choice.
context = (unit_id, st.session_state.get("meeting_id"))
if st.session_state.get("insights_context") != context or st.session_state.get("insights_period") not in periods:
    st.session_state["insights_context"] = context
    st.session_state["insights_period"] = default_period
period = st.selectbox("Month", periods, key="insights_period",
                      help="Defaults to the month the selected meeting reviews, else the latest month with metrics.")

result = cached_detection(db_path, unit_id, period, version)
if result["statuses"].empty:
    st.info(f"No metrics for {period}: pick another month, or import this month's metrics.")
    st.stop()

flags = result["watermelons"]
st.subheader(f"Watermelons in {period}: {len(flags)}")
if flags:
    st.caption("Most severe first: severity = responses x how far the customers are below the poor-feedback line, "
               "doubled for moments of truth (see the README).")
if flags:
    for flag in flags:
        show_flag(flag)
else:
    st.success("No watermelons: every green metric with enough responses agrees with its customers.")

st.subheader("Measures against customers")
st.caption("One point per touchpoint. Right of the dashed line: the metric meets its target; below the other: "
           "customers' feedback is poor. Watermelons sit bottom right. Hover for the evidence.")
st.altair_chart(charts.quadrant_chart(result["points"]), width="stretch")

st.subheader("On watch")
if result["watch"]:
    st.caption("Green metrics whose customers' score reaches across the poor line: its 95% interval holds both, "
               "so more responses are needed before calling it a watermelon.")
    watch = pd.DataFrame(result["watch"])
    watch["customers"] = ["; ".join(f"{scale.upper()} {format_score_with_interval(item, scale)}"
                                    for scale in ("nps", "csat") if item[f"{scale}_n"]) for item in result["watch"]]
    st.dataframe(watch[["touchpoint", "metric", "actual", "target", "customers"]], hide_index=True, key="insights_watch",
                 column_config={"touchpoint": "Touchpoint", "metric": "Metric", "actual": "Actual", "target": "Target",
                                "customers": "Customers (95% interval, n)"})
else:
    st.caption("None this month: every judged green metric is clearly on one side of the poor line.")

st.subheader("Too few responses to judge")
if result["too_few"]:
    too_few = pd.DataFrame(result["too_few"])
    too_few["metrics"] = too_few["metrics"].str.join("; ")
    st.dataframe(too_few[["touchpoint", "responses", "metrics"]], hide_index=True,
                 column_config={"touchpoint": "Touchpoint", "responses": "Responses", "metrics": "Green metrics"})
    st.caption(f"Green metrics on touchpoints with fewer than {BASE_TOO_FEW_BELOW} scored responses (or "
               f"{result['thresholds']['min_responses']} comments where there is no score) this month: no flag either way.")
else:
    st.caption("Every touchpoint with a green metric had enough responses.")

st.subheader("Red metrics whose customers are not unhappy")
if result["reverse"]:
    st.caption("For information: a missed target customers do not seem to feel. Worth asking whether it measures "
               "what matters to them.")
    reverse = pd.DataFrame(result["reverse"])
    st.dataframe(reverse[["touchpoint", "metric", "actual", "target", "direction", "responses", "nps", "csat"]],
                 hide_index=True, column_config={"touchpoint": "Touchpoint", "metric": "Metric", "actual": "Actual",
                                                 "target": "Target", "direction": "Better when", "responses": "Responses",
                                                 "nps": "NPS", "csat": "CSAT"})
else:
    st.caption("None this month.")

with st.expander(f"Every metric in {period}"):
    st.dataframe(result["statuses"][["touchpoint", "metric", "actual", "target", "direction", "status",
                                     "attainment", "responses"]], hide_index=True,
                 column_config={"touchpoint": "Touchpoint", "metric": "Metric", "actual": "Actual", "target": "Target",
                                "direction": "Better when", "status": "Status", "responses": "Responses",
                                "attainment": st.column_config.NumberColumn("Attainment", format="percent")})
