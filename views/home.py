"""Landing page: what is in the database, how each unit's customers are doing, and where to go next."""
import streamlit as st

from meeting import charts, evidence, store
from views.page import database

st.title("Outside In")
st.write(
    "Leadership meetings that start with the customer: **customer → employees → operations → marketing → "
    "sales → finance**, with the customers' own words and the frontline's in every section."
)
with database() as db:
    counts = store.units.row_counts(db)
    overview = evidence.units_overview(db)
for column, (label, count) in zip(st.columns(len(counts)), counts.items()):
    column.metric(label, f"{count:,}")

if overview:
    st.subheader("Customers, unit by unit")
    st.altair_chart(charts.units_chart(overview), width="stretch")

st.subheader("A month with Outside In")
st.markdown(
    "1. **Import** the month's survey export, frontline input, metrics, plans and finance.\n"
    "2. **Prepare** the meeting: invite a customer and a frontline colleague; read each section's evidence.\n"
    "3. **Insights**: check the watermelons, green metrics whose customers say otherwise.\n"
    "4. **Run** it live: the invited customer joins from their phone with the code on screen.\n"
    "5. **Minutes**: review what the Chatham House Rule replaces, then export and circulate."
)
