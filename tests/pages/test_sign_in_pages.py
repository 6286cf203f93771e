"""Signing in through the real app (AppTest): accounts, sessions that survive a reload, deep links, admin pages."""
import pytest
from streamlit.testing.v1 import AppTest
from support.gm_app import APP, open_as, sign_in

from meeting import accounts, store

PASSCODE = "sign-in test passcode"


@pytest.fixture
def setup(db_path, monkeypatch):
    monkeypatch.setenv("OUTSIDE_IN_PASSCODE", PASSCODE)
    db = store.open_db(db_path)
    store.get_or_create_unit(db, "Kenya")
    store.get_or_create_unit(db, "Peru")
    accounts.add_user(db, "gm@example.org", "gm", ["Kenya"], "kenya gm password")
    yield db
    db.close()


def fresh_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


def sign_in_with_form(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input(key="email").set_value(email)
    at.text_input(key="password").set_value(password)
    at.button(key="sign_in_submit").click().run()
    assert not at.exception, at.exception
    return at


def test_a_gm_signs_in_with_email_and_password_and_a_reload_keeps_them_in(setup):
    at = fresh_app()
    at.run()
    sign_in_with_form(at, "GM@example.org", "kenya gm password")
    assert at.session_state["user"].email == "gm@example.org"
    token = at.query_params["session"]
    reloaded = fresh_app()  # F5: a new browser session with the same address
    reloaded.query_params["session"] = token
    reloaded.run()
    assert not reloaded.exception and "password" not in [t.key for t in reloaded.text_input]
    assert reloaded.session_state["user"].email == "gm@example.org"
    assert [o for o in reloaded.sidebar.selectbox(key="unit_id").options] == ["Kenya"]


def test_a_forged_or_ended_token_shows_the_form(setup):
    at = fresh_app()
    at.query_params["session"] = "forged.9999999999.AAAA"
    at.run()
    assert at.text_input(key="password") and at.session_state["user"] is None
    assert "session" not in at.query_params


def test_a_deep_link_returns_to_the_page_asked_for_after_signing_in(setup):
    at = fresh_app()
    at.run()
    at.switch_page("views/prepare.py").run()  # the address /prepare, before signing in
    assert at.text_input(key="password")
    sign_in_with_form(at, "gm@example.org", "kenya gm password")
    assert at.title[0].value == "Prepare the meeting"


def test_the_passcode_still_signs_in_admin_with_email_empty(setup):
    at = fresh_app()
    at.run()
    sign_in_with_form(at, "", PASSCODE)
    assert at.session_state["user"].email == "admin" and at.session_state["user"].role == "admin"
    assert set(at.sidebar.selectbox(key="unit_id").options) == {"Kenya", "Peru"}


def test_a_wrong_password_is_refused_and_audited(setup):
    at = fresh_app()
    at.run()
    sign_in_with_form(at, "gm@example.org", "not the password")
    assert at.text_input(key="password") and "do not match" in at.error[0].value
    assert [e.action for e in accounts.audit.list_events(setup)][-1] == "sign_in_failed"


def test_the_admin_adds_a_user_on_the_users_page_and_sees_it_in_the_audit(setup):
    at = open_as("users.py")
    at.text_input(key="new_user_email").set_value("viewer@example.org")
    at.selectbox(key="new_user_role").set_value("viewer")
    at.multiselect(key="new_user_units").set_value(["Peru"])
    at.button(key="add_user_submit").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    [generated] = [c.value for c in at.code]
    assert accounts.authenticate(setup, "viewer@example.org", generated, None).unit_ids == (
        store.find_unit(setup, "Peru")["id"],)
    at.switch_page("views/audit.py").run()
    [table] = at.dataframe
    assert "user_add" in table.value["What"].tolist()
    assert "admin" in table.value["Who"].tolist()


def test_a_gm_is_refused_account_changes_even_through_the_domain(setup):
    at = sign_in(fresh_app(), "gm@example.org")
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/users.py")


def test_pages_pass_the_signed_in_user_down_so_the_audit_names_them(setup):
    """views.page.act hands the signed-in user to any domain function that takes one: the Run page's start and
    close are recorded under the GM's email, not as the CLI."""
    from meeting.store import meetings

    kenya = store.find_unit(setup, "Kenya")["id"]
    meeting = meetings.create_meeting(setup, kenya, "2026-06-10")
    at = open_as("run.py", "gm@example.org", unit_id=kenya, meeting_id=meeting)
    at.button(key="start_meeting").click().run()
    assert not at.exception
    assert [(e.actor, e.action) for e in accounts.audit.list_events(setup)][-1] == ("gm@example.org", "meeting_start")
