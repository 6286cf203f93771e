"""Reading a CSV or XLSX export into text columns, one row per data row; the tools' layouts."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pandas as pd

from meeting.importing.problems import ImportFailed, Problem

def read_table(source, filename: str) -> pd.DataFrame:
    """A CSV (comma, semicolon or tab, sniffed) or XLSX file as text columns, one row per data row.

    Encoding: UTF-8 (with or without a BOM), or UTF-16 with a BOM (Excel's "Unicode text"). Anything else is
    refused with the row and column of the first unreadable byte rather than guessed, because a wrong guess
    silently garbles the customers' words.
    """
    name = filename or getattr(source, "name", None) or "the file"
    data = _read_bytes(source, name)
    if not data.strip() or data.strip() in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise ImportFailed(name, [Problem(None, None, "the file is empty.")])
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        frame = _read_xlsx(data, name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.lower().endswith(".xls"):
        raise ImportFailed(name, [Problem(None, None, "old Excel .xls files are not supported: save it as .xlsx "
                                                      "or CSV UTF-8 and import that.")])
    else:
        frame = _read_csv(data, name)
    frame.columns = [str(c).strip() for c in frame.columns]
    # A trailing delimiter on every line makes an unnamed, empty last column: not the user's data.
    empty_unnamed = [c for c in frame.columns if c.startswith("Unnamed: ") and _blank(frame[c]).all()]
    frame = frame.drop(columns=empty_unnamed)
    _blank_qualtrics_preamble(frame)
    if frame.empty or _blank(frame).all(axis=None):
        raise ImportFailed(name, [Problem(None, None, "the file has a header row but no data rows.")])
    return frame


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


def _read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(io.BytesIO(data), sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as error:  # openpyxl raises many types for a damaged or mislabelled file
        raise ImportFailed(name, [Problem(None, None, f"cannot be read as an Excel workbook ({error}).")]) from None
    return frame.apply(_as_text)


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
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    text = _decode(data, name)
    header = text.lstrip("\ufeff\r\n").split("\n", 1)[0]
    delimiter = _sniff_delimiter(header)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except pd.errors.EmptyDataError:
        raise ImportFailed(name, [Problem(None, None, "the file is empty.")]) from None
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if not found:
            raise ImportFailed(name, [Problem(None, None, f"cannot be read as CSV ({error}).")]) from None
        expected, line, saw = (int(g) for g in found.groups())
        shown = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
        raise ImportFailed(name, [Problem(line, None, (
            f"this row has {saw} fields but the header has {expected}: is there an unquoted {shown} inside a "
            "value? Put such values in double quotes."))]) from None
    if len(frame.columns) == 1:
        other = next((d for d in ("|", "^", "~", ":") if d in header), None)
        if other:
            raise ImportFailed(name, [Problem(1, None, (
                f"the whole header is one column ({header.strip()[:60]!r}): the file seems to separate columns "
                f"with {other!r}. Only commas, semicolons and tabs are understood: re-save it as CSV."))])
    return frame


def _blank_qualtrics_preamble(frame: pd.DataFrame) -> None:
    """Qualtrics puts the question texts and an ImportId row under the header: blank them, keep row numbers."""
    if len(frame) >= 2:
        third = frame.iloc[1].astype(str)
        if third.str.startswith('{"ImportId"').mean() > 0.5:
            frame.iloc[0:2] = ""


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
            if value is None or (isinstance(value, float) and value != value):
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

