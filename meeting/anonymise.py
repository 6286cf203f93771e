"""Chatham House Rule redaction: keep what was said, drop who said it and who they are.

Two layers, both plain compiled regular expressions (no model, no network):

1. ``mask_identifiers(text)``: for text with no roster (customer narratives in the agenda, watermelon
   flags). Masks emails, phone numbers (local and international), account-number-like references and
   person names found by an honorific ("Ms O'Brien"), a cue ("my name is", "ask for", "spoke to") or a
   first-name gazetteer (``data/first_names.txt``), with the surname that follows. Case matters: "Bill
   Hughes" is a person, "the bill" is an invoice; first names that are also ordinary words or places
   ("Will", "May", "Amber", "Sofia") are masked only with a surname or a cue after them.
2. ``build_redactor(participants)``: for minutes, where the roster is known. Everything about each
   participant (names and their parts, accent-free forms, possessives, titles, organisation and its
   distinctive words, email, phone, role title and its obvious acronym) is replaced first, then layer 1
   catches identities that are not on the roster. Labels: one person in a text is "[a participant]" (or
   their group); two or more different people in the same text are "[participant A]", "[participant B]",
   lettered afresh in every text (see ``Redactor``).

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
_CAPREST = rf"(?:{_LOW}|['’](?={_UP})|{_UP}(?={_LOW}))+"
_CAPWORD = rf"{_UP}{_CAPREST}"
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
network networks retail commercial corporate business enterprise consumer residential technical
install installation installations engineering field fault faults repair repairs billing collections
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
# Searched from the "@" (a literal the regex engine finds fast), then widened left to the local part.
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LOCAL = re.compile(r"[\w.+'’%-]+\Z")
_SEP = r"[ .\-\u00a0]?"
PHONE = (
    # International: +44 20 7946 0123, +44 (0)20 7946 0123, 0044 20..., +1 (555) 123-4567
    rf"(?<![\w+])(?:\+|00)\d{{1,3}}{_SEP}(?:\(0\){_SEP})?(?:\(?\d{{1,4}}\)?{_SEP}){{1,5}}\d{{2,4}}(?![\w])"
    # National with a trunk 0: 020 7946 0123, (020) 7946 0123, 07700 900123, 0612-345678
    # and the French 06 12 34 56 78
    rf"|(?<![\w.,])\(?0\d{{1,4}}\)?{_SEP}\d{{2,4}}(?:{_SEP}\d{{2,4}}){{1,3}}(?![\w])"
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
# Words after which a capitalised word is a person even if it is not in the gazetteer ("ask for Pieter").
CUES = ("my name is", "my name's", "name's", "ask for", "asked for", "asking for", "speak to", "spoke to",
        "spoken to", "speaking to", "speak with", "spoke with", "speaking with", "talk to", "talked to",
        "talking to", "called", "named", "dear", "hi", "hello", "thanks", "thank you", "regards", "cheers",
        "contact", "attention of", "attn", "attn:", "call", "ring", "email", "e-mail", "phone", "text", "ask",
        "tell", "thank", "thanked", "cc")
# "This is Sam from", "I'm Sam from": only with "from" after, since "This is Premium" is not a person.
INTROS = ("this is", "i am", "i'm", "i’m")
_HONORIFIC_SET = frozenset(HONORIFICS)
_ONE_WORD_CUES = frozenset(cue.rstrip(":") for cue in CUES if " " not in cue)

_NUMBERS = re.compile(rf"(?P<phone>{PHONE})|(?P<account>{ACCOUNT})")
_HAS_DIGIT = re.compile(r"\d")
# Every capitalised run; the lookbehind sits after the first letter so that the regex engine can skip
# straight to capital letters (a pattern that starts with a character set is searched fast).
_CAPRUN_SCAN = re.compile(
    rf"{_UP}(?<![\w'’@.]{_UP}){_CAPREST}(?:-{_CAPWORD})*(?:{_HSPACE}(?:{_PARTICLES}{_HSPACE})*{_CAPNAME}){{0,3}}"
)


_WORDS = re.compile(rf"{_CAPNAME}|{_PARTICLES}")

NAME = "[name]"
EMAIL_LABEL = "[email]"
PHONE_LABEL = "[phone]"
ACCOUNT_LABEL = "[account]"
_CONTACT_LABELS = {"email": EMAIL_LABEL, "phone": PHONE_LABEL, "account": ACCOUNT_LABEL}


def _phone_ok(text: str) -> bool:
    digits = sum(c.isdigit() for c in text)
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
    for word in words:
        if window.endswith(word) and (len(window) == len(word) or not window[-len(word) - 1].isalnum()):
            return True
    return False


def _name_spans_in_run(text: str, run_start: int, run: str) -> list[tuple[int, int]]:
    """Spans (absolute) of person names inside a run of capitalised words found at ``run_start``.

    A word is a name if it is a gazetteer first name (an ambiguous one only with a surname after it), or
    if a cue, an introduction or an honorific comes just before it and it is not a common word.
    """
    unambiguous, ambiguous = first_names()
    words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(run)]
    spans: list[tuple[int, int]] = []
    before = _before(text, run_start) if run_start else ""
    after = text[run_start + len(run):run_start + len(run) + 6].lower()
    cued = bool(before) and (
        _ends_with_word(before, CUES)
        or (_ends_with_word(before, INTROS) and after[:5] == " from" and not after[5:].isalnum())
    )
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
            # The honorific goes with the name: "Dr [name]" would still say "a doctor".
            begin = honorific_at if honorific_at is not None and first_word_cued else run_start + s
            spans.append((begin, run_start + (tail_end if tail_end is not None else e)))
            i += taken
        honorific_at = None
    return spans


# The last word of an organisation's name: "Liffey Engineering", "Kingfisher Council", "Brightwater Dental
# Care". With at least one uncommon capitalised word before it (so "Customer Services" is not one).
ORG_SUFFIXES = frozenset("""
ltd limited inc llc llp plc engineering council foods logistics group holdings bank care dental clinic
solutions systems partners associates consulting consultancy technologies trading industries manufacturing
construction transport freight airlines airways motors telecom telecoms energy utilities insurance capital
stores supermarkets grocers pharmacy pharma labs laboratories hotel hotels restaurants brewery bakery dairy
farms homes housing trust foundation properties estates media software communications enterprises ventures
brands products distribution wholesale accountants solicitors architects surveyors
""".split())
ORG_LABEL = "[an organisation]"


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


def _generic_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every identity layer 1 finds, in order, not overlapping.

    Contact details and accounts first, then organisations by the shape of their name, then people."""
    contact: list[tuple[int, int, str]] = []
    if "@" in text:
        for match in _EMAIL_DOMAIN.finditer(text):
            local = _EMAIL_LOCAL.search(text, max(0, match.start() - 64), match.start())
            if local:
                contact.append((local.start(), match.end(), EMAIL_LABEL))
    if _HAS_DIGIT.search(text):  # most sentences have no digit: skip the number patterns
        for match in _NUMBERS.finditer(text):
            kind = match.lastgroup
            if kind == "phone" and not _phone_ok(match.group()):
                continue
            contact.append((match.start(), match.end(), _CONTACT_LABELS[kind]))
        contact.sort()
    names: list[tuple[int, int, str]] = []
    organisations: list[tuple[int, int, str]] = []
    for match in _CAPRUN_SCAN.finditer(text):
        run_start, run = match.start(), match.group()
        names.extend((s, e, NAME) for s, e in _name_spans_in_run(text, run_start, run))
        if " " in run:
            organisations.extend((s, e, ORG_LABEL) for s, e in _org_spans_in_run(run_start, run))
    names = _merge(organisations, names) if organisations else names
    # "Sarah's": the capitalised-word pattern stops before "'s", so possessives stay outside the
    # replacement and read "[name]'s depot".
    return _merge(_non_overlapping(contact), names)


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
    return apply_spans(text, _generic_spans(text))


# ---------------------------------------------------------------------------------------------------------
# Layer 2: the roster.

GROUPS = {  # participant kind -> (one, many): how a person is called when attributed by group
    "leader": ("leadership team member", "leadership team members"),
    "customer": ("invited customer", "invited customers"),
    "frontline": ("frontline colleague", "frontline colleagues"),
    "guest": ("guest", "guests"),
}
GROUP_ORDER = tuple(GROUPS)
PARTICIPANT = "participant"
ORG_KINDS = {"ours": "our organisation", "customer": "customer organisation", "other": "organisation"}
REDACTED = "[redacted]"

# Words that say what an organisation is, not which one: "Kestrel Foods" is found by "Kestrel", never by
# "Foods", which would blank out every mention of food.
GENERIC_ORG_WORDS = frozenset("""
the and of for & a an ltd ltd. limited plc inc inc. incorporated llc llp lp gmbh ag sa sas sarl srl spa s.p.a.
bv nv ab as asa oy oyj aps kg ohg kft zrt s.r.o. sro a.s. d.o.o. sp. z o.o. pte pvt s.a. s.l. sl se kk pty
co co. company companies corp corp. corporation group groupe gruppe holdings holding
international intl global worldwide foods food logistics services service bank banking solutions systems partners
partnership associates consulting consultancy technologies technology tech software digital media energy
utilities utility water power insurance finance financial capital investments retail stores supermarkets
trading industries industrial manufacturing engineering construction healthcare health pharma
pharmaceuticals labs laboratories transport freight shipping airlines airways motors automotive telecom
telecoms communications networks enterprises ventures uk us usa eu europe european america americas asia
nordic nordics national regional trust foundation council university college hospital hotels hotel
restaurants brands products distribution supply chain store shop markets market farm farms dairy bakery
brewery properties property estates homes housing care clinic grocers grocery wholesale
wholesalers motors cloud
""".split())

_HONORIFIC_BEFORE = re.compile(rf"(?i:\b{_HONORIFIC})[^\S\r\n]+$")
# "our Head of Procurement" is one person: the determiner goes with the replacement. "a store manager" is
# anyone: an indefinite role is not an identity, and replacing it would say a participant did it.
_DETERMINER_BEFORE = re.compile(r"(?i:\b(?:the|our|their|his|her|its|your|my))[^\S\r\n]+$")
_INDEFINITE_BEFORE = re.compile(r"(?i:\b(?:a|an|any|every|each|one|some|other|another|no|which))[^\S\r\n]+$")
# After "Will" or "Mark" at the start of a clause, these say it is the verb: "Will you ...", "Mark the date".
_VERB_OBJECTS = frozenset("you we they i he she it this that these those there the a an our your their my his "
                          "her its us them me him anyone someone everyone everybody all".split())
_NEXT_WORD = re.compile(r"[^\S\r\n]+([\w']+)")
_C_SUITE = re.compile(r"(?i)^chief ((?:[a-z]+ ){1,2})officer$")
_ROLE_ACRONYMS = {"managing director": "MD", "general manager": "GM", "vice president": "VP",
                  "chief executive": "CEO", "human resources director": "HRD", "finance director": "FD"}


def _fold_table() -> dict[int, str]:
    """Length-preserving fold: lower case, no accents, one kind of hyphen, apostrophe and space.

    Length-preserving so that an offset in the folded text is the same offset in the original.
    """
    table: dict[int, str] = {}
    for code in list(range(0x41, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        if not char.isalpha():
            continue
        base = strip_accents(char).lower()
        if len(base) == 1 and base != char:
            table[code] = base
        elif len(base) > 1:  # ß, æ, œ: first letter, so that the string keeps its length
            table[code] = base[0]
    for char in "‐‑‒–—−":
        table[ord(char)] = "-"
    for char in "’ʼ‘`´":
        table[ord(char)] = "'"
    for char in "\t\n\r\u00a0\u2009\u202f\u2007":
        table[ord(char)] = " "
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case, accent-free, same length: what roster terms are matched against."""
    return text.translate(_FOLD)


def _canonical(folded: str) -> str:
    """The lookup key of a folded term or match: apostrophes and dots dropped, separators one space."""
    return re.sub(r"[ -]+", " ", folded.replace("'", "").replace(".", "")).strip()


def _units(folded: str) -> list[str]:
    """A folded term as trie units: letters, and the flexible SEP / APOS / DOT."""
    units: list[str] = []
    for char in folded.strip():
        if char in " -":
            if units and units[-1] != "SEP":
                units.append("SEP")
        elif char == "'":
            units.append("APOS")
        elif char == ".":
            units.append("DOT")
        else:
            units.append(char)
    return units


_UNIT_RE = {"SEP": "[ -]+", "APOS": "'?", "DOT": r"\.?"}


def _trie_regex(terms: list[list[str]]) -> str:
    """One regex for many terms, as a prefix tree: matching costs the length of a term, not their number."""
    trie: dict = {}
    for units in terms:
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}

    def render(node: dict) -> str:
        alternatives = [(_UNIT_RE.get(unit) or re.escape(unit)) + render(child)
                        for unit, child in sorted(node.items()) if unit]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


def _ordinary(word: str) -> bool:
    """Is this single word also an ordinary word, so that only its capitalised form may be a name?"""
    key = strip_accents(word).lower().strip(".'’")
    return len(key) <= 3 or key in NAME_WORDS or key in NOT_NAME


def _label(noun: str, letter: str | None) -> str:
    if letter is not None:
        return f"[{noun} {letter}]"
    if noun.startswith("our "):
        return f"[{noun}]"
    return f"[{'an' if noun[0] in 'aeiou' else 'a'} {noun}]"


def _letters(index: int) -> str:
    """A, B, ... Z, AA, AB ...: enough for any meeting."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def parse_extra_terms(text: str | None) -> list[str]:
    """Extra terms typed by the GM, one per line or comma separated, blanks and duplicates dropped."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;\n]", text or ""):
        term = " ".join(part.split())
        if term and term.lower() not in seen:
            seen[term.lower()] = term
    return list(seen.values())


class _Term:
    __slots__ = ("identities", "sensitive", "kind")

    def __init__(self, kind: str, sensitive: bool):
        self.identities: set = set()
        self.sensitive = sensitive
        self.kind = kind  # "person", "role", "org", "extra"


class Redactor:
    """Replaces every roster-derived term, then what ``mask_identifiers`` finds, in one text at a time.

    Labels are per text (one minutes entry): one person reads "[a participant]"; when two or more different
    people appear in the same entry they become "[participant A]", "[participant B]" in order of first
    mention, so that "A thanked B" keeps its meaning. Letters are not carried from one entry to the next:
    a letter that followed one person through the whole document would let readers build a profile.
    """

    def __init__(self, participants: list[dict], extra_terms=(), *, by_group: bool = False):
        self.by_group = by_group
        self._people = [dict(p) for p in participants]
        self._kind_by_name = {p["name"]: p.get("kind") for p in self._people}
        self._terms: dict[str, _Term] = {}  # canonical key -> what it is and whose it is
        self._forms: set[str] = set()  # folded forms as written, apostrophes and dots kept, for the trie
        self._org_kind: dict[str, str] = {}
        self._phones: list[str] = []
        for index, person in enumerate(self._people):
            self._add_person(index, person)
        for term in extra_terms:
            if term and term.strip():
                self._add(term, ("extra",), "extra", sensitive=False)
        self._pattern = self._compile()
        cores = sorted({r"[ ().\-]*".join(core) for core in self._phones})
        self._phone_pattern = re.compile(
            rf"(?<![\d+])(?:(?:\+|00)[\d ().\-]{{1,10}}?|\(?0[\d ().\-]{{0,6}}?)?(?:{'|'.join(cores)})(?!\d)"
        ) if cores else None

    # -- building ------------------------------------------------------------------------------------------
    def _add(self, term: str, identity: tuple, kind: str, *, sensitive: bool) -> None:
        for form in {term, strip_accents(term)}:  # "Weiß" and "Weiss" fold differently; keep both
            folded = fold(unicodedata.normalize("NFC", form)).strip()
            key = _canonical(folded)
            if len(key) < 2:
                continue
            self._forms.add(folded)
            entry = self._terms.get(key)
            if entry is None:
                entry = self._terms[key] = _Term(kind, sensitive)
            entry.sensitive = entry.sensitive and sensitive  # a full name elsewhere wins over a word rule
            if kind == "person" or entry.kind != "person":
                entry.kind = kind if entry.kind != "person" else entry.kind
            entry.identities.add(identity)

    def _add_person(self, index: int, person: dict) -> None:
        name = " ".join(str(person.get("name") or "").split())
        name = re.sub(rf"^{_HONORIFIC}\s+", "", name)
        identity = ("person", index)
        if name:
            self._add(name, identity, "person", sensitive=False)
            tokens = name.split()
            words = [t for t in tokens if not re.fullmatch(_PARTICLES, t, flags=re.I)]
            for token in words:
                self._add(token, identity, "person", sensitive=_ordinary(token))
                parts = [p for p in re.split(r"[-‐‑]", token) if p]
                if len(parts) > 1:
                    for part in parts:
                        self._add(part, identity, "person", sensitive=_ordinary(part))
            if len(tokens) > 1:
                first, last = tokens[0], tokens[-1]
                self._add(f"{first} {last}", identity, "person", sensitive=False)
                # The surname with its particles ("van der Berg"), and with an initial ("A. O'Brien").
                particle_start = next((i for i in range(1, len(tokens))
                                       if re.fullmatch(_PARTICLES, tokens[i], flags=re.I)), len(tokens) - 1)
                surname = " ".join(tokens[particle_start:])
                self._add(surname, identity, "person", sensitive=len(tokens) - particle_start == 1 and _ordinary(surname))
                self._add(f"{first[0]}. {surname}", identity, "person", sensitive=False)
        role = " ".join(str(person.get("role") or "").split())
        if role:
            # A one-word role ("Director", "Engineer") is a common noun too: only its capitalised form counts.
            self._add(role, identity, "role", sensitive=len(role.split()) == 1)
            acronym = self._acronym(role)
            if acronym:
                self._add(acronym, identity, "role", sensitive=True)
        organisation = " ".join(str(person.get("organisation") or "").split())
        if organisation:
            self._add_org(organisation, person.get("kind"))
        email = str(person.get("email") or "").strip()
        if "@" in email:
            domain = email.rsplit("@", 1)[1].lower()
            if organisation and domain.split(".")[0] not in WEBMAIL:
                self._add(domain, ("org", _canonical(fold(organisation))), "org", sensitive=False)
                self._add(domain.split(".")[0], ("org", _canonical(fold(organisation))), "org",
                          sensitive=_ordinary(domain.split(".")[0]))
        digits = re.sub(r"\D", "", str(person.get("phone") or ""))
        if len(digits) >= 7:
            self._phones.append(digits[-8:])

    @staticmethod
    def _acronym(role: str) -> str | None:
        """"CFO" for "Chief Financial Officer" and a few others everybody uses; not "HoP" for "Head of
        Procurement", which nobody says and which would blank out unrelated capitals."""
        lowered = role.lower()
        if lowered in _ROLE_ACRONYMS:
            return _ROLE_ACRONYMS[lowered]
        match = _C_SUITE.match(role)
        if match:
            middle = match.group(1).split()
            return "C" + "".join(w[0].upper() for w in middle) + "O"
        return None

    def _add_org(self, organisation: str, kind: str | None) -> None:
        key = _canonical(fold(organisation))
        org_kind = "ours" if kind in ("leader", "frontline") else "customer" if kind == "customer" else "other"
        previous = self._org_kind.get(key)
        # An organisation both sides belong to is ours; a customer one stays a customer one over "other".
        rank = {"ours": 2, "customer": 1, "other": 0}
        if previous is None or rank[org_kind] > rank[previous]:
            self._org_kind[key] = org_kind
        identity = ("org", key)
        self._add(organisation, identity, "org", sensitive=len(organisation.split()) == 1 and _ordinary(organisation))
        # "Brightwater Logistics" for "Brightwater Logistics Ltd": legal and generic tails dropped one by one.
        full = organisation.split()
        while len(full) > 1 and full[-1].lower().strip(",.") in GENERIC_ORG_WORDS:
            full = full[:-1]
            self._add(" ".join(full).rstrip(","), identity, "org",
                      sensitive=len(full) == 1 and _ordinary(full[0]))
        words = [w for w in organisation.split() if w.lower().strip(",.") not in GENERIC_ORG_WORDS]
        if words and len(words) < len(organisation.split()):
            core = " ".join(words)  # "North Star" for "North Star Logistics"
            self._add(core, identity, "org", sensitive=len(words) == 1 and _ordinary(core))
        if len(words) > 1:
            for position, word in enumerate(words):
                if not _ordinary(word):
                    self._add(word, identity, "org", sensitive=False)
                elif position == 0:
                    # People shorten "Summit Grocers" to "Summit": matched when capitalised only, so that
                    # "the summit" stays; a later ordinary word ("Star" in "North Star") is left alone.
                    self._add(word, identity, "org", sensitive=True)

    def _compile(self) -> re.Pattern | None:
        if not self._terms:
            return None
        trie = _trie_regex([_units(form) for form in self._forms])
        return re.compile(rf"(?<![\w'])(?:{trie})(?![\w])")

    # -- matching ------------------------------------------------------------------------------------------
    @staticmethod
    def normalise(text: str | None) -> str:
        """The form of ``text`` that ``find_spans`` offsets refer to (Unicode NFC)."""
        text = text or ""
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)

    def _roster_matches(self, text: str) -> list[tuple[int, int, tuple, str]]:
        """(start, end, identity, kind) of roster terms in ``text`` (already NFC)."""
        found = []
        if self._pattern is None:
            return found
        folded = fold(text)
        for match in self._pattern.finditer(folded):
            start, end = match.span()
            term = self._terms.get(_canonical(match.group()))
            if term is None:
                continue
            if term.sensitive:
                if not text[start].isupper():
                    continue  # "will", "mark", "price": the word, not the person
                word = match.group()
                if term.kind == "person" and (word in NAME_WORDS or word in NOT_NAME):
                    following = _NEXT_WORD.match(text, end)
                    if following and following.group(1).lower() in _VERB_OBJECTS:
                        continue  # "Will you call?", "Mark the date": the verb
            identity = next(iter(term.identities)) if len(term.identities) == 1 else tuple(sorted(term.identities))
            if term.kind == "person" and len(term.identities) == 1:
                before = _HONORIFIC_BEFORE.search(text, max(0, start - 14), start)
                if before:
                    start = before.start()
            elif term.kind == "role":
                if _INDEFINITE_BEFORE.search(text, max(0, start - 9), start):
                    continue
                before = _DETERMINER_BEFORE.search(text, max(0, start - 7), start)
                if before:
                    start = before.start()
            found.append((start, end, identity, term.kind))
        return found

    def _phone_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Roster phones in any form: found by their last eight digits, whatever the separators and prefix
        ("+44 (0)20 7946 0123", "020 7946 0123", "7946 0123")."""
        if self._phone_pattern is None or not _HAS_DIGIT.search(text):
            return []
        return [(m.start(), m.end(), PHONE_LABEL) for m in self._phone_pattern.finditer(text)]

    def _identity_noun(self, identity) -> tuple[str, str]:
        """(numbering class, noun) of an identity."""
        if identity == ("extra",):
            return "extra", "redacted"
        if isinstance(identity, tuple) and identity and identity[0] == "org":
            noun = ORG_KINDS[self._org_kind.get(identity[1], "other")]
            return noun, noun
        indices = [identity[1]] if identity[0] == "person" else [i[1] for i in identity if i[0] == "person"]
        if any(i[0] == "org" for i in identity if isinstance(i, tuple)) and not indices:
            return "organisation", "organisation"
        if self.by_group and indices:
            kinds = {self._people[i].get("kind") for i in indices}
            if len(kinds) == 1 and next(iter(kinds)) in GROUPS:
                noun = GROUPS[next(iter(kinds))][0]
                return noun, noun
        return PARTICIPANT, PARTICIPANT

    def find_spans(self, text: str | None) -> list[tuple[int, int, str]]:
        """(start, end, replacement) for everything that will be replaced in ``normalise(text)``, in order."""
        text = self.normalise(text)
        if not text:
            return []
        generic = _generic_spans(text)
        contact = [s for s in generic if s[2] in _CONTACT_LABELS.values()]
        if self._phones:  # the roster's own phone wins: it knows where the number really ends
            contact = _merge(self._phone_spans(text), contact)
        roster = self._roster_matches(text)
        # Number identities per class in order of first mention: two people in one entry stay two.
        order: dict[str, list] = {}
        for _, _, identity, _ in roster:
            cls, _ = self._identity_noun(identity)
            seen = order.setdefault(cls, [])
            if identity not in seen:
                seen.append(identity)
        labelled = []
        for start, end, identity, _ in roster:
            cls, noun = self._identity_noun(identity)
            if cls == "extra":
                labelled.append((start, end, REDACTED))
                continue
            members = order[cls]
            letter = _letters(members.index(identity)) if len(members) > 1 else None
            labelled.append((start, end, _label(noun, letter)))
        spans = _merge(contact, labelled)
        # What layer 1 finds by shape (people, organisations) only where the roster found nothing.
        return _merge(spans, [s for s in generic if s[2] not in _CONTACT_LABELS.values()])

    def redact(self, text: str | None) -> str:
        text = self.normalise(text)
        return apply_spans(text, self.find_spans(text))

    # -- attribution ---------------------------------------------------------------------------------------
    def group_of(self, name: str | None) -> str | None:
        kind = self._kind_by_name.get(" ".join(str(name or "").split()))
        return GROUPS[kind][0] if kind in GROUPS else None

    def speaker_label(self, name: str | None) -> str | None:
        """Who spoke, as the export may say it: "a participant", or the group when attributing by group."""
        if not name:
            return None
        group = self.group_of(name) if self.by_group else None
        return _label(group or PARTICIPANT, None)[1:-1]

    def owner_label(self, name: str | None) -> str | None:
        """An action's owner, always as a group (the issue asks for it) and never as a person."""
        if not name:
            return None
        return _label(self.group_of(name) or PARTICIPANT, None)[1:-1]


WEBMAIL = frozenset("gmail googlemail outlook hotmail live msn yahoo icloud me mac aol proton protonmail gmx "
                    "web mail yandex zoho fastmail hey tutanota".split())


def _merge(primary: list[tuple[int, int, str]], secondary: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``primary`` plus the spans of ``secondary`` that overlap none of them, sorted; both inputs sorted."""
    if not secondary:
        return primary
    if not primary:
        return _non_overlapping(secondary)
    out, i = list(primary), 0
    for span in _non_overlapping(secondary):
        while i < len(primary) and primary[i][1] <= span[0]:
            i += 1
        if i < len(primary) and primary[i][0] < span[1]:
            continue
        out.append(span)
    out.sort()
    return _non_overlapping(out)


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def build_redactor(participants: list[dict], extra_terms=(), *, by_group: bool = False) -> Redactor:
    """A redactor for one meeting: its roster (name, organisation, role, kind, email, phone) and the extra
    terms the GM added for it. ``by_group`` labels people by group ("[an invited customer]")."""
    return Redactor(participants, extra_terms, by_group=by_group)


def attribution_warnings(participants: list[dict], *, by_group: bool, owners=()) -> list[str]:
    """Plain-language warnings for the review step: a group of one identifies its member."""
    counts = {kind: 0 for kind in GROUPS}
    kind_by_name = {}
    for person in participants:
        if person.get("kind") in counts:
            counts[person["kind"]] += 1
            kind_by_name[person["name"]] = person["kind"]
    warnings = []
    if by_group:
        for kind, count in counts.items():
            if count == 1:
                warnings.append(f"Only one {GROUPS[kind][0]} is present: attributing by group identifies them. "
                                f"Attribute to \"a participant\" instead, or accept the risk.")
    lonely_owners = sorted({kind_by_name[o] for o in owners if kind_by_name.get(o) and counts[kind_by_name[o]] == 1},
                           key=GROUP_ORDER.index)
    for kind in lonely_owners:
        warnings.append(f"An action is owned by the only {GROUPS[kind][0]} present: the owner's group identifies them.")
    return warnings
