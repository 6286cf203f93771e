"""What the room sees: the public join link and its QR code, and the approved contributions for the screen."""
from __future__ import annotations

import io
import urllib.parse

import segno
import sqlite_utils

from meeting.live.state import format_code


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


def qr_png(link: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def room_contributions(db: sqlite_utils.Database, meeting_id: int, limit: int = 12) -> list[dict]:
    """The newest contributions the room screen may show: approved, not hidden; text and rating only
    (no names: the screen is seen by everyone in the room), newest first."""
    return list(db.query(
        "SELECT id, section, text, rating FROM contributions WHERE meeting_id = ? AND hidden = 0 AND approved = 1 "
        "ORDER BY id DESC LIMIT ?", [int(meeting_id), int(limit)]))
