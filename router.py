"""Outside In: the router (the script app.py serves). Decides who is signed in, which pages they may see, and
draws the shared sidebar once. Who is signed in comes from the HttpOnly session cookie meeting.web sets at
sign-in, never from the URL."""
import html
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from meeting import accounts, web
from meeting.store import meetings
from views.page import current_user, database, set_page_language, set_user

LEGACY_SESSION_PARAM = "session"  # where the token once rode: dropped from any old link, never read

# The icon is served from here: a Material icon would come from fonts.gstatic.com, which the CSP (and a room
# without internet) refuses.
st.set_page_config(page_title="Outside In", page_icon=str(Path(__file__).parent / "views" / "icon.svg"), layout="wide")


# --- who is signed in ----------------------------------------------------------------------------------------

def sso_section() -> dict | None:
    """The ``[auth]`` section of the secrets Streamlit itself reads (st.login uses the same), or None."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get("auth")
    except Exception:  # a broken secrets file: Streamlit reports it itself; the passcode still works
        return None
    return section.to_dict() if hasattr(section, "to_dict") else section


def _sso_user():
    """The account of the identity st.login signed in, once per browser session; None if no account matches."""
    state = st.session_state
    email = st.user.get("email")
    if state.get("sso_checked") == email:
        return None
    state["sso_checked"] = email
    with database() as db:
        user = accounts.record_sso_sign_in(db, email, str(st.user.get("iss") or "oidc"))
        if user is None:
            state["sso_refused"] = email or "(no email in the identity)"
            return None
        return user, accounts.start_session(db, user)


def resume_user():
    """The signed-in user: from this browser session, from the session cookie (a reload, a deep link), or from
    single sign-on.

    The session is checked against the database on every run, so signing out elsewhere, a removed account or
    changed units take effect at once.
    """
    state = st.session_state
    if LEGACY_SESSION_PARAM in st.query_params:
        del st.query_params[LEGACY_SESSION_PARAM]  # an old bookmark: a token in a URL signs nobody in any more
    token = state.get("session_token") or st.context.cookies.get(web.COOKIE)
    user = None
    if token:
        with database() as db:
            user = accounts.resume_session(db, token)
    if user is None and sso_section() and st.user.get("is_logged_in"):
        found = _sso_user()
        if found:
            user, token = found
    if user is None:
        set_user(None, None)
        return None
    set_user(user, token)
    return user


def _refusal_message() -> str | None:
    """What the sign-in route said went wrong, from its plain code in the address (nothing secret there)."""
    refused = st.query_params.get("refused")
    if refused == "wait":
        seconds = st.query_params.get("seconds", "")
        return accounts.sessions.too_many_attempts(float(seconds) if seconds.isdigit() else 60)
    if refused == "password":
        return accounts.sessions.WRONG_PASSWORD
    return None


def _here() -> str:
    """The path the visitor asked for, so that signing in returns to it."""
    url = st.context.url
    path = urlsplit(url).path if isinstance(url, str) and url else "/"
    return web.safe_next(path or "/")


def password_form() -> str:
    """The password form, posted to meeting.web's route (which sets the HttpOnly cookie): plain HTML, since a
    Streamlit widget cannot set a cookie."""
    next_path = html.escape(st.query_params.get("next") or _here(), quote=True)
    return f"""
<form method="post" action="{web.SIGN_IN_PATH}" class="oi-sign-in" autocomplete="on">
  <input type="hidden" name="next" value="{next_path}">
  <p><label for="oi-email">Email</label><br>
     <input id="oi-email" name="email" type="text" placeholder="admin" autocomplete="username"></p>
  <p><label for="oi-password">Password</label><br>
     <input id="oi-password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Sign in</button></p>
</form>
<style>
  .oi-sign-in input {{ width: 100%; max-width: 28rem; padding: 0.5rem; font-size: 1rem; border: 1px solid #767676;
                       border-radius: 0.4rem; }}
  .oi-sign-in button {{ padding: 0.5rem 1.2rem; font-size: 1rem; border-radius: 0.4rem; border: none;
                        background: #c0392b; color: white; cursor: pointer; }}
  .oi-sign-in label {{ font-weight: 600; }}
</style>"""


def sign_in_page() -> None:
    st.title("Outside In")
    configured = accounts.configured_passcode()
    with database() as db:
        generated = accounts.ensure_passcode(db, configured)
        accounts.ensure_admin_account(db)
    if generated:  # first start without OUTSIDE_IN_PASSCODE: the terminal shows it, once, like Jupyter's token
        print(accounts.passcode_banner(generated), flush=True)
    if refused := st.session_state.get("sso_refused"):
        st.warning(f"You are signed in as {refused}, but Outside In has no account for you. "
                   "Please ask your administrator to add you.")
        st.button("Use another identity", key="sso_logout", on_click=st.logout)
        return
    if error := _refusal_message():
        st.error(error)
    section = sso_section()
    for provider, label in (accounts.sso.providers_in(section) if section else {}).items():
        if st.button(f"Sign in with {label}", key=f"sso_{provider}", type="primary"):
            st.login(provider)
    st.html(password_form())
    st.caption("On a single machine, leave Email empty (or type admin) and use the passcode the app printed in the "
               "terminal where it was started (or OUTSIDE_IN_PASSCODE). Invited customers do not sign in: they use "
               "the join link or code shown in the room.")


def _sign_out() -> None:
    """Ends the session server-side: the cookie this browser (or anyone who copied it) holds is useless from now."""
    state = st.session_state
    with database() as db:
        user = current_user()
        accounts.end_session(db, state.get("session_token"))
        if user:
            accounts.audit.record(db, user, accounts.audit.SIGN_OUT, {"email": user.email})
    set_user(None, None)
    state["sso_checked"] = None
    if sso_section() and st.user.get("is_logged_in"):
        st.logout()


# --- the sidebar: only the signed-in user's units --------------------------------------------------------------

def sidebar_picker(user) -> None:
    """Unit and meeting chosen once, here, for every page (pages read st.session_state)."""
    with database() as db:
        units = accounts.visible_units(db, user)
        if not units:
            st.sidebar.info("No units for you yet: ask your administrator." if not user.sees_every_unit else
                            "No data yet: import some on the Import page, or run `python -m meeting init --demo`.")
            st.session_state["unit_id"] = st.session_state["meeting_id"] = None
            return
        unit_ids = [u["id"] for u in units]
        names = {u["id"]: u["name"] for u in units}
        if st.session_state.get("unit_id") not in unit_ids:
            st.session_state["unit_id"] = unit_ids[0]
        unit_id = st.sidebar.selectbox("Unit", unit_ids, format_func=names.get, key="unit_id")
        rows = meetings.list_meetings(db, unit_id)
    labels = {r["id"]: f"{r['held_on']} · {r['title']} ({r['status']})" for r in rows}
    # Re-asserted every run (issue 26): the browser's select box holds the *label* it showed, so renaming the
    # meeting or starting it (a new label) made it fall back to the first meeting, switching meeting unasked.
    chosen = st.session_state.get("meeting_id")
    st.session_state["meeting_id"] = chosen if chosen in labels else (rows[0]["id"] if rows else None)
    if rows:
        st.sidebar.selectbox("Meeting", list(labels), format_func=labels.get, key="meeting_id")
    else:
        st.sidebar.caption("No meeting for this unit yet: create one on the Prepare page.")


def open_linked_meeting(user) -> bool:
    """``?meeting=ID`` opens that meeting; False (and a message) when it belongs to another unit."""
    wanted = st.query_params.get("meeting")
    if not wanted:
        return True
    with database() as db:
        try:
            unit_id = accounts.require_meeting(db, user, int(wanted))
        except (ValueError, LookupError):
            st.error("There is no such meeting.")
            return False
        except PermissionError as refusal:
            st.error(str(refusal))
            return False
    st.session_state["unit_id"], st.session_state["meeting_id"] = unit_id, int(wanted)
    del st.query_params["meeting"]
    return True


# --- the pages each role sees ----------------------------------------------------------------------------------

PAGES = {  # url path: (script, title, icon, capability)
    "home": ("views/home.py", "Home", ":material/home:", "prepare"),
    "run": ("views/run.py", "Run", ":material/play_circle:", "run"),
    "room": ("views/room.py", "Room", ":material/co_present:", "run"),
    "prepare": ("views/prepare.py", "Prepare", ":material/checklist:", "prepare"),
    "insights": ("views/insights.py", "Insights", ":material/insights:", "prepare"),
    "import_data": ("views/import_data.py", "Import", ":material/upload:", "import"),
    "minutes": ("views/minutes.py", "Minutes", ":material/description:", "minutes"),
    "actions": ("views/actions.py", "Actions", ":material/task_alt:", "minutes"),
    "documents": ("views/documents.py", "Documents", ":material/folder_open:", "documents"),
    "taxonomy": ("views/taxonomy.py", "Taxonomy", ":material/category:", "settings"),
    "users": ("views/users.py", "Users", ":material/manage_accounts:", "users"),
    "audit": ("views/audit.py", "Audit", ":material/history:", "audit"),
}


def _page(key: str, *, default: bool = False, hidden: bool = False) -> st.Page:
    script, title, icon, _ = PAGES[key]
    return st.Page(script, title=title, icon=icon, default=default, visibility="hidden" if hidden else "visible")


LANGUAGE_PAGES = ("join", "room")  # pages in the customer's or the unit's language, not the GM's
KIOSK_PAGES = ("room",)  # drawn for a projector: no sidebar, no identity, no navigation


def requested_page() -> str:
    """The page the address asks for (before st.navigation picks it), to draw a kiosk page without its chrome."""
    url = st.context.url
    return (urlsplit(url).path if isinstance(url, str) and url else "").strip("/")


user = resume_user()
join_page = st.Page("views/join.py", title="Join", icon=":material/login:", url_path="join",
                    visibility="hidden" if user else "visible")
if user:
    for leftover in ("next", "refused", "seconds"):  # the sign-in form's round trip, done with
        if leftover in st.query_params:
            del st.query_params[leftover]
    allowed = [key for key, (*_, capability) in PAGES.items() if accounts.can(user, capability)]
    kiosk = requested_page() in KIOSK_PAGES
    page = st.navigation([_page(key, default=index == 0) for index, key in enumerate(allowed)] + [join_page],
                         position="hidden" if kiosk else "sidebar")
    if page.url_path in KIOSK_PAGES:
        if not open_linked_meeting(user):
            st.stop()
    elif page.url_path != join_page.url_path:
        linked = open_linked_meeting(user)  # before the sidebar's widgets, which own unit_id and meeting_id
        sidebar_picker(user)
        st.sidebar.caption(f"Signed in as **{user.email}** ({user.role})")
        st.sidebar.button("Sign out", key="sign_out", icon=":material/logout:", on_click=_sign_out)
        if not linked:
            st.stop()
    if page.url_path not in LANGUAGE_PAGES:  # Join and Room say their own language
        set_page_language("en")
    page.run()
else:
    # A visitor sees the sign-in form (and Join). The other pages are listed, hidden, only so that a deep link
    # keeps its address: the form is drawn in their place, and after signing in the page asked for opens.
    sign_in = st.Page(sign_in_page, title="Sign in", url_path="sign-in", default=True)
    page = st.navigation([sign_in, join_page] + [_page(key, hidden=True) for key in PAGES], position="hidden")
    if page.url_path == join_page.url_path:
        page.run()
    else:
        sign_in_page()
