"""Preferences, declared once with their types and defaults, stored in QSettings.

User data lives in SQLite; only how the window looks and behaves lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
SPLITTER_STATE = Setting("window/splitter", QByteArray, QByteArray())
LAST_ARTICLE = Setting("browse/last_article", str, "")
MODEL = Setting("analysis/model", str, "")  # empty: the best installed pipeline
# worker processes for batch analysis; 0: one per core (nlp/workers.py), 1: none
ANALYSIS_JOBS = Setting("analysis/jobs", int, 0)
THEME = Setting("view/theme", str, "system")
LAST_COLLECTION = Setting("browse/last_collection", str, "")
# the sidebar's order of a source's quotes: "position" (reading order) or "confidence"
QUOTE_ORDER = Setting("view/quote_order", str, "position")
# the window's database when neither --db nor $QUOTEDESK_DB says: a file or a PostgreSQL URL,
# never with a password (store.location.shown); empty: the file in the user data folder
DATABASE = Setting("database/location", str, "")
# a database file the app created whose sample article has not gone in yet (first_launch)
SAMPLE_PENDING = Setting("first_launch/sample_pending", str, "")


class Settings:
    """Typed access to QSettings; pass one in so tests can use a temporary file."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings or QSettings()

    def get(self, setting: Setting[T]) -> T:
        value: Any = self._q.value(setting.key, setting.default)
        if value is None:
            return setting.default
        if setting.type is QByteArray:
            return cast(T, value) if isinstance(value, QByteArray) else setting.default
        try:
            return setting.type(value)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        self._q.setValue(setting.key, value)

    def sync(self) -> None:
        self._q.sync()
