"""The one module that owns the database: engine, sessions, connect hook and migrations.

``Database.open(path)`` first looks at the file without changing it (``integrity.py``:
another program's SQLite file, a newer schema, a damaged file or a -wal of another database
are refused as they are), then connects, backs the file up when a migration is due and
brings the schema to Alembic's head. ``Database.open(url)`` with a PostgreSQL URL
(``location.py``) opens a server database through the same models and migrations; what
differs there lives in ``postgres.py``.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from desktop.store import backups, integrity, postgres, team_roles
from desktop.store.errors import (
    DamagedDatabaseError,
    NewerSchemaError,
    StoreError,
    translate,
)
from desktop.store.location import ServerLocation, parse_location
from desktop.store.open_rules import CHEAP_CHECK_BYTES as CHEAP_CHECK_BYTES
from desktop.store.open_rules import HEAD_REVISION as HEAD_REVISION  # their old home

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# PRAGMA takes no bound parameters; a literal keeps every statement free of string building
BUSY_TIMEOUT_PRAGMA = "PRAGMA busy_timeout=5000"
BACKUPS_KEPT = backups.BACKUPS_KEPT
APPLICATION_ID_PRAGMA = "PRAGMA application_id=1363430193"  # integrity.APPLICATION_ID


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "desktop.store:migrations")
    return cfg


def head_revision() -> str:
    """Alembic's own idea of the newest migration (imports Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # SQLAlchemy, not the sqlite3 module, says when a transaction begins (see _on_begin)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(BUSY_TIMEOUT_PRAGMA)
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
    except UnicodeDecodeError as exc:
        # SQLite's "malformed database schema (NAME)" with a NAME that is not UTF-8
        raise sqlite3.DatabaseError("database disk image is malformed") from exc
    finally:
        cur.close()


WRITE = "quotedesk_write"


def _on_begin(conn: Connection) -> None:
    """Begin every transaction explicitly; a write transaction with BEGIN IMMEDIATE.

    Left to itself the sqlite3 module begins a transaction only at the first INSERT or
    UPDATE, so the reads before it (the revision check of an edit, the "already imported?"
    check of an import) ran outside the transaction, and two processes could both pass
    the check and both write: one edit silently lost. IMMEDIATE takes the write lock at
    the start (waiting up to busy_timeout for another writer), so a check and the write
    it guards are one atomic unit across processes.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def _error_translator(path: Path):  # type: ignore[no-untyped-def]
    """An engine ``handle_error`` hook: every statement, reads included, raises a StoreError
    the analyst can act on (disk full, read-only, locked, damaged) instead of a DBAPI error;
    errors that mean a bug pass through unchanged."""

    def handle(context: ExceptionContext) -> BaseException | None:
        return translate(context.original_exception, str(path))

    return handle


class Database:
    """A migrated Quotedesk database with a session factory.

    Use ``with db.transaction() as s:`` for one unit of work; writes are serialised through
    one lock so that worker threads never fight over SQLite's single writer.
    """

    def __init__(self, path: Path | None, engine: Engine, shown: str | None = None) -> None:
        self.path = path  # the SQLite file; None for a PostgreSQL database
        self.location = shown if shown is not None else str(path)  # printable, no password
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self.checked = False  # quick_check passed since open (or the file was new)
        self._closed = False

    @property
    def on_server(self) -> bool:
        """Whether this is a PostgreSQL database (no file, no file backups)."""
        return self.path is None

    @classmethod
    def open(cls, path: str | Path | ServerLocation, daily_backup: bool = True) -> Database:
        """Open (creating or migrating) the database: a SQLite file, or a PostgreSQL
        database named by a URL. ``daily_backup=False`` leaves the daily copy, and the
        integrity check of a file over ``CHEAP_CHECK_BYTES``, to the caller: the window
        runs ``check_and_backup`` after its first paint."""
        where = parse_location(path)
        if isinstance(where, ServerLocation):
            return cls._open_server(where)
        path = where
        if path.exists() and path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file.")
        if not path.parent.exists():
            raise StoreError(f"Cannot create the database {path}: the folder does not exist.")
        integrity.check_file_kind(path)
        integrity.check_sqlite_header(path)
        existed = path.exists() and path.stat().st_size > 0
        check = daily_backup or (existed and path.stat().st_size <= CHEAP_CHECK_BYTES)
        found = integrity.inspect_file(path, HEAD_REVISION, check)
        # URL.create, not a string: "?" or "#" in a folder name is not a URL parameter
        engine = create_engine(URL.create("sqlite", database=str(path)))
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        event.listen(engine, "handle_error", _error_translator(path))
        db = cls(path, engine)
        db.checked = found.checked or found.kind != "quotedesk"
        integrity.mark_open(path, True)
        try:
            db._migrate()
            db._stamp_identity()
            if existed and daily_backup:
                db._daily_backup()
        except sa_exc.DBAPIError as exc:
            db.close()
            raise translate(exc, str(path)) or exc from exc
        except BaseException:
            db.close()
            raise
        return db

    @classmethod
    def _open_server(cls, where: ServerLocation) -> Database:
        engine = postgres.create(where)
        db = cls(None, engine, where.shown)
        try:
            postgres.check_server(engine, where.shown)
            db._migrate()
        except sa_exc.DBAPIError as exc:
            db.close()
            raise postgres.translate(exc, where.shown) or exc from exc
        except BaseException:
            db.close()
            raise
        db.checked = True
        return db

    def _translate(self, exc: BaseException) -> StoreError | None:
        if self.path is None:
            return postgres.translate(exc, self.location)
        return translate(exc, str(self.path))

    def _stamp_identity(self) -> None:
        """Give the database its identity on page 1 (``integrity.py`` uses it to tell a
        -wal of another database); best effort: a read-only file keeps working without."""
        with self.engine.connect() as conn:
            app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
            stamp = conn.exec_driver_sql("PRAGMA user_version").scalar()
        if app_id == integrity.APPLICATION_ID and stamp:
            return
        stamp = secrets.randbelow(2**31 - 2) + 1
        try:
            with self._write_lock, self.engine.connect() as conn:
                conn = conn.execution_options(**{WRITE: True})
                with conn.begin():
                    if conn.exec_driver_sql("PRAGMA user_version").scalar():
                        return  # another process stamped it while this one waited
                    conn.exec_driver_sql(APPLICATION_ID_PRAGMA)
                    conn.exec_driver_sql(f"PRAGMA user_version = {stamp:d}")
        except StoreError as exc:
            log.warning("database identity not written: %s", exc)

    def _daily_backup(self) -> Path | None:
        """The daily rolling copy, when one is due. Damage is raised (the window offers a
        restore); any other failure is logged: the analyst can still work, and the next
        open or timer tick tries again. A server database has none (``postgres.NO_BACKUPS``)."""
        if self.path is None:
            return None
        try:
            return backups.backup_if_due(self.path)
        except DamagedDatabaseError:
            raise
        except StoreError as exc:
            log.warning("daily backup skipped: %s", exc)
            return None

    def backup_if_due(self) -> Path | None:
        """Called by the window's timer: a daily copy when the last one is a day old."""
        with self._write_lock:
            return self._daily_backup()

    def check(self) -> None:
        """SQLite's quick_check on the open database; raises DamagedDatabaseError. A server
        checks its own pages: there this only makes sure it answers."""
        if self.path is None:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            self.checked = True
            return
        with self.engine.connect() as conn:
            try:
                rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
            except DamagedDatabaseError:
                rows = []
        if [tuple(r) for r in rows] != [("ok",)]:
            raise DamagedDatabaseError(
                f"{self.path} is damaged (SQLite's integrity check failed); restore a backup."
            )
        self.checked = True

    def check_and_backup(self) -> Path | None:
        """The window's look after its first paint and every hour: the integrity check
        (so damage that appears while the window stays open is found within the hour;
        about 0.4 s for 390 MB, on a worker), then the daily copy when one is due (itself
        checked). Raises DamagedDatabaseError when the database is damaged."""
        self.check()  # a read: edits need not wait for it
        with self._write_lock:
            return self._daily_backup()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self.path is not None:
                integrity.mark_open(self.path, False)
        self.engine.dispose()

    def session(self) -> Session:
        """A read session; close it (``with db.session() as s``) when done."""
        return self._sessions()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction, committed on success and rolled back on any error."""
        with self._write_lock:
            try:
                with self._sessions.begin() as session:
                    session.connection(execution_options={WRITE: True})
                    yield session
            except sa_exc.DBAPIError as exc:
                raise self._translate(exc) or exc from exc

    # --- migrations -------------------------------------------------------------------

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def _migrate(self) -> None:
        current = self.current_revision()
        if current == HEAD_REVISION:
            return
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        head = head_revision()
        if current is not None and not _known_revision(current):
            raise NewerSchemaError(
                f"{self.location} was written by a newer version of Quotedesk "
                f"(schema {current}); update Quotedesk to open it. The file was not changed."
            )
        if current is not None and self.path is not None:
            self.backup(reason=f"before-migration-{current}")
        elif current is not None:
            log.warning("migrating %s from %s; %s", self.location, current, postgres.NO_BACKUPS)
        cfg = _alembic_config()
        with self._write_lock, self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                # another process may have migrated while this one waited for the lock
                if MigrationContext.configure(conn).get_current_revision() == head:
                    return
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if self.path is None:  # the team's grants cover what the upgrade made
                    team_roles.grant_team(conn)

    # --- backups ----------------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """Copy the database with SQLite's online backup API; keep the last few copies."""
        if self.path is None:
            raise StoreError(postgres.NO_BACKUPS)
        return backups.make_backup(self.path, reason, BACKUPS_KEPT)

    def restore(self, backup: Path) -> Path | None:
        """Put a backup in place of this open database (its current state is saved first);
        returns where the current state was saved. Sessions opened before are stale."""
        if self.path is None:
            raise StoreError(postgres.NO_BACKUPS)
        with self._write_lock:
            self.engine.dispose()
            saved = backups.restore(backup, self.path)
            # a read that connected while a damaged file was renamed over holds the old
            # file: a second dispose keeps that connection from ever being used again
            self.engine.dispose()
            try:
                self._migrate()  # a copy made before a migration needs it again
            except sa_exc.DBAPIError as exc:
                raise translate(exc, str(self.path)) or exc from exc
            self.checked = True  # restore refuses a backup that fails quick_check
            return saved


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(_alembic_config())
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def restore_backup(backup: Path, target: Path) -> Path | None:
    """Put a backup copy back in place of ``target`` (which must not be open), after saving
    the current file; returns where it was saved."""
    return backups.restore(backup, target)
