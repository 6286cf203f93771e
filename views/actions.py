"""Actions: every action of every meeting of the unit, overdue first; statuses change here between meetings.

Thin: the register and the audited status change are meeting.minutes.actions.
"""
import pandas as pd
import streamlit as st

from meeting.minutes import ACTION_STATUSES, NO_DUE_DATE, NO_OWNER
from meeting.minutes import actions as register
from views.page import act, chosen_unit, database, show_messages


def _set_status(entry_id: int) -> None:
    act(register.change_status, entry_id, st.session_state[f"action_status_{entry_id}"], where="actions",
        success="Status changed (recorded in the action's history).")


st.title("Actions")
st.caption("Every action from every meeting of this unit: who owns it, when it is due, and how many meetings it "
           "has been open. A closed meeting's actions can still change status; each change is recorded.")
unit_id = chosen_unit()

only_open = st.toggle("Open actions only", key="actions_open_only")
anonymised = st.toggle("Owners by group (as in circulated minutes)", key="actions_anonymised")
with database() as db:
    items = register.action_register(db, unit_id, open_only=only_open, anonymised=anonymised)
    history = register.status_history(db, unit_id=unit_id)

show_messages("actions")
if not items:
    st.info("No actions recorded for this unit yet: capture them on the Run page during a meeting.")
    st.stop()

overdue = sum(1 for a in items if a.overdue)
open_count = sum(1 for a in items if a.status == "open")
left, right = st.columns(2)
left.metric("Open", open_count)
right.metric("Overdue", overdue)

table = pd.DataFrame([{"Overdue": a.overdue, "Action": a.text,
                       "Owner": a.owner or (f"⚠ {NO_OWNER}" if NO_OWNER in a.missing else ""),
                       "Due": a.due_on or (f"⚠ {NO_DUE_DATE}" if NO_DUE_DATE in a.missing else ""),
                       "Status": a.status, "From meeting": a.held_on, "Section": a.section,
                       "Meetings open": a.meetings_open} for a in items])
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"Overdue": st.column_config.CheckboxColumn("Overdue")})

st.subheader("Change a status")
for action in items:
    label = f"{'⚠ overdue · ' if action.overdue else ''}{action.text}"
    st.selectbox(label, ACTION_STATUSES, index=ACTION_STATUSES.index(action.status), key=f"action_status_{action.id}",
                 on_change=_set_status, args=(action.id,))

if history:
    with st.expander(f"Status history ({len(history)} change{'s' if len(history) != 1 else ''})"):
        texts = {a.id: a.text for a in items}
        st.dataframe(pd.DataFrame([{"When (UTC)": h.changed_at, "Action": texts.get(h.entry_id, f"#{h.entry_id}"),
                                    "From": h.old_status, "To": h.new_status} for h in history]),
                     hide_index=True, width="stretch")
