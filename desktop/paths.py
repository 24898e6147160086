"""Where Quotedesk keeps its files by default (platformdirs' user folders)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_DIR_NAME = "Quotedesk"


def default_db_path() -> Path:
    """``$QUOTEDESK_DB``, else ``quotedesk.sqlite3`` in the user data folder (as a path:
    ``default_db`` keeps a PostgreSQL URL whole)."""
    env = os.environ.get("QUOTEDESK_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path(APP_DIR_NAME, appauthor=False, ensure_exists=True) / "quotedesk.sqlite3"


def default_db(preferred: str = "") -> str:
    """Where the database is when ``--db`` does not say: ``$QUOTEDESK_DB`` as written (a
    path or a PostgreSQL URL, which ``Path`` would mangle), else ``preferred`` (the window's
    Preferences), else the file in the user data folder. ``desktop.store.location.
    parse_location`` tells which."""
    return os.environ.get("QUOTEDESK_DB") or preferred.strip() or str(default_db_path())


def models_dir() -> Path:
    """Where trained pipelines are kept: ``models`` in the user data folder, one folder each."""
    return user_data_path(APP_DIR_NAME, appauthor=False, ensure_exists=True) / "models"


def log_dir() -> Path:
    return user_log_path(APP_DIR_NAME, appauthor=False, ensure_exists=True)
