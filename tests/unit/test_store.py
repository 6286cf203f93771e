import sqlite3
from pathlib import Path

import pytest

from meeting import store
from meeting.store import engine, schema
from meeting.store.connection import SQLiteDatabase
from meeting.store.postgres import PostgresDatabase

pytestmark = pytest.mark.both_engines

OLDER_DATABASES = Path(__file__).resolve().parents[1] / "fixtures" / "older_databases"


def _count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_open_db_creates_schema_with_wal_and_foreign_keys(db_path, db_engine):
    db = store.open_db(db_path)
    if db_engine == "sqlite":
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
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


def _restore(dump: str, path: Path) -> None:
    """An older release's file, rebuilt from its SQL dump with sqlite3 alone (no code of this app)."""
    conn = sqlite3.connect(path)
    conn.executescript((OLDER_DATABASES / dump).read_text())
    conn.close()


def _schema(db) -> list[tuple]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '%sqlite_migrations%' "
                      "AND name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()


# The dumps were made with the code of the last release on sqlite-utils (commit 9e6eaa8): release_m001.sql as the
# first release left a file (only m001 applied by sqlite-utils' Migrations, a unit and a response inserted with
# its table API), before_plain_sqlite3_m121.sql as that release's open_db left one (every migration to m121, a
# closed meeting with a participant).
@pytest.mark.parametrize("dump, applied_before", [("release_m001.sql", 1), ("before_plain_sqlite3_m121.sql", 18)])
def test_a_newer_app_opens_an_older_file_without_losing_data(tmp_path, dump, applied_before):
    """SQLite only: PostgreSQL starts at the baseline (m101), so there is no older PostgreSQL database to upgrade."""
    path = tmp_path / "old.db"
    _restore(dump, path)
    old = sqlite3.connect(path)
    applied = [name for (name,) in old.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    old.close()
    assert len(applied) == applied_before
    upgraded = store.open_db(path)
    registered = [migration.name for migration in store.migrations.all]
    # The older records are read as they are, the missing ones applied after them, none twice.
    assert [migration.name for migration in store.migrations.applied(upgraded)] == applied + [
        name for name in registered if name not in applied]
    assert store.schema_version(upgraded) == len(registered)
    assert _count(upgraded, "voc_responses") == 1
    assert store.find_unit(upgraded, "old country")["id"] == 1
    fresh = store.open_db(tmp_path / "fresh.db")
    assert _schema(upgraded) == _schema(fresh)  # the same tables, indexes and triggers as a new file's
    fresh.close()
    if applied_before > 1:  # the closed meeting stays closed: the guard was carried over
        with pytest.raises(store.MeetingClosed):
            with store.write_transaction(upgraded):
                upgraded.execute("DELETE FROM participants WHERE meeting_id = ?", [1])
    upgraded.close()
    again = store.open_db(path)
    assert store.schema_version(again) == len(registered)
    again.close()


def test_both_engines_offer_the_same_methods():
    """One interface: a method added to one engine and not the other would work on SQLite and fail in
    production on PostgreSQL (or the reverse)."""
    def public(cls) -> set[str]:
        return {name for name in dir(cls) if not name.startswith("_")}

    assert issubclass(SQLiteDatabase, engine.Database) and issubclass(PostgresDatabase, engine.Database)
    interface = public(engine.Database) | {"engine"}  # engine: annotated there, set by each engine
    assert public(SQLiteDatabase) == public(PostgresDatabase) == interface
    assert interface == {"execute", "query", "executemany", "executescript", "close", "engine", "in_transaction",
                         "transaction", "rollback"}
    assert {SQLiteDatabase.engine, PostgresDatabase.engine} == {"sqlite", "postgresql"}
    assert not SQLiteDatabase.__abstractmethods__ and not PostgresDatabase.__abstractmethods__


def test_the_table_api_says_what_to_use_instead(fresh_db):
    with pytest.raises(AttributeError, match="db.execute"):
        fresh_db.table("units")
    with pytest.raises(TypeError, match="db.execute"):
        fresh_db["units"]
    with pytest.raises(AttributeError, match="db.execute"):  # the driver's own connection is not reachable
        fresh_db.conn
    with pytest.raises(TypeError, match="\\? placeholders"):
        fresh_db.execute("SELECT id FROM units WHERE name = :name", {"name": "x"})


def test_outside_a_transaction_each_statement_commits_on_its_own(db_path, fresh_db):
    fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["a", "1"])
    fresh_db.executemany("INSERT INTO app_settings (key, value) VALUES (?, ?)", [["b", "2"], ["c", "3"]])
    assert not fresh_db.in_transaction
    other = store.open_db(db_path)
    assert other.execute("SELECT key FROM app_settings ORDER BY key").fetchall() == [("a",), ("b",), ("c",)]
    other.close()


def test_query_runs_at_once_and_gives_dicts(fresh_db):
    fresh_db.query("INSERT INTO units (name) VALUES (?) RETURNING id", ["Portugal"])  # rows never read
    assert list(fresh_db.query("SELECT id, name FROM units ORDER BY id")) == [{"id": 1, "name": "Portugal"}]


def test_a_script_inside_a_transaction_is_undone_with_it(fresh_db):
    """executescript must not commit the open transaction (sqlite3's own does): a migration is all or nothing."""
    with pytest.raises(RuntimeError):
        with store.write_transaction(fresh_db):
            fresh_db.executescript("""
                INSERT INTO app_settings (key, value) VALUES ('x', 'semi;colon');  -- a ; in a comment
                CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT);
            """)
            raise RuntimeError("half-way")
    assert _count(fresh_db, "app_settings") == 0
    with pytest.raises(Exception):
        fresh_db.execute("SELECT COUNT(*) FROM scratch").fetchone()


def test_nested_write_transactions_are_savepoints(fresh_db):
    with store.write_transaction(fresh_db):
        fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["kept", "1"])
        with pytest.raises(store.IntegrityError):
            with store.write_transaction(fresh_db):
                fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["gone", "1"])
                fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["gone", "2"])
    assert fresh_db.execute("SELECT key FROM app_settings ORDER BY key").fetchall() == [("kept",)]


def test_a_failing_migration_leaves_no_trace_and_stays_pending(fresh_db):
    extended = schema.Migrations(store.migrations.name)
    extended._migrations = list(store.migrations.all)
    runs = []

    @extended()
    def m998_half_done(db):
        runs.append(1)
        db.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        if len(runs) == 1:
            raise RuntimeError("the first try fails")

    before = store.schema_version(fresh_db)
    with pytest.raises(RuntimeError):
        with store.write_transaction(fresh_db):
            extended.apply(fresh_db)
    assert store.schema_version(fresh_db) == before
    assert [m.name for m in extended.pending(fresh_db)] == ["m998_half_done"]
    with store.write_transaction(fresh_db):
        extended.apply(fresh_db)
    assert _count(fresh_db, "half_done") == 0 and runs == [1, 1]
    assert extended.pending(fresh_db) == [] and len(extended.applied(fresh_db)) == before + 1
    with pytest.raises(ValueError, match="already registered"):
        extended()(m998_half_done)


def test_sqlite_errors_are_the_store_errors():
    """Stages catch store.DatabaseBusy / store.IntegrityError: busy is its own class (so it never hides a mistake in
    the SQL) under sqlite3's, so an older ``except sqlite3.OperationalError`` still catches it."""
    assert issubclass(store.DatabaseBusy, sqlite3.OperationalError) and store.DatabaseBusy is not sqlite3.OperationalError
    assert store.IntegrityError is sqlite3.IntegrityError


def _imported_by(args: list[str], env: dict) -> set[str]:
    """Every module a fresh interpreter imports to run ``args`` (``-X importtime`` lists them on stderr)."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, env=env,
                         check=True)
    return {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}


def test_the_store_imports_no_driver_it_does_not_use(tmp_path):
    """On SQLite: sqlite-utils imported pandas (~0.5 s of every CLI command); psycopg is for PostgreSQL only."""
    import os

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
           "OUTSIDE_IN_DB": str(tmp_path / "imports.db")}
    env.pop("OUTSIDE_IN_DATABASE_URL", None)
    heavy = {"sqlite_utils", "psycopg", "pandas"}
    store_alone = _imported_by(["-c", "from meeting import store; store.open_db().close()"], env)
    assert "meeting.store.connection" in store_alone and not heavy & store_alone
    cli = _imported_by(["-m", "meeting", "--help"], env)
    assert "meeting.cli" in cli and not {"sqlite_utils", "psycopg"} & cli


def test_busy_is_its_own_error_and_a_mistake_in_the_sql_is_not_busy(db_path, db_engine):
    """``except store.DatabaseBusy`` (a retry, a skipped refresh) must never swallow a wrong statement."""
    db = store.open_db(db_path)
    try:
        with pytest.raises(Exception) as mistake:
            db.execute("SELECT * FROM no_such_table")
        assert not isinstance(mistake.value, store.DatabaseBusy)
    finally:
        db.close()


def test_a_writer_held_past_the_busy_timeout_is_database_busy(tmp_path):
    import sqlite3

    path = tmp_path / "busy.db"
    store.open_db(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    db = store.connection.SQLiteDatabase(path, busy_timeout_ms=50)
    try:
        with pytest.raises(store.DatabaseBusy, match="locked"):
            db.execute("INSERT INTO units (name) VALUES ('Late')")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.close()
