"""Cells as the tool meant them: dates, months and numbers."""
from __future__ import annotations

import re

import pandas as pd

from meeting.importing.kinds import normalise_header

_ISO_DATE = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$")
_ISO_FAST = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
             r"(?:Z|[+-][0-9]{2}:?[0-9]{2}| ?UTC| ?GMT)?)?")
_NUMERIC_DATE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:[T ,]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$")
_NAMED_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y")
DATE_ORDERS = {"dmy": "dmy", "d m y": "dmy", "day first": "dmy", "mdy": "mdy", "m d y": "mdy",
               "month first": "mdy"}


def _ymd(year, month, day) -> pd.Series:
    parts = pd.DataFrame({"year": pd.to_numeric(year), "month": pd.to_numeric(month),
                          "day": pd.to_numeric(day)})
    return pd.to_datetime(parts, errors="coerce")


def parse_dates(text: pd.Series, order: str | None = None) -> tuple[pd.Series, pd.Series, tuple | None]:
    """ISO text for each date (NA when missing or bad), a mask of bad cells, and a column-level complaint
    (the first ambiguous row's label, message) reported once instead of once per row.

    Accepts ISO dates and datetimes (``2026-10-03 14:22:05``, ``2026-10-03T14:22:05Z``), named months
    (``3 Oct 2026``), and day/month/year numbers (``03/10/2026``) when the column shows which comes first (some
    day above 12) or ``order`` ("dmy" / "mdy") says so.
    """
    present = text.notna()
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    # Fast path (RE2 inside pyarrow, no Python per row) for the usual zero-padded ISO dates and datetimes.
    fast = text.str.fullmatch(_ISO_FAST).fillna(False).astype(bool)
    if fast.any():
        result[fast] = pd.to_datetime(text[fast].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    complaint = None
    rest = present & ~fast
    if rest.any():
        iso = text[rest].str.extract(_ISO_DATE).dropna()
        if not iso.empty:
            result[iso.index] = _ymd(iso[0], iso[1], iso[2])
        rest = present & ~fast & result.isna()
    if rest.any():
        numeric = text[rest].str.extract(_NUMERIC_DATE).dropna()
        if not numeric.empty:
            first, second = pd.to_numeric(numeric[0]), pd.to_numeric(numeric[1])
            if order is None:
                if (first > 12).any() and not (second > 12).any():
                    order = "dmy"
                elif (second > 12).any() and not (first > 12).any():
                    order = "mdy"
                elif (first == second).all():
                    order = "dmy"
            if order is None:
                sample = numeric.index[0]
                complaint = (sample, f"dates such as {text[sample]!r} could be day/month/year or month/day/year: "
                                     "convert them to YYYY-MM-DD, or say which with --set date_order=dmy (or mdy)")
            else:
                day, month = (first, second) if order == "dmy" else (second, first)
                result[numeric.index] = _ymd(numeric[2], month, day)
        rest = present & result.isna()
        if rest.any():
            cleaned = text[rest].str.replace(",", " ", regex=False).str.split().str.join(" ")
            for fmt in _NAMED_DATE_FORMATS:
                parsed = pd.to_datetime(cleaned, format=fmt, errors="coerce")
                hit = parsed.notna() & result[cleaned.index].isna()
                result[hit[hit].index] = parsed[hit]
    bad = present & result.isna()
    if complaint:
        numeric_bad = bad & text.str.match(_NUMERIC_DATE).fillna(False).astype(bool)
        bad = bad & ~numeric_bad  # reported once for the column, not once per row
    iso_text = result.dt.strftime("%Y-%m-%d").astype("str")
    return iso_text, bad, complaint


def parse_periods(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """YYYY-MM for each month (``2026-10``, ``2026-10-01``, ``10/2026``, ``Oct 2026``, ``Oct-26``)."""
    present = text.notna()
    year = pd.Series(pd.NA, index=text.index, dtype="Int64")
    month = pd.Series(pd.NA, index=text.index, dtype="Int64")
    first = text[present].str.extract(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2}(?:[T ].*)?)?$").dropna()
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
    valid = year.notna() & month.between(1, 12).fillna(False) & year.between(1900, 2999).fillna(False)
    out = (year.astype("str").str.zfill(4) + "-" + month.astype("str").str.zfill(2)).where(valid)
    return out.astype("str"), present & ~valid


def parse_numbers(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats (NaN when missing or bad) and a mask of bad cells.

    Besides plain numbers: thousands separators (``1,250,000``), a decimal comma (``7,5``), a trailing ``%``
    and a leading currency sign.
    """
    present = text.notna()
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    retry = present & values.isna()
    if retry.any():
        cleaned = (text[retry].str.replace(r"[\s\u00a0']", "", regex=True)
                   .str.replace(r"^([-+]?)[€$£]", r"\1", regex=True).str.rstrip("%"))
        thousands = cleaned.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?").astype(bool)
        cleaned = cleaned.where(~thousands, cleaned.str.replace(",", "", regex=False))
        decimal_comma = cleaned.str.fullmatch(r"[-+]?\d+,\d+").astype(bool)
        cleaned = cleaned.where(~decimal_comma, cleaned.str.replace(",", ".", regex=False))
        values[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    values = values.where(values.abs() < float("inf"))
    return values, present & values.isna()


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


