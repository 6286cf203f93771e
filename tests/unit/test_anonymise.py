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


# ---------------------------------------------------------------------------------------------------------
# The roster-driven redactor

ROSTER = [
    {"name": "Anne Lefèvre-Martin", "kind": "customer", "organisation": "Kestrel Foods", "role": "Head of Procurement",
     "email": "anne@kestrelfoods.com", "phone": "+44 20 7946 0123"},
    {"name": "Seán O'Brien", "kind": "customer", "organisation": "Brightwater Logistics Ltd",
     "role": "Chief Financial Officer"},
    {"name": "Li Wei", "kind": "leader", "organisation": "Harbourline", "role": "General Manager"},
    {"name": "Bo Zieliński", "kind": "frontline", "organisation": "Harbourline", "role": "Store Manager"},
    {"name": "Will Price", "kind": "leader", "organisation": "Harbourline", "role": "Sales Director"},
]


@pytest.fixture(scope="module")
def redactor():
    return anonymise.build_redactor(ROSTER)


@pytest.mark.parametrize("text,expected", [
    ("Anne agreed", "[a participant] agreed"),
    ("ANNE LEFEVRE-MARTIN agreed", "[a participant] agreed"),
    ("anne lefèvre martin agreed", "[a participant] agreed"),
    ("Lefevre agreed, and so did Martin", "[a participant] agreed, and so did [a participant]"),
    ("Ms Lefèvre-Martin agreed", "[a participant] agreed"),
    ("Dr. O’Brien agreed", "[a participant] agreed"),
    ("Sean OBrien agreed", "[a participant] agreed"),
    ("Zielinski agreed", "[a participant] agreed"),
    ("A. Lefèvre-Martin agreed", "[a participant] agreed"),
])
def test_every_form_of_a_roster_name_is_replaced(redactor, text, expected):
    assert redactor.redact(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Brightwater's depots were late", "[a customer organisation]'s depots were late"),
    ("the Kestrel team and Kestrel Foods", "the [a customer organisation] team and [a customer organisation]"),
    ("Brightwater Logistics Ltd and Brightwater Logistics", "[a customer organisation] and [a customer organisation]"),
    ("Harbourline staff", "[our organisation] staff"),
    ("Kestrel and Brightwater", "[customer organisation A] and [customer organisation B]"),
    # Generic words of an organisation's name are not the organisation.
    ("Foods and logistics services were discussed", "Foods and logistics services were discussed"),
])
def test_organisations_by_name_distinctive_word_and_possessive(redactor, text, expected):
    assert redactor.redact(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("the Chief Financial Officer agreed", "[a participant] agreed"),
    ("our head of procurement agreed", "[a participant] agreed"),
    ("the CFO agreed; the cfo of others did not", "[a participant] agreed; the cfo of others did not"),
    ("Kestrel's Head of Procurement said", "[a customer organisation]'s [a participant] said"),
])
def test_roles_and_their_obvious_acronyms(redactor, text, expected):
    assert redactor.redact(text) == expected


@pytest.mark.parametrize("text", ["+44 20 7946 0123", "+44 (0)20 7946 0123", "020 7946 0123", "02079460123",
                                  "7946 0123", "0044 20 7946 0123"])
def test_roster_phone_in_any_form(redactor, text):
    assert redactor.redact(f"ring {text} now") == "ring [phone] now"


@pytest.mark.parametrize("text,expected", [
    ("Li and Bo agreed", "[participant A] and [participant B] agreed"),
    ("Lithium, Bob, bo and li are not them", "Lithium, Bob, bo and li are not them"),
    # "Bill" is a nickname of William, as "Will" is: said to Will Price, it is him.
    ("Will said the price will rise; mark it, Bill", "[a participant] said the price will rise; mark it, [a participant]"),
    ("Will said the bill will rise", "[a participant] said the bill will rise"),
    ("Price agreed", "[a participant] agreed"),
])
def test_short_and_ordinary_names_whole_words_and_capitalised_only(redactor, text, expected):
    assert redactor.redact(text) == expected


def test_two_people_in_one_text_get_letters_in_order_of_mention(redactor):
    assert redactor.redact("Seán thanked Anne, then Anne thanked O'Brien") == (
        "[participant A] thanked [participant B], then [participant B] thanked [participant A]")
    # Letters restart per text: a letter never follows a person through the document.
    assert redactor.redact("Anne spoke") == "[a participant] spoke"


def test_by_group_labels_and_attribution(redactor):
    grouped = anonymise.build_redactor(ROSTER, by_group=True)
    assert grouped.redact("Anne, Seán and Li met Bo") == (
        "[invited customer A], [invited customer B] and [a leadership team member] met [a frontline colleague]")
    assert grouped.speaker_label("Li Wei") == "a leadership team member"
    assert redactor.speaker_label("Li Wei") == "a participant"
    assert redactor.owner_label("Bo Zieliński") == "a frontline colleague"
    assert redactor.speaker_label("Someone Else") == "a participant"
    assert redactor.speaker_label(None) is None


def test_not_on_the_roster_still_masked_by_patterns(redactor):
    assert redactor.redact("Priya Patel (priya@example.com, 07700 900123) and acct no. 12345678") == (
        "[name] ([email], [phone]) and [account]")


def test_find_spans_are_offsets_into_the_normalised_text(redactor):
    text = "Anne met Sea\u0301n at Kestrel."  # decomposed é as some keyboards type it
    normal = redactor.normalise(text)
    spans = redactor.find_spans(text)
    assert [(normal[s:e], r) for s, e, r in spans] == [
        ("Anne", "[participant A]"), ("Seán", "[participant B]"), ("Kestrel", "[a customer organisation]")]
    assert anonymise.apply_spans(normal, spans) == redactor.redact(text)


def test_extra_terms_any_case_whole_words():
    redactor = anonymise.build_redactor(ROSTER, anonymise.parse_extra_terms("Leeds depot,\nProject Falcon, leeds depot"))
    assert redactor.redact("At the LEEDS DEPOT, project falcon slipped; Leedsdepot stays") == (
        "At the [redacted], [redacted] slipped; Leedsdepot stays")


def test_an_extra_word_typed_capitalised_keeps_its_case():
    # Adding "Bill" (a person nobody put on the roster) must not eat "the bill".
    redactor = anonymise.build_redactor([], ["Bill", "falcon"])
    assert redactor.redact("Bill sent the bill; Falcon and falcon") == "[redacted] sent the bill; [redacted] and [redacted]"


def test_parse_extra_terms_drops_blanks_and_duplicates():
    assert anonymise.parse_extra_terms(" Leeds depot ,\n\n leeds  depot; Falcon ") == ["Leeds depot", "Falcon"]
    assert anonymise.parse_extra_terms(None) == []


def test_empty_roster_falls_back_to_patterns():
    assert anonymise.build_redactor([]).redact("Sarah Jones on 020 7946 0123") == "[name] on [phone]"
    assert anonymise.build_redactor([]).redact(None) == ""


def test_attribution_warnings_for_groups_of_one():
    assert anonymise.attribution_warnings(ROSTER, by_group=False) == []
    warnings = anonymise.attribution_warnings(ROSTER, by_group=True, owners=["Bo Zieliński", "Li Wei"])
    assert warnings == [
        "Only one frontline colleague is present: attributing by group identifies them. "
        "Attribute to \"a participant\" instead, or accept the risk.",
        "An action is owned by the only frontline colleague present: the owner's group identifies them.",
    ]


@pytest.mark.parametrize("text,expected", [
    ("Will you call them? Mark the date.", "Will you call them? Mark the date."),
    ("Will agreed.", "[a participant] agreed."),
    ("A store manager told me, then the Store Manager agreed",
     "A store manager told me, then [a participant] agreed"),
])
def test_verbs_and_indefinite_roles_are_not_people(redactor, text, expected):
    assert redactor.redact(text) == expected


def test_one_word_roles_only_when_capitalised():
    redactor = anonymise.build_redactor([{"name": "Kai Lund", "kind": "frontline", "role": "Engineer"}])
    assert redactor.redact("The engineer never came; our Engineer did") == "The engineer never came; [a participant] did"


@pytest.mark.parametrize("text,expected", [
    ("Ref ACC-675766, Liffey Engineering. Credit where it is due.", "Ref [account], [an organisation]. Credit where it is due."),
    ("Email me at Kingfisher Council about it", "Email me at [an organisation] about it"),
    ("The Brightwater Dental Care practice", "The [an organisation] practice"),
    ("Call Dev on 0161 496 0200", "Call [name] on [phone]"),
])
def test_organisations_and_cued_names_off_the_roster(text, expected):
    assert mask_identifiers(text) == expected


@pytest.mark.parametrize("text", ["Customer Services and Field Services were slow", "Call Customer Services",
                                  "The Network Operations Group met", "Our Retail Stores team"])
def test_team_names_are_not_organisations(text):
    assert mask_identifiers(text) == text
