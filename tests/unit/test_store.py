import sqlite3

import pytest
import sqlite_utils

from meeting import store


def test_open_db_creates_schema_with_wal_and_foreign_keys(db_path):
    db = store.open_db(db_path)
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"units", "voc_responses", "staff_inputs", "metrics", "plans", "finance", "meetings", "participants",
            "agenda_items", "contributions", "minutes_entries"} <= set(db.table_names())
    assert store.schema_version(db) == len(store.migrations._migrations)


def test_reopening_keeps_data_and_does_not_migrate_twice(db_path):
    db = store.open_db(db_path)
    unit_id = store.get_or_create_unit(db, "Ireland")
    db.close()
    again = store.open_db(db_path)
    assert store.find_unit(again, "ireland")["id"] == unit_id
    assert len(store.migrations.applied(again)) == store.schema_version(again)


def test_unit_names_are_case_and_space_insensitive(fresh_db):
    first = store.get_or_create_unit(fresh_db, "United  Kingdom")
    assert store.get_or_create_unit(fresh_db, " united kingdom ") == first
    assert [u["name"] for u in store.list_units(fresh_db)] == ["United Kingdom"]


def test_write_transaction_rolls_back_everything_on_error(fresh_db):
    with pytest.raises(sqlite3.IntegrityError):
        with store.write_transaction(fresh_db):
            fresh_db["units"].insert({"name": "Spain"})
            fresh_db["units"].insert({"name": "spain"})  # UNIQUE NOCASE
    assert fresh_db["units"].count == 0


def test_env_variable_chooses_the_file(db_path):
    assert store.resolve_db_path() == db_path


def test_a_newer_app_opens_an_older_file_without_losing_data(db_path):
    """A file made by the first release (only m001) gains the later migrations and keeps its rows."""
    old = sqlite_utils.Database(str(db_path))
    store.migrations.apply(old, stop_before=store.migrations._migrations[1].name)
    assert store.schema_version(old) == 1
    unit = old["units"].insert({"name": "Old Country"}).last_pk
    old["voc_responses"].insert({"unit_id": unit, "source_key": "r1", "received_on": "2025-01-02",
                                 "touchpoint": "Billing", "score": 9, "scale": "nps"})
    old.close()
    upgraded = store.open_db(db_path)
    assert store.schema_version(upgraded) == len(store.migrations._migrations) > 1
    assert upgraded["voc_responses"].count == 1
    assert store.find_unit(upgraded, "old country")["id"] == unit
