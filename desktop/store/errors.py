"""Store errors that say what went wrong in words an analyst can act on."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path


class StoreError(Exception):
    """A database problem the user can act on (the message says how)."""


class DatabaseLockedError(StoreError):
    pass


class DiskFullError(StoreError):
    pass


class ReadOnlyDatabaseError(StoreError):
    pass


class NotADatabaseError(StoreError):
    """The file is not a Quotedesk database that can be used: the window offers a backup."""


class DamagedDatabaseError(NotADatabaseError):
    """A Quotedesk database SQLite finds damaged (quick_check, or "malformed")."""


class ForeignDatabaseError(NotADatabaseError):
    """A SQLite file of another program: refused, left byte for byte as it was."""


class ForeignWalError(NotADatabaseError):
    """A ``-wal`` beside the database that another database wrote."""


class NewerSchemaError(StoreError):
    pass


class UnstorableError(StoreError):
    """A value this engine cannot hold (PostgreSQL: the NUL character): the article that
    holds it is refused alone, the others go on."""


class ConflictError(StoreError):
    """Another window or process changed the article since it was read."""


def translate(exc: BaseException, path: str) -> StoreError | None:
    """Map a DBAPI/SQLAlchemy error to a StoreError, or None when it is a bug."""
    # SQLAlchemy is not imported here (the first screen reads without it); an error of
    # its own means it is loaded already
    sa_exc = sys.modules.get("sqlalchemy.exc")
    wrapped = sa_exc is not None and isinstance(exc, sa_exc.DBAPIError)
    orig = exc.orig if wrapped else exc  # type: ignore[attr-defined]
    if not isinstance(orig, sqlite3.Error):
        return None
    text = str(orig).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            f"The database {path} is locked by another program; close it or try again."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFullError(f"The disk holding {path} is full; free some space and try again.")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"The database {path} is read-only; nothing can be saved.")
    if "could not decode to utf-8" in text:
        return DamagedDatabaseError(
            f"{path} is damaged: a text stored in it is not valid UTF-8; restore a backup."
        )
    if "malformed" in text:
        return DamagedDatabaseError(
            f"{path} is damaged (SQLite found a malformed page); restore a backup."
        )
    if "unsupported file format" in text:  # the schema format number on page 1
        return DamagedDatabaseError(
            f"{path} is damaged (its header names an unknown file format); restore a backup."
        )
    if "not a database" in text or "file is encrypted" in text:
        return NotADatabaseError(f"{path} is not a Quotedesk database, or it is damaged.")
    if "unable to open" in text and _read_only(path):
        return ReadOnlyDatabaseError(
            f"The database {path} is on a read-only disk or in a folder you cannot write "
            "to; Quotedesk cannot save to it. Make it writable, or copy it somewhere "
            "writable and open the copy."
        )
    if "unable to open" in text:
        return StoreError(f"Cannot open the database {path}: check the folder exists.")
    if "disk i/o error" in text and _nearly_full(path):
        return DiskFullError(f"The disk holding {path} is full; free some space and try again.")
    if "disk i/o error" in text:
        return StoreError(
            f"The disk holding {path} failed to read or write; check the disk (is it full, "
            "removed or failing?) and try again."
        )
    return None


def _nearly_full(path: str) -> bool:
    """Whether the disk holding the database has (almost) no room left: SQLite reports a
    failed write of its shared-memory or journal file as an I/O error, not as 'full'."""
    try:
        st = os.statvfs(Path(path).parent)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < 256 * 1024


def _read_only(path: str) -> bool:
    """Whether the database file or its folder cannot be written (a read-only mount, or
    permissions that the current user lacks)."""
    target = Path(path)
    folder = target.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    if target.exists() and not os.access(target, os.W_OK):
        return True
    return folder.exists() and not os.access(folder, os.W_OK)
