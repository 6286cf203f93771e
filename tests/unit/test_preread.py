"""The pre-read: same order and evidence as the agenda, customer text escaped, a real .docx read back."""
import re

import docx
import pytest
from support.small_unit import seed_unit
from support.table_rows import insert_rows

from meeting import agenda, cli, render
from meeting.store import meetings


@pytest.fixture
def built(fresh_db):
    seed_unit(fresh_db)
    insert_rows(fresh_db, "voc_responses", [{
        "unit_id": 1, "source_key": "evil", "received_on": "2026-10-09", "channel": "web", "touchpoint": "Website",
        "segment": "SME", "score": 0, "scale": "nps", "narrative": "**[click](http://evil)** <img src=x onerror=alert(1)> awful"}])
    meeting = meetings.create_meeting(fresh_db, "Testland", "2026-11-12")
    agenda.draft_agenda(fresh_db, meeting)
    return agenda.build_agenda(fresh_db, meeting)


def test_markdown_keeps_the_order_and_escapes_customer_text(built):
    text = render.agenda_markdown(built)
    positions = [text.index(f"## {n}. {title}") for n, title in enumerate(
        ["Customer", "Employees", "Operations", "Marketing", "Sales", "Finance"], start=1)]
    assert positions == sorted(positions)
    assert "\\*\\*\\[click\\](http:/\\/evil)\\*\\* \\<img src=x onerror=alert(1)\\>" in text
    assert not re.search(r"(?<!\\)<img|(?<!\\)\[click", text)


def test_docx_pre_read_has_the_sections_in_order_and_the_quotes(built, tmp_path):
    path = render.export_preread(built, "docx", tmp_path / "pre.docx")
    document = docx.Document(path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [h.split(" (")[0] for h in headings] == [
        "1. Customer", "2. Employees", "3. Operations", "4. Marketing", "5. Sales", "6. Finance"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Engineer never turned up, still waiting" in body
    tables = ["\n".join(c.text for row in t.rows for c in row.cells) for t in document.tables]
    assert any("Revenue" in t and "110" in t for t in tables)


def test_cli_exports_the_pre_read(built, db_path, tmp_path, capsys):
    out = tmp_path / "agenda.md"
    assert cli.main(["--db", str(db_path), "agenda", str(built["meeting"]["id"]), "--export", "md", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("# Testland leadership meeting, November 2026")


# --- regressions of issue 9: one renderer path for every document ------------------------------------------

def test_a_control_character_in_a_narrative_does_not_break_the_docx(fresh_db, db_path, tmp_path, capsys):
    # python-docx refuses control characters; the pre-read skipped the cleaning the minutes had, and the CLI
    # reported the crash as bad input (exit 2).
    seed_unit(fresh_db)
    insert_rows(fresh_db, "voc_responses", [{
        "unit_id": 1, "source_key": "ctl", "received_on": "2026-10-09", "channel": "web", "touchpoint": "Website",
        "segment": "SME", "score": 0, "scale": "nps", "narrative": "Pasted from a PDF\x0b\x01 and still broken"}])
    meeting = agenda.create_meeting_with_agenda(fresh_db, "Testland", "2026-11-12")
    out = tmp_path / "pre.docx"
    assert cli.main(["--db", str(db_path), "agenda", str(meeting), "--export", "docx", "--out", str(out)]) == 0
    body = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "Pasted from a PDF and still broken" in body


def test_pre_reads_go_where_outside_in_exports_says(built, tmp_path, monkeypatch):
    monkeypatch.setenv(render.EXPORTS_SETTING, str(tmp_path / "shared-drive"))
    for fmt in ("docx", "md"):
        path = render.export_preread(built, fmt)
        assert path.parent == tmp_path / "shared-drive" and path.exists()


def test_pre_read_bytes_for_the_download_button_are_a_docx(built, tmp_path):
    # The Prepare page's button passed a BytesIO where agenda_docx called Path(...): TypeError.
    data = render.render_preread(built, "docx")
    (tmp_path / "download.docx").write_bytes(data)
    headings = [p.text for p in docx.Document(tmp_path / "download.docx").paragraphs if p.style.name == "Heading 1"]
    assert headings[0].startswith("1. Customer") and headings[-1].startswith("6. Finance")


def test_the_pre_read_scores_touchpoints_with_their_interval(demo_db, tmp_path, capsys):
    import json

    from meeting import cli

    assert cli.main(["--db", str(demo_db), "agenda", "2", "--json"]) == 0
    rows = next(s for s in json.loads(capsys.readouterr().out)["sections"] if s["key"] == "customer")["evidence"][
        "by_touchpoint"]
    out = tmp_path / "pre.docx"
    assert cli.main(["--db", str(demo_db), "agenda", "2", "--export", "docx", "--out", str(out)]) == 0
    document = docx.Document(out)
    (table,) = [t for t in document.tables if "NPS (95% interval)" in [c.text for c in t.rows[0].cells]]
    cells = {row.cells[0].text: row.cells[3].text for row in table.rows[1:]}
    for row in rows:
        if row["nps_base"] == "too_few":
            assert cells[row["touchpoint"]] in (f"too few (n={row['nps_n']})", "n/a")
        else:
            assert cells[row["touchpoint"]].startswith(f"{row['nps']:.0f} (") and f"n={row['nps_n']:,}" in cells[row["touchpoint"]]
            assert cells[row["touchpoint"]].endswith("low base") == (row["nps_base"] == "low")
    assert "more than noise" in "\n".join(p.text for p in document.paragraphs)
