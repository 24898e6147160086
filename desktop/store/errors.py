"""Store errors that say what went wrong in words an analyst can act on."""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc


class StoreError(Exception):
    """A database problem the user can act on (the message says how)."""


class DatabaseLockedError(StoreError):
    pass


class DiskFullError(StoreError):
    pass


class ReadOnlyDatabaseError(StoreError):
    pass


class NotADatabaseError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class ConflictError(StoreError):
    """Another window or process changed the article since it was read."""


def translate(exc: BaseException, path: str) -> StoreError | None:
    """Map a DBAPI/SQLAlchemy error to a StoreError, or None when it is a bug."""
    orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
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
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return NotADatabaseError(f"{path} is not a Quotedesk database, or it is damaged.")
    if "unable to open" in text:
        return StoreError(f"Cannot open the database {path}: check the folder exists.")
    return None
