"""Chatham House Rule redaction: keep what was said, drop who said it and who they are.

Two layers, both plain compiled regular expressions (no model, no network):

1. ``mask_identifiers(text)``: for text with no roster (customer narratives in the agenda, watermelon
   flags). Masks emails, phone numbers (local and international), account-number-like references and
   person names found by an honorific ("Ms O'Brien"), a cue ("my name is", "ask for", "spoke to") or a
   first-name gazetteer (``data/first_names.txt``) followed by a surname. Case matters: "Bill Hughes" is
   a person, "the bill" is an invoice; first names that are also ordinary words or places ("Will", "May",
   "Amber", "Sofia") are masked only with a surname or a cue after them.
2. ``build_redactor(participants)``: for minutes, where the roster is known. Everything about each
   participant (names and their parts, accent-free forms, possessives, titles, organisation and its
   distinctive words, email, phone, role title and its obvious acronym) is replaced first, then layer 1
   catches identities that are not on the roster.

Why not Microsoft Presidio: its default ``AnalyzerEngine`` downloads a spaCy model at run time and fails
offline; the only spaCy English model on PyPI is a third-party re-upload we will not depend on; without a
model (``NoOpNlpEngine``) it has no named-entity recognition, so it is the same regex-and-deny-list idea as
this module, slower and with a heavy dependency tree. The roster is what makes minutes safe, and Presidio
knows nothing of it. ``bench/anonymise_bench.py`` compares the two when Presidio happens to be installed.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Character classes built from the Latin blocks, because Python's ``re`` has no \p{Lu}: "Ł", "Ø", "İ" and
# "Ș" must start a capitalised word like "A" does. Combining marks count as lowercase so that names typed in
# decomposed form (e + U+0301) still match.
_LATIN = [chr(c) for c in range(0x41, 0x250)]
_UP = "[" + "".join(re.escape(c) for c in _LATIN if c.isupper()) + "]"
_LOW = "[" + "".join(re.escape(c) for c in _LATIN if c.islower()) + "\u0300-\u036f]"
# A capitalised word: Sarah, McDonald, O'Brien, D'Souza, DiMaggio; never ALL-CAPS (acronyms are not names).
_CAPWORD = rf"{_UP}(?:{_LOW}|['’](?={_UP})|{_UP}(?={_LOW}))+"
_CAPNAME = rf"{_CAPWORD}(?:-{_CAPWORD})*"
_PARTICLES = r"(?:van|von|de|der|den|del|della|di|da|du|la|le|dos|das|ter|bin|ibn|al|el|y)"
_HSPACE = r"[^\S\r\n]+"  # spaces and tabs: a name never runs across a line break
_CAPRUN = rf"{_CAPNAME}(?:{_HSPACE}(?:{_PARTICLES}{_HSPACE})*{_CAPNAME}){{0,3}}"

HONORIFICS = ("Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Mme", "Mlle",
              "Herr", "Frau", "Sr", "Sra", "Srta")
_HONORIFIC = r"(?:" + "|".join(HONORIFICS) + r")\.?"

# Ordinary words that are also given names, surnames, places or organisation words. Such a word is matched
# only when capitalised (never "will", "mark", "bill", "rose", "price", "summit"), and as a gazetteer first
# name only with a surname or a cue after it.
NAME_WORDS = frozenset("""
will bill mark may june april august rose grace hope joy faith amber ruby jade pearl ivy holly olive iris
violet lily daisy heather dawn eve summer autumn sky river rain angel sunny hunter mason carter cooper parker
taylor chase price frank pat sue art don jack rob nick drew rich norm miles bob penny sandy max van guy gene
rod ken kay jay ray ash hazel dean earl duke prince king major marshall kit wade reed clay heath glen dale
cliff brook page lee long young sun gil jan dan tim ben eden robin carol victor
christian victoria georgia jordan florence sydney austin chelsea paris madison lincoln kent devon milan sofia
charlotte virginia dakota india asia regina trinity phoenix dallas houston camden brooklyn valencia lourdes
smith baker cook wood woods brown green white black gray grey hill king bell hall field fields banks ford
lake moss stone marsh north west east south bishop knight lord noble sharp short strong swift wise gold
silver day winter snow frost storm lamb fox wolf crane drake hawk finch swan bird fisher turner walker miller
best little small hart love good rice bush park
apex summit pioneer atlas horizon vanguard crown eagle falcon harbour harbor anchor beacon bridge keystone
orbit pinnacle zenith nova union unity liberty premier prime core fresh pure bright clear swift quick smart
""".split())

# Capitalised words that never continue a person's name: function words, calendar words and the nouns that
# follow a name in business text ("Will Customer Services", "Bill Payment", "Victoria Station").
NOT_NAME = frozenset("""
the a an and or but if when then so as at by for from in into of off on onto to up with without via per
i we you he she they it me us him her them my our your his its their this that these those there here
is are was were be been being am has have had do does did will would can could shall should may might must
said says say told asked called spoke thanks thank please hi hello dear regards cheers best kind team
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december today tomorrow yesterday morning afternoon evening night week month
year quarter
customer customers client clients service services support desk centre center department dept manager
management office store shop branch depot warehouse site portal app website web online account accounts
payment payments pay card cards bank invoice billing bill bills refund refunds delivery deliveries order
orders call calls contact email phone line helpline hotline chat form page street road lane avenue square
station airport hospital university school college city town park mall plaza group ltd limited plc inc llc
gmbh foods logistics holdings company corp corporation international global solutions systems partners
board committee council programme program project plan plans policy team teams sales marketing finance
operations hr it legal procurement director officer head chief lead leader leaders leadership executive
president vice senior junior assistant associate coordinator specialist analyst engineer agent agents
advisor adviser consultant representative rep staff colleague colleagues frontline north south east west
nps csat sla kpi q1 q2 q3 q4 ok yes no not new old next last first second third other another all any
every each some many more most less least very much great good bad poor excellent terrible awful
happy unhappy premium standard basic gold silver platinum plus pro express
""".split())

_FIRST_NAME_FILE = DATA_DIR / "first_names.txt"


def strip_accents(text: str) -> str:
    """Lefèvre -> Lefevre, Zieliński -> Zielinski, Łukasz -> Lukasz, Søren -> Soren."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_NO_DECOMPOSITION)


# Letters that Unicode does not decompose into base + accent.
_NO_DECOMPOSITION = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss",
                                   "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ı": "i", "Þ": "Th", "þ": "th"})


@lru_cache(maxsize=1)
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """(unambiguous, ambiguous) gazetteer first names, accent-free, case kept."""
    # Kept without accents, and looked up without accents: "Zoë", "Zoe" and "Zoe\u0308" are one name.
    names: set[str] = set()
    for line in _FIRST_NAME_FILE.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            names.add(strip_accents(name))
    ambiguous = {n for n in names if n.lower() in NAME_WORDS or n.lower() in NOT_NAME}
    return frozenset(names - ambiguous), frozenset(ambiguous)


# ---------------------------------------------------------------------------------------------------------
# Layer 1: patterns for identities that are not on any roster.

EMAIL = r"(?<![\w.+'’%-])[\w.+'’%-]+@[\w-]+(?:\.[\w-]+)+"
_SEP = r"[ .\-\u00a0]?"
PHONE = (
    # International: +44 20 7946 0123, +44 (0)20 7946 0123, 0044 20..., +1 (555) 123-4567
    rf"(?<![\w+])(?:\+|00)\d{{1,3}}{_SEP}(?:\(0\){_SEP})?(?:\(?\d{{1,4}}\)?{_SEP}){{1,5}}\d{{2,4}}(?![\w])"
    # National with a trunk 0: 020 7946 0123, (020) 7946 0123, 07700 900123, 0612-345678
    rf"|(?<![\w.,])\(?0\d{{1,4}}\)?{_SEP}\d{{2,4}}(?:{_SEP}\d{{2,4}}){{1,2}}(?![\w])"
    # North American: 555-123-4567, (555) 123 4567
    rf"|(?<![\w.,])\(?\d{{3}}\)?{_SEP}\d{{3}}[ .\-]\d{{4}}(?![\w])"
)
ACCOUNT = (
    # "account 12345678", "acct no. 1234-5678", "a/c: 00112233", "customer number C-004512"
    r"(?i:\b(?:account|acct|a/c)\.?(?:[^\S\r\n]*(?:number|no\.?|num|nr|#|id))?"
    r"|\b(?:customer|client|member(?:ship)?|contract|policy|reference|ref)\.?[^\S\r\n]*(?:number|no\.?|num|nr|#|id))"
    r"[^\S\r\n]*[:#]?[^\S\r\n]*(?=(?:[A-Za-z/-]*\d){4})[A-Za-z0-9][A-Za-z0-9/-]{3,}(?<![/-])"
    # ACC-123456, CUST004512: letters then a long number
    r"|\b[A-Z]{2,5}-?\d{5,}\b"
    # IBAN: GB29 NWBK 6016 1331 9268 19
    r"|\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"
    # A bare run of 8 or more digits is an account or card number, not a figure (figures have separators)
    r"|(?<![\w£$€.,])\d{8,}(?![\w%])"
)
_CUES = (r"my name is|my name's|name's|ask for|asked for|asking for|speak to|spoke to|spoken to|speaking to|"
         r"speak with|spoke with|speaking with|talk to|talked to|talking to|called|named|dear|hi|hello|thanks|"
         r"thank you|regards|cheers|contact|attention of|attn")
# "This is Sam from", "I'm Sam from": only with "from" after, since "This is Premium" is not a person.
_INTRO = r"this is|i am|i'm|i’m"

_GENERIC = re.compile(
    rf"(?P<email>{EMAIL})"
    rf"|(?P<phone>{PHONE})"
    rf"|(?P<account>{ACCOUNT})"
    rf"|(?<![\w'’])(?P<hon>{_HONORIFIC}){_HSPACE}(?P<honrun>{_CAPRUN})"
    rf"|(?<![\w'’])(?P<cue>(?i:{_CUES}))[,:]?{_HSPACE}(?P<cuerun>{_CAPRUN})"
    rf"|(?<![\w'’])(?P<intro>(?i:{_INTRO})){_HSPACE}(?P<introrun>{_CAPRUN})(?={_HSPACE}(?i:from)\b)"
    rf"|(?<![\w'’@.])(?P<run>{_CAPRUN})"
)
_WORDS = re.compile(rf"{_CAPNAME}|{_PARTICLES}")
_POSSESSIVE = re.compile(r"['’]s?(?!\w)")

NAME = "[name]"
EMAIL_LABEL = "[email]"
PHONE_LABEL = "[phone]"
ACCOUNT_LABEL = "[account]"


def _phone_ok(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
    # 8 to 15 digits (E.164 allows 15); a date such as 2026-09-10 has 8 digits but no trunk 0 or + and
    # fails the patterns' shape anyway.
    return 8 <= digits <= 15


def _plausible(word: str) -> bool:
    """Could this capitalised word be part of a person's name (not a function word, month, product...)?"""
    return word.lower() not in NOT_NAME and strip_accents(word).lower() not in NOT_NAME


def _name_spans_in_run(run: str, start: int, *, cued: bool) -> list[tuple[int, int]]:
    """Spans (absolute) of person names inside a run of capitalised words.

    ``cued``: an honorific or a cue came just before, so the run's first word is a name even if it is not in
    the gazetteer ("ask for Pieter"), as long as it is plausible.
    """
    unambiguous, ambiguous = first_names()
    words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(run)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        s, e, word = words[i]
        first_word_cued, cued = cued and i == 0, False
        i += 1
        if word.islower():
            continue
        head = strip_accents(word)
        part = head.split("-")[0]
        is_ambiguous = head in ambiguous or part in ambiguous
        # "Bill" and "May" are ordinary words too: they may start a name ("Bill Hughes"), never alone.
        if not (is_ambiguous or _plausible(word)):
            continue
        tail_end, taken, j = None, 0, i
        # Surname-like words after it: capitalised and plausible, particles ("de la") only in between.
        while j < len(words) and j < i + 3:
            word_j = words[j][2]
            if not (word_j.islower() or _plausible(word_j)):
                break
            j += 1
            if not word_j.islower():
                tail_end, taken = words[j - 1][1], j - i
        known = head in unambiguous or part in unambiguous
        if known or (is_ambiguous and tail_end is not None) or (first_word_cued and _plausible(word)):
            spans.append((start + s, start + (tail_end if tail_end is not None else e)))
            i += taken
    return spans


def _generic_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every identity layer 1 finds, in order, not overlapping."""
    spans: list[tuple[int, int, str]] = []
    for match in _GENERIC.finditer(text):
        if match.group("email"):
            spans.append((match.start(), match.end(), EMAIL_LABEL))
        elif match.group("phone"):
            if _phone_ok(match.group("phone")):
                spans.append((match.start(), match.end(), PHONE_LABEL))
        elif match.group("account"):
            spans.append((match.start(), match.end(), ACCOUNT_LABEL))
        elif match.group("honrun"):
            run_start = match.start("honrun")
            found = _name_spans_in_run(match.group("honrun"), run_start, cued=True)
            if found and found[0][0] == run_start:
                # The honorific goes with the name: "Dr [name]" would still say "a doctor".
                spans.append((match.start(), found[0][1], NAME))
                found = found[1:]
            spans.extend((s, e, NAME) for s, e in found)
        else:
            group = "cuerun" if match.group("cuerun") else "introrun" if match.group("introrun") else "run"
            cued = group != "run"
            spans.extend((s, e, NAME) for s, e in
                         _name_spans_in_run(match.group(group), match.start(group), cued=cued))
    # "Sarah's": the capitalised-word pattern stops before "'s", so possessives stay outside the
    # replacement and read "[name]'s depot".
    return spans


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
    """``text`` with emails, phones, account numbers and person names replaced by "[email]", "[phone]",
    "[account]", "[name]". For narratives with no roster; ``None`` gives ""."""
    if not text:
        return ""
    return apply_spans(text, _generic_spans(text))
