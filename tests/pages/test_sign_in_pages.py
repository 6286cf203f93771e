"""Signing in through the real app (AppTest): accounts, sessions that survive a reload, deep links, admin pages."""
import pytest
from streamlit.testing.v1 import AppTest
from support.gm_app import APP, auth_client, open_as, post_sign_in, sign_in

from meeting import accounts, store, web

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


def with_cookie(token: str) -> AppTest:
    """A browser that holds the session cookie: what the script reads from st.context.cookies (AppTest cannot
    send cookies, so the token goes where the router keeps the cookie's value)."""
    at = fresh_app()
    at.session_state["session_token"] = token
    return at


def shows_the_form(at: AppTest) -> bool:
    return any('action="/auth/sign-in"' in element.value for element in at.html)


def cookie_of(response) -> str:
    return response.cookies[web.COOKIE]


def test_a_gm_signs_in_with_email_and_password_and_a_reload_keeps_them_in(setup):
    response = post_sign_in("GM@example.org", "kenya gm password")
    assert response.status_code == 303 and response.headers["location"] == "/"
    header = response.headers["set-cookie"].lower()
    assert f"{web.COOKIE}=" in header and "httponly" in header and "samesite=lax" in header and "secure" in header
    reloaded = with_cookie(cookie_of(response))  # F5: a new browser session, the same cookie
    reloaded.run()
    assert not reloaded.exception and not shows_the_form(reloaded)
    assert reloaded.session_state["user"].email == "gm@example.org"
    assert [o for o in reloaded.sidebar.selectbox(key="unit_id").options] == ["Kenya"]


def test_each_sign_in_starts_a_new_session(setup):
    first, second = (cookie_of(post_sign_in("gm@example.org", "kenya gm password")) for _ in range(2))
    assert first.split(".")[0] != second.split(".")[0]


def test_a_forged_or_ended_token_shows_the_form(setup):
    at = with_cookie("forged.9999999999.AAAA")
    at.run()
    assert shows_the_form(at) and at.session_state["user"] is None


def test_a_token_in_the_address_signs_nobody_in_and_is_dropped(setup):
    token = cookie_of(post_sign_in("gm@example.org", "kenya gm password"))
    at = fresh_app()
    at.query_params["session"] = token  # a photographed or bookmarked old-style link, with a live token
    at.run()
    assert shows_the_form(at) and at.session_state["user"] is None
    assert "session" not in at.query_params


def test_a_deep_link_returns_to_the_page_asked_for_after_signing_in(setup):
    at = fresh_app()
    at.query_params["next"] = "/prepare"
    at.run()
    assert shows_the_form(at)
    assert 'name="next" value="/prepare"' in next(e.value for e in at.html if "oi-sign-in" in e.value)
    response = post_sign_in("gm@example.org", "kenya gm password", "/prepare")
    assert response.headers["location"] == "/prepare"


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example", "javascript:alert(1)", "prepare"])
def test_signing_in_never_sends_the_browser_to_another_site(setup, target):
    assert post_sign_in("gm@example.org", "kenya gm password", target).headers["location"] == "/"


def test_a_sign_in_posted_from_another_site_is_refused(setup):
    response = auth_client().post("/auth/sign-in", data={"email": "gm@example.org", "password": "kenya gm password"},
                                  headers={"origin": "https://evil.example"})
    assert response.status_code == 403 and web.COOKIE not in response.cookies


def test_the_passcode_still_signs_in_admin_with_email_empty(setup):
    at = with_cookie(cookie_of(post_sign_in("", PASSCODE)))
    at.run()
    assert at.session_state["user"].email == "admin" and at.session_state["user"].role == "admin"
    assert set(at.sidebar.selectbox(key="unit_id").options) == {"Kenya", "Peru"}


def test_a_wrong_password_is_refused_and_audited(setup):
    response = post_sign_in("gm@example.org", "not the password")
    assert response.status_code == 303 and web.COOKIE not in response.cookies
    assert "refused=password" in response.headers["location"]
    assert [e.action for e in accounts.audit.list_events(setup)][-1] == "sign_in_failed"
    at = fresh_app()
    at.query_params["refused"] = "password"
    at.run()
    assert shows_the_form(at) and "do not match" in at.error[0].value


def test_signing_out_kills_the_cookie_wherever_it_was_copied(setup):
    token = cookie_of(post_sign_in("gm@example.org", "kenya gm password"))
    response = auth_client().post("/auth/sign-out", cookies={web.COOKIE: token})
    assert response.status_code == 303 and f'{web.COOKIE}=""' in response.headers["set-cookie"]
    copied = with_cookie(token)
    copied.run()
    assert shows_the_form(copied) and copied.session_state["user"] is None


def test_a_new_password_ends_every_session(setup):
    token = cookie_of(post_sign_in("gm@example.org", "kenya gm password"))
    accounts.set_password(setup, "gm@example.org", "a brand new password")
    at = with_cookie(token)
    at.run()
    assert shows_the_form(at)


def test_every_response_carries_the_security_headers(setup):
    response = post_sign_in("gm@example.org", "wrong")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer")


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
