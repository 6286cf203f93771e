"""Languages: the invited customer's own (the Join page, chosen from the browser) and the unit's (issue 27: every
document and room-facing text a unit's meeting produces, set explicitly per unit, English unless set).

The catalogues are the .po files under ``meeting/data/locales/<lang>/LC_MESSAGES/<domain>.po`` (edited by
translators, reviewed in diffs): ``join`` for the Join page, ``documents`` for what a unit's meeting produces. They are compiled in memory with Babel
when first used, so there is no build step and no binary .mo file to keep in step. A string without a translation
falls back to English, as gettext does.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext
import io
import re

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from meeting import formatting
from meeting.resources import DATA_DIR

LOCALES_DIR = DATA_DIR / "locales"
DOMAIN = "join"
DOCUMENTS_DOMAIN = "documents"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "fr", "de", "es", "nl")
# The Babel locale a language's documents write dates and numbers in (English stays British, as before).
BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR", "de": "de_DE", "es": "es_ES", "nl": "nl_NL"}

_ACCEPT_ITEM = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def _join_domain_messages() -> tuple[str, ...]:
    """Strings the Join page shows that come from meeting/ rather than from the page itself: section titles and
    prompts, and the refusals a customer can meet. Listed here so the catalogue test can check every one."""
    from meeting.live import contributions
    from meeting.sections import SECTIONS

    return tuple(
        [s.title for s in SECTIONS] + [prompt for s in SECTIONS for prompt in s.prompts]
        + [contributions.CLOSED_MESSAGE, contributions.UNKNOWN_MESSAGE, contributions.INVALID_MESSAGE,
           contributions.EMPTY_MESSAGE, contributions.TOO_LONG_MESSAGE, contributions.PACE_MESSAGE,
           contributions.ENDED_MESSAGE, contributions.NOT_YET_MESSAGE, contributions.NO_MEETING_MESSAGE,
           contributions.NOT_REACHED_MESSAGE]
    )


def __getattr__(name: str):
    # Read lazily (PEP 562) so that meeting/ modules can import this one without importing the live stage.
    if name == "DOMAIN_MESSAGES":
        return _join_domain_messages()
    raise AttributeError(name)


@functools.lru_cache(maxsize=None)
def translations(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalogue for ``language`` (English, the source language, needs none)."""
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(language: str):
    """``_`` for one language: ``_("Send")`` -> "Envoyer"."""
    return translations(language if language in LANGUAGES else DEFAULT_LANGUAGE).gettext


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


# --- the unit's language: documents and the room ----------------------------------------------------------------

_SPEAKING: contextvars.ContextVar[str] = contextvars.ContextVar("document_language", default=DEFAULT_LANGUAGE)


def document_languages() -> tuple[str, ...]:
    """The languages a unit's documents can be written in: English and every language with a catalogue."""
    return tuple(code for code in LANGUAGES if code == DEFAULT_LANGUAGE
                 or (LOCALES_DIR / code / "LC_MESSAGES" / f"{DOCUMENTS_DOMAIN}.po").exists())


def check_document_language(code: str) -> str:
    code = str(code or "").strip().lower()
    if code not in document_languages():
        raise ValueError(f"Language {code!r} has no catalogue; choose one of {', '.join(document_languages())}.")
    return code


@contextlib.contextmanager
def speaking(language: str | None):
    """Everything built inside speaks ``language``: ``tr`` translates into it and numbers and dates are written
    as it writes them. A context variable, so one thread's (one page run's) document never changes another's."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    token = _SPEAKING.set(language)
    with formatting.numbers_in(BABEL_LOCALES[language]):
        try:
            yield language
        finally:
            _SPEAKING.reset(token)


def current_language() -> str:
    return _SPEAKING.get()


def tr(message: str) -> str:
    """``message`` in the language being spoken (``speaking``); English, the source, outside one."""
    if not message:  # gettext("") is the catalogue's header, never a text
        return message
    return translations(_SPEAKING.get(), DOCUMENTS_DOMAIN).gettext(message)


def tr_known(message: str) -> str:
    """``tr`` for a message held in a variable (a section title, a status): ``document_domain_messages`` lists them,
    as the catalogue extraction reads only literal ``tr("...")`` calls."""
    return tr(message)


def tr_n(singular: str, plural: str, n: int) -> str:
    return translations(_SPEAKING.get(), DOCUMENTS_DOMAIN).ngettext(singular, plural, n)


def long_date(value) -> str:
    """"2026-10-15" -> "15 October 2026" / "15 octobre 2026" / "15. Oktober 2026"; empty for no date."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day, format="long", locale=BABEL_LOCALES[_SPEAKING.get()])


def month_year(day: dt.date) -> str:
    """"October 2026" / "octobre 2026" / "Oktober 2026": a month on its own, in the language being spoken."""
    return format_date(day, format="LLLL yyyy", locale=BABEL_LOCALES[_SPEAKING.get()])


def fixed_decimals(value, places: int) -> str:
    """``value`` with exactly ``places`` decimals and no grouping, with the language's decimal sign ("3,9")."""
    return format_decimal(float(value), format="0" + ("." + "0" * places if places else ""),
                          locale=BABEL_LOCALES[_SPEAKING.get()])


def document_date(value) -> str:
    """A date in a minutes document: ISO in English (as the minutes always were), the long form elsewhere."""
    if not value or _SPEAKING.get() == DEFAULT_LANGUAGE:
        return str(value or "")
    return long_date(value)


def document_period(period: str | None) -> str:
    """A month under review ("2026-10") as documents write it: as is in English, "octobre 2026" elsewhere."""
    if not period or _SPEAKING.get() == DEFAULT_LANGUAGE:
        return str(period or "")
    return month_year(dt.date.fromisoformat(str(period)[:7] + "-01"))


def unit_language(db, unit_id: int) -> str:
    from meeting.store import languages

    return languages.unit_document_language(db, unit_id)


def meeting_language(db, meeting_id: int) -> str:
    from meeting.store import languages

    return languages.meeting_document_language(db, meeting_id)


def set_unit_language(db, unit_id: int, code: str) -> str:
    """Set the unit's document language (refused for a language without a catalogue); returns the code."""
    from meeting.store import languages

    code = check_document_language(code)
    languages.save_unit_document_language(db, unit_id, code)
    return code


# Files whose ``tr``/``tr_n`` calls make up the documents catalogue, and the messages they translate through a
# variable (section titles, labels, headers): the catalogue test reads both, so no message can go untranslated.
DOCUMENT_SOURCES = ("meeting/render/preread.py", "meeting/render/minutes.py", "meeting/render/followup.py",
                    "meeting/minutes/model.py", "meeting/formatting.py", "meeting/evidence/watermelons.py",
                    "meeting/live/state.py", "views/room.py", "views/run.py")
# A staff input's kind, as a pre-read quote names it (the staff_inputs CHECK constraint's values).
STAFF_KINDS = ("challenge", "idea", "praise")


def document_domain_messages() -> tuple[str | tuple[str, str], ...]:
    """The messages translated through a variable (``tr_known``, ``tr_n`` with a table): read where they live."""
    from meeting import anonymise, formatting
    from meeting.agenda.items import DEFAULT_ITEMS
    from meeting.evidence.metric_status import DIRECTIONS, STATUSES
    from meeting.minutes.entries import NO_DUE_DATE, NO_OWNER
    from meeting.minutes.model import GROUP_COUNTS, INTERNAL_BANNER, INTERNAL_RULE, KIND_HEADINGS, RULE_STATEMENT
    from meeting.render import followup, preread
    from meeting.render.minutes import ACTION_STATUSES
    from meeting.sections import SECTIONS

    return tuple(dict.fromkeys(
        [s.title for s in SECTIONS] + [s.purpose for s in SECTIONS] + [p for s in SECTIONS for p in s.prompts]
        + [title for titles in DEFAULT_ITEMS.values() for title in titles]
        + anonymise.label_messages() + [one for one, _ in anonymise.GROUPS.values()]
        + [heading for _, heading in KIND_HEADINGS] + [RULE_STATEMENT, INTERNAL_RULE, INTERNAL_BANNER]
        + [NO_OWNER, NO_DUE_DATE, *ACTION_STATUSES.values(), followup.HEADING, preread.NO_METRICS, preread.NO_WATERMELONS]
        + [formatting.NOT_AVAILABLE, formatting.LOW_BASE, formatting.WITHIN_NOISE, *formatting.TOUCHPOINT_SCORE_HEADERS,
           *formatting.FINANCE_HEADERS, *formatting.STATUS_HEADERS, *DIRECTIONS, *STATUSES]
        + list(STAFF_KINDS) + list(GROUP_COUNTS.values())))
