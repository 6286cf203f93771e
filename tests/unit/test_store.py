import sqlite3

import pytest
import sqlite_utils

from meeting import store

pytestmark = pytest.mark.both_engines

# store/units.py still inserts through sqlite-utils' table API (db.table("units").insert): its owner ports it to
# `INSERT ... RETURNING id`; strict, so the mark must go when it does.


def _count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_open_db_creates_schema_with_wal_and_foreign_keys(db_path, db_engine):
    db = store.open_db(db_path)
    if db_engine == "sqlite":
        assert db.journal_mode == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    else:
        assert store.is_postgres(db)
    assert store.schema_version(db) == len(store.migrations._migrations)
    # Every table is there and empty, on either engine.
    for table in ("units", "voc_responses", "staff_inputs", "metrics", "plans", "finance", "meetings", "participants",
                  "agenda_items", "contributions", "minutes_entries"):
        assert _count(db, table) == 0
    # Foreign keys are enforced: a meeting of a unit that does not exist is refused.
    with pytest.raises(store.IntegrityError):
        with store.write_transaction(db):
            db.execute("INSERT INTO meetings (unit_id, title, held_on, period) VALUES (?, ?, ?, ?)",
                       [999, "Nowhere", "2026-11-12", "2026-10"])
    db.close()


def test_reopening_keeps_data_and_does_not_migrate_twice(db_path):
    db = store.open_db(db_path)
    with store.write_transaction(db):
        unit_id = db.execute("INSERT INTO units (name) VALUES (?) RETURNING id", ["Ireland"]).fetchone()[0]
    db.close()
    again = store.open_db(db_path)
    assert store.find_unit(again, "ireland")["id"] == unit_id
    assert store.schema_version(again) == len(store.migrations._migrations)
    again.close()


def test_unit_names_are_case_and_space_insensitive(request, db_engine, fresh_db):
    first = store.get_or_create_unit(fresh_db, "United  Kingdom")
    assert store.get_or_create_unit(fresh_db, " united kingdom ") == first
    assert [u["name"] for u in store.list_units(fresh_db)] == ["United Kingdom"]


def test_write_transaction_rolls_back_everything_on_error(fresh_db):
    with pytest.raises(store.IntegrityError):
        with store.write_transaction(fresh_db):
            fresh_db.execute("INSERT INTO units (name) VALUES (?)", ["Spain"])
            fresh_db.execute("INSERT INTO units (name) VALUES (?)", ["spain"])  # UNIQUE, case-insensitive
    assert _count(fresh_db, "units") == 0


def test_env_variable_chooses_the_database(db_path, db_engine):
    assert store.resolve_db_path() == db_path
    db = store.open_db()
    assert store.is_postgres(db) == (db_engine == "postgresql")
    db.close()


def test_a_newer_app_opens_an_older_file_without_losing_data(tmp_path):
    """A file made by the first release (only m001) gains the later migrations and keeps its rows. SQLite only:
    PostgreSQL starts at the baseline (m101), so there is no older PostgreSQL database to upgrade."""
    db_path = tmp_path / "old.db"
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


def test_sqlite_errors_are_the_store_errors():
    """Stages catch store.DatabaseBusy / store.IntegrityError; on SQLite those are sqlite3's own classes."""
    assert store.DatabaseBusy is sqlite3.OperationalError
    assert store.IntegrityError is sqlite3.IntegrityError
