"""Issue 13: section moves that carry what the page showed, time spent, pace, pre-moderation, languages."""
import datetime as dt
import io
import re
import time

import docx
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from support.table_rows import count_rows, get_row, insert_rows

from meeting import i18n, live, store
from meeting.formatting import format_number_in
from meeting.minutes.model import build_minutes
from meeting.render.minutes import export_docx, export_markdown
from meeting.store import MeetingClosed, meetings, write_transaction
from meeting.store.connection import PROJECT_ROOT


@pytest.fixture
def live_meeting(fresh_db):
    store.get_or_create_unit(fresh_db, "Ireland")
    meeting_id = meetings.create_meeting(fresh_db, "Ireland", "2025-03-12", title="Ireland March")
    return meeting_id, live.start_meeting(fresh_db, meeting_id)


def _current(db, meeting_id):
    return meetings.get_meeting(db, meeting_id)["current_section"]


# --- section moves --------------------------------------------------------------------------------------------

def test_a_stale_next_never_moves_the_meeting_twice(fresh_db, live_meeting):
    """Regression (issue 13): GM B's page still showed Employees; its Next jumped the meeting to Marketing."""
    meeting_id, _ = live_meeting
    live.advance_section(fresh_db, meeting_id, from_section="customer")
    live.advance_section(fresh_db, meeting_id, from_section="employees")  # GM A
    with pytest.raises(live.StaleSection, match="already at Operations"):
        live.advance_section(fresh_db, meeting_id, from_section="employees")  # GM B, stale
    assert _current(fresh_db, meeting_id) == "operations"
    with pytest.raises(live.StaleSection):
        live.previous_section(fresh_db, meeting_id, from_section="employees")
    assert live.previous_section(fresh_db, meeting_id, from_section="operations") == "employees"


def test_an_entry_is_filed_under_the_section_shown_and_says_the_meeting_moved(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    assert live.capture_entry(fresh_db, meeting_id, "customer", "note", "on time")[1] is None
    live.advance_section(fresh_db, meeting_id, from_section="customer")
    entry_id, moved_to = live.capture_entry(fresh_db, meeting_id, "customer", "note", "typed before the move")
    assert moved_to == "employees"
    assert get_row(fresh_db, "minutes_entries", entry_id)["section"] == "customer"


def test_time_spent_is_recorded_from_the_moves_and_frozen_at_close(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    start = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.timezone.utc)
    # Stays of 30, 20 and 0.5 minutes, written as the moves would have written them.
    fresh_db.execute("DELETE FROM section_visits")
    for section, begin, end in [("customer", 0, 30), ("employees", 30, 50), ("customer", 50, 50.5)]:
        insert_rows(fresh_db, "section_visits", {
            "meeting_id": meeting_id, "section": section,
            "started_at": (start + dt.timedelta(minutes=begin)).isoformat(),
            "ended_at": (start + dt.timedelta(minutes=end)).isoformat()})
    spent = {row["section"]: row for row in live.time_spent(fresh_db, meeting_id)}
    assert (spent["customer"]["planned_minutes"], spent["customer"]["actual_minutes"]) == (36, 30.5)
    assert spent["employees"]["actual_minutes"] == 20 and spent["finance"]["actual_minutes"] == 0
    live.close_meeting(fresh_db, meeting_id)
    with pytest.raises(MeetingClosed):
        with write_transaction(fresh_db):
            fresh_db.execute("UPDATE section_visits SET ended_at = NULL WHERE meeting_id = ?", [meeting_id])
    for internal in (True, False):
        model = build_minutes(fresh_db, meeting_id, internal=internal)
        assert model["time_spent"][0] == {"section": "Customer", "planned_minutes": 36, "actual_minutes": 30.5}
        assert "| Customer | 36 | 30.5 |" in export_markdown(model)
        buffer = io.BytesIO()
        export_docx(model, buffer)
        rows = [[cell.text for cell in row.cells] for table in docx.Document(buffer).tables for row in table.rows]
        assert ["Section", "Planned (min)", "Actual (min)"] in rows and ["Customer", "36", "30.5"] in rows


def test_real_moves_open_and_close_stays(fresh_db, live_meeting):
    meeting_id, _ = live_meeting
    live.advance_section(fresh_db, meeting_id, from_section="customer")
    live.close_meeting(fresh_db, meeting_id)
    stays = [(r["section"], r["ended_at"] is not None) for r in fresh_db.query(
        "SELECT section, ended_at FROM section_visits WHERE meeting_id = ? ORDER BY id", [meeting_id])]
    assert stays == [("customer", True), ("employees", True)]


# --- pace and pre-moderation ----------------------------------------------------------------------------------

def test_one_device_is_paced_but_others_are_not(fresh_db, live_meeting):
    meeting_id, code = live_meeting
    live.contribute_by_code(fresh_db, code, "first", None, "device-a")
    with pytest.raises(live.PaceError) as refused:
        live.contribute_by_code(fresh_db, code, "second", None, "device-a")
    assert 1 <= refused.value.wait_seconds <= 5 and "wait" in str(refused.value)
    live.contribute_by_code(fresh_db, code, "someone else", None, "device-b")
    assert [r["text"] for r in live.list_contributions(fresh_db, meeting_id)] == ["first", "someone else"]


def test_twenty_fast_sends_store_at_most_the_paced_number(fresh_db, live_meeting):
    meeting_id, code = live_meeting
    live.set_room_settings(fresh_db, meeting_id, interval_seconds=1, premoderate=False)
    started, stored = time.monotonic(), 0
    for n in range(20):
        try:
            live.contribute_by_code(fresh_db, code, f"flood {n}", None, "device-a")
            stored += 1
        except live.PaceError:
            pass
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    assert 2 <= stored <= int(elapsed // 1) + 1
    assert count_rows(fresh_db, "contributions") == stored


def test_premoderated_contributions_wait_for_approval(fresh_db, live_meeting):
    meeting_id, code = live_meeting
    live.set_room_settings(fresh_db, meeting_id, interval_seconds=0, premoderate=True)
    live.contribute_by_code(fresh_db, code, "please approve", 3, "device-a")
    [row] = live.list_contributions(fresh_db, meeting_id)
    assert row["approved"] == 0 and live.room_contributions(fresh_db, meeting_id) == []
    live.approve_contribution(fresh_db, row["id"])
    assert [r["text"] for r in live.room_contributions(fresh_db, meeting_id)] == ["please approve"]


@pytest.mark.parametrize("interval", [-1, 601, 2.5, True])
def test_room_settings_refuse_a_bad_pace(fresh_db, live_meeting, interval):
    with pytest.raises(ValueError, match="whole number of seconds"):
        live.set_room_settings(fresh_db, live_meeting[0], interval_seconds=interval, premoderate=False)


def test_device_tokens_from_a_link_are_checked():
    assert live.valid_device_token("Zx9_-abcdefghijkl")
    for bad in (None, "", "short", "a" * 65, "has space in it!!", "<script>alert(1)</script>"):
        assert not live.valid_device_token(bad)


# --- languages ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale, header, expected", [
    ("fr-FR", None, "fr"),
    (None, "de-CH,de;q=0.9,en;q=0.8", "de"),
    (None, "ja,es;q=0.5", "es"),
    (None, "en;q=0.1,nl;q=0.9", "nl"),
    ("pt-BR", "pt", "en"),
    (None, None, "en"),
    (None, "garbage;;;q=x", "en"),
])
def test_language_follows_the_browser(locale, header, expected):
    assert i18n.choose_language(locale, header) == expected


def _join_page_messages() -> set[str]:
    found = extract_from_file("python", str(PROJECT_ROOT / "views" / "join.py"), keywords={"_": None})
    return {message[1] for message in found} | set(i18n.DOMAIN_MESSAGES)


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_every_customer_string_is_translated(language):
    path = i18n.LOCALES_DIR / language / "LC_MESSAGES" / "join.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    translated = {message.id for message in catalog if message.id and message.string}
    missing = _join_page_messages() - translated
    assert not missing, f"{path}: no translation for {sorted(missing)}"
    # Placeholders survive translation, or .format() would fail on the customer's phone.
    for message in catalog:
        if message.id:
            assert sorted(re.findall(r"{\w+}", message.id)) == \
                sorted(re.findall(r"{\w+}", message.string)), (path, message.id)


def test_french_catalogue_is_used():
    _ = i18n.translator("fr")
    assert (_("Send"), _("Customer"), _("Your contribution to this section")) == \
        ("Envoyer", "Client", "Votre contribution à cette section")
    assert i18n.translator("xx")("Send") == "Send"
    assert format_number_in(2000, "fr") == "2\u202f000" and format_number_in(2000, "en") == "2,000"


def test_migration_keeps_a_live_meeting_running_and_freezes_the_new_columns(tmp_path):
    """m008 on a file made before it: the live meeting's current stay is recorded, and the closed-meeting
    guard covers the new column (``approved``) and table (``section_visits``)."""
    from meeting.store import migrations, open_db

    path = tmp_path / "old.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m008_live_meeting_safety")
    old.execute("INSERT INTO units (id, name) VALUES (1, 'Old')")
    old.execute("INSERT INTO meetings (id, unit_id, title, held_on, period, status, current_section, join_code, "
                "section_started_at) VALUES (1, 1, 'Old', '2025-01-01', '2024-12', 'live', 'sales', 'ABCDEFGHJK', "
                "'2025-01-01T10:00:00+00:00')")
    old.execute("INSERT INTO contributions (meeting_id, section, author_token, text, created_at) "
                "VALUES (1, 'sales', 't', 'old one', '2025-01-01T10:01:00+00:00')")
    old.close()
    db = open_db(path)
    assert [(r["section"], r["ended_at"]) for r in db.query("SELECT * FROM section_visits")] == [("sales", None)]
    assert db.execute("SELECT approved FROM contributions WHERE id = 1").fetchone()[0] == 1  # what was there already may show on the room screen
    live.close_meeting(db, 1)
    with pytest.raises(MeetingClosed):
        with write_transaction(db):
            db.execute("UPDATE contributions SET approved = 0 WHERE id = 1")
    with pytest.raises(MeetingClosed):
        with write_transaction(db):
            db.execute("DELETE FROM section_visits")
