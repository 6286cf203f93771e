"""Black-box parity of the two engines (issue 23): the demo loaded by the CLI, then the commands a user runs, give
the same output on SQLite and on PostgreSQL; the PostgreSQL database really holds the rows (counted with psycopg,
not through the store), and a closed meeting refuses an entry change there too."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import psycopg
import pytest

UNITS = ("United Kingdom", "Ireland")
REVIEW_MONTH = "2026-10"  # the month before the frozen day: the demo's latest complete month
TABLES = ("units", "voc_responses", "staff_inputs", "metrics", "plans", "finance", "meetings", "participants",
          "agenda_items", "minutes_entries")


def _env(target: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("OUTSIDE_IN_DB", "OUTSIDE_IN_DATABASE_URL")}
    env["OUTSIDE_IN_DATABASE_URL" if target.startswith("postgresql://") else "OUTSIDE_IN_DB"] = target
    return env


def cli(target: str, *argv, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "meeting", *map(str, argv)], env=_env(target), cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def ok(target: str, *argv, cwd) -> str:
    done = cli(target, *argv, cwd=cwd)
    assert done.returncode == 0, (argv, done.stderr)
    return done.stdout


@pytest.fixture(scope="module")
def both(postgres_for_tests, tmp_path_factory):
    """The demo loaded by ``init --demo`` into a new SQLite file and a new PostgreSQL database."""
    work = tmp_path_factory.mktemp("parity")
    url = postgres_for_tests.server.create_database("parity")
    targets = {"sqlite": str(work / "outside_in.db"), "postgresql": url}
    for target in targets.values():
        ok(target, "init", "--demo", cwd=work)
    yield targets, work
    postgres_for_tests.drop("parity")


def _meetings(target: str) -> list[tuple[int, str]]:
    """(id, status) of every meeting, read straight from the engine (no store code)."""
    sql = "SELECT id, status FROM meetings ORDER BY id"
    if target.startswith("postgresql://"):
        with psycopg.connect(target) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]
    with sqlite3.connect(target) as conn:
        return conn.execute(sql).fetchall()


def _counts(target: str) -> dict[str, int]:
    if target.startswith("postgresql://"):
        with psycopg.connect(target) as conn:
            return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}
    with sqlite3.connect(target) as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def test_the_postgresql_database_really_holds_the_demo(both):
    targets, _ = both
    on_postgres = _counts(targets["postgresql"])
    assert all(on_postgres[table] > 0 for table in TABLES), on_postgres
    assert on_postgres == _counts(targets["sqlite"])
    assert _meetings(targets["postgresql"]) == _meetings(targets["sqlite"])


def test_every_command_prints_the_same_on_both_engines(both):
    targets, work = both
    meetings = _meetings(targets["sqlite"])
    closed = [meeting_id for meeting_id, status in meetings if status == "closed"]
    assert closed and len(closed) < len(meetings)
    commands = [("meetings",), ("units",), *[("agenda", m, "--json") for m, _ in meetings],
                *[("agenda", m) for m, _ in meetings], *[("entries", m, "--json") for m, _ in meetings],
                *[("watermelons", "--unit", unit, "--period", REVIEW_MONTH, "--json") for unit in UNITS],
                *[("review", m, "--json") for m in closed],
                *[("actions", "--unit", unit, "--json") for unit in UNITS],
                *[("actions", "--unit", unit, "--json", "--internal") for unit in UNITS]]
    for command in commands:
        outputs = {engine: ok(target, *command, cwd=work) for engine, target in targets.items()}
        assert outputs["sqlite"].strip(), command
        assert outputs["postgresql"] == outputs["sqlite"], command
    for meeting_id in closed:
        for extra in ((), ("--internal",)):
            files = {}
            for engine, target in targets.items():
                out = work / f"{engine}-{meeting_id}{'-internal' if extra else ''}.md"
                ok(target, "export", meeting_id, "--format", "md", "--out", out, *extra, cwd=work)
                files[engine] = out.read_text(encoding="utf-8")
            assert files["sqlite"].strip() and files["postgresql"] == files["sqlite"], (meeting_id, extra)


def test_a_closed_meeting_refuses_an_entry_change_on_postgresql(both):
    targets, work = both
    url = targets["postgresql"]
    closed = [meeting_id for meeting_id, status in _meetings(url) if status == "closed"]
    with psycopg.connect(url) as conn:
        entry, text = conn.execute("SELECT id, text FROM minutes_entries WHERE meeting_id = %s ORDER BY id LIMIT 1",
                                   [closed[0]]).fetchone()
    for argv in (("entries", "edit", entry, "--text", "Rewritten after the meeting"), ("entries", "delete", entry)):
        done = cli(url, *argv, cwd=work)
        assert done.returncode == 1 and "closed" in done.stderr, (argv, done.stdout, done.stderr)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT text FROM minutes_entries WHERE id = %s", [entry]).fetchone() == (text,)
