"""Shared fixtures: temporary databases, the real app served on a free port, headless Chromium."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
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
def db_path(tmp_path, monkeypatch) -> Path:
    """A fresh database file; OUTSIDE_IN_DB points at it so pages and the CLI use it too."""
    path = tmp_path / "outside_in.db"
    monkeypatch.setenv("OUTSIDE_IN_DB", str(path))
    return path


@pytest.fixture
def fresh_db(db_path):
    db = store.open_db(db_path)
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """The demo organisation loaded once per run; tests copy it (``demo_db``) rather than reload it."""
    from meeting import demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = store.open_db(path)
    demo.load_demo(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def demo_db(demo_db_template, db_path) -> Path:
    """A private copy of the demo database at ``db_path`` (OUTSIDE_IN_DB points at it)."""
    shutil.copyfile(demo_db_template, db_path)
    return db_path

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_app(db_file: Path, extra_env: dict | None = None, *, port: int | None = None, extra_args: tuple = ()):
    """Run ``streamlit run app.py`` against ``db_file`` on a free port (or ``port``); yield its base URL; always
    stop it. ``extra_args`` are more ``streamlit run`` options, e.g. ``("--secrets.files", path)``."""
    port = port or free_port()
    env = {**os.environ, "OUTSIDE_IN_DB": str(db_file), **(extra_env or {})}
    log = open(Path(db_file).with_suffix(f".streamlit-{port}.log"), "w")
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
