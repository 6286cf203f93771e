"""Shared fixtures: temporary databases, the real app served on a free port, headless Chromium."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import time_machine

from meeting import store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

# The one clock, frozen for the whole run (and every Python process the tests start): no test depends on the
# calendar. The frozen day is the demo's reference day, so the demo loads unshifted and its figures are the
# committed CSVs'; date-sensitive tests take `any_day`, which runs them on two other days as well.
FROZEN_DAY = dt.date(2026, 11, 20)
FROZEN_AT = dt.datetime.combine(FROZEN_DAY, dt.time(9, 30), tzinfo=dt.timezone.utc)
OTHER_DAYS = (dt.date(2027, 3, 15), dt.date(2028, 2, 29))
_travel = time_machine.travel(FROZEN_AT, tick=True)


def pytest_addoption(parser):
    parser.addoption("--engine", choices=("sqlite", "postgresql"), default="sqlite",
                     help="the engine every database fixture (db_path, fresh_db, demo_db, ...) and "
                          "OUTSIDE_IN_DATABASE_URL point at; tests marked both_engines run on both in the default run")


def pytest_generate_tests(metafunc):
    if ("db_engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines")
            and metafunc.config.getoption("engine") == "sqlite"):
        metafunc.parametrize("db_engine", ["sqlite", "postgresql"], indirect=True)


def pytest_configure(config):
    # Child processes start their own frozen clock later; they travel to FROZEN_AT plus the real time elapsed
    # since this moment, so a server, a CLI call and the test all read the same instant (a limiter's wait or a
    # token's expiry spans processes).
    os.environ["OUTSIDE_IN_FROZEN_SINCE"] = repr(time.time())
    _travel.start()
    os.environ["OUTSIDE_IN_FROZEN_AT"] = FROZEN_AT.isoformat()
    frozen_site = str(ROOT / "tests" / "support" / "frozen_clock")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [frozen_site, os.environ.get("PYTHONPATH")]))


def pytest_unconfigure(config):
    _travel.stop()


@pytest.fixture(params=[FROZEN_DAY, *OTHER_DAYS], ids=str)
def any_day(request):
    """Runs a date-sensitive test on the frozen day and on two others (one a 29 February); returns the day."""
    with time_machine.travel(dt.datetime.combine(request.param, dt.time(9, 30), tzinfo=dt.timezone.utc), tick=True):
        yield request.param

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def db_engine(request) -> str:
    """The engine of this test's databases: ``--engine``, or each in turn for a test marked both_engines."""
    return getattr(request, "param", None) or request.config.getoption("engine")


class PostgresForTests:
    """One server for the run (started on first use), an empty migrated template and the demo's; each test's
    database is a copy of one of them (``CREATE DATABASE ... TEMPLATE``), dropped when the test ends."""

    def __init__(self):
        from support.postgres import TestServer

        self.server = TestServer().start()
        self._count = 0
        self._templates: dict[str, str] = {}
        self._failed: dict[str, BaseException] = {}

    def _name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def template(self, kind: str) -> str:
        """The name of a database never connected to after it was built, so it can be copied."""
        if kind in self._failed:  # built once only: every test that needs it sees the first, real error
            raise self._failed[kind]
        if kind not in self._templates:
            name = f"template_{kind}"
            url = self.server.create_database(name)
            try:
                db = store.open_db(url)
                try:
                    if kind == "demo":
                        from meeting import demo

                        demo.load_demo(db)
                finally:
                    db.close()
            except BaseException as error:
                self._failed[kind] = error
                raise
            self._templates[kind] = name
        return self._templates[kind]

    def new_database(self, kind: str = "empty") -> tuple[str, str]:
        name = self._name("test")
        return name, self.server.create_database(name, self.template(kind))

    def drop(self, name: str) -> None:
        self.server.drop_database(name)

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="session")
def postgres_for_tests():
    """The PostgreSQL server of this run; requested only by tests that use PostgreSQL, so SQLite-only runs
    start none."""
    pg = PostgresForTests()
    yield pg
    pg.stop()


@pytest.fixture
def db_path(db_engine, tmp_path, monkeypatch, request):
    """A fresh database: a file (a Path), or on PostgreSQL a database's URL (a str). OUTSIDE_IN_DB, or
    OUTSIDE_IN_DATABASE_URL, points at it so pages, the CLI and child processes use it too."""
    path = tmp_path / "outside_in.db"
    monkeypatch.setenv("OUTSIDE_IN_DB", str(path))
    if db_engine != "postgresql":
        monkeypatch.delenv("OUTSIDE_IN_DATABASE_URL", raising=False)
        yield path
        return
    pg = request.getfixturevalue("postgres_for_tests")
    kind = "demo" if "demo_db" in request.fixturenames else "empty"
    name, url = pg.new_database(kind)
    monkeypatch.setenv("OUTSIDE_IN_DATABASE_URL", url)
    yield url
    pg.drop(name)


@pytest.fixture
def fresh_db(db_path):
    db = store.open_db(db_path)
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory, request):
    """The demo organisation loaded once per run; tests copy it (``demo_db``) rather than reload it. On
    ``--engine=postgresql`` the URL of a shared copy (read it, do not change it)."""
    from meeting import demo

    if request.config.getoption("engine") == "postgresql":
        pg = request.getfixturevalue("postgres_for_tests")
        return pg.server.create_database("demo_shared", pg.template("demo"))
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = store.open_db(path)
    demo.load_demo(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def demo_db(db_engine, db_path, request):
    """A private copy of the demo database at ``db_path`` (OUTSIDE_IN_DB, or OUTSIDE_IN_DATABASE_URL, points at
    it); on PostgreSQL ``db_path`` is already that copy."""
    if db_engine != "postgresql":
        shutil.copyfile(request.getfixturevalue("demo_db_template"), db_path)
    return db_path

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_app(db_file, extra_env: dict | None = None, *, port: int | None = None, extra_args: tuple = ()):
    """Run ``streamlit run app.py`` against ``db_file`` (a file, or a PostgreSQL URL) on a free port (or
    ``port``); yield its base URL; always stop it. ``extra_args`` are more ``streamlit run`` options, e.g.
    ``("--secrets.files", path)``."""
    port = port or free_port()
    if str(db_file).startswith("postgresql://"):
        env = {**os.environ, "OUTSIDE_IN_DATABASE_URL": str(db_file), **(extra_env or {})}
        log_path = Path(tempfile.mkdtemp(prefix="outside-in-app-")) / f"streamlit-{port}.log"
    else:
        env = {**os.environ, "OUTSIDE_IN_DB": str(db_file), **(extra_env or {})}
        env.pop("OUTSIDE_IN_DATABASE_URL", None)
        log_path = Path(db_file).with_suffix(f".streamlit-{port}.log")
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false", *extra_args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def browser_sign_in(page, password: str, email: str = "") -> None:
    """Fill the sign-in form in Chromium (Email empty: the built-in admin account, whose password is the passcode)."""
    page.get_by_label("Password", exact=True).wait_for(timeout=15_000)
    if email:
        page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.fixture
def own_taxonomy(tmp_path, monkeypatch):
    """A private copy of the shipped taxonomy, so edits never touch data/."""
    for name in ("themes.csv", "touchpoints.csv"):
        shutil.copyfile(ROOT / "meeting" / "data" / name, tmp_path / name)
    monkeypatch.setenv("OUTSIDE_IN_TAXONOMY_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def prepared(db_path):
    """The small hand-made unit (support.small_unit) with a drafted meeting: (unit id, meeting id)."""
    from support.small_unit import seed_unit

    from meeting import agenda
    from meeting.store import meetings

    db = store.open_db(db_path)
    unit = seed_unit(db)
    meeting = meetings.create_meeting(db, unit, "2026-11-12")
    agenda.draft_agenda(db, meeting)
    db.close()
    return unit, meeting
