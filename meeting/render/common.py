"""What every file the app writes shares: where exports go, XML-safe text, and path-or-buffer output.

Every .docx goes through ``DocxWriter`` and every file through ``write_output``, so the cleaning and the
``OUTSIDE_IN_EXPORTS`` rule are applied once, for minutes, pre-reads and follow-ups alike.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

from meeting.store.connection import workspace_root

EXPORTS_SETTING = "OUTSIDE_IN_EXPORTS"
FORMATS = ("docx", "md")

# Control characters are invalid in XML (python-docx raises on them); bidirectional overrides and
# isolates would let one pasted string reverse the text around it in Word and on the page.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def exports_dir() -> Path:
    """Where exports go: ``OUTSIDE_IN_EXPORTS`` if set (tests, a shared drive), else ``exports/``.

    Read on every call, like the database path, so tests and AppTest can point it elsewhere.
    """
    configured = os.environ.get(EXPORTS_SETTING, "").strip()
    return Path(configured) if configured else workspace_root() / "exports"


def xml_safe(text: object) -> str:
    """Text that python-docx accepts and that cannot reorder its neighbours."""
    return _UNSAFE.sub("", str(text if text is not None else ""))


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"Format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return fmt


def output_path(name: str, out: str | os.PathLike | None = None) -> Path:
    """``out`` if it names a file; ``out/name`` if it is a folder; else ``name`` under ``exports_dir()``."""
    if out is None:
        return exports_dir() / name
    path = Path(out)
    return path / name if path.is_dir() else path


def write_output(data: bytes, name: str, out: str | os.PathLike | None = None) -> Path:
    path = output_path(name, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def docx_bytes(writer) -> bytes:
    """Run ``writer(buffer)`` and return the bytes: the download buttons' path."""
    buffer = io.BytesIO()
    writer(buffer)
    return buffer.getvalue()
