"""Issue 27 through the real app (AppTest): the Room page and the room-facing part of Run in the unit's language,
the GM's controls in English, and each page saying its language to the browser."""
import pytest
from support.live_pages import all_text, as_gm, join, seed_env

from meeting import i18n, live


@pytest.fixture
def env(db_path, monkeypatch):
    yield from seed_env(db_path, monkeypatch)


def _html(at) -> str:
    return "".join(element.value for element in at.html)


def test_room_page_speaks_the_units_language(env):
    db, unit, meeting = env
    i18n.set_unit_language(db, unit, "de")
    code = live.start_meeting(db, meeting)
    at = as_gm(unit, meeting, page="views/room.py")
    screen = _html(at)
    assert "<h1>Kunde</h1>" in screen and "Abschnitt 1 von 6" in screen and "Wie kundenorientiert sind wir?" in screen
    assert "Mit dem Telefon teilnehmen" in screen and live.format_code(code) in screen
    assert 'alt="QR-Code: scannen, um der Sitzung unter ' in screen  # the QR's text alternative, in German too
    assert "noch " in screen and " left" not in screen
    assert [h.value for h in at.header] == ["Von den eingeladenen Kunden"]
    assert 'document.documentElement.lang = "de"' in screen
    assert "Customer" not in all_text(at).replace("customer", "")


def test_run_shows_the_room_its_language_and_the_gm_english(env):
    db, unit, meeting = env
    i18n.set_unit_language(db, unit, "fr")
    live.start_meeting(db, meeting)
    at = as_gm(unit, meeting)
    markdown = [m.value for m in at.markdown]
    assert "# Client" in markdown and "- *Sommes-nous vraiment tournés vers le client ?*" in markdown
    assert any("Les clients invités rejoignent la réunion" in c.value for c in at.caption)
    assert 'alt="QR code : scannez-le pour rejoindre la réunion' in _html(at)
    # The GM's own controls stay in the GM's language, and so does the page's lang.
    assert at.button(key="next_section").label == "Next: Employees"
    assert 'document.documentElement.lang = "en"' in _html(at)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_join_page_says_the_customers_language(env, language):
    db, _, meeting = env
    code = live.start_meeting(db, meeting)
    at = join(live.format_code(code))
    at.selectbox(key="join_language").set_value(language).run()
    assert f'document.documentElement.lang = "{language}"' in _html(at)
