"""Run the meeting live: start, move through the sections, capture minutes, see customers' contributions.

Thin: every rule (state machine, limits, moderation) is in meeting.live / meeting.minutes. Actions are
button callbacks, so the page redraws once with the result and no explicit rerun.
"""

import streamlit as st

from meeting import clock, config, i18n, live, minutes
from meeting.anonymise import guest_display_name
from meeting.i18n import tr, tr_known
from meeting.minutes import record as minutes_record
from meeting.sections import APPROVAL_SECTION, SECTION_BY_KEY, SECTIONS
from meeting.store import meetings
from meeting.text import escape_for_streamlit, plain
from views.page import act, database, entry_details, entry_editor, flash, show_messages


def capture_key(name: str, meeting_id: int) -> str:
    """The capture form's keys carry the meeting's id (issue 26): text typed for one meeting is never filed
    under another after a switch in the sidebar."""
    return f"capture_{name}_{meeting_id}"


def _capture(meeting_id: int, section: str) -> None:
    """File the entry under the section this page showed; reset the form for the next one."""
    state = st.session_state
    key = {name: capture_key(name, meeting_id) for name in ("kind", "text", "speaker", "owner", "due")}
    due = state.get(key["due"])
    kind = state.get(key["kind"]) or "note"
    stored = act(live.capture_entry, meeting_id, section, kind, state.get(key["text"], ""), where="capture",
                 speaker=state.get(key["speaker"]), owner=state.get(key["owner"]) if kind == "action" else None,
                 due_on=due.isoformat() if (due and kind == "action") else None)
    if not stored:  # refused: everything stays in the form, to be corrected
        return
    _, moved_to = stored
    if moved_to:
        flash(f"Filed under {SECTION_BY_KEY[section].title}, the section this page showed; the meeting has since "
              f"moved to {SECTION_BY_KEY[moved_to].title}.", where="capture", kind="warning")
    else:
        flash(f"Added to {SECTION_BY_KEY[section].title}.", where="capture", kind="success")
    if kind == "action" and (gaps := minutes.action_gaps({"kind": kind, "owner": state.get(key["owner"]), "due_on": due})):
        flash(f"This action has {' and '.join(gaps)} yet: it is marked until someone corrects it (Edit).",
              where="capture", kind="warning")
    # The next entry starts clean: nobody silently inherits the last speaker, owner or due date.
    state[key["text"]] = ""
    state[key["speaker"]] = None
    state[key["owner"]] = None
    state[key["due"]] = None


def _save_room_settings(meeting_id: int) -> None:
    state = st.session_state
    act(live.set_room_settings, meeting_id, where="room_settings", success="Saved.",
        interval_seconds=int(state[f"room_interval_{meeting_id}"]),
        premoderate=bool(state[f"room_premoderate_{meeting_id}"]))


def _make_action(contribution_id: int) -> None:
    due = st.session_state.get(f"action_due_{contribution_id}")
    act(live.contribution_to_entry, contribution_id, "action", where=f"contribution_{contribution_id}",
        success="Added to the minutes as an action.", owner=st.session_state.get(f"action_owner_{contribution_id}"),
        due_on=due.isoformat() if due else None)


def _approve_previous(meeting_id: int) -> None:
    act(minutes_record.approve_at_next_meeting, meeting_id, st.session_state.get(f"previous_approver_{meeting_id}"),
        where="approval", success="Approved, and minuted here as a decision.")


def _approval_panel(meeting_id: int, waiting: dict) -> None:
    """The agenda's "Approve the minutes of ..." item, done here (issue 28)."""
    with st.container(border=True, key="approval_panel"):
        st.markdown(f"**Approve the minutes of {waiting['held_on']}**")
        show_messages("approval")
        if waiting["status"] != "final":
            st.caption("Those minutes are still a draft: finalise them on the Minutes page (that meeting chosen in "
                       "the sidebar) before they can be approved.")
            return
        st.selectbox("Approved by", waiting["leaders"], index=None, key=f"previous_approver_{meeting_id}",
                     placeholder="a leader on that meeting's list")
        st.button("Approve them", key="approve_previous", on_click=_approve_previous, args=(meeting_id,))


def status_key(entry: dict) -> str:
    """Keyed by the action and its stored status: changed elsewhere (the Actions page, the CLI), the select box
    starts again from the stored status instead of keeping the one this session last saw."""
    return f"status_{entry['id']}_{entry['status']}"


def _set_status(entry: dict) -> None:
    act(minutes.set_action_status, entry["id"], st.session_state[status_key(entry)], where=f"entry_{entry['id']}")


meeting_id: int = st.session_state.get("meeting_id") or 0  # 0: none chosen (ids start at 1)
if not meeting_id:
    st.title("Run")
    st.info("Choose a meeting in the sidebar (or create one on the Prepare page) to run it here.")
    st.stop()

with database() as db:
    meeting = meetings.get_meeting(db, meeting_id)
    boxes = live.time_boxes(db, meeting_id)
    people = live.participant_names(db, meeting_id)
    entries = minutes.list_entries(db, meeting_id)
    waiting = minutes_record.awaiting_approval(db, meeting_id)

status = meeting["status"]
st.header(escape_for_streamlit(meeting["title"]))  # typed by a person: text, never Markdown
st.caption(f"{escape_for_streamlit(meeting['unit'])} · {meeting['held_on']} · status: **{status}**")
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

# What the room sees on this screen (the section, its prompts, how to join) is in the unit's language (issue 27);
# the GM's own controls stay in English.
with database() as db:
    room_language = i18n.meeting_language(db, meeting_id)

with stage, i18n.speaking(room_language):
    position = [s.key for s in SECTIONS].index(current.key)
    st.caption(tr("Section {number} of {total}").format(number=position + 1, total=len(SECTIONS)))
    st.markdown(f"# {tr_known(current.title)}")
    st.write(tr_known(current.purpose))
    for prompt in current.prompts:
        st.markdown(f"- *{tr_known(prompt)}*")

    @st.fragment(run_every="5s" if is_live else None)
    def section_timer() -> None:
        with database() as db:
            fresh = meetings.get_meeting(db, meeting_id)
        if (fresh["current_section"], fresh["status"]) != (current.key, status):
            # Another GM moved (or closed) the meeting: follow it rather than keep offering stale buttons.
            where_now = SECTION_BY_KEY[fresh["current_section"]].title
            flash(f"The meeting is now at {where_now}" + (" and closed" if fresh["status"] == "closed" else "")
                  + ": someone else moved it.", where="section_moves", kind="info")
            st.rerun(scope="app")
        tick = live.section_clock(fresh, boxes)
        label = f"{live.format_elapsed(tick['elapsed_seconds'])} elapsed of {tick['box_minutes']} min"
        st.progress(min(tick["share"], 1.0), text=label + (" · over time" if tick["over"] else ""))

    if is_live:
        section_timer()
        back, forward, close = st.columns(3)
        previous_key, next_key = live.previous_section_key(current.key), live.next_section_key(current.key)
        # Both moves say which section this page showed: if another GM moved the meeting meanwhile, the move
        # is refused with a message here and the page redraws where the meeting really is.
        back.button(f"Back to {SECTION_BY_KEY[previous_key].title}" if previous_key else "Back",
                    key="previous_section", icon=":material/arrow_back:", disabled=previous_key is None,
                    on_click=act, args=(live.previous_section, meeting_id),
                    kwargs={"from_section": current.key, "where": "section_moves"}, width="stretch")
        forward.button(f"Next: {SECTION_BY_KEY[next_key].title}" if next_key else "Next",
                       key="next_section", icon=":material/arrow_forward:", type="primary", disabled=next_key is None,
                       on_click=act, args=(live.advance_section, meeting_id),
                       kwargs={"from_section": current.key, "where": "section_moves"}, width="stretch")
        with close.popover("Close", icon=":material/stop_circle:", width="stretch", help="Close the meeting"):
            st.write("Closing ends contributions and makes the minutes read-only (action status can still change).")
            st.button("Close it now", key="close_meeting", type="primary",
                      on_click=act, args=(live.close_meeting, meeting_id), kwargs={"where": "section_moves"})
        show_messages("section_moves")
        if waiting and current.key == APPROVAL_SECTION:
            _approval_panel(meeting_id, waiting)
    else:
        st.info(f"This meeting closed on {live.format_when(meeting['closed_at'])}. It is read-only now, except "
                "for the status of its actions.")
    with database() as db:
        spent = live.time_spent(db, meeting_id)
    with st.expander("Time spent per section, against the plan", expanded=not is_live):
        st.dataframe({"Section": [row["title"] for row in spent],
                      "Planned (min)": [row["planned_minutes"] for row in spent],
                      "Actual (min)": [row["actual_minutes"] for row in spent]}, hide_index=True)

with room:
    if is_live:
        code = meeting["join_code"]
        base = live.base_url(st.context.url, config.read_setting("OUTSIDE_IN_PUBLIC_URL"))
        link = live.join_link(base, code)
        with i18n.speaking(room_language):
            st.caption(tr("Invited customers join with this code, the link or the QR code"))
            alt = tr("QR code: scan to join the meeting at {link}").format(link=link)
        st.markdown(f"# `{live.format_code(code)}`")
        st.code(link, language=None, wrap_lines=True)  # wrapped: the whole link stays readable
        if live.is_local_only(base):
            reachable = live.reachable_base(base, st.get_option("server.port"))
            st.warning("Phones cannot open this link: it points at this computer's own name (localhost). Set "
                       "OUTSIDE_IN_PUBLIC_URL to the address phones reach (for example https://meet.example.org), "
                       + (f"or open Outside In at {reachable} on this computer so the link and QR use it."
                          if reachable else "or open Outside In by this computer's network address."),
                       icon=":material/wifi_off:")
        st.html(live.qr_html(link, size_px=260, alt=alt))
        st.caption("For the projector: the Room page shows the current section, the code and the approved "
                   "contributions, and follows this page by itself.")
        st.link_button("Open the room screen", f"/room?meeting={int(meeting_id)}", icon=":material/co_present:")
        with st.expander("Room settings"):
            with st.form(f"room_settings_form_{meeting_id}", border=False):
                st.number_input("Least seconds between two contributions from one phone", min_value=0,
                                max_value=600, step=1, value=int(meeting["contribution_interval_seconds"]),
                                key=f"room_interval_{meeting_id}")
                st.toggle("Approve each contribution before it shows on the room screen",
                          value=bool(meeting["premoderate"]), key=f"room_premoderate_{meeting_id}")
                st.form_submit_button("Save", key="room_settings_save", on_click=_save_room_settings,
                                      args=(meeting_id,))
            show_messages("room_settings")


@st.fragment(run_every="2s" if is_live else None)
def contributions() -> None:
    """Customers' contributions as they arrive; only this part redraws every 2 s."""
    with database() as db:
        rows = live.list_contributions(db, meeting_id)
    st.header(f"From the invited customers ({len(rows)})")  # h2: the section above is an h1 (issue 27)
    if not rows:
        st.caption("Nothing yet. Contributions appear here as they are sent, no need to refresh.")
    # A list that grows with the page (issue 26): a fixed-height inner box showed two cards at a time, cut
    # mid-button, and scrolled inside the page's own scrolling.
    with st.container(key="contributions_list", border=False):
        for section in SECTIONS:
            in_section = [row for row in rows if row["section"] == section.key]
            if in_section:
                st.markdown(f"**{section.title}**")
            for row in reversed(in_section):  # newest first
                _contribution_card(row)


def _contribution_card(row: dict) -> None:
    cid = row["id"]
    with st.container(border=True, key=f"contribution_{cid}"):
        # Customer text is data: st.text shows it exactly as typed, markup and all (bidi controls removed).
        st.text(plain(row["text"]) or "(a rating without text)")
        # A display name is whatever the contributor typed: marked so it never reads as a roster person.
        who = escape_for_streamlit(guest_display_name(row["display_name"]) or "Anonymous")
        rating = f" · rated {row['rating']}/5" if row["rating"] else ""
        notes = [" · **hidden**: stays stored, never in the minutes" if row["hidden"] else "",
                 " · waiting for approval before the room screen shows it"
                 if not row["approved"] and not row["hidden"] else "",
                 f" · in the minutes as {row['entry_kind']} #{row['entry_id']}" if row["entry_id"] else ""]
        st.caption(f"{who}{rating} · {row['created_at'][11:16]} UTC" + "".join(notes))
        show_messages(f"contribution_{cid}")
        if not is_live:
            return
        hide, note, action = st.columns(3)
        hide.button("Unhide" if row["hidden"] else "Hide", key=f"hide_{cid}", on_click=act,
                    args=(live.hide_contribution, cid),
                    kwargs={"hidden": not row["hidden"], "where": f"contribution_{cid}"})
        if row["hidden"]:
            return
        if not row["approved"]:
            note.button("Approve", key=f"approve_{cid}", type="primary", on_click=act,
                        args=(live.approve_contribution, cid), kwargs={"where": f"contribution_{cid}"})
            return
        if row["entry_id"]:  # once in the minutes, there is nothing more to make of it
            return
        note.button("Make note", key=f"note_{cid}", on_click=act, args=(live.contribution_to_entry, cid, "note"),
                    kwargs={"where": f"contribution_{cid}", "success": "Added to the minutes as a note."})
        with action.popover("Make action", key=f"action_pop_{cid}"):
            st.selectbox("Owner", people, index=None, key=f"action_owner_{cid}")
            st.date_input("Due", value=None, key=f"action_due_{cid}")
            st.button("Create action", key=f"action_{cid}", on_click=_make_action, args=(cid,))


contributions()

st.divider()
st.header("Minutes")
if is_live:
    show_messages("capture")  # right above the form: a refusal or "filed under" is seen where the GM types
    # enter_to_submit: in the text area, Ctrl+Enter (Cmd+Enter on a Mac) submits; plain Enter is a new line.
    with st.form(f"capture_{meeting_id}", enter_to_submit=True):
        st.caption(f"Captured in the **{current.title}** section. Ctrl+Enter (Cmd+Enter on a Mac) in the text "
                   "adds it.")
        st.radio("Kind", list(minutes.ENTRY_KINDS), horizontal=True, key=capture_key("kind", meeting_id))
        st.text_area("What was said or agreed", key=capture_key("text", meeting_id), height=90)
        speaker, owner, due = st.columns(3)
        speaker.selectbox("Speaker", people, index=None, key=capture_key("speaker", meeting_id),
                          placeholder="Choose a participant")
        owner.selectbox("Owner (actions)", people, index=None, key=capture_key("owner", meeting_id),
                        placeholder="Choose a participant")
        due.date_input("Due (actions)", value=None, key=capture_key("due", meeting_id), min_value=clock.today())
        st.form_submit_button("Add to the minutes", key="capture_submit", type="primary",
                              on_click=_capture, args=(meeting_id, current.key))
    show_messages("capture")  # a refused entry is explained under the form that sent it

if not entries:
    st.caption("No notes, decisions or actions yet.")
for section in SECTIONS:
    in_section = [entry for entry in entries if entry["section"] == section.key]
    if not in_section:
        continue
    st.markdown(f"**{section.title}**")
    for entry in in_section:
        text_column, edit_column, status_column = st.columns([5, 1, 1])
        with text_column:
            st.text(f"{entry['kind'].capitalize()}: {plain(entry['text'])}")
            if details := entry_details(entry):  # an action without owner or due date is marked
                st.caption(details)
            show_messages(f"entry_{entry['id']}")
        if is_live:  # corrected while the meeting runs; a closed meeting's minutes are the record
            with edit_column:
                entry_editor(entry, people, where=f"entry_{entry['id']}")
        if entry["kind"] == "action":
            status_column.selectbox("Status", list(minutes.ACTION_STATUSES), key=status_key(entry),
                                    index=list(minutes.ACTION_STATUSES).index(entry["status"]),
                                    on_change=_set_status, args=(entry,), label_visibility="collapsed")
