"""Roster variants: every way people write a participant, derived from the roster rather than typed.

From a person: the name and its parts, accent-free forms, nicknames and diminutives (``nicknames`` and
``meeting/data/anonymise/diminutives.csv``), initials ("EC", "P-A M."), a sound key that matches other spellings and
other scripts (Alexandra/Aleksandra, Михаил/Mikhail, 王伟/Wang Wei), handle keys (@lizcarroway,
linkedin.com/in/liz-carroway), the role and its obvious acronym, phone numbers in every national and
international form (``phonenumbers``), and the aliases typed for what no rule derives.
From an organisation: the name, without legal and generic tails, its distinctive words (rare words only:
"general" or "mutual" alone identify nobody), its acronym ("NCS", "H&D"), space variants ("North Wind"),
stems for product names ("NorthwindLink") and its mail domain.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers

from meeting.anonymise.folding import INVISIBLE, PARTICLES, canonical, fold, korean_key, sound_key, strip_accents
from meeting.anonymise.patterns import HONORIFIC
from meeting.anonymise.wordlists import (
    GENERIC_ORG_WORDS,
    NAME_WORDS,
    NOT_NAME,
    ORG_SUFFIXES,
    ROLE_GROUPS,
    WEBMAIL,
    is_common_word,
    is_ordinary,
    known_name,
    korean_surnames,
    name_variants,
    zipf,
    zipf_any,
)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CJK_OR_ARABIC = re.compile(r"[\u0600-\u06ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

# How a matched term must be written to count:
ANY_CASE, TITLE_CASE, UPPER_CASE = "any", "title", "upper"

_C_SUITE = re.compile(r"(?i)^chief ((?:[a-z]+ ){1,2})officer$")
_ROLE_ACRONYMS = {"managing director": "MD", "general manager": "GM", "vice president": "VP",
                  "chief executive": "CEO", "human resources director": "HRD", "finance director": "FD"}
# Legal forms never make an acronym ("NCS" for "Northwind Cold Storage Ltd", not "NCSL").
_LEGAL = frozenset("ltd ltd. limited plc inc inc. llc llp lp gmbh ag sa sas sarl srl spa bv nv ab as asa oy oyj "
                   "aps kg kft pte pvt pty co co. corp corp. se".split())
_JOINERS = frozenset("of the and for a an de du la le von van".split())


class Term:
    """What a roster term is and whose it is."""

    __slots__ = ("identities", "case", "kind", "needs_evidence")

    def __init__(self, kind: str, case: str, needs_evidence: bool):
        self.identities: set = set()
        self.case = case
        self.kind = kind  # "person", "role", "org", "extra"
        self.needs_evidence = needs_evidence


@dataclass
class RosterTerms:
    """Everything derived from one meeting's roster, ready to compile into matchers."""

    terms: dict = field(default_factory=dict)          # canonical key -> Term
    forms: set = field(default_factory=set)            # folded forms as written, for the prefix tree
    phone_cores: set = field(default_factory=set)      # digit strings: national numbers and their last 8
    org_kind: dict = field(default_factory=dict)       # org key -> "ours" / "customer" / "other"
    sounds: dict = field(default_factory=dict)         # sound key of a name word -> set of identities
    full_names: dict = field(default_factory=dict)     # "wangwei" and "weiwang" -> identity (other scripts)
    handles: dict = field(default_factory=dict)        # letters of a handle ("lizcarroway") -> identity
    surnames: dict = field(default_factory=dict)       # rare surname letters -> identity, inside handles
    stems: dict = field(default_factory=dict)          # folded org stem -> identity ("northwind")

    # -- terms -----------------------------------------------------------------------------------------------
    def add(self, term: str, identity: tuple, kind: str, *, case: str = ANY_CASE, evidence: bool = False) -> None:
        # "Weiß" and "Weiss" fold differently; keep both, and the spelling without the letter ("Juergen
        # Hoelzl", "Aase", "Moeller") or with it ("Müller" for a roster "Mueller").
        for form in {term, strip_accents(term), *spelled_out(term)}:
            folded = fold(unicodedata.normalize("NFC", form)).strip()
            key = canonical(folded)
            if len(key.replace(" ", "")) < 2:
                continue
            self.forms.add(folded)
            entry = self.terms.get(key)
            if entry is None:
                entry = self.terms[key] = Term(kind, case, evidence)
            else:
                # The loosest rule wins: a full name elsewhere beats a word rule.
                order = (ANY_CASE, TITLE_CASE, UPPER_CASE)
                entry.case = min(entry.case, case, key=order.index)
                entry.needs_evidence = entry.needs_evidence and evidence
                if kind == "person" or entry.kind != "person":
                    entry.kind = kind if entry.kind != "person" else entry.kind
            entry.identities.add(identity)

    def _word(self, word: str, identity: tuple, *, nickname: bool = False) -> None:
        """One name word alone: any case if rare, capitalised (and with evidence) if also an ordinary word.

        A nickname comes from a names dataset, so its frequency says nothing ("Bobby" is common because
        many people are called it): it counts as ordinary only when listed as an everyday word too."""
        lowered = strip_accents(word).lower()
        if nickname:
            listed = lowered in NAME_WORDS or lowered in NOT_NAME
            # A familiar form that is an everyday word in one of the meetings' languages ("Mies", "Toon",
            # "Kuba", "Lola") counts capitalised only; it needs a person's context only if listed.
            capitalised = len(lowered) <= 3 or listed or zipf_any(lowered) >= 3.5
            self.add(word, identity, "person", case=TITLE_CASE if capitalised else ANY_CASE,
                     evidence=listed and len(word) > 3 or lowered in NAME_WORDS)
            return
        ordinary = is_ordinary(word)
        # Everyday in another of the meetings' languages ("Bakker", "Zimmermann", "Rosa"): capitalised only,
        # so "de bakker" and "la camisa rosa" stay, but no other evidence is asked for.
        self.add(word, identity, "person", case=TITLE_CASE if ordinary or everyday_elsewhere(word) else ANY_CASE,
                 evidence=ordinary and len(word) > 3 or word.lower() in NAME_WORDS)

    def _sound(self, word: str, identity: tuple) -> None:
        key = sound_key(word)
        if len(key) >= 4:
            self.sounds.setdefault(key, set()).add(identity)

    def add_person(self, index: int, person: dict) -> None:
        name = " ".join(str(person.get("name") or "").split())
        name = re.sub(rf"^{HONORIFIC}\s+", "", name)
        identity = ("person", index)
        if name:
            self._add_name(name, identity)
        for alias in re.split(r"[,;\n]", str(person.get("aliases") or "")):
            alias = " ".join(alias.split())
            if alias:
                self.add(alias, identity, "person", case=TITLE_CASE if is_ordinary(alias) else ANY_CASE,
                         evidence=is_ordinary(alias))
                for word in alias.split():
                    self._sound(word, identity)
                    # "田中 太郎": in a script without capitals or spaces between words, each part of the
                    # alias names the person too ("田中さん").
                    if len(alias.split()) > 1 and len(word) >= 2 and _CJK_OR_ARABIC.search(word):
                        self.add(word, identity, "person")
                if " " in alias and _CJK_OR_ARABIC.search(alias) and _CJK.search(alias):
                    self.add(alias.replace(" ", ""), identity, "person")
        role = " ".join(str(person.get("role") or "").split())
        if role:
            # A one-word role ("Director", "Engineer") is a common noun too: only its capitalised form counts.
            self.add(role, identity, "role", case=TITLE_CASE if len(role.split()) == 1 else ANY_CASE)
            acronym = role_acronym(role)
            if acronym:
                self.add(acronym, identity, "role", case=UPPER_CASE)
            for other in equivalent_roles(role):
                case = UPPER_CASE if other.isupper() else ANY_CASE if " " in other or other.islower() else TITLE_CASE
                self.add(other, identity, "role", case=case)
        organisation = " ".join(str(person.get("organisation") or "").split())
        if organisation:
            self.add_org(organisation, person.get("kind"))
        email = str(person.get("email") or "").strip()
        if "@" in email:
            local, domain = email.lower().rsplit("@", 1)
            self.handles[re.sub(r"[^a-z]", "", strip_accents(local))] = identity
            if organisation and domain.split(".")[0] not in WEBMAIL:
                org_identity = ("org", canonical(fold(organisation)))
                self.add(domain, org_identity, "org")
                stem = domain.split(".")[0]
                self.add(stem, org_identity, "org", case=TITLE_CASE if is_ordinary(stem) else ANY_CASE)
        self.add_phone(str(person.get("phone") or ""))

    def _add_name(self, name: str, identity: tuple) -> None:
        self.add(name, identity, "person")
        tokens = name.split()
        words = [t for t in tokens if not re.fullmatch(PARTICLES, t, flags=re.I)]
        for token in words:
            self._word(token, identity)
            self._sound(token, identity)
            parts = [p for p in re.split(r"[-‐‑]", token) if p]
            if len(parts) > 1:
                for part in parts:
                    self._word(part, identity)
                    self._sound(part, identity)
        first_parts = [p for p in re.split(r"[-‐‑]", tokens[0]) if p]
        for part in first_parts:
            for nickname in name_variants(part):
                self._word(nickname.capitalize(), identity, nickname=True)
                self._sound(nickname, identity)
        if len(tokens) < 2:
            return
        first, last = tokens[0], tokens[-1]
        self.add(f"{first} {last}", identity, "person")
        particle_start = next((i for i in range(1, len(tokens))
                               if re.fullmatch(PARTICLES, tokens[i], flags=re.I)), len(tokens) - 1)
        surname = " ".join(tokens[particle_start:])
        single = len(tokens) - particle_start == 1
        self.add(surname, identity, "person",
                 case=TITLE_CASE if single and (is_ordinary(surname) or everyday_elsewhere(surname)) else ANY_CASE,
                 evidence=single and is_ordinary(surname) and surname.lower() in NAME_WORDS)
        self.add(f"{first[0]}. {surname}", identity, "person")
        # Polish -ski/-ska surnames change their ending by case: Wróblewska, Wróblewskiej, Wróblewską.
        for ending, cases in _ADJECTIVAL_SURNAMES:
            if single and surname.endswith(ending):
                for case_ending in cases:
                    self.add(surname[:-len(ending)] + case_ending, identity, "person")
        # Initials, upper case only: "EC", "E.C.", "EJC", "P-A M." for Pierre-Antoine Martin.
        initials = [w[0] for w in words]
        first_initials = "-".join(p[0] for p in first_parts)
        surname_initial = strip_accents(words[-1][0])
        for form in {"".join(initials), ".".join(initials) + ".", initials[0] + surname_initial,
                     f"{first_initials} {surname_initial}.", f"{first_initials}. {surname_initial}."}:
            if len(form.replace(".", "").replace("-", "").replace(" ", "")) >= 2:
                self.add(strip_accents(form), identity, "person", case=UPPER_CASE)
        if len(first_parts) > 1:  # "JB Lefort" for Jean-Baptiste Lefort: the initials with the surname
            self.add(f"{''.join(p[0] for p in first_parts)} {surname}", identity, "person")
        # Other scripts: 王伟 transliterates to "WangWei", surname first or last.
        letters = [re.sub(r"[^a-z]", "", strip_accents(w).lower()) for w in words]
        for order in (letters, letters[::-1]):
            self.full_names["".join(order)] = identity
            self.full_names[sound_key("".join(order))] = identity
        # Hangul: 박지훈 is "BagJiHun"; a roster "Park Ji-hoon" or "Jihoon Park" gives the same Korean key.
        surnames = korean_surnames()
        revised = [surnames.get(w, w) for w in letters]
        for position in (0, len(revised) - 1):
            surname_first = [revised[position]] + [w for i, w in enumerate(revised) if i != position]
            self.full_names["ko:" + korean_key("".join(surname_first))] = identity
        # Handles and URL slugs: lizcarroway, liz.carroway, ecarroway, lizc, carrowayl.
        first_names = {letters[0], *name_variants(first_parts[0])}
        for given in first_names:
            given = re.sub(r"[^a-z]", "", strip_accents(given))
            for head, tail in ((given, letters[-1]), (given[0], letters[-1]), (given, letters[-1][0]),
                               (letters[-1], given), (letters[-1], given[0])):
                self.handles[head + tail] = identity
                # Written bare, as a login or a mail's local part: "tkrause", "t.krause", "thomas_krause"
                # (the dot is optional in the prefix tree, and "_" is a separator there).
                if head and tail and len(head + tail) >= 6 and zipf_any(head + tail) < 3.0:
                    self.add(f"{head}.{tail}", identity, "person")
        if len(letters[-1]) >= 4 and not is_common_word(letters[-1]):
            self.surnames[letters[-1]] = identity

    def add_org(self, organisation: str, kind: str | None) -> None:
        key = canonical(fold(organisation))
        org_kind = "ours" if kind in ("leader", "frontline") else "customer" if kind == "customer" else "other"
        previous = self.org_kind.get(key)
        # An organisation both sides belong to is ours; a customer one stays a customer one over "other".
        rank = {"ours": 2, "customer": 1, "other": 0}
        if previous is None or rank[org_kind] > rank[previous]:
            self.org_kind[key] = org_kind
        identity = ("org", key)
        tokens = organisation.split()
        one_word = len(tokens) == 1
        everyday_name = all(is_common_word(w.strip(",.&")) or w.lower().strip(",.") in GENERIC_ORG_WORDS or
                            not w.strip(",.&") for w in tokens)
        self.add(organisation, identity, "org",
                 case=TITLE_CASE if (one_word and is_ordinary(organisation)) or everyday_name else ANY_CASE)
        # "Brightwater Logistics" for "Brightwater Logistics Ltd": legal and generic tails dropped one by one.
        full = list(tokens)
        while len(full) > 1 and full[-1].lower().strip(",.") in GENERIC_ORG_WORDS:
            full = full[:-1]
            everyday = all(is_common_word(w.strip(",.&")) or not w.strip(",.&") for w in full)
            self.add(" ".join(full).rstrip(","), identity, "org",
                     case=TITLE_CASE if (len(full) == 1 and is_ordinary(full[0])) or everyday else ANY_CASE)
        words = [w.strip(",.") for w in tokens if w.lower().strip(",.") not in GENERIC_ORG_WORDS]
        # A rare word identifies the organisation on its own; an everyday one ("General", "Mutual") only
        # inside the name, except a first word that is the name's only non-generic word ("Summit Grocers").
        distinctive = [w for w in words if not is_common_word(w) and w.lower() not in NOT_NAME]
        if words and len(words) < len(tokens) and len(words) > 1 and distinctive:
            self.add(" ".join(words), identity, "org")  # "North Star" for "North Star Logistics"
        for word in distinctive:
            # "Frutas", "Sonne": everyday in another of the meetings' languages, so capitalised only.
            self.add(word, identity, "org", case=TITLE_CASE if is_ordinary(word) or everyday_elsewhere(word) else ANY_CASE)
            self._stem(word, identity)
            self._split_variants(word, identity)
        # The first word when everything after it is generic or everyday: "Summit" for Summit Grocers,
        # "Lagos" for Lagos Mutual Assurance; capitalised only, so "the summit" stays.
        # Any word of the name that is not everyday enough to stand alone in a sentence ("Finch" of Marlow &
        # Finch, "Summit" of Summit Grocers), capitalised only, so "the summit" and "a finch" stay. Very common
        # words ("General", "North") count only inside the name.
        for word in words:
            if len(tokens) > 1 and word not in distinctive and word[:1].isupper() and zipf(word) < 4.5 \
                    and word.lower() not in NOT_NAME:
                self.add(word, identity, "org", case=TITLE_CASE, evidence=False)
        # People shorten from the end: "Lagos Mutual" for Lagos Mutual Assurance.
        for stop in range(2, len(tokens)):
            prefix = tokens[:stop]
            # Everyday words only ("General Clinics"): the name when capitalised, not "general clinics".
            everyday = all(is_common_word(w.strip(",.&")) or not w.strip(",.&") for w in prefix)
            self.add(" ".join(prefix).rstrip(",&"), identity, "org", case=TITLE_CASE if everyday else ANY_CASE)
        if len(words) > 1:  # "North Wind" is also written "Northwind"
            joined = "".join(words)
            self.add(joined, identity, "org")
            self._stem(joined, identity)
        acronym_words = [w for w in tokens if w.lower().strip(",.") not in _LEGAL and w.lower() not in _JOINERS]
        self._add_acronym(acronym_words, identity)
        # People drop a generic tail from the acronym too: "M&F" for Marlow & Finch Solicitors.
        while len(acronym_words) > 2 and acronym_words[-1].lower().strip(",.") in GENERIC_ORG_WORDS | ORG_SUFFIXES:
            acronym_words = acronym_words[:-1]
            self._add_acronym(acronym_words, identity)

    def _add_acronym(self, acronym_words: list[str], identity) -> None:
        if len(acronym_words) >= 2:
            letters = ["&" if w == "&" else strip_accents(w[0]).upper() for w in acronym_words]
            acronym = "".join(letters)
            # Two letters only when they are not an everyday abbreviation ("RK" yes; "HR", "UK", "IT" no).
            if len(acronym.replace("&", "")) >= 3 or "&" in acronym or zipf(acronym) < 3.0:
                self.add(acronym, identity, "org", case=UPPER_CASE)
                if "&" in acronym:
                    self.add(acronym.replace("&", " & "), identity, "org", case=UPPER_CASE)
                else:
                    self.add(".".join(letters) + ".", identity, "org", case=UPPER_CASE)

    def _stem(self, word: str, identity: tuple) -> None:
        folded = fold(strip_accents(word)).replace(" ", "")
        if len(folded) >= 4 and folded.isalpha():
            self.stems[folded] = identity

    def _split_variants(self, word: str, identity: tuple) -> None:
        """"Northwind" is also written "North Wind" or "North-Wind": both halves everyday words."""
        lowered = word.lower()
        for cut in range(3, len(lowered) - 2):
            head, tail = lowered[:cut], lowered[cut:]
            if zipf(head) >= 3.0 and zipf(tail) >= 3.0:
                self.add(f"{head} {tail}", identity, "org")

    def add_phone(self, phone: str) -> None:
        """National significant number (and its last eight digits), found later with any prefix."""
        if not re.search(r"\d", phone):
            return
        number = None
        for region in (None, "GB", "US"):
            try:
                number = phonenumbers.parse(phone, region)
                break
            except phonenumbers.NumberParseException:
                continue
        digits = str(number.national_number) if number else re.sub(r"\D", "", phone)
        if len(digits) >= 7:
            self.phone_cores.add(digits)
            self.phone_cores.add(digits[-8:])
        if number:  # the local number without its area code ("98765-4321" for (11) 98765-4321)
            area = phonenumbers.length_of_geographical_area_code(number) or \
                phonenumbers.length_of_national_destination_code(number)
            if area and len(digits) - area >= 7:
                self.phone_cores.add(digits[area:])


def everyday_elsewhere(word: str) -> bool:
    """An everyday word in one of the meetings' languages other than as a name (Zipf 4: once in 10,000)."""
    lowered = strip_accents(word).lower()
    return zipf_any(word) >= 4.0 and not known_name(lowered)


_ADJECTIVAL_SURNAMES = (("ska", ("skiej", "ską", "skę")), ("cka", ("ckiej", "cką", "ckę")),
                        ("ski", ("skiego", "skiemu", "skim")), ("cki", ("ckiego", "ckiemu", "ckim")),
                        ("ský", ("ského", "skému", "ským")), ("ská", ("ské", "skou")))


# How German, Scandinavian and Dutch writers spell a letter out when the keyboard lacks it.
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "å": "aa",
                              "Å": "Aa", "ø": "oe", "Ø": "Oe", "æ": "ae", "Æ": "Ae"})
_SPELLED_IN = re.compile(r"(?<=[^\W\d_])(?:ae|oe|ue)|^(?:Ae|Oe|Ue)", re.IGNORECASE)


def spelled_out(term: str) -> set[str]:
    """"Juergen Hoelzl" for Jürgen Hölzl; and for a roster that spells it out ("Mueller"), the name as
    written with the letter, which folds to "Muller"."""
    forms = set()
    if any(c in term for c in "äöüÄÖÜåÅøØæÆ"):
        forms.add(unicodedata.normalize("NFC", term).translate(_SPELLED_OUT))
    elif _SPELLED_IN.search(term) and " " not in term.strip() and len(term) >= 5:
        squeezed = _SPELLED_IN.sub(lambda m: m.group()[0], term)
        if not is_common_word(squeezed):
            forms.add(squeezed)
    return forms


# "Director" in the division's languages, and its abbreviation: "Sales Dir.", "Dir. Achats".
_DIRECTOR = re.compile(r"(?i)\b(?:director|directora|directeur|directrice|direktor|direktorin|direktør|direktör|"
                       r"directeur-général|dyrektor)\b")


def equivalent_roles(role: str) -> list[str]:
    """The same job named in the division's other languages and its abbreviations
    (``meeting/data/anonymise/role_abbreviations.txt``), and the role with "Director" written "Dir."."""
    lowered = " ".join(role.lower().split())
    out = [form for names, abbreviations in ROLE_GROUPS if lowered in names for form in (*names, *abbreviations)
           if form != lowered]
    if _DIRECTOR.search(role) and len(role.split()) > 1:
        out.append(_DIRECTOR.sub("Dir.", role))
    return out


def role_acronym(role: str) -> str | None:
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


def derive(participants: list[dict], extra_terms=()) -> RosterTerms:
    """Every variant of every participant, and the extra terms typed for the meeting."""
    roster = RosterTerms()
    for index, person in enumerate(participants):
        # A roster pasted from a document may carry invisible characters too; matching ignores them.
        person = {key: INVISIBLE.sub("", value) if isinstance(value, str) else value for key, value in person.items()}
        roster.add_person(index, person)
    for term in extra_terms:
        term = " ".join(str(term or "").split())
        if term:
            # One word typed with a capital keeps it: adding "Bill" must not eat "the bill". A phrase
            # ("Project Falcon") is matched in any case: lower-cased in a note, it still identifies.
            single_capitalised = " " not in term and term[:1].isupper()
            roster.add(term, ("extra",), "extra", case=TITLE_CASE if single_capitalised else ANY_CASE)
    return roster
