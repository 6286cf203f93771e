"""The sign-in gate, the Run page and the Join page through the real app (AppTest)."""
import datetime as dt
from pathlib import Path

import pytest
from support.gm_app import post_sign_in
from support.live_pages import APP, INTERNAL, MARKDOWN, PASSCODE, XSS, all_text, app, as_gm, join, seed_env, signed_in, texts
from support.table_rows import count_rows, get_row

from meeting import live, minutes, store
from meeting.store import meetings
from meeting.text import escape_for_streamlit

# Every page drawn, and the live room joined, on both engines in the default run (issue 23: page tests on
# PostgreSQL too; the whole page suite runs there with `make test-postgresql`).
pytestmark = pytest.mark.both_engines


@pytest.fixture
def env(db_path, monkeypatch):
    yield from seed_env(db_path, monkeypatch)


def shows_the_form(at) -> bool:
    return any('action="/auth/sign-in"' in element.value for element in at.html)


def test_gate_refuses_a_wrong_passcode_and_admits_the_right_one(env):
    at = app()
    at.run()
    form = next(e.value for e in at.html if "oi-sign-in" in e.value)
    assert '<label for="oi-email">Email</label>' in form and '<label for="oi-password">Password</label>' in form
    assert 'type="password"' in form and "Sign in</button>" in form
    assert not at.sidebar.selectbox  # no unit/meeting picker before signing in
    refused = post_sign_in("", "guess")
    assert "refused=password" in refused.headers["location"] and "outside_in_session" not in refused.cookies
    admitted = post_sign_in("", PASSCODE)  # Email left empty: the built-in admin account
    signed = app()
    signed.session_state["session_token"] = admitted.cookies["outside_in_session"]
    signed.run()
    assert not signed.exception and signed.session_state["user"].email == "admin"
    assert not shows_the_form(signed)  # the form is gone: the GM's Home page and the sidebar picker are drawn
    assert signed.sidebar.selectbox(key="unit_id")
    assert "password" not in signed.session_state  # the password never reaches the script at all


def test_gm_pages_are_unreachable_without_the_passcode(env):
    _, unit, meeting = env
    at = app(unit_id=unit, meeting_id=meeting)
    at.run()
    at.switch_page("views/run.py").run()  # a deep link: the address is kept, the sign-in form drawn instead
    assert "Start the meeting" not in all_text(at) and shows_the_form(at)
    assert "Testland" not in all_text(at)


def test_no_pages_folder_beside_app_py():
    """Regression: with a pages/ folder beside app.py, a freshly started server ran pages/x.py for a direct
    request (Streamlit's old pages-directory mode), skipping app.py and its passcode gate, until some session
    had called st.navigation. The page scripts live in views/ for that reason."""
    assert not (Path(APP).parent / "pages").exists()


def test_repeated_wrong_passcodes_are_slowed_down(env):
    for _ in range(6):
        post_sign_in("", "guess")
    held_back = post_sign_in("", PASSCODE)
    assert "refused=wait" in held_back.headers["location"] and "outside_in_session" not in held_back.cookies
    at = app()
    at.query_params["refused"], at.query_params["seconds"] = "wait", "30"
    at.run()
    assert "wait 30 s" in at.error[0].value and not signed_in(at)


def test_without_a_configured_passcode_one_is_generated_and_works(db_path, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("OUTSIDE_IN_PASSCODE", raising=False)
    monkeypatch.setattr("meeting.accounts.passcode.SECRETS_PATH", tmp_path / "none.toml")
    at = app()
    at.run()
    printed = capsys.readouterr().out
    [generated] = [w for w in printed.split() if w.count("-") == 3 and len(w) == 19]
    at.run()
    assert generated not in capsys.readouterr().out  # printed once only
    response = post_sign_in("admin", generated.lower())
    assert response.status_code == 303 and "outside_in_session" in response.cookies


def test_signing_out_returns_to_the_form(env):
    _, unit, meeting = env
    at = as_gm(unit, meeting, "views/home.py")
    token = at.session_state["session_token"]
    at.sidebar.button(key="sign_out").click().run()
    assert shows_the_form(at)
    from meeting import accounts
    db = store.open_db()
    assert accounts.resume_session(db, token) is None  # the session is dead, wherever its cookie was copied
    db.close()


# --- the Run page --------------------------------------------------------------------------------------------

def test_run_page_starts_advances_and_closes(env):
    db, unit, meeting = env
    at = as_gm(unit, meeting)
    at.button(key="start_meeting").click().run()
    assert not at.exception, at.exception
    row = meetings.get_meeting(db, meeting)
    assert row["status"] == "live"
    shown = all_text(at)
    assert live.format_code(row["join_code"]) in shown
    assert f"/join?code={live.format_code(row['join_code'])}" in shown
    assert "".join(e.value for e in at.html).count('alt="QR code: scan to join the meeting at ') == 1  # the QR code
    assert "Start the meeting" not in shown
    assert "# Customer" in [m.value for m in at.markdown]
    at.button(key="next_section").click().run()
    assert meetings.get_meeting(db, meeting)["current_section"] == "employees"
    assert "# Employees" in [m.value for m in at.markdown]
    at.button(key="previous_section").click().run()
    assert meetings.get_meeting(db, meeting)["current_section"] == "customer"
    at.button(key="close_meeting").click().run()
    assert meetings.get_meeting(db, meeting)["status"] == "closed"
    assert "read-only" in at.info[0].value
    assert not [b for b in at.button if b.key in ("next_section", "capture_submit")]


def test_run_page_captures_notes_and_actions_with_participants(env, any_day):
    # Regression (issue 19): a hard-coded due date fell behind the page's min_value=today on 2 December.
    db, unit, meeting = env
    due = (any_day + dt.timedelta(days=11)).isoformat()
    live.start_meeting(db, meeting)
    at = as_gm(unit, meeting)
    assert at.selectbox(key=f"capture_owner_{meeting}").options == ["Gina GM", "Omar Ops"]
    at.radio(key=f"capture_kind_{meeting}").set_value("action")
    at.text_area(key=f"capture_text_{meeting}").set_value("Call back every detractor within 48 h")
    at.selectbox(key=f"capture_speaker_{meeting}").set_value("Gina GM")
    at.selectbox(key=f"capture_owner_{meeting}").set_value("Omar Ops")
    at.date_input(key=f"capture_due_{meeting}").set_value(due)
    at.button(key="capture_submit").click().run()
    assert not at.exception, at.exception
    [entry] = minutes.list_entries(db, meeting)
    assert (entry["section"], entry["kind"], entry["text"], entry["speaker"], entry["owner"], entry["due_on"]) == \
        ("customer", "action", "Call back every detractor within 48 h", "Gina GM", "Omar Ops", due)
    assert at.text_area(key=f"capture_text_{meeting}").value == ""  # cleared for the next one
    at.button(key="capture_submit").click().run()  # empty: refused with a message
    assert "needs some text" in at.error[0].value and len(minutes.list_entries(db, meeting)) == 1


def test_run_page_shows_contributions_literally_and_moderates_them(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    xss = live.add_contribution(db, meeting, "customer", XSS, 1, "tok", "Eve <b>")
    md = live.add_contribution(db, meeting, "customer", MARKDOWN, 2, "tok2", "**Mallory**")
    at = as_gm(unit, meeting)
    assert XSS in texts(at) and MARKDOWN in texts(at)  # st.text: shown exactly as typed
    captions = [c.value for c in at.caption]
    # Display names are shown as typed, marked as a guest's own words (never as if a roster person).
    assert any(c.startswith(escape_for_streamlit("“Eve <b>” (as given by a guest)")) for c in captions)
    assert any(c.startswith(r"“\*\*Mallory\*\*” \(as given by a guest\)") for c in captions)
    at.button(key=f"note_{xss}").click().run()
    at.selectbox(key=f"action_owner_{md}").set_value("Gina GM")
    at.button(key=f"action_{md}").click().run()
    entries = minutes.list_entries(db, meeting)
    assert [(e["kind"], e["text"], e["owner"]) for e in entries] == [("note", XSS, None), ("action", MARKDOWN, "Gina GM")]
    at.button(key=f"hide_{md}").click().run()
    assert get_row(db, "contributions", md)["hidden"] == 1
    assert [e["text"] for e in minutes.list_entries(db, meeting)] == [XSS]
    assert not [b for b in at.button if b.key == f"note_{md}"]  # a hidden one cannot be made a note
    at.button(key=f"hide_{md}").click().run()  # now "Unhide"
    assert get_row(db, "contributions", md)["hidden"] == 0


def test_closed_meeting_only_changes_action_status(env):
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    action = minutes.add_entry(db, meeting, "customer", "action", "Fix install delays", owner="Omar Ops")
    live.add_contribution(db, meeting, "customer", "late feedback", 3, "tok")
    live.close_meeting(db, meeting)
    at = as_gm(unit, meeting)
    keys = {b.key for b in at.button}
    assert not keys & {"start_meeting", "next_section", "previous_section", "close_meeting", "capture_submit"}
    assert not any(k and k.startswith(("hide_", "note_", "action_")) for k in keys)
    assert "late feedback" in texts(at)
    at.selectbox(key=f"status_{action}_open").set_value("done").run()
    assert not at.exception
    assert get_row(db, "minutes_entries", action)["status"] == "done"


# --- the Join page -------------------------------------------------------------------------------------------

def test_join_page_needs_no_passcode_and_shows_no_gm_chrome(env):
    at = join()
    assert at.text_input(key="code_input")
    assert not at.sidebar.selectbox and not at.sidebar.button
    assert not [t for t in at.text_input if t.key == "password"]


def test_wrong_code_gets_a_clear_message_and_no_data(env):
    db, _, meeting = env
    live.start_meeting(db, meeting)
    at = join("0000-0000-00")
    assert "does not open a live meeting" in at.error[0].value
    assert "Testland" not in all_text(at)
    at.text_input(key="code_input").set_value("nonsense")
    at.button(key="join_submit").click().run()
    assert "10 letters and digits" in at.error[0].value
    assert not [t for t in at.text_area if t.key == "contribution_text"]


def test_closed_meeting_code_gets_a_clear_message_and_no_data(env):
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    live.add_contribution(db, meeting, "customer", "RIVAL CUSTOMER SECRET", 1, "other")
    live.close_meeting(db, meeting)
    at = join(live.format_code(code))
    assert at.error[0].value == live.CLOSED_MESSAGE
    assert "Testland" not in all_text(at) and "RIVAL" not in all_text(at)


def test_typed_code_opens_the_meeting_and_shows_only_customer_things(env):
    db, unit, meeting = env
    code = live.start_meeting(db, meeting)
    live.add_contribution(db, meeting, "customer", "RIVAL CUSTOMER SECRET", 1, "other", "Rival Co")
    minutes.add_entry(db, meeting, "customer", "note", "GM private note", speaker="Gina GM")
    at = join()
    at.text_input(key="code_input").set_value(" " + live.format_code(code).lower().replace("-", " "))
    at.button(key="join_submit").click().run()
    assert not at.exception, at.exception
    assert escape_for_streamlit("Testland November") in [m.value.strip("*") for m in at.markdown]
    shown = all_text(at)
    assert "Customer → Employees → Operations → Marketing → Sales → Finance" in shown
    assert "How customer-focused are we?" in shown
    for secret in INTERNAL + ["Gina GM", "Omar Ops"]:
        assert secret not in shown, secret
    assert at.query_params["code"] == live.format_code(code)


def test_contributions_are_stored_refused_and_shown_back_literally(env):
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    live.set_room_settings(db, meeting, interval_seconds=0, premoderate=False)  # pace: its own test
    at = join(live.format_code(code))
    at.button(key="contribution_submit").click().run()
    assert "empty" in at.error[0].value
    at.text_area(key="contribution_text").set_value("y" * 2001)
    at.button(key="contribution_submit").click().run()
    assert "2,000 characters or fewer" in at.error[0].value
    assert at.text_area(key="contribution_text").value == "y" * 2001  # not thrown away: they can shorten it
    assert count_rows(db, "contributions") == 0
    at.text_input(key="display_name").set_value("Ana")
    for text, rating in [(XSS, 1), (MARKDOWN, 5)]:
        at.text_area(key="contribution_text").set_value(text)
        at.radio(key="contribution_rating").set_value(rating)
        at.button(key="contribution_submit").click().run()
        assert not at.exception and "Thank you" in at.success[0].value
    rows = live.list_contributions(db, meeting)
    assert [(r["text"], r["rating"], r["display_name"], r["section"]) for r in rows] == \
        [(XSS, 1, "Ana", "customer"), (MARKDOWN, 5, "Ana", "customer")]
    assert texts(at) == [MARKDOWN, XSS]  # their own, newest first, exactly as typed
    assert at.text_area(key="contribution_text").value == ""


def test_join_page_follows_the_meeting_and_stops_when_it_closes(env):
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    at = join(live.format_code(code))
    live.advance_section(db, meeting)
    at.run()
    assert "Employees" in [h.value for h in at.subheader]
    at.text_area(key="contribution_text").set_value("about staff")
    at.button(key="contribution_submit").click().run()
    assert live.list_contributions(db, meeting)[0]["section"] == "employees"
    live.close_meeting(db, meeting)
    at.run()
    assert at.error[0].value == live.CLOSED_MESSAGE
    assert "Testland" not in all_text(at) and "about staff" not in all_text(at)


@pytest.mark.parametrize("answer, filed_under", [("shown", "customer"), ("current", "employees")])
def test_a_draft_sent_after_the_meeting_moved_on_asks_which_section(env, answer, filed_under):
    # Issue 26: a contribution typed during one section and sent after the GM moved on was filed under the new
    # section, with no word to the customer.
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    live.set_room_settings(db, meeting, interval_seconds=0, premoderate=False)
    at = join(live.format_code(code))  # the page shows Customer; the customer starts typing
    at.text_area(key="contribution_text").set_value("The installer never called ahead")
    live.advance_section(db, meeting, from_section="customer")  # the GM moves on meanwhile
    at.button(key="contribution_submit").click().run()
    assert not at.exception, at.exception
    assert live.list_contributions(db, meeting) == []  # asked first, nothing stored
    [question] = [w.value for w in at.warning if "moved on" in w.value]
    assert "from Customer to Employees" in question
    labels = {b.key: b.label for b in at.button if (b.key or "").startswith("send_to_")}
    assert labels == {"send_to_shown": "Send it to Customer", "send_to_current": "Send it to Employees"}
    at.button(key=f"send_to_{answer}").click().run()
    assert [(r["text"], r["section"]) for r in live.list_contributions(db, meeting)] == \
        [("The installer never called ahead", filed_under)]
    assert not [w for w in at.warning if "moved on" in w.value]
    assert at.text_area(key="contribution_text").value == ""
    # The next draft belongs to the section shown now: sent without a question.
    at.text_area(key="contribution_text").set_value("Staff were kind")
    at.button(key="contribution_submit").click().run()
    assert live.list_contributions(db, meeting)[-1]["section"] == "employees"


def test_the_question_is_asked_in_the_customers_language(env):
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    at = join(live.format_code(code))
    at.selectbox(key="join_language").set_value("fr").run()
    at.text_area(key="contribution_text").set_value("Trop d'attente")
    live.advance_section(db, meeting, from_section="customer")
    at.button(key="contribution_submit").click().run()
    assert any("de Client à Collaborateurs" in w.value for w in at.warning), [w.value for w in at.warning]


def test_an_action_status_changed_elsewhere_is_shown_as_stored(env):
    # Issue 26: the select box kept the status this session last saw after the Actions page had changed it.
    db, unit, meeting = env
    live.start_meeting(db, meeting)
    action = minutes.add_entry(db, meeting, "customer", "action", "Fix install delays", owner="Omar Ops")
    at = as_gm(unit, meeting)
    assert at.selectbox(key=f"status_{action}_open").value == "open"
    minutes.set_action_status(db, action, "done")  # another GM, on the Actions page
    at.run()
    assert at.selectbox(key=f"status_{action}_done").value == "done"
    at.selectbox(key=f"status_{action}_done").set_value("open").run()
    assert get_row(db, "minutes_entries", action)["status"] == "open"
