"""Documents: the chosen meeting's anonymised minutes and its pre-read, to read or circulate.

The one page a viewer has; GMs and admins see it too. Every file comes from ``meeting.render`` with the
signed-in user passed down, so the unit check and the audit happen in the domain, not here.
"""
import contextlib
import functools

import streamlit as st

from meeting import accounts, agenda, minutes, render, store
from meeting.store import meetings
from views.page import current_user, database, db_path, require_meeting

MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "md": "text/markdown"}


def minutes_bytes(path: str, meeting_id: int, fmt: str, user) -> bytes:
    """Runs when the download is clicked (no session state there: the user is passed in)."""
    with contextlib.closing(store.open_db(path)) as db:
        return render.minutes_document(db, meeting_id, fmt=fmt, user=user)[1]


def preread_bytes(path: str, meeting_id: int, fmt: str, user) -> bytes:
    with contextlib.closing(store.open_db(path)) as db:
        accounts.require_meeting(db, user, meeting_id)
        return render.render_preread(agenda.build_agenda(db, meeting_id), fmt)


st.title("Documents")
meeting_id = st.session_state.get("meeting_id")
if meeting_id is None:
    st.info("Choose a meeting in the sidebar: its anonymised minutes and its pre-read are offered here.")
    st.stop()
require_meeting(meeting_id)
user = current_user()
with database() as db:
    meeting = meetings.get_meeting(db, meeting_id)
st.caption(f"{meeting['held_on']} · {meeting['title']} · {meeting['status']}")

st.subheader("Minutes, anonymised")
st.write("Under the Chatham House Rule: what was said, never who said it. Names of participants, emails, phone "
         "and account numbers are replaced.")
stem = minutes.file_stem(meeting, internal=False)
left, right = st.columns(2)
for column, fmt, label in ((left, "docx", "Word (.docx)"), (right, "md", "Markdown (.md)")):
    column.download_button(f"Minutes: {label}", key=f"documents_minutes_{fmt}", file_name=f"{stem}.{fmt}", mime=MIME[fmt],
                           data=functools.partial(minutes_bytes, db_path(), meeting_id, fmt, user),
                           icon=":material/download:")

st.subheader("Pre-read")
st.write("The agenda and the evidence behind each section, sent before the meeting.")
left, right = st.columns(2)
for column, fmt, label in ((left, "docx", "Word (.docx)"), (right, "md", "Markdown (.md)")):
    column.download_button(f"Pre-read: {label}", key=f"documents_preread_{fmt}",
                           file_name=f"meeting-{meeting_id}-{meeting['held_on']}-preread.{fmt}", mime=MIME[fmt],
                           data=functools.partial(preread_bytes, db_path(), meeting_id, fmt, user),
                           icon=":material/download:")
