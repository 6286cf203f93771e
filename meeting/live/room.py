"""What the room sees: the public join link and its QR code, and the approved contributions for the screen."""
from __future__ import annotations

import io
import urllib.parse

import segno

from meeting.live.state import format_code
from meeting.store import Database
from meeting.store import responses as responses_store


def base_url(page_url: str | None, configured: str | None = None) -> str:
    """The app's public root: the configured URL if any, else the scheme and host the GM's browser used."""
    if configured:
        return configured.rstrip("/")
    if not page_url:
        return "http://localhost:8501"
    parts = urllib.parse.urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}"


def join_link(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/join?" + urllib.parse.urlencode({"code": format_code(code)})


def qr_svg(link: str, scale: int = 8) -> str:
    """The link as an SVG QR code (segno: pure Python, no image library)."""
    return segno.make(link, error="m").svg_inline(scale=scale, border=2)


def qr_html(link: str, size_px: int = 300, *, alt: str | None = None) -> str:
    """The QR code as an image with a text alternative naming where it leads (a screen reader says it; ``alt`` in
    the room's language). A PNG data URL: Streamlit's HTML sanitiser keeps an <img>, and the CSP allows data:."""
    import base64
    import html

    label = html.escape(alt or f"QR code: scan to join the meeting at {link}", quote=True)
    data = base64.b64encode(qr_png(link)).decode()
    return (f'<img class="oi-qr" src="data:image/png;base64,{data}" alt="{label}" width="{size_px}" '
            f'height="{size_px}" style="image-rendering: pixelated;">')


def qr_png(link: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def room_contributions(db: Database, meeting_id: int, limit: int = 12) -> list[dict]:
    """The newest contributions the room screen may show: approved, not hidden; text and rating only
    (no names: the screen is seen by everyone in the room), newest first. A phone number, an email, a handle
    or an account number typed into one is masked as the minutes mask it: the screen is a photo away from
    the world."""
    from meeting.anonymise import mask_identifiers

    rows = responses_store.room_contributions(db, meeting_id, limit)
    return [{**row, "text": mask_identifiers(row["text"]) if row["text"] else row["text"]} for row in rows]


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0")


def is_local_only(base: str) -> bool:
    """Whether a join link points at this machine's own name: a phone in the room cannot reach it."""
    return (urllib.parse.urlsplit(base).hostname or "").lower() in {host.strip("[]") for host in LOCAL_HOSTS}


def lan_address() -> str | None:
    """This machine's address on the local network (what a phone on the same Wi-Fi can reach), or None.

    A UDP socket "connected" to a private address sends nothing; it only makes the system pick the interface
    it would route through, whose address is the one to offer."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def reachable_base(base: str, port: int | None) -> str | None:
    """The join link's root with the LAN address in place of localhost, when there is one."""
    address = lan_address()
    if not address:
        return None
    parts = urllib.parse.urlsplit(base)
    return f"{parts.scheme or 'http'}://{address}" + (f":{parts.port or port}" if (parts.port or port) else "")
