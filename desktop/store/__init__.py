"""The SQLite store: tables, migrations, the database handle and repositories."""

from desktop.store.database import Database
from desktop.store.errors import StoreError

__all__ = ["Database", "StoreError"]
