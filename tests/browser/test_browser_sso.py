"""Single sign-on end to end (issue 14): a real local OIDC provider (oidc-provider-mock), Streamlit's own
st.login, headless Chromium. A known email gets its account and its units only; an unknown one is refused."""
import secrets

import pytest
from conftest import free_port, serve_app

from meeting import accounts, store

oidc = pytest.importorskip("oidc_provider_mock", reason="pip install -r requirements-dev.txt")

GM = "gm.sso@example.org"
STRANGER = "stranger@example.org"


def test_sso_sign_in_through_a_local_oidc_provider(demo_db, browser, tmp_path):
    db = store.open_db(demo_db)
    accounts.add_user(db, GM, "gm", ["Ireland"], "unused password 1")
    db.close()
    users = [oidc.User(sub=email, claims={"email": email}) for email in (GM, STRANGER)]
    with oidc.run_server_in_thread(user_claims=users) as provider:
        app_port = free_port()
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            f'[auth]\nredirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            f'[auth.testidp]\nlabel = "Test IdP"\nclient_id = "outside-in"\nclient_secret = "{secrets.token_hex(8)}"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n')
        with serve_app(demo_db, {"OUTSIDE_IN_PASSCODE": "sso test passcode"}, port=app_port,
                       extra_args=("--secrets.files", str(secrets_file))) as url:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(url)
            page.get_by_role("button", name="Sign in with Test IdP").click()
            page.get_by_role("button", name=GM).click()  # the provider's page: pick the predefined user
            page.get_by_text(f"Signed in as {GM}").wait_for()
            sidebar = page.locator("[data-testid='stSidebar']").inner_text()
            assert "Ireland" in page.get_by_role("combobox", name="Unit").input_value() or "Ireland" in sidebar
            assert "United Kingdom" not in page.inner_text("body")
            page.reload()  # F5: still signed in
            page.get_by_text(f"Signed in as {GM}").wait_for()
            page.get_by_role("button", name="Sign out").click()  # ends our session and Streamlit's identity cookie
            page.get_by_role("button", name="End session").click()  # st.logout also ends it at the provider
            page.get_by_role("button", name="Sign in with Test IdP").wait_for()
            page.goto(url)
            page.get_by_label("Password", exact=True).wait_for()
            assert "Signed in as" not in page.inner_text("body")
            context.close()

            stranger = browser.new_context()
            page = stranger.new_page()
            page.set_default_timeout(30_000)
            page.goto(url)
            page.get_by_role("button", name="Sign in with Test IdP").click()
            page.get_by_role("button", name=STRANGER).click()
            page.get_by_text("ask your administrator").wait_for()
            body = page.inner_text("body")
            assert "Ireland" not in body and "United Kingdom" not in body and "Sign out" not in body
            stranger.close()
    db = store.open_db(demo_db)
    events = [(e.actor, e.action, e.detail.get("method", "")) for e in accounts.audit.list_events(db)]
    db.close()
    assert [e for e in events if e[:2] == (GM, "sign_in") and e[2].startswith("sso:")]
    assert [e for e in events if e[:2] == (STRANGER, "sign_in_failed") and e[2].startswith("sso:")]
