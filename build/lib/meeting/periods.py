"""Months as YYYY-MM text: the period a meeting reviews, and moving between months."""
from __future__ import annotations

import datetime as dt


def previous_month(day: str | dt.date) -> str:
    """The calendar month before ``day``, as YYYY-MM: the period a monthly meeting reviews by default."""
    date = dt.date.fromisoformat(day) if isinstance(day, str) else day
    first = date.replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def shift_period(period: str, months: int) -> str:
    """``period`` moved by ``months`` (negative for earlier)."""
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_period(text: str) -> str:
    """Validate a YYYY-MM period and return it normalised."""
    try:
        return dt.datetime.strptime(str(text).strip(), "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise ValueError(f"Period {text!r} is not a month in the form YYYY-MM") from None
