"""Run the meeting live: start, move through the sections, capture minutes, see customers' contributions.

Thin: every rule (state machine, limits, moderation) is in meeting.live / meeting.minutes. Actions are
button callbacks, so the page redraws once with the result and no explicit rerun.
"""
import datetime as dt

import streamlit as st

from meeting import auth, live, minutes
from meeting.sections import SECTION_BY_KEY, SECTIONS
from meeting.store import meetings
from meeting.text import escape_for_streamlit
from views.page import act, database, show_messages


def _capture(meeting_id: int, section: str) -> None:
    state = st.session_state
    due = state.get("capture_due")
    kind = state.get("capture_kind") or "note"
    stored = act(minutes.add_entry, meeting_id, section, kind, state.get("capture_text", ""),
         speaker=state.get("capture_speaker"), owner=state.get("capture_owner") if kind == "action" else None,
         due_on=due.isoformat() if (due and kind == "action") else None)
    if stored:  # clear the text for the next entry; a refused one keeps it to be corrected
        state["capture_text"] = ""


def _make_action(contribution_id: int) -> None:
    due = st.session_state.get(f"action_due_{contribution_id}")
    act(live.contribution_to_entry, contribution_id, "action",
         owner=st.session_state.get(f"action_owner_{contribution_id}"), due_on=due.isoformat() if due else None)


def _set_status(entry_id: int) -> None:
    act(minutes.set_action_status, entry_id, st.session_state[f"status_{entry_id}"])


meeting_id = st.session_state.get("meeting_id")
if not meeting_id:
    st.title("Run")
    st.info("Choose a meeting in the sidebar (or create one on the Prepare page) to run it here.")
    st.stop()

with database() as db:
    meeting = meetings.get_meeting(db, meeting_id)
    boxes = live.time_boxes(db, meeting_id)
    people = live.participant_names(db, meeting_id)
    entries = minutes.list_entries(db, meeting_id)

status = meeting["status"]
st.title(meeting["title"])
st.caption(f"{meeting['unit']} · {meeting['held_on']} · status: **{status}**")
show_messages()

if status == "draft":
    st.write("Time boxes for today, in the fixed customer-first order:")
    st.table({"Section": [s.title for s in SECTIONS], "Minutes": [boxes[s.key] for s in SECTIONS]})
    st.button("Start the meeting", key="start_meeting", type="primary", icon=":material/play_arrow:",
              on_click=act, args=(live.start_meeting, meeting_id))
    st.caption("Starting opens the customer section and shows a join code for the invited customers.")
    st.stop()

current = SECTION_BY_KEY[meeting["current_section"] or SECTIONS[0].key]
is_live = status == "live"
stage, room = st.columns([3, 2], gap="large")

with stage:
    position = [s.key for s in SECTIONS].index(current.key)
    st.caption(f"Section {position + 1} of {len(SECTIONS)}")
    st.markdown(f"# {current.title}")
    st.write(current.purpose)
    for prompt in current.prompts:
        st.markdown(f"- *{prompt}*")

    @st.fragment(run_every="5s" if is_live else None)
    def clock() -> None:
        with database() as db:
            fresh = meetings.get_meeting(db, meeting_id)
        tick = live.section_clock(fresh, boxes)
        label = f"{live.format_elapsed(tick['elapsed_seconds'])} elapsed of {tick['box_minutes']} min"
        st.progress(min(tick["share"], 1.0), text=label + (" · over time" if tick["over"] else ""))

    if is_live:
        clock()
        back, forward, close = st.columns(3)
        previous_key, next_key = live.previous_section_key(current.key), live.next_section_key(current.key)
        back.button(f"Back to {SECTION_BY_KEY[previous_key].title}" if previous_key else "Back",
                    key="previous_section", icon=":material/arrow_back:", disabled=previous_key is None,
                    on_click=act, args=(live.advance_section, meeting_id), kwargs={"to": previous_key},
                    width="stretch")
        forward.button(f"Next: {SECTION_BY_KEY[next_key].title}" if next_key else "Next",
                       key="next_section", icon=":material/arrow_forward:", type="primary", disabled=next_key is None,
                       on_click=act, args=(live.advance_section, meeting_id), width="stretch")
        with close.popover("Close", icon=":material/stop_circle:", width="stretch", help="Close the meeting"):
            st.write("Closing ends contributions and makes the minutes read-only (action status can still change).")
            st.button("Close it now", key="close_meeting", type="primary",
                      on_click=act, args=(live.close_meeting, meeting_id))
    else:
        st.info(f"This meeting closed at {meeting['closed_at']}. It is read-only now, except for the status of "
                "its actions.")

with room:
    if is_live:
        code = meeting["join_code"]
        link = live.join_link(live.base_url(st.context.url, auth.read_setting("OUTSIDE_IN_PUBLIC_URL")), code)
        st.caption("Invited customers join with this code, the link or the QR code")
        st.markdown(f"# `{live.format_code(code)}`")
        st.code(link, language=None)
        st.image(live.qr_png(link), width=260)


@st.fragment(run_every="2s" if is_live else None)
def contributions() -> None:
    """Customers' contributions as they arrive; only this part redraws every 2 s."""
    with database() as db:
        rows = live.list_contributions(db, meeting_id)
    st.subheader(f"From the invited customers ({len(rows)})")
    if not rows:
        st.caption("Nothing yet. Contributions appear here as they are sent, no need to refresh.")
    for section in SECTIONS:
        in_section = [row for row in rows if row["section"] == section.key]
        if not in_section:
            continue
        st.markdown(f"**{section.title}**")
        for row in in_section:
            cid = row["id"]
            with st.container(border=True, key=f"contribution_{cid}"):
                # Customer text is data: st.text shows it exactly as typed, markup and all.
                st.text(row["text"])
                who = escape_for_streamlit(row["display_name"] or "Anonymous")
                rating = f" · rated {row['rating']}/5" if row["rating"] else ""
                st.caption(f"{who}{rating} · {row['created_at'][11:16]} UTC"
                           + (" · **hidden**: stays stored, never in the minutes" if row["hidden"] else ""))
                if not is_live:
                    continue
                hide, note, action = st.columns(3)
                hide.button("Unhide" if row["hidden"] else "Hide", key=f"hide_{cid}",
                            on_click=act, args=(live.hide_contribution, cid), kwargs={"hidden": not row["hidden"]})
                if row["hidden"]:
                    continue
                note.button("Make note", key=f"note_{cid}", on_click=act,
                            args=(live.contribution_to_entry, cid, "note"))
                with action.popover("Make action", key=f"action_pop_{cid}"):
                    st.selectbox("Owner", people, index=None, key=f"action_owner_{cid}")
                    st.date_input("Due", value=None, key=f"action_due_{cid}")
                    st.button("Create action", key=f"action_{cid}", on_click=_make_action, args=(cid,))


contributions()

st.divider()
st.subheader("Minutes")
if is_live:
    with st.form("capture", enter_to_submit=False):
        st.caption(f"Captured in the **{current.title}** section. Ctrl+Enter in the text sends it.")
        st.radio("Kind", list(minutes.ENTRY_KINDS), horizontal=True, key="capture_kind")
        st.text_area("What was said or agreed", key="capture_text", height=90)
        speaker, owner, due = st.columns(3)
        speaker.selectbox("Speaker", people, index=None, key="capture_speaker", placeholder="Choose a participant")
        owner.selectbox("Owner (actions)", people, index=None, key="capture_owner", placeholder="Choose a participant")
        due.date_input("Due (actions)", value=None, key="capture_due", min_value=dt.date.today())
        st.form_submit_button("Add to the minutes", key="capture_submit", type="primary",
                              on_click=_capture, args=(meeting_id, current.key))

if not entries:
    st.caption("No notes, decisions or actions yet.")
for section in SECTIONS:
    in_section = [entry for entry in entries if entry["section"] == section.key]
    if not in_section:
        continue
    st.markdown(f"**{section.title}**")
    for entry in in_section:
        text_column, status_column = st.columns([5, 1])
        with text_column:
            st.text(f"{entry['kind'].capitalize()}: {entry['text']}")
            details = [f"speaker {entry['speaker']}" if entry["speaker"] else "",
                       f"owner {entry['owner']}" if entry["owner"] else "",
                       f"due {entry['due_on']}" if entry["due_on"] else ""]
            if any(details):
                st.caption(escape_for_streamlit(" · ".join(d for d in details if d)))
        if entry["kind"] == "action":
            status_column.selectbox("Status", list(minutes.ACTION_STATUSES), key=f"status_{entry['id']}",
                                    index=list(minutes.ACTION_STATUSES).index(entry["status"]),
                                    on_change=_set_status, args=(entry["id"],), label_visibility="collapsed")
