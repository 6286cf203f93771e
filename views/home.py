"""Landing page: what is in the database and where to go next."""
import streamlit as st

from meeting import store

st.title("Outside In")
st.write(
    "Leadership meetings that start with the customer: **customer → employees → operations → marketing → "
    "sales → finance**, with the customers' own words and the frontline's in every section."
)
db = store.open_db()
try:
    counts = {table: db[table].count for table in ("units", "voc_responses", "staff_inputs", "metrics", "meetings")}
finally:
    db.close()
labels = {"units": "Units", "voc_responses": "Customer responses", "staff_inputs": "Frontline inputs",
          "metrics": "Metric readings", "meetings": "Meetings"}
for column, (table, count) in zip(st.columns(len(counts)), counts.items()):
    column.metric(labels[table], f"{count:,}")
