"""Landing page: what is in the database, how each unit's customers are doing, and where to go next."""
import streamlit as st

from meeting import charts, evidence, store
from meeting.agenda.balance import customer_share, meeting_balance
from meeting.evidence import latest_by_unit
from meeting.formatting import as_records, format_number, format_score_with_interval
from views.page import allowed_unit_ids, database

st.title("Outside In")
st.write(
    "Leadership meetings that start with the customer: **customer → employees → operations → marketing → "
    "sales → finance**, with the customers' own words and the frontline's in every section."
)
unit_id = st.session_state.get("unit_id")
with database() as db:
    mine = allowed_unit_ids()  # only the signed-in user's units, read once per run
    counts = store.units.row_counts(db, unit_ids=mine)
    overview = evidence.units_overview(db, unit_ids=mine)
    balance = meeting_balance(db, unit_id) if unit_id is not None else None
for column, (label, count) in zip(st.columns(len(counts)), counts.items()):
    column.metric(label, f"{format_number(count)}")

if overview:
    st.subheader("Customers, unit by unit")
    st.altair_chart(charts.units_chart(overview), width="stretch")
    latest = latest_by_unit(overview)
    st.dataframe(as_records(["Unit", "Month", "NPS (95% interval)", "CSAT (95% interval)"],
                            [[row["unit"], row["period"], format_score_with_interval(row, "nps"),
                              format_score_with_interval(row, "csat")] for row in latest]),
                 hide_index=True, key="home_latest_scores")
    st.caption("Each unit's latest month. \u201clow base\u201d: fewer than 30 responses, read with care; fewer than 5 "
               "are not scored.")

if balance is not None and not balance.rows.empty:
    st.subheader("Is the meeting customer-first?")
    st.altair_chart(charts.balance_chart(balance.rows), width="stretch")
    share = customer_share(balance)
    latest = share.iloc[-1]
    st.caption(f"Minutes per section, this unit's last {len(share)} meeting(s), customer first. The customer section "
               f"had {latest['planned_share']:.0%} of the planned time at the latest meeting."
               if latest["planned_share"] == latest["planned_share"] else "No agenda time planned yet.")
    if not balance.spent_recorded:
        st.caption("Planned minutes only: time actually spent per section is not recorded yet.")

st.subheader("A month with Outside In")
st.markdown(
    "1. **Import** the month's survey export, frontline input, metrics, plans and finance.\n"
    "2. **Prepare** the meeting: invite a customer and a frontline colleague; read each section's evidence.\n"
    "3. **Insights**: check the watermelons, green metrics whose customers say otherwise.\n"
    "4. **Run** it live: the invited customer joins from their phone with the code on screen.\n"
    "5. **Minutes**: review what the Chatham House Rule replaces, then export and circulate."
)
