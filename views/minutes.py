"""Minutes: review what the Chatham House Rule will replace, add terms of your own, then export.

Thin: redaction is meeting.anonymise, the minutes model and files are meeting.export. Customer text is data:
the review shows it through ``minutes_review.highlight_html``, which escapes every piece before adding <mark>.
"""
from pathlib import Path

import streamlit as st

from meeting import anonymise, minutes, render
from meeting.minutes import review as minutes_review
from meeting.sections import section_title
from meeting.store import meetings
from views.page import act, database, show_messages

FORMAT_LABELS = {"docx": "Word (.docx)", "md": "Markdown (.md)"}
KIND_LABELS = {"title": "Title", "note": "Note", "decision": "Decision", "action": "Action",
               "contribution": "Invited customer"}
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "md": "text/markdown"}


def _options() -> dict:
    state = st.session_state
    return {"internal": bool(state.get("internal")), "attribute_by_group": state.get("attribution") == "group",
            "extra_terms": anonymise.parse_extra_terms(state.get("extra_terms"))}


def _export(meeting_id: int) -> None:
    """Button callback: write the file under exports/ and remember it for the download button."""
    path = act(render.export_minutes, meeting_id, fmt=st.session_state.get("minutes_format") or "docx",
               **_options(), where="export")
    if path:
        st.session_state["minutes_export"] = str(path)


def _forget_export() -> None:
    """Options changed: the file exported before no longer matches them (an INTERNAL one must not linger)."""
    st.session_state.pop("minutes_export", None)


st.title("Minutes")
meeting_id = st.session_state.get("meeting_id")
if meeting_id is None:
    st.info("Choose a meeting in the sidebar (or create one on the Prepare page) to review and export its minutes.")
    st.stop()

options = _options()
with database() as db:
    meeting = meetings.get_meeting(db, meeting_id)
    participants = meetings.list_participants(db, meeting_id)
    model = minutes.build_minutes(db, meeting_id, **options)
    review = minutes_review.review_entries(db, meeting_id, attribute_by_group=options["attribute_by_group"],
                                   extra_terms=options["extra_terms"])

st.caption(f"{meeting['held_on']} · {meeting['status']} · {model['attendance']}")

st.subheader("1. Review what will be replaced")
if not participants:
    st.warning("Nobody is on this meeting's list, so only the patterns will be redacted (emails, phone and "
               "account numbers, names found by common first names). Add the participants on the Prepare page.")
st.text_area("Extra terms to redact for this meeting", key="extra_terms", height=80, on_change=_forget_export,
             placeholder="e.g. Leeds depot, Project Falcon",
             help="One per line or separated by commas: a site, a project, a nickname. Matched as whole words, "
                  "any case; each becomes [redacted].")
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

st.subheader("2. Export")
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
