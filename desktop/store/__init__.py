"""The SQLite store: tables, migrations, the database handle and repositories.

``Database`` and ``StoreError`` are loaded on first use (PEP 562), so that the modules that
need no SQLAlchemy (``first_screen``, ``integrity``, ``errors``, ``location``) import
without it: the window's first screen reads the file with ``sqlite3`` alone (issue 16).
"""

# no ``from __future__ import annotations`` here: it would bind the name ``annotations``
# in this package and hide the submodule ``desktop.store.annotations``
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.store.database import Database
    from desktop.store.errors import StoreError

__all__ = ["Database", "StoreError"]


def __getattr__(name: str) -> Any:
    if name == "Database":
        from desktop.store.database import Database

        return Database
    if name == "StoreError":
        from desktop.store.errors import StoreError

        return StoreError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
