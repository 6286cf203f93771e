"""Actions: every action of every meeting of the unit, overdue first; statuses change in the table itself.

Thin: the register and the audited status change are meeting.minutes.actions.
"""
import pandas as pd
import streamlit as st

from meeting.minutes import ACTION_STATUSES, NO_DUE_DATE, NO_OWNER
from meeting.minutes import actions as register
from meeting.store import data_version
from views.page import act, chosen_unit, database, show_messages

OVERDUE_MARK = "⚠ overdue"


def table_key(version: int) -> str:
    """The editor's key carries the data's change counter and this session's round of edits: after any write
    (here or elsewhere), or a refused edit, it starts fresh from the stored statuses instead of replaying its
    earlier edits onto new rows (or retrying a refusal on every redraw)."""
    return f"actions_table_{version}_{st.session_state.get('actions_table_round', 0)}"


def apply_status_edits(ids: list[int], shown: list[str], edited: list[str]) -> bool:
    """The table's Status cells are edited in place; each change goes through the audited status change.
    Read from the editor's returned table (not a callback), so a seeded edit state applies the same way."""
    changed = [(entry_id, new) for entry_id, old, new in zip(ids, shown, edited) if new != old]
    if changed:
        st.session_state["actions_table_round"] = st.session_state.get("actions_table_round", 0) + 1
    for entry_id, status in changed:
        act(register.change_status, entry_id, status, where="actions",
            success="Status changed (recorded in the action's history).")
    return bool(changed)


st.title("Actions")
st.caption("Every action from every meeting of this unit: who owns it, when it is due, and how many meetings it "
           "has been open. A closed meeting's actions can still change status; each change is recorded.")
unit_id = chosen_unit()

only_open = st.toggle("Open actions only", key="actions_open_only")
anonymised = st.toggle("Owners by group (as in circulated minutes)", key="actions_anonymised")
with database() as db:
    items = register.action_register(db, unit_id, open_only=only_open, anonymised=anonymised)
    history = register.status_history(db, unit_id=unit_id)
    version = data_version(db)

show_messages("actions")
if not items:
    st.info("No actions recorded for this unit yet: capture them on the Run page during a meeting.")
    st.stop()

overdue = sum(1 for a in items if a.overdue)
open_count = sum(1 for a in items if a.status == "open")
left, right = st.columns(2)
left.metric("Open", open_count)
right.metric("Overdue", overdue)

# A marker, not a grey checkbox: overdue reads at a glance; an action nobody owns or without a date says so.
table = pd.DataFrame([{"Overdue": OVERDUE_MARK if a.overdue else "", "Action": a.text,
                       "Owner": a.owner or (f"⚠ {NO_OWNER}" if NO_OWNER in a.missing else ""),
                       "Due": a.due_on or (f"⚠ {NO_DUE_DATE}" if NO_DUE_DATE in a.missing else ""),
                       "Status": a.status, "From meeting": a.held_on, "Open for": a.meetings_open} for a in items])
key = table_key(version)
# Only Status is editable, in place.
# Widths that add up to 815 px, less than a 1280 px screen's frame with the sidebar open: Streamlit spreads what
# is left over the columns on a wider screen. The action's words get the most; its section is left to the
# minutes (and `actions --json`), so the table fits instead of scrolling sideways.
columns = {
    "Overdue": st.column_config.TextColumn("Overdue", width=80),
    "Action": st.column_config.TextColumn("Action", width=350),
    "Owner": st.column_config.TextColumn("Owner", width=90),
    "Due": st.column_config.TextColumn("Due", width=85),
    "Status": st.column_config.SelectboxColumn("Status", options=list(ACTION_STATUSES), required=True, width=70,
                                               help="Change it here: each change is recorded"),
    "From meeting": st.column_config.TextColumn("From meeting", width=85),
    "Open for": st.column_config.NumberColumn("Open for", width=55, help="Meetings held since, while it stayed open"),
}
edited = st.data_editor(table, key=key, hide_index=True, width="stretch", num_rows="fixed", column_config=columns,
                        disabled=[column for column in table.columns if column != "Status"])
if apply_status_edits([a.id for a in items], table["Status"].tolist(), edited["Status"].tolist()):
    st.rerun()  # redrawn from the store: the counter moved, so the editor starts fresh with the new statuses

if history:
    with st.expander(f"Status history ({len(history)} change{'s' if len(history) != 1 else ''})"):
        texts = {a.id: a.text for a in items}
        st.dataframe(pd.DataFrame([{"When (UTC)": h.changed_at, "Action": texts.get(h.entry_id, f"#{h.entry_id}"),
                                    "From": h.old_status, "To": h.new_status} for h in history]),
                     hide_index=True, width="stretch")
