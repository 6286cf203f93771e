"""Join: the invited customer's page, on their own phone, in their own language. No GM passcode needed.

It shows only what ``meeting.live.join_view`` returns (title, section titles, the current section and its
prompts, this device's own contributions), so nothing internal can reach it. Customer text is shown with
``st.text``: literally, never as markup. Every string a customer reads goes through ``_`` (meeting.i18n).
The device token rides in an HttpOnly cookie (meeting.web), so a reload keeps "What you have sent" and the link
carries only the meeting's code.
"""
import secrets

import streamlit as st

from meeting import i18n, live, store, web
from meeting.formatting import format_number_in
from meeting.sections import section_title
from meeting.text import escape_for_streamlit, plain
from views.page import client_address, database, set_page_language

state = st.session_state

# --- the device token: from this browser's HttpOnly cookie (meeting.web sets it), never from the address -----
if "author_token" not in state:
    from_cookie = st.context.cookies.get(web.DEVICE_COOKIE)
    state["author_token"] = from_cookie if live.valid_device_token(from_cookie) else secrets.token_urlsafe(16)
if "device" in st.query_params:
    del st.query_params["device"]  # an old link's token: not read, not kept in the address

# --- the language: the browser's, unless the customer picks another -------------------------------------------
if "join_language" not in state:
    locale, accept = st.context.locale, st.context.headers.get("Accept-Language")
    state["join_language"] = i18n.choose_language(locale if isinstance(locale, str) else None,
                                                  accept if isinstance(accept, str) else None)
_ = i18n.translator(state["join_language"])
_dynamic = _  # for text that comes from meeting/ (section titles, refusals): catalogued in i18n.DOMAIN_MESSAGES
set_page_language(state["join_language"])  # <html lang>: the customer's language, as the text is


def _refusal_text(error: Exception) -> str:
    if isinstance(error, live.ContributionRefused):
        locale = i18n.BABEL_LOCALES[state["join_language"]]
        numbers = {key: format_number_in(value, locale) for key, value in error.params.items()}
        return _dynamic(error.template).format(**numbers)
    return _dynamic(str(error))


def _try_code(code: str | None) -> None:
    try:
        with database() as db:
            view = live.try_code(db, code, client=client_address(), author_token=state["author_token"])
    except store.DatabaseBusy:  # the attempt could not be recorded: ask to try again
        state["join_error"] = _("Many people are joining at this moment. Please try again.")
        return
    if view["ok"]:
        state["join_code"] = view["code"]
        state.pop("join_error", None)
        st.query_params["code"] = live.format_code(view["code"])  # a reload keeps the meeting open
    elif view["reason"] == "wait":
        state["join_error"] = _("Too many wrong codes. Please wait {seconds} s and try again.").format(seconds=f"{view['wait_seconds']:.0f}")
    else:
        state["join_error"] = _dynamic(view["message"])


def _submit_code() -> None:
    _try_code(state.get("code_input", ""))


def _send(section: str | None = None) -> None:
    """Send to the section shown when the form was drawn; if the meeting has moved on since, ask which one
    (``section`` is the answer)."""
    try:
        with database() as db:
            stored_in = live.contribute_by_code(db, state["join_code"], state.get("contribution_text", ""),
                                                state.get("contribution_rating"), state["author_token"],
                                                state.get("display_name"), section_shown=state.get("join_section_shown"),
                                                section=section)
    except live.SectionMoved as moved:  # nothing stored: the text stays in the box until they choose
        state["join_which_section"] = {"shown": moved.shown, "current": moved.current}
        return
    except live.PaceError as error:  # not a mistake: a friendly "one moment"
        state["send_result"] = ("warning", _refusal_text(error))
        return
    except (ValueError, PermissionError, LookupError) as error:
        state["send_result"] = ("error", _refusal_text(error))
        return
    except store.DatabaseBusy:  # still busy after the retries: the text stays in the box
        state["send_result"] = ("warning", _("Many people are sending at this moment and yours did not get "
                                             "through. Please press Send again."))
        return
    # Cleared only once stored, so a refused contribution (too long, say) is not lost from the box.
    state.pop("join_which_section", None)
    state["contribution_text"] = ""
    state["contribution_rating"] = None
    state["send_result"] = ("success", _("Thank you, sent to the {section} section.").format(
        section=_dynamic(section_title(stored_in))))


def _language_picker() -> None:
    st.selectbox(_("Language"), i18n.LANGUAGES, format_func=i18n.language_name, key="join_language")


# A code from the link is tried once per session (not on every redraw, which would count as many failures).
link_code = st.query_params.get("code")
if link_code and "join_code" not in state and state.get("link_code_tried") != link_code:
    state["link_code_tried"] = link_code
    _try_code(link_code)

view = None
if "join_code" in state:
    with database() as db:
        view = live.join_view(db, state["join_code"], state["author_token"])
    if not view["ok"]:  # the meeting closed since: say so, show nothing of it
        state["join_error"] = _dynamic(view["message"])
        del state["join_code"]
        view = None

if view is None:
    st.title(_("Join the meeting"))
    if message := state.get("join_error"):
        st.error(message)  # our own words (translated), not customer text
    with st.form("join_form"):
        st.text_input(_("Join code"), key="code_input", placeholder=_("e.g. 7KQ4-M9XZ-2P"), max_chars=20)
        st.form_submit_button(_("Join"), key="join_submit", type="primary", on_click=_submit_code)
    st.caption(_("The code is shown on screen in the meeting room, with a link and a QR code."))
    _language_picker()
    st.stop()

# Bold text, not a title: on a phone the first screen is for the section under discussion and the text box.
st.markdown(f"**{escape_for_streamlit(view['title'])}**")
st.caption(_("Agenda") + ": " + " → ".join(_dynamic(section["title"]) for section in view["sections"]))


@st.fragment(run_every="3s")
def now_discussing() -> None:
    """The section under discussion follows the room without a reload."""
    with database() as db:
        fresh = live.join_view(db, state["join_code"])
    if not fresh["ok"]:
        st.rerun(scope="app")  # closed meanwhile: the full page then shows the message, and no data
    current = fresh["current"]
    with st.container(border=True):
        st.caption(_("Now discussing"))
        st.subheader(escape_for_streamlit(_dynamic(current["title"])))
        for prompt in current["prompts"]:
            st.markdown(f"- *{_dynamic(prompt)}*")  # our own words (and translations), not customer text


now_discussing()

if result := state.pop("send_result", None):
    {"success": st.success, "warning": st.warning, "error": st.error}[result[0]](result[1])
# The section this draft belongs to: the one shown when the form was drawn (the customer types after it is
# drawn), kept while the page asks which section a draft sent after a move is about (issue 26).
if which := state.get("join_which_section"):
    titles = {key: _dynamic(section_title(which[key])) for key in ("shown", "current")}
    with st.container(border=True, key="which_section"):
        st.warning(_("The meeting has moved on from {shown} to {current} since you started writing. Which section "
                     "is your contribution about?").format(**titles))
        for key in ("shown", "current"):
            st.button(_("Send it to {section}").format(section=titles[key]), key=f"send_to_{key}",
                      on_click=_send, args=(which[key],), width="stretch", type="primary" if key == "shown" else "secondary")
else:
    state["join_section_shown"] = view["current"]["key"]
with st.form("contribute"):
    # No max_chars: the browser would silently cut a pasted text; the server says what is too long instead.
    st.text_area(_("Your contribution to this section"), key="contribution_text",
                 placeholder=_("What do you think? What could we do better?"),
                 help=_("Up to {limit} characters.").format(
                     limit=format_number_in(live.MAX_CONTRIBUTION_CHARS, i18n.BABEL_LOCALES[state["join_language"]])))
    st.radio(_("Your rating of this section (1 = poor, 5 = excellent)"), live.RATINGS, index=None,
             horizontal=True, key="contribution_rating")
    # In the form: the name goes with the contribution it signs (and stays for the next one).
    st.text_input(_("Your name (optional)"), key="display_name", max_chars=live.MAX_DISPLAY_NAME_CHARS,
                  placeholder=_("Leave empty to stay anonymous"))
    st.form_submit_button(_("Send"), key="contribution_submit", type="primary", on_click=_send, width="stretch")

if view["mine"]:
    st.subheader(_("What you have sent"))
    for mine in reversed(view["mine"]):
        with st.container(border=True):
            if mine["text"]:
                st.text(plain(mine["text"]))
            rating = " · " + _("rated {rating}/5").format(rating=mine["rating"]) if mine["rating"] else ""
            st.caption(escape_for_streamlit(_dynamic(mine["section_title"]) + rating))
_language_picker()
