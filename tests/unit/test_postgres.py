"""The PostgreSQL engine (meeting/store/postgres.py) and the behaviour both engines must share: placeholders and
literal %, errors as the store's classes, the closed-meeting guard, the change counter, concurrent writers."""
from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest

from meeting import store
from meeting.store import connection, postgres

# -- The ? -> %s translation, on its own (no server) -------------------------------------------------------------


@pytest.mark.parametrize("sql, expected", [
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
    ("SELECT '?' , ?", "SELECT '?' , %s"),                              # a ? in a literal is text
    ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', %s"),                    # a doubled quote stays inside
    ('SELECT "odd?name" FROM t WHERE x = ?', 'SELECT "odd?name" FROM t WHERE x = %s'),
    ("SELECT 1 -- why? because\nWHERE x = ?", "SELECT 1 -- why? because\nWHERE x = %s"),
    ("SELECT /* a ? here */ ?", "SELECT /* a ? here */ %s"),
    ("SELECT x FROM t WHERE y LIKE '50%' AND z = ?", "SELECT x FROM t WHERE y LIKE '50%%' AND z = %s"),
    ("SELECT id % 2, ?", "SELECT id %% 2, %s"),                         # modulo outside a literal
])
def test_placeholders_become_psycopg_ones_outside_literals(sql, expected):
    assert postgres.translate(sql) == expected


def test_a_statement_without_parameters_is_sent_as_written():
    # psycopg reads % only when parameters are passed; doubling it then would change the statement.
    assert postgres._prepare("SELECT '50%'", None) == ("SELECT '50%'", None)
    assert postgres._prepare("SELECT '50%'", []) == ("SELECT '50%'", None)


def test_named_parameters_are_refused():
    with pytest.raises(TypeError):
        postgres._prepare("SELECT :a", {"a": 1})


@pytest.mark.parametrize("error, expected", [
    (psycopg.errors.UniqueViolation("duplicate key"), sqlite3.IntegrityError),
    (psycopg.errors.ForeignKeyViolation("no such unit"), sqlite3.IntegrityError),
    (psycopg.errors.LockNotAvailable("lock timeout"), sqlite3.OperationalError),
    (psycopg.errors.SerializationFailure("could not serialize"), sqlite3.OperationalError),
    (psycopg.errors.DeadlockDetected("deadlock"), sqlite3.OperationalError),
])
def test_psycopg_errors_become_the_store_errors(error, expected):
    translated = postgres.translate_error(error)
    assert isinstance(translated, expected)
    assert isinstance(translated, store.IntegrityError if expected is sqlite3.IntegrityError else store.DatabaseBusy)
    if expected is sqlite3.OperationalError:
        assert "locked" in str(translated)  # what views/page.py looks for to say "busy, try again"


def test_a_mistake_in_the_sql_stays_psycopg_s_error():
    error = psycopg.errors.UndefinedColumn("no such column")
    assert postgres.translate_error(error) is error


def test_urls_choose_postgresql_and_paths_sqlite(tmp_path, monkeypatch):
    monkeypatch.delenv("OUTSIDE_IN_DATABASE_URL", raising=False)
    monkeypatch.setenv("OUTSIDE_IN_DB", str(tmp_path / "x.db"))
    assert store.resolve_db_path() == tmp_path / "x.db"
    monkeypatch.setenv("OUTSIDE_IN_DATABASE_URL", "postgresql://u@h:5432/d")
    assert store.resolve_db_path() == "postgresql://u@h:5432/d"
    assert store.resolve_db_path(tmp_path / "y.db") == tmp_path / "y.db"  # an explicit file still wins
    monkeypatch.setenv("OUTSIDE_IN_DATABASE_URL", "mysql://u@h/d")
    with pytest.raises(ValueError):
        store.resolve_db_path()


# -- Both engines, on a real server ------------------------------------------------------------------------------

pytestmark_both = pytest.mark.both_engines


def _unit(db, name="Ireland") -> int:
    with store.write_transaction(db):
        return db.execute("INSERT INTO units (name) VALUES (?) RETURNING id", [name]).fetchone()[0]


def _meeting(db, unit_id: int) -> int:
    with store.write_transaction(db):
        return db.execute("INSERT INTO meetings (unit_id, title, held_on, period) VALUES (?, ?, ?, ?) RETURNING id",
                          [unit_id, "November", "2026-11-12", "2026-10"]).fetchone()[0]


@pytestmark_both
def test_round_trip_with_placeholders_and_literal_percent(fresh_db):
    unit = _unit(fresh_db, "50% off? Ireland")
    row = fresh_db.execute("SELECT id, name, '100%' || ?, '?' FROM units WHERE name = ?", ["!", "50% off? Ireland"]).fetchone()
    assert tuple(row) == (unit, "50% off? Ireland", "100%!", "?")
    with store.write_transaction(fresh_db):
        fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["sale", "50% off?"])
    assert list(fresh_db.query("SELECT value FROM app_settings WHERE value LIKE '50%' AND key = ?", ["sale"])) == [
        {"value": "50% off?"}]
    assert fresh_db.execute("SELECT COUNT(*) FROM app_settings WHERE value LIKE '%off%'").fetchone()[0] == 1  # no params


@pytestmark_both
def test_types_come_back_as_on_sqlite(fresh_db):
    unit = _unit(fresh_db)
    with store.write_transaction(fresh_db):
        fresh_db.executemany("INSERT INTO metrics (unit_id, period, touchpoint, name, target, actual, direction) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [[unit, "2026-10", "Billing", f"m{i}", 1.5, i, "higher"] for i in range(1, 4)])
        fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["flag", "x"])
    total, mean, count = fresh_db.execute("SELECT SUM(unit_id), AVG(actual), COUNT(*) FROM metrics").fetchone()
    assert (total, mean, count) == (3 * unit, 2.0, 3)
    assert isinstance(total, int) and isinstance(mean, float) and isinstance(count, int)
    with store.write_transaction(fresh_db):  # a Python bool is stored as 0/1 in an integer column
        fresh_db.execute("UPDATE contributions SET hidden = ? WHERE id = ?", [True, -1])
        fresh_db.execute("INSERT INTO guess_attempts (scope, client, at, ok) VALUES (?, ?, ?, ?)",
                         ["join", "c", 1_790_000_000.25, True])
    assert fresh_db.execute("SELECT ok, at FROM guess_attempts").fetchone() == (1, 1_790_000_000.25)
    with store.write_transaction(fresh_db):  # NaN (pandas' empty cell) is stored as NULL
        fresh_db.execute("INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, score) "
                         "VALUES (?, ?, ?, ?, ?)", [unit, "r1", "2026-10-01", "Billing", float("nan")])
    assert fresh_db.execute("SELECT score FROM voc_responses WHERE source_key = ?", ["r1"]).fetchone()[0] is None


@pytestmark_both
def test_a_closed_meeting_refuses_changes_with_the_same_error(fresh_db):
    unit = _unit(fresh_db)
    meeting = _meeting(fresh_db, unit)
    with store.write_transaction(fresh_db):
        fresh_db.execute("INSERT INTO participants (meeting_id, name, kind) VALUES (?, ?, ?)", [meeting, "Ana", "leader"])
        action = fresh_db.execute("INSERT INTO minutes_entries (meeting_id, section, kind, text) VALUES (?, ?, ?, ?) "
                                  "RETURNING id", [meeting, "customer", "action", "Call back"]).fetchone()[0]
        fresh_db.execute("INSERT INTO contributions (meeting_id, section, author_token, text, created_at) "
                         "VALUES (?, ?, ?, ?, ?)", [meeting, "customer", "t", "Hello", "2026-11-12T10:00:00+00:00"])
        fresh_db.execute("UPDATE meetings SET status = 'closed' WHERE id = ?", [meeting])
    refusals = [
        ("INSERT INTO participants (meeting_id, name, kind) VALUES (?, ?, ?)", [meeting, "Bo", "guest"]),
        ("DELETE FROM participants WHERE meeting_id = ?", [meeting]),
        ("UPDATE minutes_entries SET text = ? WHERE id = ?", ["Changed", action]),
        ("UPDATE meetings SET title = ? WHERE id = ?", ["Renamed", meeting]),
        ("UPDATE meetings SET status = 'live' WHERE id = ?", [meeting]),
    ]
    for sql, params in refusals:
        with pytest.raises(store.MeetingClosed, match="This meeting is closed"):
            with store.write_transaction(fresh_db):
                fresh_db.execute(sql, params)
    # Outside write_transaction the guard still refuses, as the store's IntegrityError.
    with pytest.raises(store.IntegrityError, match="closed meeting"):
        fresh_db.execute("UPDATE participants SET role = ? WHERE meeting_id = ?", ["CEO", meeting])
    # What stays allowed: an action's status, the bookkeeping columns, deleting raw contributions (retention).
    with store.write_transaction(fresh_db):
        fresh_db.execute("UPDATE minutes_entries SET status = 'done' WHERE id = ?", [action])
        fresh_db.execute("UPDATE meetings SET contributions_purged_at = ? WHERE id = ?", ["2026-12-01", meeting])
        fresh_db.execute("DELETE FROM contributions WHERE meeting_id = ?", [meeting])
    assert fresh_db.execute("SELECT status FROM minutes_entries WHERE id = ?", [action]).fetchone()[0] == "done"
    assert fresh_db.execute("SELECT COUNT(*) FROM participants").fetchone()[0] == 1


@pytestmark_both
def test_finalised_minutes_are_fixed_on_both_engines(fresh_db):
    meeting = _meeting(fresh_db, _unit(fresh_db))
    with store.write_transaction(fresh_db):
        fresh_db.execute("INSERT INTO minutes_records (meeting_id, status, canonical, fingerprint, finalised_at, "
                         "finalised_by) VALUES (?, 'final', 'text', 'f1', ?, 'gm')", [meeting, "2026-11-13"])
    with pytest.raises(store.IntegrityError, match="never change"):
        with store.write_transaction(fresh_db):
            fresh_db.execute("UPDATE minutes_records SET canonical = ? WHERE meeting_id = ?", ["other", meeting])
    with pytest.raises(store.IntegrityError, match="cannot be deleted"):
        with store.write_transaction(fresh_db):
            fresh_db.execute("DELETE FROM minutes_records WHERE meeting_id = ?", [meeting])
    with store.write_transaction(fresh_db):  # the meeting's own deletion takes its record with it
        fresh_db.execute("DELETE FROM meetings WHERE id = ?", [meeting])
    assert fresh_db.execute("SELECT COUNT(*) FROM minutes_records").fetchone()[0] == 0


@pytestmark_both
def test_an_edited_response_makes_its_month_stale(fresh_db):
    unit = _unit(fresh_db)
    with store.write_transaction(fresh_db):
        response = fresh_db.execute(
            "INSERT INTO voc_responses (unit_id, source_key, received_on, touchpoint, narrative, themes, tagged_version) "
            "VALUES (?, 'r1', '2026-10-03', 'Billing', 'slow', 5, 1) RETURNING id", [unit]).fetchone()[0]
        fresh_db.execute("INSERT INTO voc_month_state (unit_id, period, version) VALUES (?, '2026-10', 1)", [unit])
    with store.write_transaction(fresh_db):
        fresh_db.execute("UPDATE voc_responses SET narrative = 'fast' WHERE id = ?", [response])
    assert fresh_db.execute("SELECT themes, tagged_version FROM voc_responses").fetchone() == (None, None)
    assert fresh_db.execute("SELECT COUNT(*) FROM voc_month_state").fetchone()[0] == 0


@pytestmark_both
def test_the_change_counter_counts_evidence_writes_only(fresh_db):
    before = store.data_version(fresh_db)
    _unit(fresh_db, "A")
    _unit(fresh_db, "B")
    assert store.data_version(fresh_db) == before + 2
    with store.write_transaction(fresh_db, changes_evidence=False):
        fresh_db.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["k", "v"])
    with store.write_transaction(fresh_db):  # each write_transaction counts, a nested one too
        with store.write_transaction(fresh_db):
            fresh_db.execute("UPDATE app_settings SET value = ? WHERE key = ?", ["w", "k"])
    assert store.data_version(fresh_db) == before + 4
    with pytest.raises(store.IntegrityError):
        with store.write_transaction(fresh_db):
            fresh_db.execute("INSERT INTO units (name) VALUES (?)", ["a"])  # a duplicate: rolled back, not counted
    assert store.data_version(fresh_db) == before + 4


@pytestmark_both
def test_two_connections_reading_then_writing_lose_no_update(db_path):
    """Read-then-write in write_transaction, from two threads with their own connections: every increment
    survives (SQLite: one writer lock; PostgreSQL: the advisory lock every write transaction takes)."""
    setup = store.open_db(db_path)
    with store.write_transaction(setup):
        setup.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["counter", "0"])
    setup.close()
    rounds, errors = 40, []

    def work():
        db = store.open_db(db_path)
        try:
            for _ in range(rounds):
                with store.write_transaction(db, changes_evidence=False):
                    value = int(db.execute("SELECT value FROM app_settings WHERE key = ?", ["counter"]).fetchone()[0])
                    db.execute("UPDATE app_settings SET value = ? WHERE key = ?", [str(value + 1), "counter"])
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = store.open_db(db_path)
    assert check.execute("SELECT value FROM app_settings WHERE key = ?", ["counter"]).fetchone()[0] == str(3 * rounds)
    check.close()


_INCREMENT = """
import os, sys, time
from meeting import store
db = store.open_db(sys.argv[1])
open(sys.argv[3] + "." + str(os.getpid()), "w").close()  # ready
while not os.path.exists(sys.argv[3]):  # start together, so the two really interleave
    time.sleep(0.01)
for _ in range(int(sys.argv[2])):
    with store.write_transaction(db, changes_evidence=False):
        value = int(db.execute("SELECT value FROM app_settings WHERE key = 'counter'").fetchone()[0])
        db.execute("UPDATE app_settings SET value = ? WHERE key = 'counter'", [str(value + 1)])
db.close()
"""


@pytestmark_both
def test_two_processes_reading_then_writing_lose_no_update(db_path, tmp_path):
    """Two app processes on one database (N replicas on one PostgreSQL): no in-process lock can help here."""
    import subprocess
    import sys
    import time

    setup = store.open_db(db_path)
    with store.write_transaction(setup):
        setup.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["counter", "0"])
    setup.close()
    rounds, go = 100, tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-c", _INCREMENT, str(db_path), str(rounds), str(go)]) for _ in range(2)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    check = store.open_db(db_path)
    assert check.execute("SELECT value FROM app_settings WHERE key = ?", ["counter"]).fetchone()[0] == str(2 * rounds)
    check.close()


@pytestmark_both
def test_a_writer_waiting_too_long_gets_database_busy(db_path, monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
    holder, waiter = store.open_db(db_path), store.open_db(db_path)
    holding, done = threading.Event(), threading.Event()

    def hold():
        with store.write_transaction(holder):
            holding.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(store.DatabaseBusy, match="locked"):
            with store.write_transaction(waiter):
                waiter.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["late", "x"])
    finally:
        done.set()
        thread.join()
    assert waiter.execute("SELECT COUNT(*) FROM app_settings WHERE key = ?", ["late"]).fetchone()[0] == 0
    with store.write_transaction(waiter):  # and the next try, once the other writer is done, goes through
        waiter.execute("INSERT INTO app_settings (key, value) VALUES (?, ?)", ["late", "x"])
    holder.close()
    waiter.close()


@pytestmark_both
def test_reopening_migrates_nothing_twice(db_path):
    first = store.open_db(db_path)
    applied = store.schema_version(first)
    first.close()
    second = store.open_db(db_path)
    assert store.schema_version(second) == applied == len(store.migrations._migrations)
    second.close()


def test_processes_starting_together_migrate_an_empty_database_once(postgres_for_tests):
    """Two app processes started at the same moment on an empty PostgreSQL database: one builds the schema,
    the other waits on the write lock and then finds nothing left to do."""
    url = postgres_for_tests.server.create_database("migrate_race")
    errors, versions = [], []

    def start():
        try:
            db = store.open_db(url)
            versions.append(store.schema_version(db))
            db.close()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and versions == [len(store.migrations._migrations)] * 3
    postgres_for_tests.server.drop_database("migrate_race")


def test_a_migration_after_the_baseline_runs_on_postgresql_once(postgres_for_tests, monkeypatch):
    """A migration added after the baseline (the rule: written for both engines) runs on an existing database."""
    from meeting.store.schema import Migrations

    url = postgres_for_tests.server.create_database("later_migration")
    store.open_db(url).close()
    extended = Migrations(store.migrations.name)
    extended._migrations = list(store.migrations._migrations)
    runs = []

    @extended()
    def m999_test_column(db):
        runs.append(1)
        db.execute("ALTER TABLE units ADD COLUMN nickname TEXT")

    monkeypatch.setattr(connection, "migrations", extended)
    for _ in range(2):
        db = store.open_db(url)
        assert db.execute("SELECT COUNT(nickname) FROM units").fetchone()[0] == 0
        assert store.schema_version(db) == len(extended._migrations)
        db.close()
    assert runs == [1]
    postgres_for_tests.server.drop_database("later_migration")


def test_a_wrong_url_says_it_cannot_connect(postgres_for_tests):
    port = postgres_for_tests.server.port
    # Not "busy" (retrying will not help until the URL or the server is fixed): the driver's error, said plainly.
    with pytest.raises(sqlite3.OperationalError, match="cannot connect") as error:
        store.open_db(f"postgresql://nobody@127.0.0.1:{port}/no_such_database")
    assert not isinstance(error.value, store.DatabaseBusy)


def test_the_sqlite_utils_table_api_says_what_to_use_instead(postgres_for_tests):
    url = postgres_for_tests.server.create_database("subset")
    db = store.open_db(url)
    try:
        with pytest.raises(AttributeError, match="db.execute"):
            db.table("units")
        with pytest.raises(TypeError, match="db.execute"):
            db["units"]
        with pytest.raises(AttributeError):  # psycopg's own connection (%s, no executemany) is not reachable
            db.conn
    finally:
        db.close()
        postgres_for_tests.server.drop_database("subset")


def test_the_cli_says_it_cannot_open_an_unreachable_database(postgres_for_tests, monkeypatch, capsys):
    from meeting import cli

    monkeypatch.setenv("OUTSIDE_IN_DATABASE_URL", f"postgresql://nobody@127.0.0.1:{postgres_for_tests.server.port}/gone")
    assert cli.main(["meetings"]) == 1
    assert "Cannot open the database: cannot connect to PostgreSQL" in capsys.readouterr().err
