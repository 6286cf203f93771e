"""A throw-away PostgreSQL server for the test run: Debian's binaries, a temporary folder, a free loopback port.

``initdb`` refuses to run as root (this machine and most CI containers run tests as root), so when the test
process is root the server runs as an existing unprivileged account through ``runuser``: ``postgres`` (created by
Debian's ``postgresql`` package) or else ``nobody``. Nothing is created system-wide: the data folder is a temporary
folder handed to that account, the server listens only on 127.0.0.1 with trust authentication (no password to
keep), and it is stopped and its folder deleted at the end of the session. Durability is switched off (fsync,
synchronous_commit, full_page_writes): a crash loses a test database, never anything that matters, and
``CREATE DATABASE ... TEMPLATE`` for every test stays fast.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "outside_in"


def find_bindir() -> Path | None:
    """The newest installed server's bin folder (Debian puts each major version under /usr/lib/postgresql)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_account() -> str | None:
    """The account to run the server as, or None to run it as ourselves (we are not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' account exists for the test server")


class TestServer:
    """``start()`` then ``url(dbname)``; ``stop()`` removes everything."""

    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed: `apt-get install postgresql` (make system-deps does)")
        self.account = _server_account()
        self.folder = Path(tempfile.mkdtemp(prefix="outside-in-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.started = False

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", self.account, "--"] if self.account else []
        return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, cwd=self.folder)

    def start(self) -> "TestServer":
        if self.account:
            account = pwd.getpwnam(self.account)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        os.chmod(self.folder, 0o700)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "start")
        self.started = True
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def admin(self):
        """An autocommit connection to the maintenance database (CREATE / DROP DATABASE)."""
        import psycopg

        return psycopg.connect(self.url("postgres"), autocommit=True)

    def create_database(self, name: str, template: str | None = None) -> str:
        # FILE_COPY copies a small template's files instead of WAL-logging every block: several times faster here.
        template_clause = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        for attempt in range(50):
            try:
                with self.admin() as conn:
                    conn.execute(f"CREATE DATABASE {name}{template_clause}")
                return self.url(name)
            except Exception as error:  # the template is briefly in use by another session: wait for it
                if "is being accessed by other users" not in str(error) or attempt == 49:
                    raise
                time.sleep(0.1)
        raise AssertionError("unreachable")

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.started:
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except subprocess.CalledProcessError:
                pass
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)
