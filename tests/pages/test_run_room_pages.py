"""Issue 13 through the real app (AppTest): stale moves, capture, conversions, the Room page, a vanished item."""
import pytest
from support.live_pages import all_text, app, as_gm, join, seed_env, texts

from meeting import agenda, live, minutes
from meeting.store import meetings


@pytest.fixture
def env(db_path, monkeypatch):
    yield from seed_env(db_path, monkeypatch)


def test_a_stale_next_is_refused_with_a_message_and_the_page_redraws(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    at = as_gm(unit, meeting)  # this GM's page shows Customer
    live.advance_section(db, meeting, from_section="customer")  # the other GM moves on
    at.button(key="next_section").click().run()
    assert not at.exception, at.exception
    assert meetings.get_meeting(db, meeting)["current_section"] == "employees"  # moved once, not twice
    assert "already at Employees" in at.error[0].value
    assert "# Employees" in [m.value for m in at.markdown]  # redrawn where the meeting is


def test_capture_resets_the_form_and_says_where_a_stale_entry_went(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    at = as_gm(unit, meeting)
    at.button(key="capture_submit").click().run()  # empty
    assert "needs some text" in at.error[0].value
    at.text_area(key=f"capture_text_{meeting}").set_value("Agreed to call back detractors")
    at.selectbox(key=f"capture_speaker_{meeting}").set_value("Gina GM")
    at.selectbox(key=f"capture_owner_{meeting}").set_value("Omar Ops")
    at.date_input(key=f"capture_due_{meeting}").set_value("2030-12-01")
    live.advance_section(db, meeting, from_section="customer")  # moved while the GM typed
    at.button(key="capture_submit").click().run()
    assert not at.exception, at.exception
    [entry] = minutes.list_entries(db, meeting)
    assert (entry["section"], entry["speaker"]) == ("customer", "Gina GM")
    [stale] = [w.value for w in at.warning if "Filed under" in w.value]
    assert "Filed under Customer" in stale and "moved to Employees" in stale
    assert (at.selectbox(key=f"capture_speaker_{meeting}").value, at.selectbox(key=f"capture_owner_{meeting}").value,
            at.date_input(key=f"capture_due_{meeting}").value, at.text_area(key=f"capture_text_{meeting}").value) == \
        (None, None, None, "")


def test_a_converted_contribution_shows_its_entry_and_cannot_be_converted_again(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    cid = live.add_contribution(db, meeting, "customer", "Faster call-backs please", 2, "tok")
    at = as_gm(unit, meeting)
    at.button(key=f"note_{cid}").click().run()
    [entry] = minutes.list_entries(db, meeting)
    assert f"in the minutes as note #{entry['id']}" in all_text(at)
    assert not [b for b in at.button if b.key in (f"note_{cid}", f"action_{cid}")]


def test_a_deleted_agenda_item_edited_elsewhere_gives_a_message(env):
    """Regression (issue 13): sqlite_utils NotFoundError with a full traceback replaced the page."""
    db, unit, meeting = env
    item = agenda.add_item(db, meeting, "customer", "Detractor call-backs")
    at = as_gm(unit, meeting, page="views/prepare.py")
    agenda.delete_item(db, item)  # the other GM deletes it
    at.text_input(key=f"item_title_{item}").set_value("Detractor call-backs, by region").run()
    assert not at.exception, at.exception
    assert any("no longer exists" in e.value for e in at.error)


def test_room_page_is_read_only_and_shows_only_approved_contributions(env):
    db, unit, meeting = env
    code = live.start_meeting(db, meeting)
    live.set_room_settings(db, meeting, interval_seconds=0, premoderate=True)
    live.contribute_by_code(db, code, "Waiting for approval", 2, "tok-a", "Secret Name")
    approved = live.add_contribution(db, meeting, "customer", "Please phone back", 4, "tok-b", "Other Name")
    live.approve_contribution(db, approved)
    at = as_gm(unit, meeting, page="views/room.py")
    assert not at.exception, at.exception
    shown = all_text(at)
    screen = "".join(element.value for element in at.html)
    assert live.format_code(code) in screen and "<h1>Customer</h1>" in screen
    assert texts(at) == ["Please phone back"]
    assert "Secret Name" not in shown and "Other Name" not in shown
    main_controls = [w for kind in ("button", "text_input", "text_area", "radio", "toggle")
                     for w in at.get(kind) if w.key != "sign_out"]
    assert main_controls == []
    assert screen.count('alt="QR code: scan to join the meeting at ') == 1  # the QR code, with its text alternative
    assert "Secret Name" not in screen and "Other Name" not in screen


@pytest.mark.parametrize("language, send, label", [
    ("fr", "Envoyer", "Votre contribution à cette section"), ("de", "Senden", "Ihr Beitrag zu diesem Abschnitt"),
    ("es", "Enviar", "Su aportación a esta sección"), ("nl", "Verzenden", "Uw bijdrage aan dit onderdeel"),
    ("en", "Send", "Your contribution to this section")])
def test_join_page_speaks_the_chosen_language(env, language, send, label):
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    at = app(join_language=language)
    at.query_params["code"] = live.format_code(code)
    at.run()
    at.switch_page("views/join.py").run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button if b.key == "contribution_submit"] == [send]
    assert at.text_area(key="contribution_text").label == label
    at.text_area(key="contribution_text").set_value("x" * 2001)
    at.button(key="contribution_submit").click().run()
    assert at.text_area(key="contribution_text").value == "x" * 2001  # refused, kept, explained in the language
    assert ("2,000" if language == "en" else "2") in at.error[0].value


def test_a_reload_keeps_the_customer_own_contributions(env):
    """Regression (issue 13): a customer who reloaded lost "What you have sent". The device token rides in an
    HttpOnly cookie (issue 22), not in the link: a new session with the same cookie finds them again. AppTest
    sends no cookies, so the reload carries the token where the page keeps the cookie's value."""
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    first = join(live.format_code(code))
    assert "device" not in first.query_params
    device = first.session_state["author_token"]
    first.text_area(key="contribution_text").set_value("Sent before the reload")
    first.button(key="contribution_submit").click().run()
    reloaded = app(author_token=device)
    reloaded.query_params["code"] = live.format_code(code)
    reloaded.run()
    reloaded.switch_page("views/join.py").run()
    assert "Sent before the reload" in texts(reloaded)
    stranger = join(live.format_code(code))
    assert "Sent before the reload" not in texts(stranger)


def _fixed_height_blocks(node) -> list[str]:
    found = []
    proto = getattr(node, "proto", None)
    if proto is not None and type(proto).__name__ == "Block" and "pixel_height" in str(proto):
        found.append(str(proto.id))
    for child in getattr(node, "children", {}).values():
        found += _fixed_height_blocks(child)
    return found


def test_contributions_are_a_list_that_grows_with_the_page(env):
    # Issue 26: more than three contributions went into a 520 px inner scroll box (two cards visible at a time).
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    for number in range(6):
        live.add_contribution(db, meeting, "customer", f"Contribution number {number}", 3, f"token-{number}")
    at = as_gm(unit, meeting)
    assert [t for t in texts(at) if t.startswith("Contribution number")] == [f"Contribution number {n}"
                                                                             for n in reversed(range(6))]
    assert _fixed_height_blocks(at.main) == []
