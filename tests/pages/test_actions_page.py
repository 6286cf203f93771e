"""The Actions page: the register drawn, and a closed meeting's action closed in the table itself, audited."""
from support.gm_app import open_as_gm

from meeting import store
from meeting.minutes.actions import status_history


def register_table(at):
    [table] = [frame for frame in at.dataframe if (frame.key or "").startswith("actions_table_")]
    return table


def test_actions_page_changes_a_closed_meetings_action_inline(demo_db):
    at = open_as_gm("actions.py", unit_id=1, meeting_id=2)
    table = register_table(at)
    assert table.editing_mode == "fixed"  # an editor: Status changes in its cell
    rows = table.value
    # Action 4 comes from the closed October meeting (the demo's "Call Brightwater's depot managers ...").
    db = store.open_db(demo_db)
    text = db.execute("SELECT text FROM minutes_entries WHERE id = 4").fetchone()[0]
    db.close()
    row = rows.index[rows["Action"] == text][0]
    at.session_state[table.key] = {"edited_rows": {int(row): {"Status": "done"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert any("recorded" in s.value for s in at.success)
    db = store.open_db(demo_db)
    try:
        assert db.execute("SELECT status FROM minutes_entries WHERE id = 4").fetchone()[0] == "done"
        assert [(h.old_status, h.new_status) for h in status_history(db, 4)] == [("open", "done")]
    finally:
        db.close()
    # A fresh editor (new key) shows the stored status; the old edit is not replayed onto the new rows.
    table = register_table(at)
    assert table.value.loc[table.value["Action"] == text, "Status"].tolist() == ["done"]


def test_overdue_is_a_marker_and_missing_owner_or_date_is_flagged(demo_db):
    at = open_as_gm("actions.py", unit_id=1, meeting_id=2)
    db = store.open_db(demo_db)
    from meeting.minutes import add_entry

    add_entry(db, 2, "finance", "action", "Check the refund backlog")  # no owner, no date
    db.close()
    at.run()
    rows = register_table(at).value
    assert rows["Overdue"].dtype != bool and set(rows["Overdue"]) <= {"", "⚠ overdue"}
    assert (rows["Overdue"] == "⚠ overdue").sum() == int(at.metric[1].value)  # the metric counts the markers
    bare = rows[rows["Action"] == "Check the refund backlog"].iloc[0]
    assert (bare["Owner"], bare["Due"]) == ("⚠ no owner", "⚠ no due date")


def test_a_refused_inline_change_is_explained_once_and_not_retried_on_every_redraw(demo_db):
    at = open_as_gm("actions.py", unit_id=1, meeting_id=2)
    table = register_table(at)
    at.session_state[table.key] = {"edited_rows": {0: {"Status": "bogus"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert any("must be one of" in e.value for e in at.error)
    at.run()  # the next redraw starts from the stored statuses: no second refusal
    assert not at.error
