"""The one number formatter: hand-written cases of what a reader should see."""
import math

import pytest

from meeting.formatting import (
    currency_of,
    format_line_amount,
    format_money,
    format_number,
    format_percent,
    format_score,
    human_header,
)


@pytest.mark.parametrize(("value", "kwargs", "expected"), [
    (4185100, {}, "4,185,100"),
    (4185100.0, {}, "4,185,100"),
    (-266900.0, {}, "-266,900"),
    (3.876, {}, "3.88"),
    (1e20, {}, "100,000,000,000,000,000,000"),
    (0.0000001, {}, "0"),
    (-0.0001, {}, "-0.0001"),  # issue 29: a figure under 1 keeps its significant digits, as flags always did
    (53000, {"signed": True}, "+53,000"),
    (-53000, {"signed": True}, "-53,000"),
    (0, {"signed": True}, "0"),
    (12.5, {"decimals": 0}, "12"),  # banker's rounding in Babel: 12.5 -> 12, as Python's round does
    (2.0, {"decimals": 1}, "2.0"),
    (None, {}, "n/a"),
    (math.nan, {}, "n/a"),
])
def test_format_number(value, kwargs, expected):
    assert format_number(value, **kwargs) == expected


@pytest.mark.parametrize("value", [4.1851e6, 1.5e-7, 9.99e15, 123456789.123])
def test_never_scientific_notation(value):
    text = format_number(value)
    assert "e" not in text.lower()


@pytest.mark.parametrize(("value", "signed", "expected"), [
    (4.83, False, "4.8%"), (-6.0, True, "-6.0%"), (2.6, True, "+2.6%"), (None, False, "n/a"), (0.04, False, "0.0%"),
])
def test_format_percent_has_one_decimal(value, signed, expected):
    assert format_percent(value, signed=signed) == expected


def test_scores_nps_whole_points_csat_one_decimal():
    assert format_score(-33.3) == "-33"
    assert format_score(12.0, signed=True) == "+12"
    assert format_score(3.876, "csat") == "3.9"


@pytest.mark.parametrize(("line", "expected"), [
    ("Revenue (EUR)", "EUR"), ("Cost of service £", "£"), ("Revenue in GBP", "GBP"), ("Revenue", None),
    ("Staff costs", None), ("NPS uplift", None), ("ABC programme", None),
])
def test_currency_only_where_the_line_names_one(line, expected):
    assert currency_of(line) == expected


def test_money_with_and_without_currency():
    assert format_money(4185100.0) == "4,185,100"
    assert format_money(4185100.0, "EUR") == "€4,185,100"
    assert format_money(-266900.5, "GBP") == "-£266,900.50"
    assert format_money(53000, "£", signed=True) == "+£53,000"
    assert format_money(1200, "CHF") == "CHF 1,200"
    assert format_line_amount("Revenue (EUR)", 4452000) == "€4,452,000"
    assert format_line_amount("Revenue", 4452000) == "4,452,000"


@pytest.mark.parametrize(("name", "expected"), [
    ("actual_before", "Last month"), ("variance_pct", "Variance %"), ("touchpoint", "Touchpoint"),
    ("nps", "NPS"), ("csat_change", "CSAT change"), ("moment_of_truth", "Moment of truth"), ("made_sla", "Made SLA"),
])
def test_human_headers(name, expected):
    assert human_header(name) == expected


# --- one formatter for every page, document and flag (issue 29): hand-written readings -----------------------

@pytest.mark.parametrize(("value", "expected"), [
    (0.0042, "0.0042"),  # a rate: Prepare used to show "0" where Insights showed "0.0042"
    (-0.0042, "-0.0042"),
    (0.123456, "0.123"),
    (0.5, "0.5"),
    (0.000123, "0.000123"),
    (0.0000004, "0"),  # below the sixth place: nothing a reader can use
    (92, "92"),
    (99.5, "99.5"),
    (1234.567, "1,234.57"),
    (-1234.567, "-1,234.57"),
    (12345678.9, "12,345,678.9"),
    (None, "n/a"),
    (math.nan, "n/a"),
])
def test_one_reading_for_small_large_negative_and_missing(value, expected):
    assert format_number(value) == expected


def test_flags_read_as_pages_do():
    from meeting.evidence import watermelons

    for value, expected in [(0.0042, "0.0042"), (1234.567, "1,234.57"), (92.0, "92"), (None, "n/a")]:
        assert watermelons.format_number(value) == expected


@pytest.mark.parametrize(("locale", "value", "expected"), [
    ("fr_FR", 2000, "2\u202f000"),
    ("de_DE", 2000, "2.000"),
    ("nl_NL", 0.0042, "0,0042"),
    ("en_GB", 1234.567, "1,234.57"),
    ("fr_FR", "Anna", "Anna"),  # a name among a message's parameters is shown as it is
])
def test_format_number_in_the_readers_locale(locale, value, expected):
    from meeting.formatting import format_number_in

    assert format_number_in(value, locale) == expected
    assert format_number(1234.5) == "1,234.5"  # the page's own locale is left as it was
