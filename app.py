"""Outside In: the router. Decides which pages a visitor may see and draws the shared sidebar once."""
import streamlit as st

from meeting import meetings, store

st.set_page_config(page_title="Outside In", page_icon=":material/groups:", layout="wide")


def sidebar_picker() -> None:
    """Unit and meeting chosen once, here, for every GM page (pages read st.session_state)."""
    db = store.open_db()
    try:
        units = store.list_units(db)
        if not units:
            st.sidebar.info("No data yet: import some on the Import page, or run `python -m meeting init --demo`.")
            return
        unit_ids = [u["id"] for u in units]
        names = {u["id"]: u["name"] for u in units}
        if st.session_state.get("unit_id") not in unit_ids:
            st.session_state["unit_id"] = unit_ids[0]
        unit_id = st.sidebar.selectbox("Unit", unit_ids, format_func=names.get, key="unit_id")
        rows = meetings.list_meetings(db, unit_id)
        labels = {r["id"]: f"{r['held_on']} · {r['title']} ({r['status']})" for r in rows}
        if st.session_state.get("meeting_id") not in labels:
            st.session_state["meeting_id"] = rows[0]["id"] if rows else None
        if rows:
            st.sidebar.selectbox("Meeting", list(labels), format_func=labels.get, key="meeting_id")
        else:
            st.sidebar.caption("No meeting for this unit yet: create one on the Prepare page.")
    finally:
        db.close()


gm_pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/prepare.py", title="Prepare", icon=":material/checklist:"),
    st.Page("pages/insights.py", title="Insights", icon=":material/insights:"),
]

page = st.navigation(gm_pages)
sidebar_picker()
page.run()
