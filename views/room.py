"""Room: the projector's screen. Read-only: the section under discussion, its time, the join code and QR, and
the approved contributions. It follows the Run page by itself (a fragment that redraws every few seconds);
there is no control on it, so nothing a room sees can change the meeting.
"""
import streamlit as st

from meeting import config, live
from meeting.sections import SECTION_BY_KEY, SECTIONS
from meeting.store import meetings
from meeting.text import escape_for_streamlit, plain
from views.page import database

meeting_id = st.session_state.get("meeting_id")
if not meeting_id:
    st.title("Room")
    st.info("Choose a meeting in the sidebar to show it to the room.")
    st.stop()
public_url = config.read_setting("OUTSIDE_IN_PUBLIC_URL")
page_url = st.context.url


@st.fragment(run_every="3s")
def room_screen() -> None:
    with database() as db:
        meeting = meetings.get_meeting(db, meeting_id)
        boxes = live.time_boxes(db, meeting_id)
        shown = live.room_contributions(db, meeting_id) if meeting["status"] == "live" else []
    st.caption(escape_for_streamlit(meeting["title"]))
    if meeting["status"] == "draft":
        st.title("Welcome")
        st.subheader("The meeting starts soon.")
        return
    if meeting["status"] == "closed":
        st.title("Thank you")
        st.subheader("This meeting has ended.")
        return
    current = SECTION_BY_KEY[meeting["current_section"] or SECTIONS[0].key]
    tick = live.section_clock(meeting, boxes)
    stage, join = st.columns([3, 2], gap="large")
    with stage:
        position = [s.key for s in SECTIONS].index(current.key)
        st.caption(f"Section {position + 1} of {len(SECTIONS)}")
        st.markdown(f"# {current.title}")  # our own section names: large, for the back of the room
        for prompt in current.prompts:
            st.markdown(f"### *{prompt}*")
        st.progress(min(tick["share"], 1.0),
                    text=f"{live.format_elapsed(tick['elapsed_seconds'])} of {tick['box_minutes']} min"
                         + (" · over time" if tick["over"] else ""))
    with join:
        link = live.join_link(live.base_url(page_url, public_url), meeting["join_code"])
        st.markdown(f"## Join: `{live.format_code(meeting['join_code'])}`")
        st.image(live.qr_png(link), width=280)
        st.caption(escape_for_streamlit(link))
    st.divider()
    st.subheader("From the invited customers")
    if not shown:
        st.caption("Contributions appear here as they are sent" +
                   (" and approved." if meeting["premoderate"] else "."))
    for row in shown:
        with st.container(border=True):
            if row["text"]:
                st.text(plain(row["text"]))  # customer text: literally, never markup
            rating = f"rated {row['rating']}/5 · " if row["rating"] else ""
            st.caption(f"{rating}{SECTION_BY_KEY[row['section']].title}")


room_screen()
