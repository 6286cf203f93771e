"""Open a view of the real app as a signed-in user (AppTest), through app.py's router and sidebar.

Signing in is done the way a reload does it: a real session token (meeting.accounts) in the URL's
``session`` parameter, so every test goes through the same gate as a browser.
"""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from meeting import accounts, store

APP = str(Path(__file__).resolve().parents[2] / "router.py")


def session_token(email: str = "admin") -> str:
    """A live session for ``email`` (the built-in ``admin`` account by default) in the test's database."""
    db = store.open_db()
    try:
        accounts.ensure_admin_account(db)
        user = accounts.load_user(db, email)
        assert user is not None, f"no account {email} in the test database"
        return accounts.start_session(db, user)
    finally:
        db.close()


def sign_in(at: AppTest, email: str = "admin") -> AppTest:
    at.session_state["session_token"] = session_token(email)  # what the session cookie carries (AppTest sends no cookies)
    return at


def open_as(view: str, email: str = "admin", *, timeout: float = 30, **state) -> AppTest:
    """Run app.py once as ``email``, switch to ``views/<view>``, and fail on any exception. ``state`` seeds
    st.session_state (unit_id, meeting_id, ...); None values are left out, as the sidebar would."""
    at = sign_in(AppTest.from_file(APP, default_timeout=timeout), email)
    for key, value in state.items():
        if value is not None:
            at.session_state[key] = value
    at.run()
    at.switch_page(f"views/{view}")
    at.run()
    assert not at.exception, at.exception
    return at


def open_as_gm(view: str, *, timeout: float = 30, **state) -> AppTest:
    """The page as the built-in admin (every unit): what the GM pages' own tests need."""
    return open_as(view, "admin", timeout=timeout, **state)


def auth_client():
    """The web server's own routes and headers (meeting.web) without Streamlit, as a browser would post to them.
    ``base_url`` is https so the Secure cookie flag is exercised; Origin is sent as a browser would."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from meeting import web

    server = Starlette(routes=web.routes(), middleware=web.middleware())
    return TestClient(server, base_url="https://testserver", headers={"origin": "https://testserver"},
                      follow_redirects=False)


def post_sign_in(email: str, password: str, next_path: str = "/"):
    return auth_client().post("/auth/sign-in", data={"email": email, "password": password, "next": next_path})
