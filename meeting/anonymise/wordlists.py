"""The word lists and gazetteers redaction uses, read from ``data/`` (data, not code), and word frequency.

Why ``wordfreq``: a word people use every day ("general", "mutual", "hope", "may") cannot identify anyone
on its own, so it is redacted only as part of a longer roster term; a rare word ("Northwind", "Carroway")
can. ``nicknames`` gives English diminutives (Liz for Elizabeth, Bob for Robert); ``meeting/data/anonymise/
diminutives.csv`` adds other languages' (Misha for Mikhail).
"""
from __future__ import annotations

import csv
from functools import lru_cache

from meeting.anonymise.folding import strip_accents
from meeting.resources import DATA_DIR

LISTS_DIR = DATA_DIR / "anonymise"

# Zipf 3.5 is about once in 300,000 words: "clinics", "advisory", "mutual" and "general" are above it,
# "Carroway", "Northwind" and "Kestrel" below.
COMMON_ZIPF = 3.5


def _read_words(name: str) -> frozenset[str]:
    lines = (LISTS_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


NAME_WORDS = _read_words("name_words.txt")
NOT_NAME = _read_words("not_name.txt")
GENERIC_ORG_WORDS = _read_words("generic_org_words.txt")
ORG_SUFFIXES = _read_words("org_suffixes.txt")
WEBMAIL = _read_words("webmail.txt")
JOB_TITLE_WORDS = _read_words("job_title_words.txt")
# (names of one job in several languages, its abbreviations): see role_abbreviations.txt.
ROLE_GROUPS = tuple(
    (tuple(n.strip() for n in names.split(";") if n.strip()), tuple(a.strip() for a in abbreviations.split(",") if a.strip()))
    for names, _, abbreviations in (line.partition("|") for line in sorted(_read_words("role_abbreviations.txt"))))


@lru_cache(maxsize=1)
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """(unambiguous, ambiguous) gazetteer first names, accent-free, case kept."""
    names: set[str] = set()
    for line in (DATA_DIR / "first_names.txt").read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            names.add(strip_accents(name))
    ambiguous = {n for n in names if n.lower() in NAME_WORDS or n.lower() in NOT_NAME}
    return frozenset(names - ambiguous), frozenset(ambiguous)


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English (0 unknown .. 8 "the"), case ignored."""
    from wordfreq import zipf_frequency  # on first use: wordfreq takes ~0.2 s to import (issue 30)

    return zipf_frequency(word.lower(), "en")


# The languages the division's meetings are held in (the app's own, and the Nordic and Polish talk its
# customers bring): a word everyday in any of them identifies nobody on its own.
TEXT_LANGUAGES = ("en", "de", "nl", "fr", "es", "da", "sv", "nb", "pl")


@lru_cache(maxsize=65536)
def zipf_in(word: str, language: str) -> float:
    """How common ``word`` is in ``language``. Other languages than English read wordfreq's small lists
    (words down to Zipf 3, loaded in milliseconds; the large ones take half a second each)."""
    from wordfreq import zipf_frequency

    return zipf(word) if language == "en" else zipf_frequency(word.lower(), language, wordlist="small")


@lru_cache(maxsize=65536)
def zipf_any(word: str) -> float:
    """How common ``word`` is in the commonest of ``TEXT_LANGUAGES`` for it ("angebot": German, 4.9)."""
    return max(zipf_in(word, language) for language in TEXT_LANGUAGES)


@lru_cache(maxsize=65536)
def is_foreign_everyday(word: str) -> bool:
    """An everyday word of another of the meetings' languages that English text does not use: "Angebot",
    "Rechnung", "frutas". People's names are frequent in every language's text ("Brandt", "Müller"), so a
    word English uses too is not taken for a word of the language."""
    lowered = word.lower()
    return zipf(lowered) < 2.5 and any(zipf_in(lowered, language) >= COMMON_ZIPF for language in TEXT_LANGUAGES[1:])


def is_common_word(word: str) -> bool:
    """An everyday English word: on its own it identifies nobody."""
    return zipf(word) >= COMMON_ZIPF


def is_ordinary(word: str) -> bool:
    """Is this single word also an ordinary word, so that only its capitalised form may be a name?"""
    key = strip_accents(word).lower().strip(".'’")
    if "-" in key or " " in key:  # "Mary-Jane", "Jean-Luc": a hyphenated name is nobody's everyday word
        return False
    return len(key) <= 3 or key in NAME_WORDS or key in NOT_NAME or (zipf(key) >= 4.0 and not known_name(key))


def known_name(lowered: str) -> bool:
    """A gazetteer first name, or a full given name of the diminutive tables ("Francisco", "Katarzyna"):
    frequent in text because many people bear it ("San Francisco" notwithstanding), not an everyday word."""
    unambiguous, _ = first_names()
    return lowered.capitalize() in unambiguous or strip_accents(lowered) in _full_given_names()


@lru_cache(maxsize=1)
def _full_given_names() -> frozenset[str]:
    names = set()
    for path in sorted(LISTS_DIR.glob("diminutives*.csv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            name = line.split(",", 1)[0].strip()
            if name and not line.startswith("#") and name != "name" and " " not in name:
                names.add(strip_accents(name).lower())
    return frozenset(names - NAME_WORDS - NOT_NAME)


@lru_cache(maxsize=1)
def _diminutive_table() -> dict[str, set[str]]:
    """Given name -> its other forms, from ``diminutives.csv`` and one ``diminutives_<language>.csv`` per
    language (German, Dutch, Nordic, Polish, Spanish, French)."""
    table: dict[str, set[str]] = {}
    for path in sorted(LISTS_DIR.glob("diminutives*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = csv.reader(line for line in handle if not line.startswith("#"))
            next(rows, None)
            for row in rows:
                if len(row) < 2:
                    continue
                # A two-word name ("María José") is keyed by its words joined, as a roster first part is.
                group = {row[0].strip().replace(" ", "-"), *row[1].split()}
                for name in group:
                    table.setdefault(strip_accents(name).lower(), set()).update(group - {name})
    return table


@lru_cache(maxsize=1)
def korean_surnames() -> dict[str, str]:
    """A Latin spelling of a Korean surname (lower case) -> its Revised Romanization ("park" -> "bag")."""
    table: dict[str, str] = {}
    with (LISTS_DIR / "korean_surnames.csv").open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows, None)
        for row in rows:
            if len(row) == 2:
                for spelling in row[1].split():
                    table.setdefault(spelling.lower(), row[0].strip())
    return table


@lru_cache(maxsize=1)
def _nick_namer():
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def name_variants(first: str) -> frozenset[str]:
    """Other forms of a given name: Liz, Beth, Betty for Elizabeth; Elizabeth for Liz; Misha for Mikhail.

    Forms of two letters or fewer are left out: "Jo", "Al" and "Ed" are too often something else."""
    key = strip_accents(first).lower()
    namer = _nick_namer()
    forms = set(namer.nicknames_of(key)) | set(namer.canonicals_of(key))
    forms |= {f.lower() for f in _diminutive_table().get(key, ())}
    return frozenset(f for f in forms if len(f) > 2 and f != key)


@lru_cache(maxsize=65536)
def is_given_name(word: str) -> bool:
    """A given name in the nicknames dataset or the diminutives ("Maggie", "Kathi") that is not also an
    everyday word: beside a roster surname it is part of the person's name."""
    key = strip_accents(word).lower()
    if len(key) < 3 or key in NAME_WORDS or key in NOT_NAME:
        return False
    namer = _nick_namer()
    return bool(namer.nicknames_of(key) or namer.canonicals_of(key) or key in _diminutive_table())
