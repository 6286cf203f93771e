"""Join: the invited customer's page, on their own phone. Reachable without the GM passcode.

It shows only what ``meeting.live.join_view`` returns (title, section titles, the current section and its
prompts, the visitor's own contributions), so nothing internal can reach it. Customer text is shown with
``st.text``: literally, never as markup.
"""
import contextlib
import secrets
import time

import streamlit as st

from meeting import live, store
from meeting.sections import SECTION_BY_KEY
from meeting.text import escape_for_streamlit

state = st.session_state
# One token per browser session: how the page recognises "your own" contributions, without an account.
state.setdefault("author_token", secrets.token_urlsafe(16))
state.setdefault("join_attempts", live.new_attempts())


def _db():
    return contextlib.closing(store.open_db())


def _try_code(code: str | None) -> None:
    with _db() as db:
        view = live.try_code(db, state["join_attempts"], code, time.time(), state["author_token"])
    if view["ok"]:
        state["join_code"] = view["code"]
        state.pop("join_error", None)
        st.query_params["code"] = live.format_code(view["code"])  # a reload keeps the meeting open
    else:
        state["join_error"] = view["message"]


def _submit_code() -> None:
    _try_code(state.get("code_input", ""))


def _send() -> None:
    try:
        with _db() as db:
            section = live.contribute_by_code(db, state["join_code"], state.get("contribution_text", ""),
                                              state.get("contribution_rating"), state["author_token"],
                                              state.get("display_name"))
    except (ValueError, PermissionError, LookupError) as error:
        state["send_result"] = ("error", str(error))
        return
    # Cleared only once stored, so a refused contribution (too long, say) is not lost from the box.
    state["contribution_text"] = ""
    state["contribution_rating"] = None
    state["send_result"] = ("success", f"Thank you, sent to the {SECTION_BY_KEY[section].title} section.")


# A code from the link is tried once per session (not on every redraw, which would count as many failures).
link_code = st.query_params.get("code")
if link_code and "join_code" not in state and state.get("link_code_tried") != link_code:
    state["link_code_tried"] = link_code
    _try_code(link_code)

view = None
if "join_code" in state:
    with _db() as db:
        view = live.join_view(db, state["join_code"], state["author_token"])
    if not view["ok"]:  # the meeting closed since: say so, show nothing of it
        state["join_error"] = view["message"]
        del state["join_code"]
        view = None

if view is None:
    st.title("Join the meeting")
    if message := state.get("join_error"):
        st.error(message)
    with st.form("join_form"):
        st.text_input("Join code", key="code_input", placeholder="e.g. 7KQ4-M9XZ-2P", max_chars=20)
        st.form_submit_button("Join", key="join_submit", type="primary", on_click=_submit_code)
    st.caption("The code is shown on screen in the meeting room, with a link and a QR code.")
    st.stop()

st.title(escape_for_streamlit(view["title"]))
st.caption("Agenda: " + " → ".join(section["title"] for section in view["sections"]))


@st.fragment(run_every="3s")
def now_discussing() -> None:
    """The section under discussion follows the room without a reload."""
    with _db() as db:
        fresh = live.join_view(db, state["join_code"])
    if not fresh["ok"]:
        st.rerun(scope="app")  # closed meanwhile: the full page then shows the message, and no data
    current = fresh["current"]
    with st.container(border=True):
        st.caption("Now discussing")
        st.subheader(current["title"])
        for prompt in current["prompts"]:
            st.markdown(f"- *{prompt}*")


now_discussing()

st.text_input("Your name (optional)", key="display_name", max_chars=live.MAX_DISPLAY_NAME_CHARS,
              placeholder="Leave empty to stay anonymous")
if result := state.pop("send_result", None):
    (st.success if result[0] == "success" else st.error)(result[1])
with st.form("contribute"):
    # No max_chars: the browser would silently cut a pasted text; the server says what is too long instead.
    st.text_area("Your contribution to this section", key="contribution_text",
                 placeholder="What do you think? What could we do better?",
                 help=f"Up to {live.MAX_CONTRIBUTION_CHARS:,} characters.")
    st.radio("Your rating of this section (1 = poor, 5 = excellent)", live.RATINGS, index=None, horizontal=True,
             key="contribution_rating")
    st.form_submit_button("Send", key="contribution_submit", type="primary", on_click=_send, width="stretch")

if view["mine"]:
    st.subheader("What you have sent")
    for mine in reversed(view["mine"]):
        with st.container(border=True):
            st.text(mine["text"])
            rating = f" · rated {mine['rating']}/5" if mine["rating"] else ""
            st.caption(f"{mine['section_title']}{rating}")
