"""The window's first screen without SQLAlchemy (issue 16): ``store.first_screen`` reads it
with ``sqlite3``; this hands it to the window with the article's labels as the window takes
them. None means the window takes its full path (``Database.open``, then its reads).

``DatabaseOnDemand`` stands for the window's database until it is opened (after the first
paint, or at the first use before that): the window never waits for the store to show.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.domain.labels import LabelDef, labels_from_json
from desktop.store.errors import StoreError
from desktop.store.first_screen import StoredScreen, read_first_screen
from desktop.store.location import parse_location

if TYPE_CHECKING:
    from desktop.store import Database

# who annotates, when set: ``services.team.ANNOTATOR_ENV`` (a test keeps them equal)
ANNOTATOR_ENV = "QUOTEDESK_ANNOTATOR"
# the browser's page (``ui.paged_model.PAGE_SIZE``; a test keeps them equal)
FIRST_PAGE = 200
# what the window's status bar says after the analysis of an analyzed article (a test
# keeps it equal to ``analysis.AnalysisReport().summary()`` as the window writes it)
NOTHING_TO_ANALYZE = "Nothing to analyze"


@dataclass(frozen=True)
class FirstScreen:
    """``StoredScreen`` and the shown article's collection labels (``labels.article_labels``)."""

    stored: StoredScreen
    labels: list[LabelDef]
    path: Path  # the database file
    location: str = ""  # as given (``--db``, ``$QUOTEDESK_DB``, the Preferences)
    open_id: str | None = None  # the ``--open`` it was read for
    last_article: str = ""  # the last article shown, as it was read for
    _used: set[str] = field(default_factory=set, compare=False, repr=False)

    def used(self, part: str) -> bool:
        """Whether ``part`` was handed over already (each answers one first read); marks it."""
        seen = part in self._used
        self._used.add(part)
        return seen


def first_screen(
    location: str, open_id: str | None, last_article: str, limit: int, checks: bool = True
) -> FirstScreen | None:
    """What the window shows first at ``location`` (a path; a server URL gives None);
    ``checks``: as ``read_first_screen``'s."""
    try:
        where = parse_location(location)
    except StoreError:
        return None
    if not isinstance(where, Path):
        return None
    stored = read_first_screen(where, open_id, last_article, limit, checks)
    if stored is None or (open_id is not None and not stored.analyzed):
        return None  # (an ``--open`` to analyze first: the model and the store are needed)
    return FirstScreen(
        stored, labels_from_json(stored.labels), where, location, open_id, last_article
    )


class DatabaseOnDemand:
    """The window's ``Database`` before it is open: ``path``, ``location`` and ``on_server``
    at once; anything else opens it (``Database.open(path, daily_backup=False)``, once,
    whichever thread asks first) and is the open database's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)  # as Database.location
        self.on_server = False
        self._db: Database | None = None
        self._lock = threading.Lock()

    def open(self) -> Database:
        with self._lock:
            if self._db is None:
                from desktop.store import Database

                self._db = Database.open(self.path, daily_backup=False)
            return self._db

    @property
    def opened(self) -> bool:
        return self._db is not None

    def restore(self, backup: Path) -> Path | None:
        """Put a backup in place of the database, open or not (a store that cannot open
        is what a restore is for); returns where the current state was saved."""
        with self._lock:
            if self._db is not None:
                return self._db.restore(backup)
            from desktop.store.database import restore_backup

            return restore_backup(backup, self.path)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.open(), name)
