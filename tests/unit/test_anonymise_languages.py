"""The Chatham House Rule in every language the division speaks (issue 24): one class of leak per test.

The people are made up, in several languages and scripts; every expected output is written by hand.
"""
from __future__ import annotations

import pytest

from meeting import anonymise

ROSTER = [
    {"name": "Dörthe Weißgerber", "kind": "customer", "organisation": "Kranich Brauhaus GmbH"},
    {"name": "Øystein Haugland", "kind": "leader", "organisation": "Fjordlys AS"},
    {"name": "Zuzanna Wróblewska", "kind": "frontline", "organisation": "Fjordlys AS"},
    {"name": "Ignacio Barrenechea", "kind": "customer", "organisation": "Cooperativa Olivar del Sur"},
]
ONE = "[a participant]"


@pytest.fixture(scope="module")
def redactor():
    return anonymise.build_redactor(ROSTER)


@pytest.mark.parametrize("text,expected", [
    ("Dör\u200bthe Weißgerber agreed", f"{ONE} agreed"),           # zero-width space
    ("Weiß\u00adgerber agreed", f"{ONE} agreed"),                  # soft hyphen
    ("Øy\u200cstein will call", f"{ONE} will call"),               # zero-width non-joiner
    ("Zuzanna Wrób\u200dlewska wrote it", f"{ONE} wrote it"),      # zero-width joiner
    ("ask Barrene\u2060chea today", f"ask {ONE} today"),           # word joiner
    ("\ufeffHaugland opened the meeting", f"\ufeff{ONE} opened the meeting"),  # a BOM before stays outside
    ("Fjord\u200blys AS renewed", "[our organisation] renewed"),
])
def test_invisible_characters_inside_names_do_not_hide_them(redactor, text, expected):
    assert redactor.redact(text) == expected


def test_invisible_characters_in_the_roster_itself_are_ignored():
    redactor = anonymise.build_redactor([{"name": "Ra\u200bfaela Quintanilla", "kind": "guest"}])
    assert redactor.redact("Rafaela Quintanilla said no") == f"{ONE} said no"


def test_spans_with_invisible_characters_point_into_the_text_as_given(redactor):
    text = "Then Weiß\u00adgerber left."
    spans = redactor.find_spans(text)
    assert [(text[s:e], label) for s, e, label in spans] == [("Weiß\u00adgerber", ONE)]


def test_roster_free_masking_sees_through_invisible_characters():
    assert anonymise.mask_identifiers("I spoke to Pri\u200bya at the counter") == "I spoke to [name] at the counter"
