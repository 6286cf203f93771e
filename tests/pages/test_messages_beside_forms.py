"""Messages appear beside the control that caused them (issue 16), not at the top of the page out of sight."""
from support.gm_app import open_as_gm

from meeting import store


def block(at, label):
    return next(e for e in at.expander if e.label == label)


def submit(at, label):
    next(b for b in at.button if b.label == label).click().run()


def messages(node) -> list[str]:
    return [m.value for kind in ("error", "success", "info", "warning") for m in getattr(node, kind)]


def test_a_refused_new_meeting_is_explained_inside_the_new_meeting_form(prepared):
    at = open_as_gm("prepare.py", unit_id=prepared[0], meeting_id=prepared[1])
    at.text_input(key="new_period").set_value("next month")
    submit(at, "Create meeting")
    assert not at.exception
    beside = block(at, "New meeting").error
    assert len(beside) == 1 and ("next month" in beside[0].value or "YYYY-MM" in beside[0].value)
    assert [e.value for e in at.error] == [beside[0].value]  # shown once, there, and nowhere else


def test_an_invitation_is_confirmed_inside_the_participants_block_and_a_refusal_too(prepared):
    at = open_as_gm("prepare.py", unit_id=prepared[0], meeting_id=prepared[1])
    participants = next(e for e in at.expander if e.label.startswith("Participants"))
    assert messages(participants) == []
    submit(at, "Invite")  # no name: refused
    participants = next(e for e in at.expander if e.label.startswith("Participants"))
    assert participants.error and not block(at, "New meeting").error
    at.text_input(key=f"participant_name_{prepared[1]}").set_value("Ana Client")
    at.selectbox(key=f"participant_kind_{prepared[1]}").set_value("customer")
    submit(at, "Invite")
    participants = next(e for e in at.expander if e.label == "Participants")
    assert "1 on this meeting's list." in [c.value for c in participants.caption]
    assert len(participants.success) == 1 and "Invited Ana Client" in participants.success[0].value
    assert [m.value for m in at.success if "Invited" in m.value] == [participants.success[0].value]  # once, there


def test_a_refused_agenda_item_is_explained_in_its_own_section(prepared):
    at = open_as_gm("prepare.py", unit_id=prepared[0], meeting_id=prepared[1])
    at.button(key="add_item_finance").click().run()  # no title
    order = [(node.type, getattr(node, "value", "")) for node in at.main.children.values()]
    error_at = next(i for i, (kind, text) in enumerate(order) if "needs a title" in str(text))
    finance_at = next(i for i, (kind, text) in enumerate(order) if str(text).startswith("6. Finance"))
    sales_at = next(i for i, (kind, text) in enumerate(order) if str(text).startswith("5. Sales"))
    assert sales_at < finance_at < error_at  # in the Finance section, below its Add item button


def test_a_unit_without_metrics_is_told_there_are_no_metrics_yet_not_that_all_is_well(prepared, db_path):
    db = store.open_db(db_path)
    with store.write_transaction(db):
        db.execute("DELETE FROM metrics")
    db.close()
    at = open_as_gm("prepare.py", unit_id=prepared[0], meeting_id=prepared[1])
    shown = " ".join(messages(at))
    assert "No metrics for this month yet" in shown
    assert "No watermelons" not in shown


def order_of(at) -> list[tuple[str, str]]:
    """The page's top-level elements in order, as (type, text)."""
    return [(node.type, str(getattr(node, "value", getattr(node, "label", "")))) for node in at.main.children.values()]


def test_a_refused_minutes_entry_is_explained_under_the_capture_form(prepared):
    from meeting import live

    db = store.open_db()
    live.start_meeting(db, prepared[1])
    db.close()
    at = open_as_gm("run.py", unit_id=prepared[0], meeting_id=prepared[1])
    at.button(key="capture_submit").click().run()  # nothing written: refused
    assert not at.exception
    order = order_of(at)
    minutes_at = next(i for i, (kind, text) in enumerate(order) if text == "Minutes")
    error_at = next(i for i, (kind, text) in enumerate(order) if kind == "error")
    assert minutes_at < error_at  # under the Minutes form, not at the top of the page
    assert len(at.error) == 1


def test_taxonomy_refusals_appear_beside_the_save_button_that_caused_them(db_path, tmp_path, monkeypatch):
    from meeting.evidence import taxonomy

    def refuse(rows):
        raise ValueError("Row 3: a theme needs a section")

    monkeypatch.setattr(taxonomy, "save_touchpoints", refuse)
    at = open_as_gm("taxonomy.py")
    at.button(key="save_touchpoints").click().run()
    order = order_of(at)
    themes_at = next(i for i, (kind, text) in enumerate(order) if text == "Touchpoints")
    error_at = next(i for i, (kind, text) in enumerate(order) if kind == "error")
    assert themes_at < error_at and "Row 3" in at.error[0].value
