"""Room: the projector's screen. Read-only: the section under discussion, its time left, the join code and QR,
and the approved contributions. It follows the Run page by itself (a fragment that redraws every few seconds);
there is no control on it, so nothing a room sees can change the meeting.

A kiosk (issue 22): router.py draws no sidebar, identity or navigation here, and the type is large enough for
the back of the room. The address shows only /room: who is signed in rides in an HttpOnly cookie.
"""
import html

import streamlit as st

from meeting import config, i18n, live
from meeting.i18n import tr, tr_known
from meeting.sections import SECTION_BY_KEY, SECTIONS
from meeting.store import meetings
from meeting.text import escape_for_streamlit, plain
from views.page import database, set_page_language

# Large type for a projector, and nothing of the app's chrome: this screen is photographed.
st.html("""<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
  header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
  .oi-room h1 { font-size: 4.2rem; line-height: 1.1; margin: 0.2rem 0 0.6rem; }
  .oi-room .oi-prompt { font-size: 2rem; font-style: italic; margin: 0.3rem 0; }
  .oi-room .oi-time { font-size: 3rem; font-weight: 700; margin-top: 1rem; }
  .oi-room .oi-time.oi-over { color: #a61b1b; }
  .oi-room .oi-code { font-size: 2.8rem; font-weight: 700; letter-spacing: 0.1rem; font-family: monospace;
                      white-space: nowrap; }
  .oi-room .oi-step { font-size: 1.4rem; color: #333333; }
  .oi-room .oi-link { font-size: 1.2rem; word-break: break-all; color: #333333; }
</style>""")

meeting_id: int = st.session_state.get("meeting_id") or 0  # 0: none chosen (ids start at 1)
if not meeting_id:
    st.title("Room")
    st.info("Open the room screen from the Run page of the meeting (‘Open the room screen’), or choose a meeting "
            "on Run first.")
    st.stop()
with database() as db:  # the room speaks the unit's language (issue 27), not the GM's
    language = i18n.meeting_language(db, meeting_id)
set_page_language(language)
public_url = config.read_setting("OUTSIDE_IN_PUBLIC_URL")
page_url = st.context.url


@st.fragment(run_every="3s")
def room_screen() -> None:
    with i18n.speaking(language):
        _room_screen()


def _room_screen() -> None:
    with database() as db:
        meeting = meetings.get_meeting(db, meeting_id)
        boxes = live.time_boxes(db, meeting_id)
        shown = live.room_contributions(db, meeting_id) if meeting["status"] == "live" else []
    st.caption(escape_for_streamlit(meeting["title"]))
    if meeting["status"] == "draft":
        st.title(tr("Welcome"))
        st.header(tr("The meeting starts soon."))  # h2 under the h1 (issue 27)
        return
    if meeting["status"] == "closed":
        st.title(tr("Thank you"))
        st.header(tr("This meeting has ended."))
        return
    current = SECTION_BY_KEY[meeting["current_section"] or SECTIONS[0].key]
    tick = live.section_clock(meeting, boxes)
    stage, join = st.columns([3, 2], gap="large")
    with stage:
        position = [s.key for s in SECTIONS].index(current.key)
        prompts = "".join(f'<p class="oi-prompt">{html.escape(tr_known(prompt))}</p>' for prompt in current.prompts)
        step = tr("Section {number} of {total}").format(number=position + 1, total=len(SECTIONS))
        st.html(f'<div class="oi-room"><p class="oi-step">{html.escape(step)}</p>'
                f"<h1>{html.escape(tr_known(current.title))}</h1>{prompts}"
                f'<p class="oi-time{" oi-over" if tick["over"] else ""}">{html.escape(live.time_left_text(tick))}</p>'
                "</div>")
        st.progress(min(tick["share"], 1.0),
                    text=tr("{elapsed} of {minutes} min").format(elapsed=live.format_elapsed(tick["elapsed_seconds"]),
                                                                 minutes=tick["box_minutes"])
                         + (" · " + tr("over time") if tick["over"] else ""))
    with join:
        link = live.join_link(live.base_url(page_url, public_url), meeting["join_code"])
        alt = tr("QR code: scan to join the meeting at {link}").format(link=link)
        invite = tr("Join from your phone")
        st.html(f'<div class="oi-room"><p class="oi-step">{html.escape(invite)}</p>'
                f'<p class="oi-code">{html.escape(live.format_code(meeting["join_code"]))}</p>'
                f"{live.qr_html(link, alt=alt)}"
                f'<p class="oi-link">{html.escape(link)}</p></div>')
    st.divider()
    st.header(tr("From the invited customers"))
    if not shown:
        st.caption(tr("Contributions appear here as they are sent and approved.") if meeting["premoderate"] else
                   tr("Contributions appear here as they are sent."))
    for row in shown:
        with st.container(border=True):
            if row["text"]:
                st.text(plain(row["text"]))  # customer text: literally, never markup; contact details masked
            rating = tr("rated {rating}/5").format(rating=row["rating"]) + " · " if row["rating"] else ""
            st.caption(f"{rating}{tr_known(SECTION_BY_KEY[row['section']].title)}")



room_screen()
