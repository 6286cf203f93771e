"""Documents laid out for reading (issue 16): the demo's pre-read and minutes, read back and printed by LibreOffice."""
import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

from meeting import agenda, render, store
from meeting.render.document import column_widths

SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e[+-]?\d", re.IGNORECASE)
# Seven or more digits in a row with no thousands separator (a date's digits are split by hyphens).
RAW_BIG_NUMBER = re.compile(r"(?<![\d,.])\d{7,}(?![\d])")


@pytest.fixture
def demo(demo_db):
    db = store.open_db(demo_db)
    yield db
    db.close()


def grid_widths(table) -> list[int]:
    """Column widths as Word and LibreOffice read them: twips in the table grid, turned into EMU."""
    return [int(col.get(qn("w:w"))) * 635 for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def test_a_column_of_sentences_is_wide_and_dates_and_statuses_narrow():
    headers = ["Action", "Owner", "Due", "Status"]
    rows = [["Review the subcontractor hand-offs on installs and report back at the November meeting.",
             "Li Wu", "2026-11-13", "open"],
            ["Call the 14 Public sector customers whose renewals fall before March.", "Ana Zielińska", "2026-12-15", "done"]]
    total = 9_000_000
    widths = column_widths(headers, rows, total)
    assert sum(widths) == total
    action, owner, due, status = widths
    assert action >= total / 3
    assert action > owner and action > due and action > status
    assert due < total / 4 and status < total / 4


def test_widths_with_one_column_or_none_and_with_more_long_words_than_room():
    assert column_widths([], [], 1000) == []
    assert column_widths(["Only"], [["x"]], 1000) == [1000]
    squeezed = column_widths(["Supercalifragilistic"] * 12, [["Antidisestablishmentarianism"] * 12], 1_000_000)
    assert sum(squeezed) == 1_000_000 and len(set(squeezed)) <= 2


def test_demo_minutes_action_tables_give_the_text_column_a_third_of_the_width(demo, tmp_path):
    checked = 0
    for meeting_id in (1, 3):
        path = render.export_minutes(demo, meeting_id, out=tmp_path / f"m{meeting_id}.docx")
        document = docx.Document(path)
        section = document.sections[0]
        text_width = section.page_width - section.left_margin - section.right_margin
        for table in document.tables:
            assert table.rows[0].cells[0].text == "Action"
            widths = grid_widths(table)
            assert abs(sum(widths) - text_width) < 635 * len(widths)  # twips rounding
            assert widths[0] >= text_width / 3, widths
            checked += 1
    assert checked >= 5


def test_demo_pre_read_has_formatted_figures_reasons_only_when_there_is_one_and_each_quote_once(demo, tmp_path):
    for meeting_id in (2, 4):
        built = agenda.build_agenda(demo, meeting_id)
        markdown = render.agenda_markdown(built)
        document = docx.Document(render.export_preread(built, "docx", tmp_path / f"p{meeting_id}.docx"))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        paragraphs = [p.text for p in document.paragraphs]
        for text in [markdown, *cells, *paragraphs]:
            assert not SCIENTIFIC.search(text), text
            assert not RAW_BIG_NUMBER.search(text), text
            assert not re.search(r"why:\s*($|·)", text), text
        assert any(re.fullmatch(r"\d{1,3}(,\d{3}){2,}", cell) for cell in cells), "the finance table's millions"
        quotes = [p.text for p in document.paragraphs if p.style.name == "Intense Quote"]
        assert quotes and len(quotes) == len(set(quotes))
        # Each of the six sections begins a page in print.
        starts = [p for p in document.paragraphs if p.style.name == "Heading 1"]
        assert len(starts) == 6 and all(p.paragraph_format.page_break_before for p in starts)


def test_libreoffice_prints_the_demo_documents_without_breaking_a_word(demo, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is missing: run `make system-deps` (installs libreoffice-writer-nogui)"
    minutes = render.export_minutes(demo, 1, out=tmp_path / "minutes.docx", internal=True)
    preread = render.export_preread(agenda.build_agenda(demo, 2), "docx", tmp_path / "preread.docx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(minutes), str(preread)], capture_output=True, check=True, timeout=120)
    for path in (minutes, preread):
        printed = subprocess.run(["pdftotext", str(path.with_suffix(".pdf")), "-"], capture_output=True, text=True,
                                 check=True).stdout
        printed_words = set(printed.split())
        table_words = {word for table in docx.Document(path).tables for row in table.rows for cell in row.cells
                       for word in cell.text.split() if "-" not in word}  # a hyphen is a fair place to break
        broken = sorted(word for word in table_words if word not in printed_words)
        assert broken == [], f"{path.name}: words broken across lines in a table: {broken}"
