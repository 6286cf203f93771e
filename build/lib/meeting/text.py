"""Customer text is data, never markup: the one place that makes text inert for Markdown.

Two flavours on purpose:
- ``escape_for_streamlit``: for ``st.markdown``/captions, where Streamlit also reads directives
  (``:red[...]``, ``:material/x:``, ``$math$``): every character that could act is escaped.
- ``escape_for_markdown_file``: for exported .md files people read as text too: inline markup, HTML and
  bare links are neutralised, while figures and dates ("12%", "2026-10-01") stay readable. Callers put
  their own "- ", "| " or "# " at the start of each line, so a note can never open a block.
"""
from __future__ import annotations

import re

# Bidirectional embedding/override/isolate controls: one of them in a customer's text reverses what follows
# it on the page (and beyond, up to the end of the line). Stripped wherever text is shown.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_STREAMLIT_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=&\"'])")
_FILE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#$])")
# GitHub-flavoured Markdown turns bare URLs, www. and emails into links; break the pattern, keep the text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])://|\bwww\.|@(?=[a-z0-9-]+\.)")


def plain(text: object) -> str:
    """Text to show literally (``st.text``): as typed, minus the bidi controls that would reorder it."""
    return BIDI_CONTROLS.sub("", "" if text is None else str(text))


def escape_for_streamlit(text: object) -> str:
    return _STREAMLIT_SPECIAL.sub(r"\\\1", plain(text))


def escape_for_markdown_file(text: object) -> str:
    flat = " ".join(plain(text).split())
    escaped = _FILE_SPECIAL.sub(r"\\\1", flat)
    return _AUTOLINK.sub(lambda match: match.group(0)[:-1] + "\\" + match.group(0)[-1], escaped)
