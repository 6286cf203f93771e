"""Layer 1: identities found by their shape, with no roster (customer narratives, watermelon flags).

Emails, phone numbers (local and international, with extensions), account-number-like references, profile
links, and person names found by an honorific ("Ms O'Brien"), a cue ("my name is", "ask for", "spoke to")
or a first-name gazetteer (``meeting/data/first_names.txt``) with the surname that follows. Case matters: "Bill
Hughes" is a person, "the bill" is an invoice; first names that are also ordinary words or places ("Will",
"May", "Amber", "Sofia") are masked only with a surname or a cue after them.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from meeting.anonymise.folding import (
    CAPNAME,
    CAPREST,
    CAPWORD,
    HSPACE,
    PARTICLES,
    UP,
    spans_to_original,
    strip_accents,
    without_invisible,
)
from meeting.anonymise.references import (
    ADDRESS_LABEL,
    ORG_LABEL,
    VAT_COUNTRY_FINDER,
    VAT_LABEL,
    VAT_NUMBER,
    address_spans,
    contains_any,
    ticker_spans,
)
from meeting.anonymise.wordlists import NAME_WORDS, NOT_NAME, ORG_SUFFIXES, first_names

HONORIFICS = ("Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Mme", "Mlle",
              "Herr", "Frau", "Sr", "Sra", "Srta")
HONORIFIC = r"(?:" + "|".join(HONORIFICS) + r")\.?"

EMAIL = r"(?<![\w.+'’%-])[\w.+'’%-]+@[\w-]+(?:\.[\w-]+)+"
# Searched from the "@" (a literal the regex engine finds fast), then widened left to the local part.
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL = re.compile(r"[\w.+'’%-]+\Z")
# Written out against harvesters: "t.krause(at)firma(dot)de", "ana [arroba] coop [punto] es",
# "jan dot smit at bedrijf dot nl". The "at" in brackets, or a bare " at " only with a spelled "dot" after.
_AT_WORD = r"(?:at|ät|arroba|snabel-a|chez|@)"
_DOT_WORD = r"(?:dot|punkt|punto|point|punt|prik)"


def _bracketed(word: str) -> str:
    return rf"[^\S\r\n]*[(\[{{<][^\S\r\n]*{word}[^\S\r\n]*[)\]}}>][^\S\r\n]*"


_WRITTEN_DOT = rf"(?:{_bracketed(_DOT_WORD)}|[^\S\r\n]+{_DOT_WORD}[^\S\r\n]+|\.)"
WRITTEN_EMAIL = re.compile(
    rf"(?i)(?<![\w.+-])[\w+-]+(?:{_WRITTEN_DOT}[\w+-]+)*"
    rf"(?:{_bracketed(_AT_WORD)}|[^\S\r\n]+(?:at|ät)[^\S\r\n]+"
    rf"(?=[\w-]+(?:{_bracketed(_DOT_WORD)}|[^\S\r\n]+{_DOT_WORD}[^\S\r\n]+)))"
    rf"[\w-]+(?:{_WRITTEN_DOT}[\w-]+)*{_WRITTEN_DOT}[a-z]{{2,24}}(?![\w])"
)
_BRACKETED_AT = re.compile(rf"(?i)[(\[{{<][^\S\r\n]*{_AT_WORD}[^\S\r\n]*[)\]}}>]")
_DOT_WORDS = (" dot ", " punkt ", " punto ", " point ", " punt ", " prik ")


def _may_hold_written_email(text: str, lowered: str | None = None) -> bool:
    """A bracketed "at", or a spelled "dot" (which a bare " at " needs): most texts have neither.
    ``lowered``: ``text.lower()``, when the caller has it already."""
    if ("(" in text or "[" in text or "{" in text or "<" in text) and _BRACKETED_AT.search(text):
        return True
    lowered = text.lower() if lowered is None else lowered
    return " at " in lowered and any(word in lowered for word in _DOT_WORDS)
_SEP = r"[ .\-\u00a0]?"
PHONE = (
    # International: +44 20 7946 0123, +44 (0)20 7946 0123, 0044 20..., +1 (555) 123-4567
    rf"(?<![\w+])(?:\+|00)\d{{1,3}}{_SEP}(?:\(0\){_SEP})?(?:\(?\d{{1,4}}\)?{_SEP}){{1,5}}\d{{2,4}}(?![\w])"
    # National with a trunk 0: 020 7946 0123, (020) 7946 0123, 07700 900123, 0612-345678
    # and the French 06 12 34 56 78
    rf"|(?<![\w.,/-])\(?0\d{{1,4}}\)?{_SEP}\d{{2,4}}(?:{_SEP}\d{{2,4}}){{1,3}}(?![\w])"
    # North American: 555-123-4567, (555) 123 4567
    rf"|(?<![\w.,])\(?\d{{3}}\)?{_SEP}\d{{3}}[ .\-]\d{{4}}(?![\w])"
)
_NUMBER_WORDS = (
    r"\b(?:kd|kunden?|personal|pers|mitarbeiter|ma|vertrags?|versicherungs?|vers|mitglieds?|konto|kto|"
    r"klant|personeels|werknemers|medewerkers|contract|lid|kunde|kund|medarbejder|ansatt|anställnings|asiakas)"
    r"\.?-?[^\S\r\n]?(?:nummer|nr|no|numero|id)\b\.?"
    r"|\b(?:n[°º]|no\.?|nr\.?|numéro|número|numer|num\.?)[^\S\r\n]*(?:de[^\S\r\n]+|d'|du[^\S\r\n]+)?"
    r"(?:client|cliente|clienta|klienta|adhérent|contrat|contrato|employé|salarié|empleado|socio|póliza|police|"
    r"pracownika|umowy|dossier|expediente)"
    r"|\bmatricule"
)
ACCOUNT = (
    # "account 12345678", "acct no. 1234-5678", "a/c: 00112233", "customer number C-004512"
    r"(?i:\b(?:account|acct|a/c)\.?(?:[^\S\r\n]*(?:number|no\.?|num|nr|#|id))?"
    r"|\b(?:customer|client|member(?:ship)?|contract|policy|reference|ref|employee|staff|payroll|cust)\.?[^\S\r\n]*"
    r"(?:number|no\.?|num|nr|#|id)"
    # The same in the division's other languages: "Kd.-Nr. 448812", "Kundennummer", "Pers.-Nr.", "n° client",
    # "numéro de contrat", "nº de cliente", "klantnummer", "kundenummer", "nr klienta".
    rf"|{_NUMBER_WORDS})"
    r"[^\S\r\n]*[:#]?[^\S\r\n]*(?=(?:[A-Za-z/-]*\d){4})[A-Za-z0-9][A-Za-z0-9/-]{3,}(?<![/-])"
    # ACC-123456, CUST004512: letters then a long number
    r"|\b[A-Z]{2,5}-?\d{5,}\b"
    # IBAN: GB29 NWBK 6016 1331 9268 19
    r"|\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"
    # A bare run of 8 or more digits is an account or card number, not a figure (figures have separators)
    r"|(?<![\w£$€.,])\d{8,}(?![\w%])"
)
# Words after which a capitalised word is a person even if it is not in the gazetteer ("ask for Pieter").
CUES = ("my name is", "my name's", "name's", "ask for", "asked for", "asking for", "speak to", "spoke to",
        "spoken to", "speaking to", "speak with", "spoke with", "speaking with", "talk to", "talked to",
        "talking to", "called", "named", "dear", "hi", "hello", "thanks", "thank you", "regards", "cheers",
        "contact", "attention of", "attn", "attn:", "call", "ring", "email", "e-mail", "phone", "text", "ask",
        "tell", "thank", "thanked", "cc")
# "This is Sam from", "I'm Sam from": only with "from" after, since "This is Premium" is not a person.
INTROS = ("this is", "i am", "i'm", "i’m")
_HONORIFIC_SET = frozenset(HONORIFICS)
_LAST_CHARS: dict[tuple[str, ...], frozenset[str]] = {words: frozenset(w[-1] for w in words) for words in (CUES, INTROS)}
_ONE_WORD_CUES = frozenset(cue.rstrip(":") for cue in CUES if " " not in cue)

# "ext. 31", "x31", "extn 4": an extension says which desk, so it goes with the number.
EXTENSION = r"(?:[^\S\r\n]*[,;]?[^\S\r\n]*(?i:ext\.?|extn\.?|extension|x)[^\S\r\n]*\d{1,5}(?!\w))"
_NUMBERS = re.compile(rf"(?P<phone>(?:{PHONE}){EXTENSION}?)|(?P<account>{ACCOUNT})")
_EXTENSION_AT = re.compile(r"(?i)ext|x")
# A personal profile link identifies its owner whatever the slug says.
PROFILE_LINK = re.compile(r"(?i)(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/[\w%.-]+/?")
LINK_LABEL = "[a profile link]"
_HAS_DIGIT = re.compile(r"\d")
# Every capitalised run; the lookbehind sits after the first letter so that the regex engine can skip
# straight to capital letters (a pattern that starts with a character set is searched fast).
_CAPRUN_SCAN = re.compile(
    rf"{UP}(?<![\w'’@.]{UP}){CAPREST}(?:-{CAPWORD})*(?:{HSPACE}(?:{PARTICLES}{HSPACE})*{CAPNAME}){{0,3}}"
)


_WORDS = re.compile(rf"{CAPNAME}|{PARTICLES}")

NAME = "[name]"
EMAIL_LABEL = "[email]"
PHONE_LABEL = "[phone]"
ACCOUNT_LABEL = "[account]"
CONTACT_LABELS = {"email": EMAIL_LABEL, "phone": PHONE_LABEL, "account": ACCOUNT_LABEL, "link": "[a profile link]",
                  "vat": VAT_LABEL, "address": ADDRESS_LABEL}


def _is_vat(candidate: str) -> bool:
    from stdnum.ch import vat as ch_vat
    from stdnum.eu import vat
    from stdnum.gb import vat as gb_vat
    from stdnum.no import mva

    number = re.sub(r"[ .-]|(?:MVA|TVA|IVA|MWST)$", "", candidate)
    if number.startswith("GB"):
        return gb_vat.is_valid(number)
    if number.startswith("CHE"):
        return ch_vat.is_valid(number)
    if number.startswith("NO"):
        return mva.is_valid(number)
    return vat.is_valid(number)


def _phone_ok(text: str) -> bool:
    extension = _EXTENSION_AT.search(text)
    digits = sum(c.isdigit() for c in (text[:extension.start()] if extension else text))
    # 8 to 15 digits (E.164 allows 15); a date such as 2026-09-10 has 8 digits but no trunk 0 or + and
    # fails the patterns' shape anyway.
    return 8 <= digits <= 15


def _plausible(word: str) -> bool:
    """Could this capitalised word be part of a person's name (not a function word, month, product...)?"""
    lowered = word.lower()
    return lowered not in NOT_NAME and (lowered.isascii() or strip_accents(lowered) not in NOT_NAME)


def _before(text: str, start: int) -> str:
    """The few words before ``start``, lower-cased, trailing spaces and punctuation dropped."""
    return text[max(0, start - 24):start].rstrip(" \t,:").lower()


def _ends_with_word(window: str, words: tuple[str, ...]) -> bool:
    """Does ``window`` end with one of ``words``, as whole words?"""
    # Cheap first: the window's last character must end one of the words (most windows end otherwise).
    last = window[-1:]
    if not last or last not in _LAST_CHARS.get(words, last):
        return False
    for word in words:
        if window.endswith(word) and (len(window) == len(word) or not window[-len(word) - 1].isalnum()):
            return True
    return False


@lru_cache(maxsize=16384)
def _run_words(run: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of the words of a capitalised run (the same runs come back in every entry)."""
    return tuple((m.start(), m.end(), m.group()) for m in _WORDS.finditer(run))


def _introduced(text: str, run_end: int, before: str) -> bool:
    """"This is Sam from", "I'm Sam from": an introduction before the run and "from" after it."""
    if not _ends_with_word(before, INTROS):
        return False
    after = text[run_end:run_end + 6].lower()
    return after[:5] == " from" and not after[5:].isalnum()


def _name_spans_in_run(text: str, run_start: int, run: str) -> list[tuple[int, int]]:
    """Spans (absolute) of person names inside a run of capitalised words found at ``run_start``.

    A word is a name if it is a gazetteer first name (an ambiguous one only with a surname after it), or
    if a cue, an introduction or an honorific comes just before it and it is not a common word.
    """
    # Fast path for the commonest run, one everyday capitalised word ("Decision", "The", "Customers"): a
    # word in NOT_NAME is never a name on its own, cue or not (see _plausible and the gazetteer rule).
    if " " not in run and "\t" not in run and run.lower() in NOT_NAME:
        return []
    unambiguous, ambiguous = first_names()
    words = _run_words(run)
    spans: list[tuple[int, int]] = []
    before = _before(text, run_start) if run_start else ""
    cued = bool(before) and (_ends_with_word(before, CUES) or _introduced(text, run_start + len(run), before))
    honorific_at = None
    if before and text[run_start - 1].isspace():  # "Dr. Lefèvre": the honorific is its own run
        window_start = max(0, run_start - 24)
        window = text[window_start:run_start].rstrip()
        token_start = max(window.rfind(" "), window.rfind("\t")) + 1
        if window[token_start:].rstrip(".") in _HONORIFIC_SET:
            cued, honorific_at = True, window_start + token_start
    i = 0
    while i < len(words):
        s, e, word = words[i]
        first_word_cued, cued = cued, False  # a cue or honorific speaks for the next word only
        i += 1
        if word.islower():
            continue
        if word in _HONORIFIC_SET and i < len(words):  # "Ms O'Brien" in one run: the next word is a name
            cued, honorific_at = True, run_start + s
            continue
        if i < len(words) and word.lower() in _ONE_WORD_CUES:  # "Call Dev", "Dear Ahmed" in one run
            cued = True
            continue
        head = word if word.isascii() else strip_accents(word)
        part = head.split("-")[0]
        is_ambiguous = head in ambiguous or part in ambiguous
        # "Bill" and "May" are ordinary words too: they may start a name ("Bill Hughes"), never alone.
        if not (is_ambiguous or _plausible(word)):
            honorific_at = None
            continue
        tail_end, taken, j, tail_is_evidence = None, 0, i, False
        # Surname-like words after it: capitalised and plausible, particles ("de la") only in between.
        while j < len(words) and j < i + 3:
            word_j = words[j][2]
            if not (word_j.islower() or _plausible(word_j)):
                break
            j += 1
            if not word_j.islower():
                tail_end, taken = words[j - 1][1], j - i
                # "May Mark the date": a tail of ordinary words ("Mark") is no evidence of a surname.
                tail_is_evidence |= (word_j if word_j.isascii() else strip_accents(word_j)) not in ambiguous
        known = head in unambiguous or part in unambiguous
        if known or (is_ambiguous and tail_is_evidence) or (first_word_cued and _plausible(word)):
            # The honorific goes with the name: "Dr [name]" would still say "a doctor".
            begin = honorific_at if honorific_at is not None and first_word_cued else run_start + s
            spans.append((begin, run_start + (tail_end if tail_end is not None else e)))
            i += taken
        honorific_at = None
    return spans


# The last word of an organisation's name: "Liffey Engineering", "Kingfisher Council", "Brightwater Dental
# Care". With at least one uncommon capitalised word before it (so "Customer Services" is not one).
def _org_spans_in_run(run_start: int, run: str) -> list[tuple[int, int]]:
    """An organisation not on any roster, by the shape of its name: uncommon words + a suffix."""
    words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(run)]
    last = max((k for k, w in enumerate(words) if k and w[2].lower() in ORG_SUFFIXES), default=None)
    if last is None:
        return []
    begin = next((j for j in range(last) if words[j][2].lower() not in NOT_NAME), None)
    if begin is None or not any(words[j][2].lower() not in NAME_WORDS and words[j][2].lower() not in NOT_NAME
                                and words[j][2].lower() not in ORG_SUFFIXES for j in range(begin, last)):
        return []
    return [(run_start + words[begin][0], run_start + words[last][1])]


# A run of digits and what separates them, from its first digit. Only runs of four characters or more
# matter (see digit_windows), and a run shorter than that has no longer part: "{3,}" finds exactly those.
_DIGITS = re.compile(r"\d[\d\s().+\-/]{3,}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
# Every number pattern needs digits; its words ("customer number") come at most this far before them.
_BEFORE_DIGITS, _AFTER_DIGITS = 60, 16


def digit_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around its digits, merged: the number patterns are searched there only
    (scanning every position of every sentence for them cost a third of the redaction time)."""
    windows: list[list[int]] = []
    for match in _DIGITS.finditer(text):
        cluster = match.group()
        # Fewer than four digits ("48 hours", "12%") or a date is neither a phone nor an account.
        if sum(map(str.isdigit, cluster)) < 4 or _DATE.fullmatch(cluster.strip()):
            continue
        start, end = max(0, match.start() - _BEFORE_DIGITS), min(len(text), match.end() + _AFTER_DIGITS)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [(a, b) for a, b in windows]


def generic_spans(text: str, windows: list[tuple[int, int]] | None = None,
                  covered: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every identity layer 1 finds, in order, not overlapping.

    Contact details and accounts first, then organisations by the shape of their name, then people."""
    contact: list[tuple[int, int, str]] = []
    if "@" in text:
        for match in _EMAIL_DOMAIN.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, match.start() - 64), match.start())
            if local:
                contact.append((local.start(), match.end(), EMAIL_LABEL))
    lowered = text.lower()
    if _may_hold_written_email(text, lowered):
        contact.extend((m.start(), m.end(), EMAIL_LABEL) for m in WRITTEN_EMAIL.finditer(text))
        contact.sort()
    if "linkedin" in lowered:
        contact.extend((m.start(), m.end(), LINK_LABEL) for m in PROFILE_LINK.finditer(text))
    tickers = ticker_spans(text, lowered)
    if tickers:
        contact.extend(tickers)
        contact.sort()
    if _HAS_DIGIT.search(text):  # most sentences have no digit: skip the number patterns
        # A house number has few digits, so addresses are looked for in the whole text, not the windows.
        contact.extend(address_spans(text, lowered))
        for window_start, window_end in (digit_windows(text) if windows is None else windows):
            # A VAT number starts with its country's code, in capitals: most windows have none of them.
            vat_numbers = [(m.start(), m.end(), VAT_LABEL) for m in VAT_NUMBER.finditer(text, window_start, window_end)
                           if _is_vat(m.group())] \
                if contains_any(VAT_COUNTRY_FINDER, text[window_start:window_end]) else []
            contact.extend(vat_numbers)
            for match in _NUMBERS.finditer(text, window_start, window_end):
                if any(a < match.end() and match.start() < b for a, b, _ in vat_numbers):
                    continue
                kind = match.lastgroup
                assert kind is not None, "every alternative of _NUMBERS is a named group"
                # A run of digits ending in "%" is a figure ("000000 12% on ..."), never a phone number.
                if kind == "phone" and (not _phone_ok(match.group()) or text.startswith("%", match.end())):
                    continue
                contact.append((match.start(), match.end(), CONTACT_LABELS[kind]))
        contact.sort()
    names: list[tuple[int, int, str]] = []
    organisations: list[tuple[int, int, str]] = []
    ends = [end for _, end in covered]
    for match in _CAPRUN_SCAN.finditer(text):
        run = match.group()
        if " " not in run and "\t" not in run and run.lower() in NOT_NAME:
            continue  # the commonest run, one everyday word ("The", "Customers"): see _name_spans_in_run
        run_start = match.start()
        if covered:
            index = bisect.bisect_right(ends, run_start)
            if index < len(covered) and covered[index][0] <= run_start and match.end() <= covered[index][1]:
                continue
        found = _name_spans_in_run(text, run_start, run)
        if found:
            names.extend([(s, e, NAME) for s, e in found])
        if " " in run:
            organisations.extend((s, e, ORG_LABEL) for s, e in _org_spans_in_run(run_start, run))
    names = merge_spans(organisations, names) if organisations else names
    # "Sarah's": the capitalised-word pattern stops before "'s", so possessives stay outside the
    # replacement and read "[name]'s depot".
    return merge_spans(non_overlapping(contact), names)


def apply_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end) of ``text`` by its replacement; spans are sorted and do not overlap."""
    if not spans:
        return text
    out, last = [], 0
    for start, end, replacement in spans:
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def mask_identifiers(text: str | None) -> str:
    """``text`` with emails, phones, account numbers, person names and organisations (by the shape of their
    name) replaced by "[email]", "[phone]", "[account]", "[name]", "[an organisation]". For narratives with
    no roster; ``None`` gives ""."""
    if not text:
        return ""
    visible, positions = without_invisible(text)  # "Pri\u200bya": invisible characters do not hide a name
    return apply_spans(text, spans_to_original(generic_spans(visible), positions))

def merge_spans(primary: list[tuple[int, int, str]], secondary: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``primary`` plus the spans of ``secondary`` that overlap none of them, sorted; both inputs sorted."""
    if not secondary:
        return primary
    if not primary:
        return non_overlapping(secondary)
    out, i = list(primary), 0
    for span in non_overlapping(secondary):
        while i < len(primary) and primary[i][1] <= span[0]:
            i += 1
        if i < len(primary) and primary[i][0] < span[1]:
            continue
        out.append(span)
    out.sort()
    return non_overlapping(out)


def non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


