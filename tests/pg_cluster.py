"""A throwaway PostgreSQL cluster for the test session, and a fresh database per test.

The cluster lives in a temporary folder and listens on a Unix socket there only (no TCP
port to collide with). ``initdb`` refuses to run as root, so as root the server runs as the
``postgres`` user (Debian's package makes it), on a folder that user owns. Durability is
off (``fsync``, ``synchronous_commit``, ``full_page_writes``): the data is thrown away.

Each test gets ``CREATE DATABASE ... TEMPLATE`` of a database migrated once per session,
which copies a few megabytes instead of running the migrations again.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"
TEMPLATE = "quotedesk_template"


class PostgresMissing(Exception):
    """No PostgreSQL server binaries here (or no user to run them as)."""


def server_bin() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: $QUOTEDESK_PG_BIN, else the newest under
    /usr/lib/postgresql (Debian's layout), else ``pg_ctl`` on PATH."""
    given = os.environ.get("QUOTEDESK_PG_BIN")
    candidates = [given] if given else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise PostgresMissing(
        "PostgreSQL's server is not installed (no initdb): install Debian's postgresql "
        "package (make test does) to run the PostgreSQL variants"
    )


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


class Cluster:
    """A running cluster: ``url(name)`` for SQLAlchemy, ``fresh()`` for a new database."""

    def __init__(self) -> None:
        self.bin = server_bin()
        self.root = Path(tempfile.mkdtemp(prefix="quotedesk-pg-"))
        self.data = self.root / "data"
        self.socket = self.root
        self._user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise PostgresMissing("running as root and there is no postgres user") from None
            self._user = SUPERUSER
            shutil.chown(self.root, SUPERUSER)
        self._names = itertools.count(1)
        self._admin = None

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", self._user, "--"] if self._user else []), *args]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr or done.stdout}")

    def start(self) -> Cluster:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.socket} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = str(self.root / "server.log")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w",
                  "start")  # fmt: skip
        import psycopg

        self._admin = psycopg.connect(
            host=str(self.socket), user=SUPERUSER, dbname="postgres", autocommit=True
        )
        return self

    def url(self, name: str, user: str = SUPERUSER) -> str:
        """The database's URL in the form a user types (socket folder as ``host``)."""
        return f"postgresql://{user}@/{name}?host={self.socket}"

    def execute(self, sql: str) -> None:
        assert self._admin is not None
        self._admin.execute(sql)  # type: ignore[attr-defined]

    def make_template(self) -> None:
        """The migrated database every test database is copied from."""
        from desktop.store import Database

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        Database.open(self.url(TEMPLATE)).close()

    def fresh(self, template: str | None = TEMPLATE) -> str:
        """A new database (a copy of the migrated template, or empty); returns its name."""
        name = f"test_{next(self._names)}"
        source = f" TEMPLATE {template}" if template else " TEMPLATE template0"
        self.execute(f"CREATE DATABASE {name}{source}")
        return name

    def drop(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()  # type: ignore[attr-defined]
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
