"""The PostgreSQL adapter: what the store does differently on a server (psycopg 3).

SQLite's file checks, PRAGMAs, quick_check and file backups have no meaning here; their
PostgreSQL counterparts are:

- one writer at a time: a write transaction (``WRITE``) first takes a transaction-level
  advisory lock, as ``BEGIN IMMEDIATE`` takes SQLite's write lock, so the revision check of
  an edit (or the "already imported?" check of an import) and the write it guards are one
  atomic unit across processes and machines. It waits up to ``LOCK_TIMEOUT`` for another
  writer, then says the database is busy. Reads never wait;
- integrity: PostgreSQL checks its own pages (checksums, WAL); ``Database.check`` only
  makes sure the server answers;
- backups: the server is backed up with its own tools (``pg_dump``), by whoever runs it;
  Quotedesk makes no copy and says so (``NO_BACKUPS``);
- errors: the driver's errors become one line an analyst can act on (``translate``).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, Engine, String, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.compiler import compiles

from desktop.store.errors import (
    ConflictError,
    DatabaseLockedError,
    DiskFullError,
    ForeignDatabaseError,
    ReadOnlyDatabaseError,
    StoreError,
    UnstorableError,
)
from desktop.store.location import ServerLocation

log = logging.getLogger(__name__)

WRITE = "quotedesk_write"  # the same execution option as the SQLite adapter's
# any 64-bit key names the lock; this one spells "QDK1" like the SQLite application_id
WRITE_LOCK_KEY = 0x51444B31
LOCK_TIMEOUT = "5s"  # as SQLite's busy_timeout
LOCK_SQL = f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY:d})"
TIMEOUT_SQL = f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"
MIN_SERVER = 120000  # generated columns (the search vector) came with PostgreSQL 12
NO_BACKUPS = (
    "Quotedesk backs up SQLite files only; a PostgreSQL database is backed up on its server "
    "with pg_dump (for example: pg_dump -Fc -f quotedesk.dump DBNAME) and put back with "
    "pg_restore."
)


def create(location: ServerLocation) -> Engine:
    """An engine for ``location`` with the write lock and the error hook installed."""
    url = location.url
    if "application_name" not in url.query:
        url = url.update_query_dict({"application_name": "quotedesk"})
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ImportError as exc:  # a build made without the driver
        raise StoreError(
            f"This Quotedesk cannot open PostgreSQL databases ({exc}); install psycopg: "
            "pip install 'psycopg[binary]'."
        ) from None
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "handle_error", _error_translator(location.shown))
    return engine


def _on_begin(conn: Connection) -> None:
    """A write transaction takes the one write lock first (see the module docstring)."""
    if conn.get_execution_options().get(WRITE):
        conn.exec_driver_sql(TIMEOUT_SQL)
        conn.exec_driver_sql(LOCK_SQL)


def _error_translator(shown: str):  # type: ignore[no-untyped-def]
    def handle(context: ExceptionContext) -> BaseException | None:
        return translate(context.original_exception, shown)

    return handle


@compiles(String, "postgresql")
def _string_as_text(_type: String, _compiler: object, **_kw: object) -> str:
    """``String(n)`` columns are ``text`` on PostgreSQL: SQLite never enforces those lengths,
    so a name or id one engine stores the other must store too (the limits that matter are
    the domain's, checked at every entrance). Every migration's DDL goes through this."""
    return "TEXT"


def check_server(engine: Engine, shown: str) -> None:
    """Refuse, untouched, a server too old, a database that is not UTF-8, or one holding
    another program's tables (no ``alembic_version`` beside them)."""
    with engine.connect() as conn:
        version = int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0)
        encoding = conn.exec_driver_sql("SHOW server_encoding").scalar()
        tables = set(
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema()"
                )
            ).scalars()
        )
    if version < MIN_SERVER:
        raise StoreError(f"{shown}: Quotedesk needs PostgreSQL 12 or newer on the server.")
    if encoding != "UTF8":
        raise StoreError(
            f"{shown} stores text as {encoding}, not UTF-8; create the database with "
            "createdb -E UTF8 -T template0 NAME."
        )
    if tables and "alembic_version" not in tables:
        raise ForeignDatabaseError(
            f"{shown} holds tables of another program, not Quotedesk's; it was left "
            "untouched. Name a database of its own (createdb NAME)."
        )


def translate(exc: BaseException, shown: str) -> StoreError | None:
    """Map a psycopg (or SQLAlchemy-wrapped) error to a StoreError; None means a bug."""
    orig: Any = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    module = type(orig).__module__ or ""
    if not module.startswith("psycopg"):
        return None
    import psycopg.errors as pe

    message = _first_line(str(orig))
    low = str(orig).lower()
    if isinstance(orig, pe.LockNotAvailable):
        return DatabaseLockedError(
            f"{shown} is busy: another Quotedesk has been writing for over {LOCK_TIMEOUT}; "
            "try again."
        )
    if isinstance(orig, pe.SerializationFailure | pe.DeadlockDetected):
        return ConflictError(
            f"Another window changed the same rows of {shown} at the same moment; nothing "
            "was saved. Please make your change again."
        )
    if isinstance(orig, pe.DiskFull):
        return DiskFullError(f"The server's disk holding {shown} is full; nothing was saved.")
    if isinstance(orig, pe.ReadOnlySqlTransaction):
        return ReadOnlyDatabaseError(f"{shown} is read-only (a standby?); nothing can be saved.")
    if isinstance(orig, pe.DataError) and "nul" in low:
        return UnstorableError(
            "a PostgreSQL database cannot store the character U+0000 (NUL) that this holds; "
            "nothing of it was saved"
        )
    if isinstance(orig, pe.InsufficientPrivilege):
        return StoreError(f"{shown}: the server refused: {message}")
    if isinstance(orig, pe.InvalidCatalogName) or "does not exist" in low and "database" in low:
        return StoreError(f"{shown}: {message}. Create it first (createdb NAME).")
    if "password" in low and ("authentication failed" in low or "no password" in low):
        return StoreError(
            f"{shown}: the server wants a password it was not given or did not accept; put "
            "it in ~/.pgpass (or PGPASSWORD, or a service file): Quotedesk never stores one."
        )
    state = getattr(orig, "sqlstate", None) or ""
    # no SQLSTATE: libpq could not connect; class 08: the connection; 57P: the server stops
    if isinstance(orig, pe.InterfaceError) or (
        isinstance(orig, pe.OperationalError) and (not state or state[:2] == "08" or
                                                   state[:3] == "57P")
    ):  # fmt: skip
        return StoreError(f"Cannot reach the PostgreSQL database {shown}: {message}")
    return None


def _first_line(message: str) -> str:
    """libpq's messages run over several lines (hints, the server tried); keep the gist."""
    lines = [ln.strip() for ln in message.strip().splitlines() if ln.strip()]
    gist = lines[0] if lines else "unknown error"
    gist = gist.removeprefix("connection failed: ")
    for level in ("FATAL:  ", "ERROR:  "):
        gist = gist.replace(level, "")
    return gist.rstrip(".")
