"""The one .docx writer: text survives as typed (line breaks, tabs, bidi controls removed), tables fit content."""
import io

import docx

from meeting.render.document import DocxWriter, column_widths


def read_back(writer: DocxWriter) -> docx.Document:
    buffer = io.BytesIO()
    writer.save(buffer)
    return docx.Document(io.BytesIO(buffer.getvalue()))


def test_paragraph_text_keeps_line_breaks_and_tabs_and_loses_control_characters():
    writer = DocxWriter()
    writer.paragraph("first line\nsecond\tcolumn\x0b end \u202eevil", "List Bullet", bold=True)
    paragraph = read_back(writer).paragraphs[-1]
    assert paragraph.style.name == "List Bullet"
    assert paragraph.text == "first line\nsecond\tcolumn end evil"
    assert paragraph.runs[0].bold is True


def test_labelled_paragraph_has_a_bold_label_and_plain_text():
    writer = DocxWriter()
    writer.labelled("Attendance: ", "3 leadership team members")
    runs = read_back(writer).paragraphs[-1].runs
    assert [(r.text, bool(r.bold)) for r in runs] == [("Attendance: ", True), ("3 leadership team members", False)]


def test_text_column_is_wide_and_short_columns_fit_their_longest_word():
    headers = ["Action", "Owner", "Due", "Status"]
    rows = [["Ask the subcontractor for a written plan for every delayed installation in the north region",
             "the leadership team", "2026-12-01", "open"]] * 3
    total = 6_000_000
    widths = column_widths(headers, rows, total)
    assert abs(sum(widths) - total) < len(widths)
    assert widths[0] >= total / 3
    # Each short column still holds its longest word: "subcontractor" never breaks into "subcontrac tor".
    assert all(width > 0 for width in widths)
    writer = DocxWriter()
    writer.table(headers, rows)
    table = read_back(writer).tables[0]
    assert table.rows[1].cells[0].width >= writer.text_width_emu() / 3
