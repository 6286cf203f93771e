"""Issue 27: a unit's language, and everything its meeting produces written in it.

Oracles are written out here by hand: the English section titles and redaction labels a French or German
document must not carry, and French and German phrases a translator would expect. Nothing is read back from
the catalogues to decide what is right, except the completeness check, which is about the catalogues themselves.
"""
from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from meeting import cli, i18n, store
from meeting.store import PROJECT_ROOT

ENGLISH_SECTION_TITLES = ("Customer", "Employees", "Operations", "Sales", "Finance")  # "Marketing" is French too
ENGLISH_LABELS = ("[a participant]", "[an invited customer]", "[a leadership team member]", "[a frontline colleague]",
                  "[our organisation]", "[a customer organisation]", "[an organisation]", "[redacted]", "[email]",
                  "[phone]", "[name]", "[a guest]", "[an address]")
ENGLISH_LETTERED = re.compile(r"\[(participant|invited customer|leadership team member|frontline colleague) [A-Z]+\]")
ENGLISH_HEADINGS = ("Decisions", "You said", "We did", "What happens next", "At a glance", "Time spent",
                    "Open actions carried over", "By touchpoint")


# --- the catalogues -------------------------------------------------------------------------------------------

def _document_messages() -> set:
    found = set()
    for source in i18n.DOCUMENT_SOURCES:
        for _, message, _, _ in extract_from_file("python", str(PROJECT_ROOT / source),
                                                  keywords={"tr": None, "tr_n": (1, 2), "_tr": None}):
            found.add(message)
    return found | set(i18n.document_domain_messages())


@pytest.mark.parametrize("language", ["fr", "de", "es", "nl"])
def test_every_document_message_has_every_translation(language):
    path = i18n.LOCALES_DIR / language / "LC_MESSAGES" / "documents.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    translated = {message.id for message in catalog if message.id and all(
        message.string if isinstance(message.string, tuple) else (message.string,))}
    missing = _document_messages() - translated
    assert not missing, f"{path}: no translation for {sorted(map(str, missing))}"
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:  # .format() would fail on a placeholder lost or renamed in translation
            assert sorted(set(re.findall(r"{\w*}", text))) == sorted(set(re.findall(r"{\w*}", ids[0]))), (path, ids)


def test_french_and_german_phrases_as_a_translator_would_write_them():
    with i18n.speaking("fr"):
        assert i18n.tr("Customer") == "Client"
        assert i18n.tr("[a participant]") == "[un participant]"
        assert i18n.tr("You said, we did") == "Vous avez dit, nous avons fait"
        assert i18n.long_date("2026-10-15") == "15 octobre 2026"
        assert i18n.tr_n("{n} guest", "{n} guests", 2).format(n=2) == "2 invités"
    with i18n.speaking("de"):
        assert i18n.tr("Finance") == "Finanzen"
        assert i18n.tr("[an invited customer]") == "[ein eingeladener Kunde]"
        assert i18n.long_date("2026-10-15") == "15. Oktober 2026"
    # Outside a document nothing changes: the GM's pages stay English, figures British.
    assert i18n.tr("Customer") == "Customer" and i18n.long_date("2026-10-15") == "15 October 2026"


def test_figures_follow_the_language_only_inside_a_document():
    from meeting.formatting import format_number

    with i18n.speaking("fr"):
        assert format_number(3.876) == "3,88" and format_number(4185100) == "4\u202f185\u202f100"
    with i18n.speaking("de"):
        assert format_number(3.876) == "3,88" and format_number(4185100) == "4.185.100"
    assert format_number(3.876) == "3.88" and format_number(4185100) == "4,185,100"


def test_labels_are_replaced_whole_and_lettered_labels_keep_their_letter():
    from meeting.anonymise import localise_labels

    def translate(message):
        with i18n.speaking("fr"):
            return i18n.tr(message)

    text = "[participant A] thanked [participant B] and [a participant]; mail [email]. [not a label]"
    assert localise_labels(text, translate) == \
        "[participant A] thanked [participant B] and [un participant]; mail [e-mail]. [not a label]"
    assert localise_labels("[invited customer B] met [our organisation]", translate) == \
        "[client invité B] met [notre organisation]"


# --- the unit's setting ---------------------------------------------------------------------------------------

def test_language_command_shows_sets_and_refuses(fresh_db, capsys):
    store.get_or_create_unit(fresh_db, "Belgique")
    assert cli.main(["language", "--unit", "Belgique"]) == 0
    assert capsys.readouterr().out.strip() == "Belgique: en"  # never guessed: English until set
    assert cli.main(["language", "--unit", "Belgique", "nl"]) == 0
    assert capsys.readouterr().out.strip() == "Belgique: nl"
    assert cli.main(["language", "--unit", "Belgique", "pt"]) == 2
    assert "pt" in capsys.readouterr().err
    assert cli.main(["language", "--unit", "Belgique"]) == 0
    assert capsys.readouterr().out.strip() == "Belgique: nl"


def test_units_made_before_the_setting_are_english(tmp_path):
    path = tmp_path / "old.db"
    old = store.open_db(path, migrate=False)
    store.migrations.apply(old, stop_before="m110_unit_document_language")
    old.execute("INSERT INTO units (id, name) VALUES (1, 'France')")
    old.close()
    db = store.open_db(path)
    assert i18n.unit_language(db, 1) == "en"


# --- the documents, black box: a French unit and a German one ----------------------------------------------------

def _write(args: list[str], capsys) -> str:
    assert cli.main(args) == 0, capsys.readouterr().err
    path = capsys.readouterr().out.strip().splitlines()[-1]
    with open(path, encoding="utf-8") as handle:
        return handle.read().replace("\\", "")  # Markdown escapes brackets: read the text as a person would


def _headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]


def _english_left(markdown: str) -> list[str]:
    found = [label for label in ENGLISH_LABELS if label in markdown]
    found += ENGLISH_LETTERED.findall(markdown)
    for heading in _headings(markdown) + re.findall(r"^\| \d\. ([^|]+) \|", markdown, re.MULTILINE):
        words = re.sub(r"^\d+\.\s*|\s*\(\d+ min\)$", "", heading)
        found += [f"heading {heading!r}" for title in ENGLISH_SECTION_TITLES + ENGLISH_HEADINGS if words == title]
    return found


FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")
GERMAN_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember")


def _held(db_file, meeting_id: int, language: str) -> tuple[str, str]:
    """(the day the meeting was held, the month it reviews) as a French or German reader writes them."""
    db = store.open_db(db_file)
    held_on, period = db.execute("SELECT held_on, period FROM meetings WHERE id = ?", [meeting_id]).fetchone()
    year, month, day = (int(part) for part in held_on.split("-"))
    p_year, p_month = (int(part) for part in period.split("-"))
    if language == "fr":
        return f"{day} {FRENCH_MONTHS[month - 1]} {year}", f"{FRENCH_MONTHS[p_month - 1]} {p_year}"
    return f"{day}. {GERMAN_MONTHS[month - 1]} {year}", f"{GERMAN_MONTHS[p_month - 1]} {p_year}"


@pytest.fixture
def french_and_german(demo_db, capsys):
    assert cli.main(["language", "--unit", "United Kingdom", "fr"]) == 0
    assert cli.main(["language", "--unit", "Ireland", "de"]) == 0
    capsys.readouterr()
    return demo_db


@pytest.mark.parametrize("meeting_id, language, held_phrase", [(1, "fr", "tenue le {held} · porte sur {period}"),
                                                               (3, "de", "am {held} · betrachtet {period}")])
def test_preread_speaks_the_units_language(french_and_german, tmp_path, capsys, meeting_id, language, held_phrase):
    text = _write(["agenda", str(meeting_id), "--export", "md", "--out", str(tmp_path / "pre.md")], capsys)
    assert _english_left(text) == []
    # A watermelon's reading, and why a quote is there, are the unit's language too.
    assert "the metric misses what customers feel" not in text and "why: theme" not in text
    assert {"fr": "pourquoi : thème : ", "de": "warum: Thema: "}[language] in text
    held, period = _held(french_and_german, meeting_id, language)
    assert held_phrase.format(held=held, period=period) in text
    # CSAT intervals with a decimal comma and the language's "to", never a decimal point.
    word = {"fr": "à", "de": "bis"}[language]
    assert re.search(rf"CSAT \d,\d \(\d,\d {word} \d,\d\)", text)
    assert not re.search(rf"\d\.\d {word} \d\.\d", text)


@pytest.mark.parametrize("meeting_id, language, phrases", [
    (1, "fr", ("Compte rendu", "Présents :", "Tenue le {held}.", "[un participant]", "[une organisation cliente]")),
    (3, "de", ("Protokoll", "Anwesend:", "Abgehalten am {held}.", "Chatham-House-Regel")),
])
def test_anonymised_minutes_speak_the_units_language(french_and_german, tmp_path, capsys, meeting_id, language,
                                                     phrases):
    text = _write(["export", str(meeting_id), "--format", "md", "--out", str(tmp_path / "minutes.md")], capsys)
    assert _english_left(text) == []
    held, _ = _held(french_and_german, meeting_id, language)
    for phrase in phrases:
        assert phrase.format(held=held) in text
    assert "[" in text and "Chatham House Rule" not in text


def test_a_watermelon_reads_in_french(french_and_german, tmp_path, capsys):
    text = _write(["agenda", "1", "--export", "md", "--out", str(tmp_path / "pre.md")], capsys)
    assert "Vert sur " in text and "l’indicateur passe à côté de ce que ressentent les clients" in text


@pytest.mark.parametrize("meeting_id, phrases", [
    (1, ("# Vous avez dit, nous avons fait", "## Client", "au 23 novembre 2026", "[un participant]")),
    (3, ("# Sie sagten, wir taten", "## Kunde", "Stand 23. November 2026")),
])
def test_followup_speaks_the_units_language(french_and_german, tmp_path, capsys, meeting_id, phrases):
    args = ["followup", str(meeting_id), "--format", "md", "--out", str(tmp_path / "note.md"), "--today", "2026-11-23"]
    text = _write(args, capsys)
    assert _english_left(text) == []
    for phrase in phrases:
        assert phrase in text


def test_an_english_unit_is_unchanged(demo_db, tmp_path, capsys):
    text = _write(["followup", "1", "--format", "md", "--out", str(tmp_path / "note.md"), "--today", "2026-11-23"],
                  capsys)
    assert "# You said, we did" in text and "## Customer" in text and "23 November 2026" in text


def test_invitation_lists_the_sections_in_the_units_language(french_and_german, tmp_path, capsys):
    import icalendar

    assert cli.main(["schedule", "2", "--starts", "09:00"]) == 0  # no invitation without a start time (issue 28)
    assert cli.main(["invite", "2", "--out", str(tmp_path)]) == 0
    path = capsys.readouterr().out.strip().splitlines()[-1]
    event = icalendar.Calendar.from_ical(open(path, "rb").read()).walk("VEVENT")[0]
    description = str(event["description"])
    assert "1. Client (" in description and "6. Finances (" in description and "Customer" not in description


def test_a_new_meeting_of_a_french_unit_gets_french_default_items(fresh_db):
    from meeting.agenda.items import draft_agenda, list_items
    from meeting.store.meetings import create_meeting

    unit = store.get_or_create_unit(fresh_db, "France")
    i18n.set_unit_language(fresh_db, unit, "fr")
    meeting = create_meeting(fresh_db, unit, "2026-11-20", title="Réunion", period="2026-10")
    draft_agenda(fresh_db, meeting)
    titles = [item["title"] for item in list_items(fresh_db, meeting)]
    assert "Ce que nos clients nous ont dit en octobre 2026" in titles


# --- <html lang>: the middleware that rewrites the page Streamlit serves ----------------------------------------

PAGE = b'<!doctype html><html lang="en"><head><title>Outside In</title></head><body><div id="root"></div></body></html>'


def _served_app():
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from meeting.web import PageLanguage

    def index(request):  # what Streamlit answers for every page path: one index.html, lang="en"
        return Response(PAGE, media_type="text/html", headers={"etag": '"same-for-all"'})

    def script(request):
        return Response(b"console.log('<html lang=\"en\">')", media_type="text/javascript")

    app = Starlette(routes=[Route("/static/app.js", script), Route("/{page:path}", index)])
    return TestClient(PageLanguage(app))


def test_join_is_served_in_the_browsers_language_and_room_in_the_units(fresh_db):
    unit = store.get_or_create_unit(fresh_db, "Deutschland")
    i18n.set_unit_language(fresh_db, unit, "de")
    from meeting.store.meetings import create_meeting

    meeting = create_meeting(fresh_db, unit, "2026-11-20")
    client = _served_app()
    french = client.get("/join", headers={"Accept-Language": "fr-CH,fr;q=0.9,en;q=0.5"})
    assert b'<html lang="fr">' in french.content and int(french.headers["content-length"]) == len(french.content)
    assert french.headers["vary"] == "Accept-Language" and "etag" not in french.headers
    assert b'<html lang="de">' in client.get(f"/room?meeting={meeting}").content
    assert b'<html lang="en">' in client.get("/join", headers={"Accept-Language": "pt-BR"}).content
    # The GM's pages, a room without its meeting, and anything that is not a page are left as Streamlit sent them.
    for path in ("/run", "/room"):
        response = client.get(path, headers={"Accept-Language": "fr"})
        assert b'<html lang="en">' in response.content and response.headers.get("etag") == '"same-for-all"'
    assert b'<html lang="en">' in client.get("/room?meeting=999", headers={"Accept-Language": "fr"}).content
    assert client.get("/static/app.js", headers={"Accept-Language": "fr"}).content.endswith(b'lang="en">\')')


@pytest.mark.parametrize("internal", [False, True], ids=["anonymised", "internal"])
def test_minutes_docx_speak_the_units_language(french_and_german, tmp_path, capsys, internal):
    import docx

    args = ["export", "1", "--format", "docx", "--out", str(tmp_path)] + (["--internal"] if internal else [])
    assert cli.main(args) == 0
    document = docx.Document(capsys.readouterr().out.strip().splitlines()[-1])
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    body = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert ("INTERNE · Compte rendu" if internal else "Compte rendu · réunion tenue sous la règle de Chatham House") in header
    assert "1. Client" in body and "Présents : " in body
    assert [label for label in ENGLISH_LABELS if label in body] == [] and not ENGLISH_LETTERED.search(body)
    for title in ENGLISH_SECTION_TITLES:
        assert not re.search(rf"^\d\. {title}$", body, re.MULTILINE)
