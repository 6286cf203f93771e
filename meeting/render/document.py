"""A thin .docx writer: XML-safe text, linear time, tables whose columns fit their content.

python-docx's ``add_paragraph`` looks for the section properties at the end of the body on every call,
so a document of n paragraphs costs O(n^2) (1 MB of minutes took 4 s, 10 MB 62 s). Here each new
block is inserted just before that element, found once, and paragraph styles are resolved once per name.
"""
from __future__ import annotations

import functools
import heapq

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from meeting import clock
from meeting.render.common import xml_safe

APPLICATION = "Outside In"

# Text is measured with DejaVu Serif, what LibreOffice prints in place of the template's Calibri (Calibri is
# narrower, so Word only gains room); Pillow reads the font file. Without it, an estimate per character: a line
# averages 0.6 em, a single word is reckoned wider (0.64 em) because it must never break, bold headers 25% wider.
# A cell's left and right margins take ~11.5 pt in Word (0.08 inch each), ~11 pt in LibreOffice.
_MIN_COLUMN_CHARS = 3
_LINE_EM = 0.6
_WORD_EM = 0.64
_BOLD_WIDER = 1.25
_CELL_PADDING_PT = 14
_MEASURED_SLACK = 1.04
_FONT_FILES = {False: "DejaVuSerif.ttf", True: "DejaVuSerif-Bold.ttf"}
_EMU_PER_PT = 12700


class DocxWriter:
    def __init__(self, *, font_size: float = 10.5):
        self.document = docx.Document()
        self.font_size = font_size
        self.document.styles["Normal"].font.size = Pt(font_size)
        # A4 with 2 cm margins (the template's US Letter with 1.25 inch margins leaves tables 6 inches).
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
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

    def heading(self, text: object, level: int, *, new_page: bool = False) -> Paragraph:
        """A heading; ``new_page`` starts it on a fresh page (a section found by flicking through a printout)."""
        paragraph = self.paragraph(text, "Title" if level == 0 else f"Heading {level}")
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

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
        widths = column_widths(headers, texts, self.text_width_emu(), font_size=self.font_size)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
        # In print: the header row repeats on every page and a row is never split across two.
        table.rows[0]._tr.get_or_add_trPr().append(_on("w:tblHeader"))
        for row in table.rows:
            row._tr.get_or_add_trPr().append(_on("w:cantSplit"))
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths):
            col.w = width
        # Room after the table, so the next table or paragraph does not run into its last row.
        self.paragraph().paragraph_format.space_after = Pt(2)

    # --- document --------------------------------------------------------------------------------------
    def text_width_emu(self) -> int:
        section = self.document.sections[0]
        # None only for a section without its own page setup; the template sets all three.
        assert section.page_width is not None and section.left_margin is not None and section.right_margin is not None
        return int(section.page_width - section.left_margin - section.right_margin)

    def header_footer(self, header: str, footer: str) -> None:
        section = self.document.sections[0]
        section.header.paragraphs[0].text = xml_safe(header)
        paragraph = section.footer.paragraphs[0]
        paragraph.text = xml_safe(footer) + " · page "
        # A PAGE field: Word and LibreOffice fill in the number, so a printed page says where it belongs.
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

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
        now = clock.now()
        props.created = props.modified = now
        props.revision = 1

    def save(self, out) -> None:
        """``out``: a path or a binary file object."""
        self.document.save(out)

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]


def _on(tag: str):
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    return element


@functools.lru_cache(maxsize=2)
def _font(bold: bool):
    try:
        from PIL import ImageFont

        return ImageFont.truetype(_FONT_FILES[bold], 100)
    except (ImportError, OSError):
        return None


def _longest(texts: set[str], keep: int = 12) -> list[str]:
    """The few longest texts by characters: the widest in print is among them, and a 10,000-row table is not
    measured text by text."""
    return heapq.nlargest(keep, texts, key=len)


def _text_emu(text: str, font_size: float, *, bold: bool = False, word: bool = False) -> float:
    """Room for ``text`` (one unbreakable ``word``, or a line) plus the cell's padding, in EMU."""
    font = _font(bold)
    if font is not None:
        width_pt = font.getlength(text) / 100 * font_size * _MEASURED_SLACK
    else:
        width_pt = len(text) * font_size * (_WORD_EM if word else _LINE_EM) * (_BOLD_WIDER if bold else 1.0)
    return (width_pt + _CELL_PADDING_PT) * _EMU_PER_PT


def column_widths(headers: list[str], rows: list[list[str]], total: int, *, font_size: float = 10.5) -> list[int]:
    """Widths (EMU) summing to ``total`` that fit the content.

    Each column first gets room for its longest word (header words in bold), so no word breaks across lines.
    The rest goes first to short columns (dates, statuses) so they read on one line, then to the columns of
    sentences, so they are the wide ones.
    """
    count = len(headers)
    if count == 0:
        return []
    floor, want = [], []
    for i in range(count):
        cells = [str(row[i]) for row in rows]
        header_words = str(headers[i]).split() + ["M" * _MIN_COLUMN_CHARS]
        cell_words = _longest({w for text in cells for w in text.split()})
        floor.append(max([_text_emu(w, font_size, bold=True, word=True) for w in header_words]
                         + [_text_emu(w, font_size, word=True) for w in cell_words]))
        lines = _longest({line for text in cells for line in text.splitlines()})
        want.append(max([floor[-1], _text_emu(str(headers[i]), font_size, bold=True)]
                        + [_text_emu(line, font_size) for line in lines]))
    if sum(floor) >= total:  # too many long words to fit: shrink every floor alike (a word may then break)
        return _exact([total * f / sum(floor) for f in floor], total)
    # First every column up to its one line, but no column past an equal share unless its words need it: a
    # column of names then wraps between words rather than squeezing the column of sentences.
    fair = [max(f, min(w, total / count)) for f, w in zip(floor, want)]
    widths = list(floor)
    remaining = total - sum(floor)
    hungry = sorted(range(count), key=lambda i: fair[i] - floor[i])
    for position, i in enumerate(hungry):
        grant = min(fair[i] - floor[i], remaining / (count - position))
        widths[i] += grant
        remaining -= grant
    # Then what is left to the columns still short of one line, in proportion to how short they are.
    short = [max(w - width, 0.0) for w, width in zip(want, widths)]
    weights = short if sum(short) > 0 else widths
    widths = [width + remaining * weight / sum(weights) for width, weight in zip(widths, weights)]
    return _exact(widths, total)


def _exact(widths: list[float], total: int) -> list[int]:
    """Whole EMU, with the rounding left over given to the widest column, so the table spans the text width."""
    whole = [int(w) for w in widths]
    whole[whole.index(max(whole))] += total - sum(whole)
    return whole
