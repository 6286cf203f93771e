"""The invited customer's own language: gettext catalogues for the Join page, chosen from the browser.

The catalogues are the .po files under ``meeting/data/locales/<lang>/LC_MESSAGES/join.po`` (edited by translators,
reviewed in diffs). They are compiled in memory with Babel when first used, so there is no build step and
no binary .mo file to keep in step. A string without a translation falls back to English, as gettext does.
"""
from __future__ import annotations

import functools
import gettext
import io
import re

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from meeting.live import contributions
from meeting.resources import DATA_DIR
from meeting.sections import SECTIONS

LOCALES_DIR = DATA_DIR / "locales"
DOMAIN = "join"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "fr", "de", "es", "nl")

# Strings the Join page shows that come from meeting/ rather than from the page itself: section titles and
# prompts, and the refusals a customer can meet. Listed here so the catalogue test can check every one.
DOMAIN_MESSAGES = tuple(
    [s.title for s in SECTIONS] + [prompt for s in SECTIONS for prompt in s.prompts]
    + [contributions.CLOSED_MESSAGE, contributions.UNKNOWN_MESSAGE, contributions.INVALID_MESSAGE,
       contributions.EMPTY_MESSAGE, contributions.TOO_LONG_MESSAGE, contributions.PACE_MESSAGE,
       contributions.ENDED_MESSAGE, contributions.NOT_YET_MESSAGE, contributions.NO_MEETING_MESSAGE,
       contributions.NOT_REACHED_MESSAGE]
)
_ACCEPT_ITEM = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


@functools.lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue for ``language`` (English, the source language, needs none)."""
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(language: str):
    """``_`` for one language: ``_("Send")`` -> "Envoyer"."""
    return translations(language if language in LANGUAGES else DEFAULT_LANGUAGE).gettext


def format_number(value, language: str) -> str:
    """A number as the language writes it: 2,000 / 2 000 / 2.000."""
    return format_decimal(value, locale=language) if isinstance(value, (int, float)) else str(value)


def language_name(language: str) -> str:
    """The language's name in itself ("Français", "Nederlands"), for the picker."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]


def _preferences(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, most wanted first."""
    weighted = []
    for position, item in enumerate((header or "").split(",")):
        match = _ACCEPT_ITEM.match(item)
        if not match or match.group(1) == "*":
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            weighted.append((-quality, position, match.group(1)))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(browser_locale: str | None = None, accept_language: str | None = None) -> str:
    """The supported language the browser asks for (its locale first, then Accept-Language), else English."""
    wanted = ([browser_locale] if browser_locale else []) + _preferences(accept_language)
    for tag in wanted:
        primary = re.split(r"[-_]", tag.strip())[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE
