"""Cells as the tool meant them: dates, months and numbers.

Each rule is decided for a whole column (or file), never cell by cell: whether 03/10/2026 is day-first
follows from the other dates of its column, whether 57.300 has a thousands dot follows from the other
numbers of its file. When the column cannot tell, the caller is told to ask the user.
"""
from __future__ import annotations

import datetime as dt
import re
import warnings

import pandas as pd
from dateutil import parser as date_parser

from meeting.importing.kinds import normalise_header

_ISO_FAST = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
             r"(?:Z|[+-][0-9]{2}:?[0-9]{2}| ?UTC| ?GMT)?)?")
# A time (and zone) after the date: dropped before parsing, so many timestamps of one day parse once.
_TIME_TAIL = re.compile(r"(?:[T\s,]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"
                        r"(?:\s*(?:Z|[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?)$")
_YEAR_FIRST = re.compile(r"^\d{4}[-/.]")
_DAY_MONTH = re.compile(r"^(\d{1,2})[-/.\s](\d{1,2})[-/.\s]\d{2,4}$")
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
DATE_ORDERS = {"dmy": "dmy", "d m y": "dmy", "day first": "dmy", "mdy": "mdy", "m d y": "mdy",
               "month first": "mdy"}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DEFAULTS = (dt.datetime(1900, 1, 1), dt.datetime(1904, 2, 2))  # a part missing from a date shows as a difference


def _date_part(text: pd.Series) -> pd.Series:
    return text.str.replace(_TIME_TAIL, "", regex=True).str.strip()


def _parse_one(text: str, dayfirst: bool) -> dt.datetime | None:
    """One date with every part given, or None. Year-first dates are never read day-first (2026-10-03)."""
    yearfirst = bool(_YEAR_FIRST.match(text))
    results = []
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results.append(date_parser.parse(text, dayfirst=dayfirst and not yearfirst, yearfirst=yearfirst,
                                                 default=default, ignoretz=True, fuzzy=False))
        except (ValueError, OverflowError, TypeError):
            return None
    if results[0] != results[1] or not 1900 <= results[0].year <= 2999:
        return None  # "May 2026" has no day: a date we would have to invent
    return results[0]


def decide_date_order(dates: pd.Series) -> tuple[str | None, bool]:
    """From a column's distinct date texts: "dmy", "mdy" or None, and whether the column contradicts itself."""
    parts = dates.str.extract(_DAY_MONTH).dropna()
    if parts.empty:
        return None, False
    first, second = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first and month_first:
        return None, True
    if day_first:
        return "dmy", False
    if month_first:
        return "mdy", False
    if (first == second).all():
        return "dmy", False  # 05/05/2026 reads the same either way
    return None, False


def parse_dates(text: pd.Series, order: str | None = None, *, excel: bool = False
                ) -> tuple[pd.Series, pd.Series, tuple | None]:
    """ISO text for each date (NA when missing or bad), a mask of bad cells, and a column-level complaint
    (the first ambiguous row's label, message) reported once instead of once per row.

    Accepts what tools write: ISO dates and datetimes, ``2022/06/22 11:07:29 AM AST``, ``1/Oct/26 2:03 AM``,
    ``8/25/22 15:47``, ``3 Oct 2026``; Excel serial numbers when ``excel``. Day-first or month-first is decided
    for the whole column (some day above 12), or by ``order`` ("dmy" / "mdy").
    """
    present = text.notna()
    result = pd.Series(pd.NA, index=text.index, dtype="str")
    # Fast path (no Python per row) for the usual zero-padded ISO dates and datetimes.
    fast = text.str.fullmatch(_ISO_FAST).fillna(False).astype(bool)
    if fast.any():
        checked = pd.to_datetime(text[fast].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        result[fast] = checked.dt.strftime("%Y-%m-%d").astype("str")
    complaint = None
    rest = present & ~fast
    if rest.any():
        dates = _date_part(text[rest])
        distinct = pd.Series(dates.unique(), dtype="str")
        found_order, contradicts = decide_date_order(distinct)
        order = order or found_order
        lookup: dict[str, str | None] = {}
        ambiguous = distinct.str.fullmatch(_DAY_MONTH).fillna(False).astype(bool)
        if order is None and ambiguous.any():
            sample = dates.index[dates.isin(distinct[ambiguous]).to_numpy()][0]
            if contradicts:
                message = (f"the dates mix day-first and month-first (e.g. {text[sample]!r}): make them one "
                           "format, such as YYYY-MM-DD")
            else:
                message = (f"dates such as {text[sample]!r} could be day/month/year or month/day/year: convert "
                           "them to YYYY-MM-DD, or say which with --set date_order=dmy (or mdy)")
            complaint = (sample, message)
        for value, unclear in zip(distinct.tolist(), ambiguous.tolist()):
            if unclear and order is None:
                lookup[value] = None
            elif excel and _EXCEL_SERIAL.match(value):
                lookup[value] = (_EXCEL_EPOCH + dt.timedelta(days=float(value))).date().isoformat()
            else:
                parsed = _parse_one(value, dayfirst=order == "dmy")
                lookup[value] = parsed.date().isoformat() if parsed else None
        result[rest] = dates.map(lookup).astype("str")
    bad = present & result.isna()
    if complaint:
        unclear = bad & _date_part(text.fillna("")).str.fullmatch(_DAY_MONTH).fillna(False).astype(bool)
        bad = bad & ~unclear  # reported once for the column, not once per row
    return result, bad, complaint


def parse_datetimes(text: pd.Series, order: str | None = None) -> tuple[pd.Series, pd.Series, tuple | None]:
    """Like ``parse_dates`` but keeping the time: ``YYYY-MM-DD HH:MM:SS`` text (for hours to resolve)."""
    dates, bad, complaint = parse_dates(text, order)
    if not order and complaint is None:
        order, _ = decide_date_order(pd.Series(_date_part(text.dropna()).unique(), dtype="str"))
    lookup: dict[str, str | None] = {}
    for value in text[dates.notna()].unique().tolist():
        parsed = _parse_one(value, dayfirst=order == "dmy")
        lookup[value] = parsed.isoformat(sep=" ", timespec="seconds") if parsed else None
    out = text.map(lookup, na_action="ignore").astype("str").where(dates.notna())
    return out, bad | (text.notna() & dates.notna() & out.isna()), complaint


def parse_periods(text: pd.Series, order: str | None = None, *, excel: bool = False
                  ) -> tuple[pd.Series, pd.Series, tuple | None]:
    """YYYY-MM for each month (``2026-10``, ``10/2026``, ``Oct 2026``, ``Oct-26``, or a date in the month such as
    ``01/12/2025``, read day-first or month-first as its column shows), a mask of bad cells, a complaint."""
    present = text.notna()
    year = pd.Series(pd.NA, index=text.index, dtype="Int64")
    month = pd.Series(pd.NA, index=text.index, dtype="Int64")
    first = text[present].str.extract(r"^(\d{4})[-/.](\d{1,2})$").dropna()
    year[first.index], month[first.index] = pd.to_numeric(first[0]), pd.to_numeric(first[1])
    second = text[present & year.isna()].str.extract(r"^(\d{1,2})[-/.](\d{4})$").dropna()
    year[second.index], month[second.index] = pd.to_numeric(second[1]), pd.to_numeric(second[0])
    rest = present & year.isna()
    for fmt in ("%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%b-%y", "%b %y"):
        if not rest.any():
            break
        parsed = pd.to_datetime(text[rest].str.strip(), format=fmt, errors="coerce").dropna()
        year[parsed.index], month[parsed.index] = parsed.dt.year, parsed.dt.month
        rest = present & year.isna()
    complaint = None
    if rest.any():
        if order is None:
            # A month written as a date is its first day: 01/12/2025, 01/01/2026 are day-first.
            parts = text[rest].str.extract(_DAY_MONTH).dropna()
            first, second = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
            if len(parts) and (first == 1).all() and not (second == 1).all():
                order = "dmy"
            elif len(parts) and (second == 1).all() and not (first == 1).all():
                order = "mdy"
        dates, _, complaint = parse_dates(text[rest], order, excel=excel)
        found = dates.dropna()
        year[found.index] = pd.to_numeric(found.str.slice(0, 4))
        month[found.index] = pd.to_numeric(found.str.slice(5, 7))
    valid = year.notna() & month.between(1, 12).fillna(False) & year.between(1900, 2999).fillna(False)
    out = (year.astype("str").str.zfill(4) + "-" + month.astype("str").str.zfill(2)).where(valid)
    bad = present & ~valid
    if complaint:
        bad = bad & ~text.fillna("").str.fullmatch(_DAY_MONTH).fillna(False).astype(bool)
    return out.astype("str"), bad, complaint


# --------------------------------------------------------------------------------------------- numbers

_COMMA_DECIMAL = re.compile(r"^[-+]?\d+,(\d{1,2}|\d{4,})$|^[-+]?\d{1,3}(\.\d{3})+,\d+$|^[-+]?\d{1,3}(\.\d{3}){2,}$|"
                            r"^[-+]?0,\d+$|^[-+]?\d{4,},\d+$")
_DOT_DECIMAL = re.compile(r"^[-+]?\d+\.(\d{1,2}|\d{4,})$|^[-+]?\d{1,3}(,\d{3})+\.\d+$|^[-+]?\d{1,3}(,\d{3}){2,}$|"
                          r"^[-+]?0\.\d+$|^[-+]?\d{4,}\.\d+$")
_GROUPED = re.compile(r"^[-+]?\d{1,3}[.,]\d{3}$")  # 57.300 or 6,125: thousands or decimals, by the file
# Currencies written in number cells, before or after the amount (spaces already removed).
CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "US$": "USD", "$": "USD", "¥": "JPY", "₹": "INR", "kr": "SEK"}
_CODES = "EUR|USD|GBP|CHF|SEK|NOK|DKK|PLN|CZK|HUF|JPY|CAD|AUD|NZD|INR|ZAR|BRL|MXN"
_SIGNS = "US\\$|[€$£¥₹]|kr"
_CURRENCY_BEFORE = re.compile(rf"^([-+(]*)(?:{_SIGNS}|{_CODES})")
_CURRENCY_AFTER = re.compile(rf"(?:{_SIGNS}|{_CODES})([)]?)$")
_CURRENCY = re.compile(rf"^[-+(]*({_SIGNS}|{_CODES})|({_SIGNS}|{_CODES})[)]?$")


def _numeric_text(text: pd.Series) -> pd.Series:
    """Spaces (no-break and narrow ones too), apostrophes (Swiss thousands), currency signs and codes before or
    after, a trailing % removed, the minus sign U+2212 (French exports) made ``-``; accounting negatives ``(12,340.00)`` and a trailing minus ``12.50-`` made ``-``."""
    out = (text.str.replace(r"[\s\u00a0\u202f\u2009'’]", "", regex=True).str.replace("\u2212", "-", regex=False)
           .str.replace(_CURRENCY_BEFORE, r"\1", regex=True).str.replace(_CURRENCY_AFTER, r"\1", regex=True)
           .str.rstrip("%"))
    return (out.str.replace(r"^\((?=[^()]*\d)([^()]+)\)$", r"-\1", regex=True)
            .str.replace(r"^([0-9][0-9.,]*)-$", r"-\1", regex=True))


def currencies(text: pd.Series) -> pd.Series:
    """The currency each number cell names (ISO code), NA where none: '(£12,340.00)' -> 'GBP'."""
    found = text.str.replace(r"[\s\u00a0\u202f\u2009]", "", regex=True).str.extract(_CURRENCY)
    sign = found[0].fillna(found[1])
    return sign.map(lambda v: CURRENCY_SIGNS.get(v, v), na_action="ignore").astype("str")


def decide_decimal(columns: list[pd.Series], delimiter: str | None) -> tuple[str | None, str | None]:
    """The decimal separator of a file's number columns: "," or "." (or None when it cannot tell), and an
    example value when it cannot (to name in the question). A semicolon file is European Excel: comma."""
    comma = dot = False
    example = None
    for column in columns:
        cells = column.dropna()
        cells = cells[~cells.str.fullmatch(r"[-+]?\d+").fillna(True).astype(bool)]  # whole numbers say nothing
        if cells.empty:
            continue
        distinct = _numeric_text(pd.Series(cells.unique(), dtype="str"))
        comma = comma or any(_COMMA_DECIMAL.search(v) for v in distinct.tolist())
        dot = dot or any(_DOT_DECIMAL.search(v) for v in distinct.tolist())
        grouped = distinct[distinct.str.fullmatch(_GROUPED).fillna(False).astype(bool)]
        if example is None and not grouped.empty:
            example = grouped.iloc[0]
    if comma and not dot:
        return ",", None
    if dot and not comma:
        return ".", None
    if comma and dot:
        return None, "mixed"
    if example is None:
        return ".", None  # only whole numbers: nothing to decide
    if delimiter == ";":
        return ",", None
    if delimiter == "," and "." in example:
        return ".", None  # 57.300 in a comma-separated file: English Excel never groups with a dot
    return None, example


def parse_numbers(text: pd.Series, decimal: str | None = ".") -> tuple[pd.Series, pd.Series]:
    """Floats (NaN when missing or bad) and a mask of bad cells, with ``decimal`` the file's decimal separator
    (the other of , and . groups thousands). Also a trailing ``%``, a currency sign, spaces in numbers."""
    present = text.notna()
    values = pd.to_numeric(text, errors="coerce").astype("float64") if decimal == "." else \
        pd.Series(float("nan"), index=text.index)
    if decimal == ",":
        plain = text.str.fullmatch(r"[-+]?\d+").fillna(False).astype(bool)
        values[plain] = pd.to_numeric(text[plain], errors="coerce")
    retry = present & values.isna()
    if retry.any():
        cleaned = _numeric_text(text[retry])
        thousands = "," if decimal == "." else "."
        grouped = cleaned.str.fullmatch(rf"[-+]?\d{{1,3}}(\{thousands}\d{{3}})+(\{decimal}\d+)?").fillna(False)
        cleaned = cleaned.where(~grouped.astype(bool), cleaned.str.replace(thousands, "", regex=False))
        if decimal == ",":
            cleaned = cleaned.str.replace(",", ".", regex=False)
        values[retry] = pd.to_numeric(cleaned.where(~cleaned.str.contains(",").fillna(False)), errors="coerce")
    values = values.where(values.abs() < float("inf"))
    return values, present & values.isna()


_LABELLED = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—:=.)]\s*|\s+)[^\d\s].*$")


def leading_numbers(text: pd.Series) -> pd.Series:
    """``10 - Extremely likely`` -> ``10``: labelled scale answers by their leading number; others unchanged."""
    labelled = text.str.fullmatch(_LABELLED).fillna(False).astype(bool)
    if not labelled.any():
        return text
    out = text.copy()
    out[labelled] = text[labelled].str.extract(_LABELLED, expand=False)
    return out


def _scale_hint(header: str | None) -> str | None:
    """The scale a score column's header states, e.g. 'Likelihood to recommend (0-10)' -> nps."""
    if not header:
        return None
    words = normalise_header(header)
    if re.search(r"\b0 (to )?10\b|\bnps\b|\brecommend\b", words):
        return "nps"
    if re.search(r"\b1 (to )?5\b|\bcsat\b", words):
        return "csat"
    return None
