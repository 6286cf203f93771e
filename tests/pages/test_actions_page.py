"""The Actions page: the register drawn, and a closed meeting's action closed from the page, audited."""
from support.gm_app import open_as_gm

from meeting import store
from meeting.minutes.actions import status_history


def test_actions_page_changes_a_closed_meetings_action(demo_db):
    at = open_as_gm("actions.py", unit_id=1, meeting_id=2)
    assert at.dataframe  # the register is drawn
    # Action 4 comes from the closed October meeting (the demo's "Call Brightwater's depot managers ...").
    at.selectbox(key="action_status_4").set_value("done").run()
    assert not at.exception
    assert any("recorded" in s.value for s in at.success)
    db = store.open_db(demo_db)
    try:
        assert db.execute("SELECT status FROM minutes_entries WHERE id = 4").fetchone()[0] == "done"
        assert [(h.old_status, h.new_status) for h in status_history(db, 4)] == [("open", "done")]
    finally:
        db.close()
