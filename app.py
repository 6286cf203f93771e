"""Outside In: the router. Decides which pages a visitor may see and draws the shared sidebar once."""
import time

import streamlit as st

from meeting import auth, live, store
from meeting.store import meetings

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
    st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("views/run.py", title="Run", icon=":material/play_circle:"),
    st.Page("views/prepare.py", title="Prepare", icon=":material/checklist:"),
    st.Page("views/insights.py", title="Insights", icon=":material/insights:"),
    st.Page("views/import_data.py", title="Import", icon=":material/upload:"),
    st.Page("views/minutes.py", title="Minutes", icon=":material/description:"),
    st.Page("views/actions.py", title="Actions", icon=":material/task_alt:"),
    st.Page("views/taxonomy.py", title="Taxonomy", icon=":material/category:"),
]


# --- the gate: every page but Join needs the GM passcode ----------------------------------------------------

def is_gm() -> bool:
    return st.session_state.get("gm_authenticated") is True


def _sign_in() -> None:
    """Check the passcode from the form; wrong ones are slowed down like wrong join codes."""
    state = st.session_state
    attempts = state.setdefault("passcode_attempts", live.new_attempts())
    wait = live.attempt_wait(attempts, time.time())
    if wait > 0:
        state["login_error"] = f"Too many wrong passcodes. Please wait {wait:.0f} s."
        return
    db = store.open_db()
    try:
        accepted = auth.check_passcode(db, state.get("passcode", ""), auth.configured_passcode())
    finally:
        db.close()
    state["passcode"] = ""  # never kept in the session
    if accepted:
        live.record_success(attempts)
        state["gm_authenticated"] = True
        state.pop("login_error", None)
    else:
        live.record_failure(attempts, time.time())
        state["login_error"] = "That passcode is not right."


def sign_in_page() -> None:
    st.title("Outside In")
    configured = auth.configured_passcode()
    db = store.open_db()
    try:
        generated = auth.ensure_passcode(db, configured)
    finally:
        db.close()
    if generated:  # first start without OUTSIDE_IN_PASSCODE: the terminal shows it, once, like Jupyter's token
        print(auth.passcode_banner(generated), flush=True)
    if error := st.session_state.pop("login_error", None):
        st.error(error)
    with st.form("sign_in"):
        st.text_input("GM passcode", type="password", key="passcode")
        st.form_submit_button("Sign in", key="sign_in_submit", type="primary", on_click=_sign_in)
    st.caption("The passcode is OUTSIDE_IN_PASSCODE (environment or .streamlit/secrets.toml); if none is set, "
               "the app printed one in the terminal where it was started. Invited customers do not need it: "
               "they use the join link or code shown in the room.")


def _sign_out() -> None:
    st.session_state["gm_authenticated"] = False


# Customers see Join (and the sign-in form) and nothing else: no other page is even in their navigation, so
# typing another page's URL lands on the sign-in form. The GM keeps Join hidden, to check what customers see.
gm = is_gm()
join_page = st.Page("views/join.py", title="Join", icon=":material/login:", url_path="join",
                    visibility="hidden" if gm else "visible")
if gm:
    page = st.navigation(gm_pages + [join_page])
    if page.url_path != join_page.url_path:
        sidebar_picker()
        st.sidebar.button("Sign out", key="sign_out", icon=":material/logout:", on_click=_sign_out)
else:
    page = st.navigation([st.Page(sign_in_page, title="Sign in", url_path="sign-in", default=True), join_page],
                         position="hidden")
page.run()
