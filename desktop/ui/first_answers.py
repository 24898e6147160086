"""A window's first reads answered from its first screen, before the store is open (issue 16).

``MainWindow`` asks the store for the collections, the list's first page, the article it
picks and an ``--open``'s article; with a first screen (``services.first_screen``, read with
``sqlite3`` alone) each of those first questions is answered from it instead, once, the
answer handed over as a worker's result would be (after the events already posted). Any
other question, or the same one again, goes to the store. ``open_store`` then opens the
database on a thread of its own after the first paint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer

from desktop.domain import Article
from desktop.domain.labels import LabelDef, labels_from_json
from desktop.services.first_screen import FIRST_PAGE, FirstScreen
from desktop.store.listing import ArticleSummary, BrowseQuery

if TYPE_CHECKING:
    from desktop.services.team_editing import LayerEditor
    from desktop.store import Database

OPEN_POLL_MS = 10  # how often a window that opens its store looks whether it is open
OPEN_RETRY_MS = 2000  # how long after a failed open the store is tried again

Shown = tuple[Article, bool, tuple[str, list[LabelDef]]]


class FirstAnswers:
    """The answers of one first screen, each given at most once."""

    def __init__(self, first: FirstScreen) -> None:
        self.first = first
        self.stored = first.stored

    def _give(self, part: str, deliver: Callable[[], None]) -> bool:
        if self.first.used(part):
            return False
        QTimer.singleShot(0, deliver)
        return True

    def page(
        self,
        query: BrowseQuery,
        offset: int,
        limit: int,
        deliver: Callable[[list[ArticleSummary], int], None],
    ) -> bool:
        """The list's first page (the unfiltered list in import order) when that is asked."""
        if (query, offset, limit) != (BrowseQuery(), 0, FIRST_PAGE):
            return False
        return self._give("page", lambda: deliver(self.stored.page, self.stored.total))

    def collections(self, apply: Callable[[list[str]], None]) -> bool:
        return self._give("collections", lambda: apply(self.stored.collections))

    def article(self, article_id: int, shown: Callable[[Shown], None]) -> bool:
        """An article the first screen holds (the one shown, or the list's pick on the way
        to an ``--open``), as ``MainWindow.show_article``'s worker reads it."""
        held = [a for a in (self.stored.shown, self.stored.picked) if a and a.id == article_id]
        if not held:
            return False
        one = held[0]
        result = (one.article, one.analyzed, (one.collection, labels_from_json(one.labels)))
        return self._give(f"article {article_id}", lambda: shown(result))

    def find(self, external_id: str, found: Callable[[int | None], None]) -> bool:
        """The database id of the ``--open`` article the first screen was read for."""
        if external_id != self.first.open_id:
            return False
        return self._give("open", lambda: found(self.stored.article_id))

    def analyzed(self, article_id: int) -> bool:
        """Whether the article is the first screen's and analyzed (no analysis to run)."""
        return article_id == self.stored.article_id and self.stored.analyzed


def layer_editor(db: Database) -> LayerEditor:
    """The window's editor (one's own layer in parallel work) on ``db``."""
    from desktop.services.team_editing import LayerEditor

    return LayerEditor(db)


def open_store(
    owner: QObject,
    open_now: Callable[[], Database],
    opened: Callable[[Database], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Run ``open_now`` (``DatabaseOnDemand.open``) on a daemon thread of its own, not the
    window's runner, and hand its database to ``opened`` on the GUI thread: a window closed
    while the store opens exits at once, the open abandoned (a file the first screen read is
    at ``HEAD_REVISION`` with its stamp: the open writes nothing). When the open fails (the
    file locked, damaged or replaced since the first screen was read) its error goes to
    ``failed`` once, and the open is tried again every ``OPEN_RETRY_MS`` until it succeeds
    (a restore in between puts a good file in place), so that the window never stays half
    set up."""
    told = False

    def attempt() -> None:
        result: list[Database | BaseException] = []

        def run() -> None:
            try:
                result.append(open_now())
            except BaseException as exc:  # noqa: BLE001  the window shows it
                result.append(exc)

        def poll() -> None:
            nonlocal told
            if not shiboken6.isValid(owner):
                return
            if not result:
                QTimer.singleShot(OPEN_POLL_MS, poll)
            elif isinstance(result[0], BaseException):
                if not told:
                    told = True
                    failed(result[0])
                QTimer.singleShot(OPEN_RETRY_MS, attempt)
            else:
                opened(result[0])

        if not shiboken6.isValid(owner):
            return
        threading.Thread(target=run, name="open the database", daemon=True).start()
        QTimer.singleShot(OPEN_POLL_MS, poll)

    attempt()
