"""Redaction: patterns for identities off the roster (mask_identifiers) and the roster-driven redactor."""
from __future__ import annotations

import pytest

from meeting import anonymise
from meeting.anonymise import mask_identifiers


@pytest.mark.parametrize("text,expected", [
    ("Call me on 020 7946 0123 please", "Call me on [phone] please"),
    ("Call me on +44 20 7946 0123 please", "Call me on [phone] please"),
    ("Call me on +44 (0)20 7946 0123 please", "Call me on [phone] please"),
    ("Mobile 07700 900123.", "Mobile [phone]."),
    ("US office 555-123-4567.", "US office [phone]."),
    ("Write to sarah.o'neil+x@example.co.uk today", "Write to [email] today"),
    ("My account 12345678 was charged twice", "My [account] was charged twice"),
    ("acct no. 9876-5432 is wrong", "[account] is wrong"),
    ("Ref ACC-123456 again", "Ref [account] again"),
    ("customer number C-004512 waited", "[account] waited"),
    ("IBAN GB29 NWBK 6016 1331 9268 19 on file", "IBAN [account] on file"),
])
def test_contact_details_and_accounts_are_masked(text, expected):
    assert mask_identifiers(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("I spoke to Priya at the counter", "I spoke to [name] at the counter"),
    ("Ms O'Brien was rude", "[name] was rude"),
    ("Dr. Lefèvre-Martin called back", "[name] called back"),
    ("Hi, my name is Pieter Van Der Berg and I want a refund", "Hi, my name is [name] and I want a refund"),
    ("Please ask for Kowalczyk at the desk", "Please ask for [name] at the desk"),
    ("This is Jan Novak from the depot", "This is [name] from the depot"),
    ("Bill Hughes said the bill was wrong", "[name] said the bill was wrong"),
    ("Zoë Zieliński and Zoe Zielinski helped", "[name] and [name] helped"),
    ("Li Wei and Bo sorted it", "[name] and [name] sorted it"),
    ("Sarah's team was great", "[name]'s team was great"),
    ("Sofia Rossi called", "[name] called"),
])
def test_people_are_masked(text, expected):
    assert mask_identifiers(text) == expected


@pytest.mark.parametrize("text", [
    "Will you fix it? Mark my words, the bill was wrong.",
    "The May invoice was late and the status is Amber.",
    "Sofia depot was fine; Victoria Station was busy.",
    "NPS rose 12% in Q3 2026 to 45 on 2026-09-10; 1,200 customers, £3,400.50 refunded.",
    "The Bill Payment page was broken. I am Happy with Customer Services.",
    "Thanks Team! Grace period of 30 days.",
])
def test_ordinary_words_figures_and_dates_are_left_alone(text):
    assert mask_identifiers(text) == text


def test_none_and_empty_give_empty_text():
    assert mask_identifiers(None) == ""
    assert mask_identifiers("") == ""


def test_gazetteer_ships_accented_and_accent_free_forms():
    unambiguous, ambiguous = anonymise.first_names()
    assert {"Zoe", "Soren", "Lukasz", "Priya"} <= unambiguous
    assert {"Will", "May", "Bill", "Amber"} <= ambiguous
