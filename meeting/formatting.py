"""One way to print a figure, for pages and documents alike: thousands separators, the currency a line names,
percentages with one decimal, never scientific notation; and column headers a person can read.

Babel does the digit grouping (a maintained library, locale-aware); the rules of what to show live here once,
so the Prepare page, the pre-read and the minutes cannot disagree on how 4185100 reads.
"""
from __future__ import annotations

import contextlib
import contextvars
import math
import re

from babel import numbers as babel_numbers

LOCALE = "en_GB"
# The locale figures are written in: British English unless a document in a unit's language is being built
# (``meeting.i18n.speaking``), which sets it for its own thread only.
_LOCALE: contextvars.ContextVar[str] = contextvars.ContextVar("number_locale", default=LOCALE)


@contextlib.contextmanager
def numbers_in(locale: str):
    token = _LOCALE.set(locale)
    try:
        yield locale
    finally:
        _LOCALE.reset(token)


NOT_AVAILABLE = "n/a"

# A currency is named in the line itself ("Revenue (EUR)", "Cost of service £"): only then is one shown.
_SYMBOLS = "£€$¥₹₩₺₽₪₫₱"
_SYMBOL = re.compile(f"[{_SYMBOLS}]")
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")

# Words in column names that are abbreviations a reader knows only in capitals, or that read better as a sign.
_HEADER_WORDS = {"nps": "NPS", "csat": "CSAT", "sla": "SLA", "id": "ID", "pct": "%", "gm": "GM", "voc": "VoC"}
# Column names whose plain reading would mislead ("actual before" is last month's actual).
_HEADER_NAMES = {
    "actual_before": "Last month",
    "variance_pct": "Variance %",
    "nps_change": "NPS change",
    "csat_change": "CSAT change",
    "moment_of_truth": "Moment of truth",
    "starts_on": "Starts",
    "received_on": "Received",
    "submitted_on": "Submitted",
    "due_on": "Due",
    "age_months": "Months as a watermelon",
}


def _tr(message: str) -> str:
    """``message`` in the language a document is being built in (``meeting.i18n.speaking``), else as written."""
    from meeting.i18n import tr  # i18n imports this module: import at call time

    return tr(message)


_tr_known = _tr  # for a message held in a variable: meeting.i18n.document_domain_messages lists those


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


_SIGNIFICANT = 3
_SMALL_PLACES = 6


def format_number(value, *, decimals: int | None = None, signed: bool = False) -> str:
    """``4185100`` -> ``4,185,100``; ``3.876`` -> ``3.88``; ``decimals`` fixes the places; never ``4.1851e+06``.

    Without ``decimals`` a whole number prints whole and anything else with up to two places, except that a
    figure under 1 keeps three significant digits (``0.0042`` -> ``0.0042``, a rate that reads as ``0`` misleads),
    down to the sixth place (``0.0000001`` -> ``0``).
    """
    if _missing(value):
        return _tr_known(NOT_AVAILABLE)
    number = float(value)
    if decimals is None:
        places = 2
        if 0 < abs(number) < 1:
            places = min(_SMALL_PLACES, max(2, _SIGNIFICANT - 1 - math.floor(math.log10(abs(number)))))
        pattern = "#,##0." + "#" * places
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = babel_numbers.format_decimal(number, format=pattern, locale=_LOCALE.get())
    if text in ("-0", "-0.0", "-0.00") or text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")  # a rounded-away negative is zero, not "-0"
    if signed and not text.startswith("-") and text.strip("0.,") != "":
        text = "+" + text
    return text


def format_number_in(value, locale: str) -> str:
    """``format_number`` in ``locale`` ("fr_FR": ``2 000``), for a page that speaks its reader's language;
    anything not a number (a name in a message's parameters) is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    with numbers_in(locale):
        return format_number(value)


def format_percent(value, *, signed: bool = False) -> str:
    """A value already in percent (``4.83`` -> ``4.8%``), always one decimal."""
    if _missing(value):
        return _tr_known(NOT_AVAILABLE)
    return format_number(value, decimals=1, signed=signed) + "%"


def format_score(value, scale: str = "nps", *, signed: bool = False) -> str:
    """NPS in whole points (``-33``), CSAT (1-5) with one decimal (``3.9``)."""
    return format_number(value, decimals=0 if scale == "nps" else 1, signed=signed)


LOW_BASE = "low base"
WITHIN_NOISE = "within noise"


def format_score_with_interval(figures: dict, scale: str = "nps") -> str:
    """A score as it should be read (issue 21): ``-60 (-78 to -31), n=20``, marked ``low base`` under 30
    responses; ``too few (n=3)`` rather than a number under 5; ``n/a`` without responses. ``figures`` holds
    ``{scale}``, ``{scale}_low``, ``{scale}_high``, ``{scale}_n`` and (optionally) ``{scale}_base``."""
    from meeting.evidence.scores import base

    n = figures.get(f"{scale}_n") or 0
    if not n:
        return _tr_known(NOT_AVAILABLE)
    kind = figures.get(f"{scale}_base") or base(n)
    if kind == "too_few" or _missing(figures.get(scale)):
        return _tr("too few (n={n})").format(n=format_number(n))
    text = _tr("{score} ({low} to {high}), n={n}").format(
        score=format_score(figures[scale], scale), low=format_score(figures[f"{scale}_low"], scale),
        high=format_score(figures[f"{scale}_high"], scale), n=format_number(n))
    return f"{text}, {_tr_known(LOW_BASE)}" if kind == "low" else text


def format_change(figures: dict, scale: str = "nps") -> str:
    """A month-on-month change with an arrow only when it is more than noise: ``▲ +12``, ``▼ -0.4``;
    ``within noise (+40)`` otherwise; ``n/a`` when either month has too few responses to say."""
    change, significant = figures.get(f"{scale}_change"), figures.get(f"{scale}_change_significant")
    if _missing(change) or significant is None:
        return _tr_known(NOT_AVAILABLE)
    signed = format_score(change, scale, signed=True)
    if not significant:
        return f"{_tr_known(WITHIN_NOISE)} ({signed})"
    assert change is not None  # _missing above
    return f"{'▲' if change > 0 else '▼'} {signed}"


def summary_figures(summary: dict, scale: str) -> dict:
    """The agenda summary's ``{scale}`` figures flat, as ``format_score_with_interval``/``format_change`` read them."""
    flat = {key: value for key, value in summary.items() if key.startswith(scale + "_")}
    return {**flat, scale: summary[scale]["now"], f"{scale}_change": summary[scale]["change"]}


TOUCHPOINT_SCORE_HEADERS = ["Touchpoint", "Moment of truth", "Responses", "NPS (95% interval)", "NPS change",
                            "CSAT (95% interval)", "CSAT change"]


def touchpoint_score_table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Scores by touchpoint as people should read them, for pages and documents alike: each with its interval
    and base, each change with an arrow only when it is more than noise."""
    return [_tr_known(h) for h in TOUCHPOINT_SCORE_HEADERS], [
        [r["touchpoint"], _tr("yes") if r["moment_of_truth"] else "", format_number(r["responses"]),
         format_score_with_interval(r, "nps"), format_change(r, "nps"),
         format_score_with_interval(r, "csat"), format_change(r, "csat")] for r in rows]


def driver_line(driver: dict) -> str:
    """One theme as a driver of NPS: ``Waiting and delays: NPS -75 where mentioned (n=40) against +29 (n=68):
    -104 (-125 to -83)``, ending ``not clear of noise`` when the interval reaches across zero."""
    text = _tr("{theme}: NPS {with_} where mentioned (n={n_with}) against {without} (n={n_without}): {difference} "
               "({low} to {high})").format(
        theme=driver["theme"], with_=format_score(driver["nps_with"]), n_with=format_number(driver["n_with"]),
        without=format_score(driver["nps_without"], signed=True), n_without=format_number(driver["n_without"]),
        difference=format_score(driver["difference"], signed=True),
        low=format_score(driver["difference_low"], signed=True), high=format_score(driver["difference_high"], signed=True))
    return text if driver["clear"] else text + ", " + _tr("not clear of noise")


def currency_of(label: object) -> str | None:
    """The currency a line names: an ISO code Babel knows (``EUR``) or a symbol (``£``); else None."""
    text = str(label or "")
    symbol = _SYMBOL.search(text)
    if symbol:
        return symbol.group(0)
    known = babel_numbers.list_currencies()
    for code in _CODE.findall(text):
        if code in known:
            return code
    return None


def format_money(value, currency: str | None = None, *, signed: bool = False) -> str:
    """An amount with thousands separators and the currency when there is one: ``€4,185,100``, ``+£53,000``.

    Whole amounts print whole; pence/cents only when the amount has them.
    """
    if _missing(value):
        return NOT_AVAILABLE
    number = float(value)
    decimals = 0 if number == round(number) else 2
    digits = format_number(abs(number), decimals=decimals)
    sign = "-" if number < 0 and digits.strip("0.,") else ("+" if signed and number > 0 else "")
    if not currency:
        return sign + digits
    if len(currency) == 3 and currency.isalpha():
        symbol = babel_numbers.get_currency_symbol(currency, locale=_LOCALE.get())
        # Where the locale has no symbol of its own it returns the code: "CHF 1,200" reads better than "CHF1,200".
        return f"{sign}{symbol}{'' if symbol != currency else ' '}{digits}"
    return f"{sign}{currency}{digits}"


def format_line_amount(line: object, value, *, signed: bool = False) -> str:
    """A finance line's amount in the currency the line's name carries, if any."""
    return format_money(value, currency_of(line), signed=signed)


def human_header(name: str) -> str:
    """``variance_pct`` -> ``Variance %``, ``nps`` -> ``NPS``, ``touchpoint`` -> ``Touchpoint``."""
    if name in _HEADER_NAMES:
        return _HEADER_NAMES[name]
    words = [w for w in re.split(r"[_\s]+", str(name)) if w]
    if not words:
        return str(name)
    out = [_HEADER_WORDS.get(w.casefold(), w.casefold()) for w in words]
    first = out[0]
    out[0] = first if first.isupper() or first in _HEADER_WORDS.values() else first[:1].upper() + first[1:]
    return " ".join(out)


def human_headers(names) -> dict[str, str]:
    """``{column: header}`` for ``st.column_config`` and document tables."""
    return {name: human_header(name) for name in names}


# --- tables shown on pages and printed in documents alike ---------------------------------------------------

FINANCE_HEADERS = ["Line", "Actual", "Budget", "Variance", "Variance %", "Last month"]
STATUS_HEADERS = ["Touchpoint", "Metric", "Target", "Actual", "Better when", "Status"]


def finance_table(lines: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Finance lines as a reader sees them: amounts in the line's currency (if it names one), variance signed."""
    rows = [[line["line"], format_line_amount(line["line"], line["actual"]), format_line_amount(line["line"], line["budget"]),
             format_line_amount(line["line"], line.get("variance"), signed=True),
             format_percent(line.get("variance_pct"), signed=True), format_line_amount(line["line"], line.get("actual_before"))]
            for line in lines]
    return [_tr_known(h) for h in FINANCE_HEADERS], rows


def status_table(statuses: list[dict]) -> tuple[list[str], list[list[str]]]:
    """Each metric against its target, with the direction that counts as better."""
    rows = [[s["touchpoint"], s["metric"], format_number(s["target"]), format_number(s["actual"]),
             _tr_known({"higher": "higher", "lower": "lower"}.get(s.get("direction") or "", s.get("direction") or "")),
             _tr_known(s["status"])]
            for s in statuses]
    return [_tr_known(h) for h in STATUS_HEADERS], rows


def as_records(headers: list[str], rows: list[list]) -> list[dict]:
    """Header/row tables as records, for ``st.dataframe``."""
    return [dict(zip(headers, row)) for row in rows]
