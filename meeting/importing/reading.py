"""Reading a CSV or XLSX export into text columns, one row per data row; the tools' layouts."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import os
import re
from pathlib import Path

import pandas as pd

from meeting.importing.layouts import HEAD_ROWS, Layout, detect_layout
from meeting.importing.problems import ImportFailed, Problem


def read_table(source, filename: str, *, header_row: int | None = None, sheet: str | None = None) -> pd.DataFrame:
    """A CSV (comma, semicolon or tab, sniffed) or XLSX file as text columns, one row per data row.

    The index is the spreadsheet row number of each data row. ``frame.attrs`` says what was found: ``layout``
    (qualtrics, qualtrics-legacy, surveymonkey, plain), ``questions`` (column -> question text), ``delimiter``
    (None for XLSX), ``excel`` (True for XLSX) and ``sheet``. ``header_row`` (1-based) overrides the header found;
    ``sheet`` picks an XLSX sheet by name (default: the sheet holding the most data).

    Encoding: UTF-8 (with or without a BOM), or UTF-16 with a BOM (Excel's "Unicode text"). Anything else is
    refused with the row and column of the first unreadable byte rather than guessed, because a wrong guess
    silently garbles the customers' words.
    """
    name = filename or getattr(source, "name", None) or "the file"
    data = _read_bytes(source, name)
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise ImportFailed(name, [Problem(None, None, "the file is empty.")])
    if header_row is not None and header_row < 1:
        raise ImportFailed(name, [Problem(None, None, f"--header-row {header_row}: rows count from 1.")])
    if markup := _markup_kind(data):
        misnamed = " (its .xls name is not what it holds)" if name.lower().endswith(".xls") else ""
        raise ImportFailed(name, [Problem(None, None, (
            f"this is {markup}, not a table file{misnamed}: open it in Excel and save it as .xlsx or CSV UTF-8, "
            "then import that (or export the data again as CSV)."))])
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        frame = _read_xlsx(data, name, sheet, header_row)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.lower().endswith(".xls"):
        raise ImportFailed(name, [Problem(None, None, "old Excel .xls files are not supported: save it as .xlsx "
                                                      "or CSV UTF-8 and import that.")])
    else:
        frame = _read_csv(data, name, header_row)
    # A trailing delimiter on every line makes an unnamed, empty last column: not the user's data.
    empty_unnamed = [c for c in frame.columns if re.fullmatch(r"Column \d+", c) and _blank(frame[c]).all()]
    if empty_unnamed:
        frame = frame.drop(columns=empty_unnamed)
    if frame.empty or _blank(frame).all(axis=None):
        raise ImportFailed(name, [Problem(None, None, "the file has a header row but no data rows.")])
    return frame


def _markup_kind(data: bytes) -> str | None:
    """What a web page or XML file is (tools save both under an .xls name): None for anything else."""
    head = data[:2048]
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                       (codecs.BOM_UTF8, "utf-8")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, errors="ignore").encode("utf-8")
            break
    text = head.lstrip().lower()
    if not text.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "an Excel 2003 XML spreadsheet"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")) or b"<html" in text:
        return "a web page (an HTML table)"
    if text.startswith(b"<?xml"):
        return "an XML file"
    return None


def _read_bytes(source, name: str) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise ImportFailed(name, [Problem(None, None, f"cannot be read: {error.strerror or error}.")]) from None
    if hasattr(source, "getvalue"):
        return source.getvalue()
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    raise TypeError(f"Cannot read a table from {type(source).__name__}")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(name, [_encoding_problem(data, error.start)]) from None


def _encoding_problem(data: bytes, position: int) -> Problem:
    line = data.count(b"\n", 0, position) + 1
    line_start = data.rfind(b"\n", 0, position) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r")
    delimiter = _sniff_delimiter(header)
    before = data[line_start:position].decode("utf-8", errors="replace")
    column = None
    try:
        index = len(next(csv.reader([before], delimiter=delimiter))) - 1 if before else 0
        names = next(csv.reader([header], delimiter=delimiter))
        column = names[index].strip() if index < len(names) else None
    except (csv.Error, StopIteration):
        pass
    field_start = max(data.rfind(delimiter.encode(), line_start, position) + 1, line_start)
    ends = [i for i in (data.find(delimiter.encode(), position), data.find(b"\n", position)) if i != -1]
    guess = data[field_start:min(ends) if ends else None][:60].decode("cp1252", errors="replace").strip()
    return Problem(line, column, f"the file is not UTF-8 text (byte 0x{data[position]:02X} near {guess!r}; it "
                                 "looks like a Windows or Latin-1 export). Re-save it as \"CSV UTF-8\" (Excel: "
                                 "File > Save As > CSV UTF-8) and import it again.")


def _sniff_delimiter(header: str) -> str:
    """The separator the header line uses most, outside quotes: comma, semicolon or tab."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _as_text(column: pd.Series) -> pd.Series:
    """Any column as text with missing values kept missing: whole floats without '.0', dates as ISO."""
    if pd.api.types.is_datetime64_any_dtype(column):
        text = column.dt.strftime("%Y-%m-%d %H:%M:%S").str.replace(" 00:00:00", "", regex=False)
        return text.astype("str")
    if pd.api.types.is_float_dtype(column):
        whole = column.notna() & (column % 1 == 0) & (column.abs() < 1e15)
        text = column.astype("str")
        text[whole] = column[whole].astype("int64").astype("str")
        return text
    if column.dtype == object:
        def one(value):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return None
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                return str(int(value))
            if isinstance(value, dt.datetime):
                return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
            if isinstance(value, (dt.date, pd.Timestamp)):
                return value.isoformat()
            return str(value)
        return column.map(one).astype("str")
    return column.astype("str")


def _blank(values):
    """True where a cell (Series or DataFrame) is missing or only whitespace."""
    if isinstance(values, pd.DataFrame):
        return values.apply(_blank)
    text = values.astype("str")
    return text.isna() | (text.str.strip() == "")



class _Counting:
    """Lines of a text handed to csv.reader, counting the characters consumed, so pandas can start where the
    data starts even when a question text above it spans several lines."""

    def __init__(self, text: str):
        self.lines = iter(text.splitlines(keepends=True))
        self.consumed = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.consumed += len(line)
        return line


def csv_head(text: str, name: str, header_row: int | None) -> tuple[Layout, str, int]:
    """The layout of a CSV from the start of its text, its delimiter, and the character offset of its data."""
    text = text.lstrip("\ufeff")
    leading = len(text) - len(text.lstrip("\r\n"))
    first_line = text[leading:].split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    counting = _Counting(text[:400_000])
    reader = csv.reader(counting, delimiter=delimiter)
    rows, ends = [], []
    try:
        for row in reader:
            rows.append(row)
            ends.append(counting.consumed)
            if len(rows) >= max(HEAD_ROWS, header_row or 0) + 3:
                break
    except csv.Error as error:
        raise ImportFailed(name, [Problem(None, None, f"cannot be read as CSV ({error}).")]) from None
    _check_header_row(rows, header_row, name)
    layout = detect_layout(rows, header_row)
    if layout.data_start > len(rows):
        raise ImportFailed(name, [Problem(None, None, "the file has a header row but no data rows.")])
    offset = ends[layout.data_start - 1] if layout.data_start else 0
    if len(layout.columns) == 1:
        other = next((d for d in ("|", "^", "~", ":") if d in first_line), None)
        if other:
            raise ImportFailed(name, [Problem(1, None, (
                f"the whole header is one column ({first_line.strip()[:60]!r}): the file seems to separate columns "
                f"with {other!r}. Only commas, semicolons and tabs are understood: re-save it as CSV."))])
    return layout, delimiter, offset


def parser_failure(error: Exception, name: str, delimiter: str, rows_before: int) -> ImportFailed:
    """A pandas parser error as the user's problem: the row and what is probably wrong with it."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if not found:
        return ImportFailed(name, [Problem(None, None, f"cannot be read as CSV ({error}).")])
    expected, line, saw = (int(g) for g in found.groups())
    shown = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    return ImportFailed(name, [Problem(line + rows_before, None, (
        f"this row has {saw} fields but the header has {expected}: is there an unquoted {shown} inside a "
        "value? Put such values in double quotes."))])


def _read_csv(data: bytes, name: str, header_row: int | None) -> pd.DataFrame:
    text = _decode(data, name).lstrip("\ufeff")
    layout, delimiter, offset = csv_head(text, name, header_row)
    stream = io.StringIO(text)
    stream.seek(offset)
    try:
        frame = pd.read_csv(stream, sep=delimiter, dtype=str, keep_default_na=False, header=None,
                            names=list(layout.columns), skip_blank_lines=False, engine="c", index_col=False)
    except pd.errors.EmptyDataError:
        raise ImportFailed(name, [Problem(None, None, "the file has a header row but no data rows.")]) from None
    except pd.errors.ParserError as error:
        raise parser_failure(error, name, delimiter, layout.data_start) from None
    if len(frame.columns) > len(layout.columns):
        raise ImportFailed(name, [Problem(None, None, "some rows have more fields than the header.")])
    frame.index = pd.RangeIndex(layout.data_start + 1, layout.data_start + 1 + len(frame), name="row")
    frame.attrs.update(layout=layout.name, questions=dict(layout.questions), delimiter=delimiter, excel=False,
                       sheet=None)
    return frame


def _read_xlsx(data: bytes, name: str, sheet: str | None, header_row: int | None) -> pd.DataFrame:
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for a damaged or mislabelled file
        raise ImportFailed(name, [Problem(None, None, f"cannot be read as an Excel workbook ({error}).")]) from None
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise ImportFailed(name, [Problem(None, None, (
                    f"there is no sheet {sheet!r}; the sheets are: {', '.join(book.sheetnames)}"))])
            chosen = sheet
        else:
            chosen = _fullest_sheet(book)
        rows = [[_cell_text(cell) for cell in row] for row in book[chosen].iter_rows()]
    finally:
        book.close()
    rows = [r for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFailed(name, [Problem(None, None, f"the sheet {chosen!r} is empty.")])
    _check_header_row(rows, header_row, name)
    layout = detect_layout(rows, header_row)
    width = len(layout.columns)
    body = [(r + [""] * width)[:width] for r in rows[layout.data_start:]]
    frame = pd.DataFrame(body, columns=list(layout.columns), dtype="str")
    frame = frame.where(frame != "", "")
    frame.index = pd.RangeIndex(layout.data_start + 1, layout.data_start + 1 + len(frame), name="row")
    frame.attrs.update(layout=layout.name, questions=dict(layout.questions), delimiter=None, excel=True,
                       sheet=chosen)
    return frame


def _check_header_row(rows: list[list], header_row: int | None, name: str) -> None:
    if header_row and (header_row > len(rows) or not any(str(c).strip() for c in rows[header_row - 1])):
        raise ImportFailed(name, [Problem(header_row, None, (
            f"--header-row {header_row}: that row is empty or past the end of the file; the column names are "
            "on another row"))])


def _fullest_sheet(book) -> str:
    """The sheet with the most filled cells in its first rows: a cover or notes sheet before the data loses."""
    best, best_count = book.sheetnames[0], -1
    for sheet_name in book.sheetnames:
        count = 0
        for row in book[sheet_name].iter_rows(max_row=40, values_only=True):
            count += sum(1 for v in row if v not in (None, ""))
        if count > best_count:
            best, best_count = sheet_name, count
    return best


def _cell_text(cell) -> str:
    """A cell as the text Excel shows: percent-formatted 0.868 is '86.8%', dates ISO, whole numbers without '.0'."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            # Marked as a percentage, as Excel shows it: a column mixing these with bare numbers is caught.
            value = round(value * 100, 10)
            return (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)) + "%"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def sheet_names(source, filename: str) -> list[str]:
    """The sheets of an XLSX workbook (empty for CSV), for the Import page's sheet choice."""
    name = filename or "the file"
    data = _read_bytes(source, name)
    if not (data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))):
        return []
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # noqa: BLE001 - the read itself reports a damaged workbook with its reason
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()
