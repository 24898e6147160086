"""A throwaway PostgreSQL cluster for the test session, and a fresh database per test.

The cluster lives in a temporary folder and listens on a Unix socket there only (no TCP
port to collide with). ``initdb`` refuses to run as root, so as root the server runs as the
``postgres`` user (Debian's package makes it), on a folder that user owns. Durability is
off (``fsync``, ``synchronous_commit``, ``full_page_writes``): the data is thrown away.

Each test gets ``CREATE DATABASE ... TEMPLATE`` of a database migrated once per session,
which copies a few megabytes instead of running the migrations again.

The server outlives a test process that is killed (``pg_ctl`` detaches it), so each cluster
folder names the process that made it (``owner``); a new session stops and removes the
clusters whose owner is gone, and the interpreter's exit stops its own.
"""

from __future__ import annotations

import atexit
import contextlib
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
PREFIX = "quotedesk-pg-"
OWNER = "owner"  # the pid of the test process that made the cluster


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
        self._user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise PostgresMissing("running as root and there is no postgres user") from None
            self._user = SUPERUSER
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.root / OWNER).write_text(str(os.getpid()), encoding="ascii")
        self.data = self.root / "data"
        self.socket = self.root
        if self._user:
            shutil.chown(self.root, self._user)
        self._names = itertools.count(1)
        self._admin = None

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", self._user, "--"] if self._user else []), *args]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr or done.stdout}")

    def start(self) -> Cluster:
        remove_orphans(self.bin)
        atexit.register(self.stop)
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
            self._admin = None
        if self.root.exists():
            _stop(self.bin, self.root, self._user)


def _stop(bin_dir: Path, root: Path, user: str | None) -> None:
    command = [str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop"]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(command, capture_output=True, cwd=root)
    shutil.rmtree(root, ignore_errors=True)


def remove_orphans(bin_dir: Path) -> None:
    """Stop and remove the clusters of test processes that are gone (killed, crashed)."""
    for owner in Path(tempfile.gettempdir()).glob(f"{PREFIX}*/{OWNER}"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(owner.read_text(encoding="ascii"))
            try:
                os.kill(pid, 0)
                continue  # its process lives: its cluster is in use
            except ProcessLookupError:
                pass
            _stop(bin_dir, owner.parent, SUPERUSER if os.geteuid() == 0 else None)
