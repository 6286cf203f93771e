"""A thin .docx writer: XML-safe text, linear time, tables whose columns fit their content.

python-docx's ``add_paragraph`` looks for the section properties at the end of the body on every call,
so a document of n paragraphs costs O(n^2) (1 MB of minutes took 4 s, 10 MB 62 s). Here each new
block is inserted just before that element, found once, and paragraph styles are resolved once per name.
"""
from __future__ import annotations

import datetime as dt

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from meeting.render.common import xml_safe

APPLICATION = "Outside In"

# Share of the text width a column may take, by how its content reads: a column of dates or statuses needs
# its longest word, a column of sentences the rest.
_MIN_COLUMN_CHARS = 6


class DocxWriter:
    def __init__(self, *, font_size: float = 10.5):
        self.document = docx.Document()
        self.document.styles["Normal"].font.size = Pt(font_size)
        body = self.document.element.body
        self._end = body.sectPr if body.sectPr is not None else body.get_or_add_sectPr()
        self._style_ids: dict[str, str] = {}

    # --- blocks ------------------------------------------------------------------------------------------
    def paragraph(self, text: object = "", style: str | None = None, *, bold: bool = False, italic: bool = False,
                  size: float | None = None) -> Paragraph:
        element = OxmlElement("w:p")
        if style:
            SubElement(SubElement(element, qn("w:pPr")), qn("w:pStyle")).set(qn("w:val"), self._style_id(style))
        if text not in ("", None):
            self._run(element, xml_safe(text), bold=bold, italic=italic, size=size)
        self._end.addprevious(element)
        return Paragraph(element, self.document._body)

    @staticmethod
    def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None) -> None:
        """One run written as XML directly: python-docx's Run.text adds the text a character at a time."""
        run = SubElement(paragraph, qn("w:r"))
        if bold or italic or size:
            properties = SubElement(run, qn("w:rPr"))
            if bold:
                SubElement(properties, qn("w:b"))
            if italic:
                SubElement(properties, qn("w:i"))
            if size:
                SubElement(properties, qn("w:sz")).set(qn("w:val"), str(int(round(size * 2))))
        for number, line in enumerate(text.split("\n")):
            if number:
                SubElement(run, qn("w:br"))
            for index, piece in enumerate(line.split("\t")):
                if index:
                    SubElement(run, qn("w:tab"))
                if piece:
                    node = SubElement(run, qn("w:t"))
                    node.text = piece
                    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def heading(self, text: object, level: int) -> Paragraph:
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def bullet(self, text: object) -> Paragraph:
        return self.paragraph(text, "List Bullet")

    def labelled(self, label: str, text: object) -> Paragraph:
        paragraph = self.paragraph(label, bold=True)
        self._run(paragraph._p, xml_safe(text))
        return paragraph

    def page_break(self) -> None:
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, headers: list[str], rows: list[list[object]], style: str = "Table Grid") -> None:
        """A table with a bold header row and column widths that follow the content."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = style
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = xml_safe(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        texts = [[xml_safe("" if value is None else value) for value in row] for row in rows]
        for values in texts:
            for cell, value in zip(table.add_row().cells, values):
                cell.text = value
        widths = column_widths(headers, texts, self.text_width_emu())
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths):
            col.w = width

    # --- document --------------------------------------------------------------------------------------
    def text_width_emu(self) -> int:
        section = self.document.sections[0]
        return int(section.page_width - section.left_margin - section.right_margin)

    def header_footer(self, header: str, footer: str) -> None:
        section = self.document.sections[0]
        section.header.paragraphs[0].text = xml_safe(header)
        section.footer.paragraphs[0].text = xml_safe(footer)

    def neutral_properties(self, title: str, *, category: str, status: str = "") -> None:
        """Core properties carry no identity: python-docx's defaults replaced, free-text fields empty."""
        props = self.document.core_properties
        props.author = APPLICATION
        props.last_modified_by = APPLICATION
        props.title = title
        props.subject = props.comments = props.keywords = props.identifier = props.version = ""
        props.category = category
        props.content_status = status
        props.language = "en-GB"
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        props.created = props.modified = now
        props.revision = 1

    def save(self, out) -> None:
        """``out``: a path or a binary file object."""
        self.document.save(out)

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]


def column_widths(headers: list[str], rows: list[list[str]], total: int) -> list[int]:
    """Widths (EMU) summing to ``total``: each column gets at least its longest word (so no word breaks),
    and what is left goes to the columns in proportion to their typical length (text columns widen)."""
    count = len(headers)
    longest_word = [max([len(w) for w in str(headers[i]).split()] + [
        len(word) for row in rows for word in str(row[i]).split()] + [_MIN_COLUMN_CHARS]) for i in range(count)]
    typical = [max(len(str(headers[i])), *(len(str(row[i])) for row in rows)) if rows else len(str(headers[i]))
               for i in range(count)]
    floor = [w + 2 for w in longest_word]
    spare_weight = [max(t - f, 0) for t, f in zip(typical, floor)]
    chars = sum(floor)
    spare = sum(spare_weight)
    # Scale characters to EMU so the floors fit; the remainder is shared by how much longer than a word each is.
    if spare == 0:
        return [int(total * f / chars) for f in floor]
    floor_share = min(0.9, chars / (chars + spare))
    widths = [total * floor_share * f / chars + total * (1 - floor_share) * s / spare
              for f, s in zip(floor, spare_weight)]
    return [int(w) for w in widths]
