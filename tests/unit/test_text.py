"""Customer text made inert for Markdown: in Streamlit and in exported files."""
import pytest

from meeting.text import escape_for_markdown_file, escape_for_streamlit


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "**[click](http://evil)**", ":red[alarm] $x^2$"])
def test_streamlit_escape_leaves_no_active_character(text):
    escaped = escape_for_streamlit(text)
    # Every special character is preceded by a backslash: markdown shows it as itself.
    for i, char in enumerate(escaped):
        if char in "<>*[]()!:$":
            assert escaped[i - 1] == "\\", (escaped, i)
    assert escaped.replace("\\", "") == text.replace("\\", "")


@pytest.mark.parametrize("text,expected", [
    ("**[click](http://evil)**", "\\*\\*\\[click\\](http:/\\/evil)\\*\\*"),
    ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
    ("see www.evil.com or mail a@b.example", "see www\\.evil.com or mail a\\@b.example"),
    ("NPS fell 12% on 2026-10-01\nsecond line", "NPS fell 12% on 2026-10-01 second line"),
])
def test_file_escape_neutralises_markup_and_links_but_keeps_figures_readable(text, expected):
    assert escape_for_markdown_file(text) == expected
