"""What the web server adds around Streamlit (app.py mounts it with ``st.App``): the sign-in session in an
HttpOnly cookie, never in a URL, security headers on every response, and the page's language in ``<html lang>``.

Why a cookie set here: a Streamlit script cannot set an HttpOnly cookie (``st.context.cookies`` is read-only),
and a token in ``?session=`` signs in whoever photographs the projector. So the password form posts to
``/auth/sign-in``, which checks it, starts a fresh server-side session (meeting.accounts.sessions: a new id at
every sign-in) and answers with the cookie and a redirect; the script reads the cookie on every run. Signing out
(or a password change) deletes the session row, so a copied cookie is useless afterwards.

No Streamlit here: Starlette only, so the routes and the middleware are tested without a browser.
"""
from __future__ import annotations

import contextlib
import re
import secrets
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from meeting import accounts, i18n, store

COOKIE = "outside_in_session"
DEVICE_COOKIE = "outside_in_device"  # which phone sent what ("What you have sent"), kept out of the Join link
DEVICE_DAYS = 2
SIGN_IN_PATH = "/auth/sign-in"
SIGN_OUT_PATH = "/auth/sign-out"

# What Streamlit's own front end needs and nothing more: its scripts and styles come from this origin; Vega
# charts compile expressions with `new Function` ('unsafe-eval'); Streamlit and Vega set inline styles; images
# are data:/blob: URLs (the QR, charts' PNG export); the app talks to itself over a websocket. No other site may
# frame any page (`frame-ancestors 'none'`): a join page framed by another site could be made to mislead.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
}


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (pages, assets, our routes)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        return await self.app(scope, receive, send_with_headers)


class DeviceCookie:
    """ASGI middleware: every browser gets a random device token in an HttpOnly cookie on its first page, so
    the Join page knows a phone's own contributions across a reload without a token in its address."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or Request(scope).cookies.get(DEVICE_COOKIE):
            return await self.app(scope, receive, send)
        token = secrets.token_urlsafe(16)
        secure = Request(scope).url.scheme == "https"

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(
                    "Set-Cookie", f"{DEVICE_COOKIE}={token}; Max-Age={DEVICE_DAYS * 86400}; Path=/; HttpOnly; "
                                  f"SameSite=Lax" + ("; Secure" if secure else ""))
            await send(message)

        return await self.app(scope, receive, send_with_cookie)


# Streamlit serves one index.html, hard-coded ``<html lang="en">`` (upstream streamlit/streamlit#15726), for every
# page. A screen reader picks its voice from it, so the page is served with its own language (issue 27).
_HTML_LANG = re.compile(rb'<html\s+lang="[^"]*"')
_NOT_PAGES = ("/_stcore/", "/static/", "/component/", "/media/", "/app/static/", "/auth/")


def page_language(path: str, query: str, accept_language: str | None) -> str | None:
    """The language of the page at ``path``: Join is the customer's (their browser's), Room the unit's (the
    meeting it is opened for); None elsewhere (the GM's pages are in English)."""
    from urllib.parse import parse_qs

    page = path.rstrip("/").rsplit("/", 1)[-1]
    if page == "join":
        return i18n.choose_language(None, accept_language)
    if page == "room":
        wanted = (parse_qs(query).get("meeting") or [""])[0]
        if wanted.isdigit():
            with _database() as db:
                return i18n.meeting_language(db, int(wanted))
    return None


def with_language(body: bytes, language: str) -> bytes:
    """The served page with ``<html lang>`` set to ``language`` (a code from meeting.i18n, never request text)."""
    return _HTML_LANG.sub(f'<html lang="{language}"'.encode(), body, count=1)


class PageLanguage:
    """ASGI middleware: rewrites ``<html lang>`` in the page Streamlit serves (see ``page_language``). It asks for
    the page uncompressed (it is a few kilobytes) so the text can be changed, and fixes its length."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "GET" or path.startswith(_NOT_PAGES) or "." in path.rsplit("/", 1)[-1]:
            return await self.app(scope, receive, send)
        headers = Request(scope).headers
        language = await run_in_threadpool(page_language, path, scope.get("query_string", b"").decode("latin-1"),
                                           headers.get("accept-language"))
        if not language or language not in i18n.LANGUAGES:
            return await self.app(scope, receive, send)
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}
        start: dict = {}
        chunks: list[bytes] = []

        async def send_with_language(message):
            if message["type"] == "http.response.start":
                content_type = MutableHeaders(scope=message).get("content-type", "")
                if not content_type.startswith("text/html"):
                    start["pass"] = True
                    return await send(message)
                start.update(message)
                return None
            if message["type"] != "http.response.body" or start.get("pass"):
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            body = with_language(b"".join(chunks), language)
            response_headers = MutableHeaders(scope=start)
            response_headers["content-length"] = str(len(body))
            # One address, one body per language: no cache may hand the French page to a German browser.
            for stale in ("etag", "last-modified"):
                if stale in response_headers:
                    del response_headers[stale]
            response_headers["vary"] = "Accept-Language"
            await send(start)
            await send({"type": "http.response.body", "body": body})

        return await self.app(scope, receive, send_with_language)


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(SecurityHeaders), Middleware(DeviceCookie), Middleware(PageLanguage)]


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site, never a scheme)."""
    value = (value or "/").strip()
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _same_origin(request: Request) -> bool:
    """A form posted from this site: browsers send Origin on POST; a missing one (old clients) is allowed,
    since the SameSite=Lax cookie already keeps other sites' posts from carrying a session."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", request.url.netloc)


def _is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _database():
    return contextlib.closing(store.open_db())


def _sign_in(email: str, password: str, client: str | None):
    with _database() as db:
        accounts.ensure_admin_account(db)  # the built-in account the passcode opens, as the sign-in page makes sure
        return accounts.sign_in_with_password(db, email, password, accounts.configured_passcode(), client=client)


async def sign_in(request: Request):
    if not _same_origin(request):
        return PlainTextResponse("A sign-in from another site was refused.", status_code=403)
    form = await request.form()
    next_field = form.get("next")
    next_path = safe_next(next_field if isinstance(next_field, str) else None)  # a file there is no path
    client = request.client.host if request.client else None
    try:
        _, token = await run_in_threadpool(_sign_in, str(form.get("email", "")), str(form.get("password", "")),
                                           client)
    except accounts.SignInRefused as refusal:
        # Back to the form with what went wrong, as a plain code (nothing secret in the URL).
        query = {"next": next_path, "refused": "wait" if refusal.wait_seconds else "password"}
        if refusal.wait_seconds:
            query["seconds"] = f"{refusal.wait_seconds:.0f}"
        return RedirectResponse(f"/?{urlencode(query)}", status_code=303)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(COOKIE, token, max_age=int(accounts.sessions.SESSION_HOURS * 3600), path="/", httponly=True,
                        samesite="lax", secure=_is_https(request))
    return response


def _end(token: str | None) -> None:
    with _database() as db:
        user = accounts.resume_session(db, token)
        accounts.end_session(db, token)
        if user:
            accounts.audit.record(db, user, accounts.audit.SIGN_OUT, {"email": user.email})


async def sign_out(request: Request):
    if not _same_origin(request):
        return PlainTextResponse("A sign-out from another site was refused.", status_code=403)
    await run_in_threadpool(_end, request.cookies.get(COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_is_https(request))
    return response


def routes() -> list[Route]:
    return [Route(SIGN_IN_PATH, sign_in, methods=["POST"]), Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
