"""Minutes: review what the Chatham House Rule will replace, add terms of your own, then export.

Thin: redaction is meeting.anonymise, the minutes model and files are meeting.export. Customer text is data:
the review shows it through ``minutes_review.highlight_html``, which escapes every piece before adding <mark>.
"""
import html
from pathlib import Path

import streamlit as st

from meeting import anonymise, live, minutes
from meeting.anonymise import retention
from meeting.anonymise import review as redaction_review
from meeting.minutes import export as minutes_export
from meeting.minutes import record as minutes_record
from meeting.minutes import review as minutes_review
from meeting.render import followup as followup_note
from meeting.sections import section_title
from meeting.store import meetings
from meeting.text import plain
from views.page import act, database, entry_details, entry_editor, show_messages

FORMAT_LABELS = {"docx": "Word (.docx)", "md": "Markdown (.md)"}
KIND_LABELS = {"title": "Title", "note": "Note", "decision": "Decision", "action": "Action",
               "contribution": "Invited customer"}
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "md": "text/markdown"}


def terms_key(meeting_id: int) -> str:
    """Extra terms are one meeting's (a site, a project named in it): keyed by the meeting, so a switch in the
    sidebar never carries them onto another meeting's minutes (issue 26)."""
    return f"extra_terms_{meeting_id}"


def _options(meeting_id: int) -> dict:
    state = st.session_state
    return {"internal": bool(state.get("internal")), "attribute_by_group": state.get("attribution") == "group",
            "extra_terms": anonymise.parse_extra_terms(state.get(terms_key(meeting_id)))}


def _export(meeting_id: int) -> None:
    """Button callback: write the file under exports/ and remember it for the download button."""
    exported = act(minutes_export.export_minutes, meeting_id, fmt=st.session_state.get("minutes_format") or "docx",
                   **_options(meeting_id), where="export")
    if exported:  # an anonymised export has also purged what the unit's retention setting says is due
        st.session_state["minutes_export"] = str(exported.path)


def _redact_span(meeting_id: int, span: str) -> None:
    """One click on a possibly identifying span: it becomes an extra term, typed as it was written (so
    "Bill" stays capitalised and "the bill" survives)."""
    terms = anonymise.parse_extra_terms(st.session_state.get(terms_key(meeting_id)))
    if span not in terms:
        st.session_state[terms_key(meeting_id)] = "\n".join([*terms, span])
    _forget_export()


def _save_retention(unit_id: int) -> None:
    # Keyed by the unit whose setting they show: after a switch of unit they show (and save) that unit's.
    state = st.session_state
    days = state.get(f"retention_days_{unit_id}") if state.get(f"retention_on_{unit_id}") else None
    act(retention.set_retention_days, unit_id, None if days is None else int(days), where="retention")


def _export_followup(meeting_id: int) -> None:
    """Button callback: write the "You said, we did" note (always anonymised) and keep its path and jargon."""
    result = act(followup_note.export_with_jargon, meeting_id, fmt=st.session_state.get("minutes_format") or "docx",
                 where="followup")
    if result:
        path, flags = result
        st.session_state["followup_export"] = str(path)
        st.session_state["followup_jargon"] = [flag.message() for flag in flags]


def _finalise(meeting_id: int) -> None:
    act(minutes_record.finalise_minutes, meeting_id, where="record",
        success="Minutes final: entries frozen, fingerprint fixed.")
    _forget_export()  # a file exported before says DRAFT


def _approve(meeting_id: int) -> None:
    # Read at click time, from the widget's state: the approver chosen, not the one of the previous run.
    act(minutes_record.approve_minutes, meeting_id, st.session_state.get(f"approver_{meeting_id}"), where="record",
        success="Minutes approved.")
    _forget_export()


def _forget_export() -> None:
    """Options changed: the file exported before no longer matches them (an INTERNAL one must not linger)."""
    st.session_state.pop("minutes_export", None)


st.title("Minutes")
meeting_id = st.session_state.get("meeting_id")
if meeting_id is None:
    st.info("Choose a meeting in the sidebar (or create one on the Prepare page) to review and export its minutes.")
    st.stop()

options = _options(meeting_id)
with database() as db:
    meeting = meetings.get_meeting(db, meeting_id)
    participants = meetings.list_participants(db, meeting_id)
    model = minutes.build_minutes(db, meeting_id, **options)
    review = minutes_review.review_entries(db, meeting_id, attribute_by_group=options["attribute_by_group"],
                                   extra_terms=options["extra_terms"])
    flags = redaction_review.distinct(redaction_review.review_meeting(
        db, meeting_id, extra_terms=options["extra_terms"], by_group=options["attribute_by_group"])["possibly_identifying"],
        "why")
    kept_days = retention.retention_days(db, meeting["unit_id"])
    recorded = minutes.list_entries(db, meeting_id)
    people = live.participant_names(db, meeting_id)
    standing = minutes_record.minutes_status(db, meeting_id)
    approvers = minutes_record.leaders(db, meeting_id)

st.caption(f"{meeting['held_on']} · {meeting['status']} · {model['attendance']}")

with st.container(key="minutes_record"):
    show_messages("record")
    if standing.status == "approved":
        assert standing.fingerprint is not None, "an approved record is fingerprinted"
        st.success(f"Approved by {standing.approved_by} on {standing.approved_on} · fingerprint "
                   f"{standing.fingerprint[:minutes_record.FINGERPRINT_SHOWN]}", icon=":material/verified:")
    elif standing.status == "final":
        assert standing.fingerprint is not None, "a final record is fingerprinted"
        st.info(f"Final: the entries are frozen · fingerprint "
                f"{standing.fingerprint[:minutes_record.FINGERPRINT_SHOWN]}. A leader on the roster approves them.",
                icon=":material/lock:")
        chosen = st.selectbox("Approved by", approvers, key=f"approver_{meeting_id}", index=None,
                              placeholder="a leader on the roster")
        st.button("Approve the minutes", key="approve_minutes", disabled=chosen is None,
                  on_click=_approve, args=(meeting_id,))
    else:
        st.caption("Draft minutes: exports say DRAFT. Once the meeting is closed, finalise them to fix the record.")
        if meeting["status"] == "closed":
            st.button("Finalise the minutes", key="finalise_minutes",
                      on_click=_finalise, args=(meeting_id,))

st.header("1. Review what will be replaced")  # h2 under the h1: headings in order (issue 27)
if not participants:
    st.warning("Nobody is on this meeting's list, so only the patterns will be redacted (emails, phone and "
               "account numbers, names found by common first names). Add the participants on the Prepare page.")
st.text_area("Extra terms to redact for this meeting", key=terms_key(meeting_id), height=80, on_change=_forget_export,
             placeholder="e.g. Leeds depot, Project Falcon",
             help="One per line or separated by commas: a site, a project, a nickname. Matched as whole words; "
                  "a single word typed with a capital keeps its case (\"Bill\" leaves \"the bill\"), anything "
                  "else matches in any case. Each becomes [redacted].")
st.radio("Attribute speakers as", ["participant", "group"], key="attribution", horizontal=True, on_change=_forget_export,
         format_func={"participant": "“a participant”", "group": "their group (“an invited customer”)"}.get)
for warning in model["warnings"]:
    st.warning(warning, icon=":material/warning:")

entries = [row for row in review if row["kind"] != "title"]
if not entries:
    st.info("Nothing recorded yet for this meeting: capture notes, decisions and actions on the Run page. "
            "The minutes can still be exported (title, rule, attendance and empty sections).")
replaced = sum(len(row["spans"]) for row in review)
st.caption(f"{replaced} replacement{'s' if replaced != 1 else ''} across {len(review)} texts. "
           "Highlighted words will be replaced; hover one to see by what.")
section = None
for row in review:
    if row["section"] != section and row["kind"] != "title":
        section = row["section"]
        st.markdown(f"**{section_title(section)}**")
    label = KIND_LABELS.get(row["kind"], row["kind"])
    # Escaped first, then our <mark> around the escaped spans; the result line is escaped text too.
    st.html(f"<div style='margin-bottom:0.6rem'><small>{label}</small>"
            f"{minutes_review.highlight_html(row['text'], row['spans'])}"
            f"{minutes_review.highlight_html('→ ' + row['redacted'], [])}</div>")

with st.expander(f"Correct the record ({len(recorded)} entr{'y' if len(recorded) == 1 else 'ies'})",
                 key=f"correct_panel_{meeting_id}", on_change="rerun"):
    show_messages("correct")
    if standing.status != "draft":
        st.caption("These minutes are final: they are the record, fixed by their fingerprint.")
    elif meeting["status"] == "closed":
        st.caption("This meeting is closed: its minutes are the record and can no longer be edited or deleted "
                   "(action statuses change on the Actions page).")
    for entry in recorded:
        text_column, edit_column = st.columns([6, 1])
        text_column.text(f"{section_title(entry['section'])} · {entry['kind']}: {plain(entry['text'])}")
        if details := entry_details(entry):  # an action without owner or due date is marked
            text_column.caption(details)
        if meeting["status"] != "closed":
            with edit_column:
                entry_editor(entry, people, where="correct")

st.markdown("**May still identify someone: not replaced**")
if not flags:
    st.caption("Nothing else stands out: no unusual capitalised names, self-descriptions, sites or job titles.")
for index, flag in enumerate(flags):
    left, right = st.columns([6, 1], vertical_alignment="center")
    # Escaped: the span and its entry are customer text.
    # One line per distinct span, with how often and where it occurs.
    times = f" ×{flag['count']}" if flag["count"] > 1 else ""
    where = ", ".join(str(entry) for entry in flag["entries"])
    left.html(f"<div><mark>{html.escape(flag['text'])}</mark>{times} <small>{html.escape(flag['why'])} "
              f"({html.escape(where)})</small></div>")
    right.button("Redact", key=f"redact_flag_{index}", on_click=_redact_span, args=(meeting_id, flag["text"]))

with st.expander("Retention of live contributions"):
    show_messages("retention")
    st.toggle("Purge raw contributions of closed meetings after export", key=f"retention_on_{meeting['unit_id']}",
              value=kept_days is not None, on_change=_save_retention, args=(meeting["unit_id"],))
    st.number_input("Days after the anonymised minutes are exported", min_value=0, step=1, key=f"retention_days_{meeting['unit_id']}",
                    value=kept_days if kept_days is not None else 30, on_change=_save_retention,
                    args=(meeting["unit_id"],), disabled=kept_days is None)
    st.caption("Purging keeps the anonymised text the minutes show; it removes what customers typed, their "
               "display names and device tokens. Off: kept until the meeting is deleted.")

st.header("2. Export")
st.toggle("INTERNAL version: keep the names (leadership team only, not anonymised)", key="internal",
          on_change=_forget_export,
          help="The file name and the first line say INTERNAL. Leave off for minutes you circulate.")
if st.session_state.get("internal"):
    st.warning("This export shows names, organisations and roles. Do not circulate it.", icon=":material/lock_open:")
st.radio("Format", list(FORMAT_LABELS), key="minutes_format", format_func=FORMAT_LABELS.get, horizontal=True,
         on_change=_forget_export)
st.button("Export minutes", key="export_minutes", type="primary", on_click=_export, args=(meeting_id,),
          icon=":material/description:")

show_messages("export")
written = st.session_state.get("minutes_export")
if written and Path(written).exists() and minutes.is_export_of(Path(written).name, meeting_id):
    path = Path(written)
    st.success(f"Saved {path.name} in {path.parent}.")
    st.download_button(f"Download {path.name}", data=path.read_bytes(), file_name=path.name,
                       mime=MIME.get(path.suffix.lstrip("."), "application/octet-stream"), key="download_minutes",
                       icon=":material/download:")

st.header("3. You said, we did")
st.caption("A short note for the invited customers: what was raised, what was decided and done, with dates, and "
           "when the next meeting reports back. Always anonymised (Chatham House Rule); checked for jargon.")
st.button("Write the follow-up note", key="export_followup", on_click=_export_followup, args=(meeting_id,),
          icon=":material/forward_to_inbox:")
show_messages("followup")
note_path = st.session_state.get("followup_export")
if note_path and Path(note_path).exists() and minutes.is_export_of(Path(note_path).name, meeting_id):
    note = Path(note_path)
    for message in st.session_state.get("followup_jargon") or []:
        st.warning(message, icon=":material/translate:")
    st.download_button(f"Download {note.name}", data=note.read_bytes(), file_name=note.name,
                       mime=MIME.get(note.suffix.lstrip("."), "application/octet-stream"), key="download_followup",
                       icon=":material/download:")
