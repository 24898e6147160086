"""The one module that owns the database: engine, sessions, connect hook and migrations.

``Database.open(path)`` connects, backs the file up when a migration is due, brings the
schema to Alembic's head and refuses a database written by a newer Quotedesk.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from desktop.store import backups
from desktop.store.errors import NewerSchemaError, NotADatabaseError, StoreError, translate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
BACKUPS_KEPT = backups.BACKUPS_KEPT


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "desktop.store:migrations")
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


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

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.RLock()

    @classmethod
    def open(cls, path: str | Path) -> Database:
        path = Path(path).expanduser()
        if path.exists() and path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file.")
        if not path.parent.exists():
            raise StoreError(f"Cannot create the database {path}: the folder does not exist.")
        _check_sqlite_header(path)
        existed = path.exists() and path.stat().st_size > 0
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "handle_error", _error_translator(path))
        db = cls(path, engine)
        try:
            db._migrate()
        except sa_exc.DBAPIError as exc:
            engine.dispose()
            raise translate(exc, str(path)) or exc from exc
        except BaseException:
            engine.dispose()
            raise
        if existed:
            db._daily_backup()
        return db

    def _daily_backup(self) -> Path | None:
        """The daily rolling copy, when one is due; a failure is logged, not raised: the
        analyst can still work, and the next open or timer tick tries again."""
        try:
            return backups.backup_if_due(self.path)
        except StoreError as exc:
            log.warning("daily backup skipped: %s", exc)
            return None

    def backup_if_due(self) -> Path | None:
        """Called by the window's timer: a daily copy when the last one is a day old."""
        with self._write_lock:
            return self._daily_backup()

    def close(self) -> None:
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
                    yield session
            except sa_exc.DBAPIError as exc:
                raise translate(exc, str(self.path)) or exc from exc

    # --- migrations -------------------------------------------------------------------

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def _migrate(self) -> None:
        head = head_revision()
        current = self.current_revision()
        if current == head:
            return
        if current is not None and not _known_revision(current):
            raise NewerSchemaError(
                f"{self.path} was written by a newer version of Quotedesk "
                f"(schema {current}); update Quotedesk to open it. The file was not changed."
            )
        if current is not None:
            self.backup(reason=f"before-migration-{current}")
        cfg = _alembic_config()
        with self._write_lock, self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    # --- backups ----------------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """Copy the database with SQLite's online backup API; keep the last few copies."""
        return backups.make_backup(self.path, reason, BACKUPS_KEPT)

    def restore(self, backup: Path) -> Path | None:
        """Put a backup in place of this open database (its current state is saved first);
        returns where the current state was saved. Sessions opened before are stale."""
        with self._write_lock:
            self.engine.dispose()
            saved = backups.restore(backup, self.path)
            try:
                self._migrate()  # a copy made before a migration needs it again
            except sa_exc.DBAPIError as exc:
                raise translate(exc, str(self.path)) or exc from exc
            return saved


def _known_revision(revision: str) -> bool:
    script = ScriptDirectory.from_config(_alembic_config())
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _check_sqlite_header(path: Path) -> None:
    """Refuse, untouched, a file that exists but is not SQLite."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise NotADatabaseError(f"{path} is not a Quotedesk database; it was left untouched.")


def restore_backup(backup: Path, target: Path) -> Path | None:
    """Put a backup copy back in place of ``target`` (which must not be open), after saving
    the current file; returns where it was saved."""
    return backups.restore(backup, target)
