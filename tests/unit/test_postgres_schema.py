"""The two engines hold one schema: a migrated SQLite file and a migrated PostgreSQL database have the same tables,
columns (order, type family, NOT NULL, primary keys), unique constraints, indexes, foreign keys and triggers.

Each side is read from its own catalogue (sqlite_master and PRAGMAs; information_schema and pg_catalog), never
from meeting/store/postgres_schema.py, so a migration written for one engine only fails here."""
from __future__ import annotations

import pytest

from meeting import store

BOOKKEEPING = {"_sqlite_migrations", "schema_migrations"}
# SQLite's declared type -> PostgreSQL's data_type for the same column.
TYPES = {"INTEGER": "bigint", "REAL": "double precision", "TEXT": "text"}


@pytest.fixture(scope="module")
def engines(postgres_for_tests, tmp_path_factory):
    sqlite_db = store.open_db(tmp_path_factory.mktemp("schema") / "schema.db")
    url = postgres_for_tests.server.create_database("schema_compare")
    pg_db = store.open_db(url)
    yield sqlite_db, pg_db
    sqlite_db.close()
    pg_db.close()
    postgres_for_tests.server.drop_database("schema_compare")


def sqlite_tables(db) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    return sorted(r[0] for r in rows if r[0] not in BOOKKEEPING)


def pg_tables(db) -> list[str]:
    rows = db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                      "AND table_type = 'BASE TABLE'").fetchall()
    return sorted(r[0] for r in rows if r[0] not in BOOKKEEPING)


def sqlite_columns(db, table: str) -> list[tuple]:
    rows = db.execute(f"PRAGMA table_info({table})").fetchall()  # cid, name, type, notnull, default, pk
    return [(name, TYPES[kind.upper()], bool(notnull) or pk > 0, pk) for _, name, kind, notnull, _, pk in rows]


def pg_columns(db, table: str) -> list[tuple]:
    rows = db.execute("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                      "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                      [table]).fetchall()
    primary = pg_primary_key(db, table)
    return [(name, kind, nullable == "NO", primary.index(name) + 1 if name in primary else 0)
            for name, kind, nullable in rows]


def pg_primary_key(db, table: str) -> list[str]:
    rows = db.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                      "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
                      "ORDER BY array_position(i.indkey::int2[], a.attnum)", [table]).fetchall()
    return [r[0] for r in rows]


def sqlite_indexes(db, table: str) -> tuple[set, set]:
    """(named indexes as (name, columns), unique constraints as column tuples)."""
    named, unique = set(), set()
    for _, name, is_unique, origin, _ in db.execute(f"PRAGMA index_list({table})").fetchall():
        columns = tuple(r[2] for r in db.execute(f"PRAGMA index_info({name})").fetchall())
        if origin == "c":
            named.add((name, columns))
        elif origin == "u":
            unique.add(columns)
    return named, unique


def pg_indexes(db, table: str) -> tuple[set, set]:
    named, unique = set(), set()
    rows = db.execute(
        "SELECT c.relname, i.indisunique, i.indisprimary, con.contype, "
        "ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) "
        "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid "
        "WHERE i.indrelid = to_regclass(?)", [table]).fetchall()
    for name, _is_unique, is_primary, constraint, columns in rows:
        if is_primary:
            continue
        if constraint == "u":
            unique.add(tuple(columns))
        else:
            named.add((name, tuple(columns)))
    return named, unique


def sqlite_foreign_keys(db, table: str) -> set:
    return {(r[3], r[2], r[4], r[6]) for r in db.execute(f"PRAGMA foreign_key_list({table})").fetchall()}


def pg_foreign_keys(db, table: str) -> set:
    rows = db.execute(
        "SELECT a.attname, confrelid::regclass::text, af.attname, con.confdeltype FROM pg_constraint con "
        "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1] "
        "JOIN pg_attribute af ON af.attrelid = con.confrelid AND af.attnum = con.confkey[1] "
        "WHERE con.conrelid = to_regclass(?) AND con.contype = 'f'", [table]).fetchall()
    actions = {"c": "CASCADE", "a": "NO ACTION", "r": "RESTRICT", "n": "SET NULL", "d": "SET DEFAULT"}
    return {(column, target, target_column, actions[action]) for column, target, target_column, action in rows}


def test_both_engines_have_the_same_tables(engines):
    sqlite_db, pg_db = engines
    assert pg_tables(pg_db) == sqlite_tables(sqlite_db)
    assert len(sqlite_tables(sqlite_db)) > 20


def test_every_table_has_the_same_columns_in_the_same_order(engines):
    sqlite_db, pg_db = engines
    for table in sqlite_tables(sqlite_db):
        assert pg_columns(pg_db, table) == sqlite_columns(sqlite_db, table), table


def test_ids_are_generated_on_postgresql_as_sqlite_generates_rowids(engines):
    sqlite_db, pg_db = engines
    for table in sqlite_tables(sqlite_db):
        # INTEGER PRIMARY KEY alone is the rowid alias (a TEXT key, or a composite one, is not)
        key = [c for c in sqlite_columns(sqlite_db, table) if c[3] > 0]
        sqlite_rowid_alias = len(key) == 1 and key[0][0] == "id" and key[0][1] == "bigint"
        identity = pg_db.execute("SELECT is_identity FROM information_schema.columns WHERE table_schema = "
                                 "current_schema() AND table_name = ? AND column_name = 'id'", [table]).fetchone()
        assert (identity is not None and identity[0] == "YES") == bool(sqlite_rowid_alias), table


def test_every_table_has_the_same_indexes_and_unique_constraints(engines):
    sqlite_db, pg_db = engines
    for table in sqlite_tables(sqlite_db):
        assert pg_indexes(pg_db, table) == sqlite_indexes(sqlite_db, table), table


def test_every_table_has_the_same_foreign_keys(engines):
    sqlite_db, pg_db = engines
    for table in sqlite_tables(sqlite_db):
        assert pg_foreign_keys(pg_db, table) == sqlite_foreign_keys(sqlite_db, table), table


def test_both_engines_have_the_same_triggers(engines):
    sqlite_db, pg_db = engines
    sqlite_triggers = {(r[0], r[1]) for r in sqlite_db.execute(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
    pg_triggers = {(r[0], r[1]) for r in pg_db.execute(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal").fetchall()}
    assert pg_triggers == sqlite_triggers
    assert len(sqlite_triggers) > 10
