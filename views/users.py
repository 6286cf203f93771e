"""Users (admins only): who may sign in, with which role and units. The rules are meeting.accounts'."""
import pandas as pd
import streamlit as st

from meeting import accounts
from views.page import act, current_user, database, show_messages

ROLE_HELP = {"admin": "everything: every unit, users, audit, settings",
             "gm": "their units: prepare, run, import, minutes (INTERNAL too)",
             "viewer": "their units: anonymised minutes and pre-reads only"}


def _add() -> None:
    state = st.session_state
    password = state.get("new_user_password") or None
    generated = act(accounts.add_user, state.get("new_user_email", ""), state.get("new_user_role"),
                    state.get("new_user_units") or [], password, actor=current_user(), where="add_user")
    state["new_user_password"] = ""  # never kept in the session
    if generated:
        state["new_user_done"] = (state["new_user_email"], None if generated is True else generated)


def _remove(email: str) -> None:
    act(accounts.remove_user, email, actor=current_user(), where="remove_user", success=f"Removed {email}.")


st.title("Users")
with database() as db:
    rows = accounts.list_accounts(db)
    unit_names = [u["name"] for u in accounts.visible_units(db, current_user())]
st.dataframe(pd.DataFrame([{"Email": r.email, "Role": r.role,
                            "Units": ", ".join(r.units) or ("every unit" if r.role == "admin" else "none"),
                            "Password": "set" if r.has_password else ("the app passcode" if r.email == "admin"
                                                                      else "single sign-on only"),
                            "Created": r.created_at} for r in rows]), width="stretch", hide_index=True)

st.subheader("Add a user")
with st.form("add_user", clear_on_submit=False):
    st.text_input("Email", key="new_user_email")
    st.selectbox("Role", accounts.ROLES, key="new_user_role", format_func=lambda r: f"{r}: {ROLE_HELP[r]}")
    st.multiselect("Units", unit_names, key="new_user_units", help="gm and viewer need at least one")
    st.text_input("Password (leave empty to generate one, shown once)", type="password", key="new_user_password")
    st.form_submit_button("Add user", key="add_user_submit", type="primary", on_click=_add)
show_messages("add_user")
if done := st.session_state.pop("new_user_done", None):
    email, generated = done
    st.success(f"Added {email}." + (" Their password, shown only now:" if generated else ""))
    if generated:
        st.code(generated, language=None)

st.subheader("Remove a user")
others = [r.email for r in rows]
choice = st.selectbox("Account", others, key="remove_user_email", index=None, placeholder="Choose an account")
st.button("Remove", key="remove_user_button", disabled=choice is None, on_click=_remove, args=(choice,))
show_messages("remove_user")
st.caption("Passwords can also be set from the server: `python -m meeting users set-password EMAIL --password-stdin`.")
