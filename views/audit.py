"""Audit (admins only): who did what and when, newest first."""
import datetime as dt

import pandas as pd
import streamlit as st

from meeting import clock
from meeting.accounts import audit
from meeting.formatting import format_number
from views.page import database

st.title("Audit")
since = st.date_input("Since", value=clock.today() - dt.timedelta(days=30), key="audit_since")
with database() as db:
    events = audit.list_events(db, since.isoformat() if since else None)
st.caption(f"{format_number(len(events))} events: sign-ins and failed sign-ins, imports, roster changes, meeting start and close, "
           "minutes exports (anonymised or INTERNAL), user changes. The CLI: `python -m meeting audit --since DATE`.")
st.dataframe(pd.DataFrame([{"When (UTC)": e.at, "Who": e.actor, "What": e.action, "Detail": audit.describe(e.detail)}
                           for e in reversed(events)], columns=["When (UTC)", "Who", "What", "Detail"]),
             width="stretch", hide_index=True)
