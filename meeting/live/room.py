"""What the room needs to join: the public link and its QR code."""
from __future__ import annotations

import io
import urllib.parse

import segno

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
