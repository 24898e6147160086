"""The window's collection-wide rooms: the sources index (with the concordance) and the
statistics, as tabs beside the articles room, sharing one filter.

A quote picked in the concordance opens in the articles room, selected in the text and the
sidebar; editing it from the concordance opens it the same way and makes the very edit the
sidebar makes (``EditController``), so it is saved, shown and undone like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget

from desktop.ui.edit_controller import EditController
from desktop.ui.record_edits import RecordEdits
from desktop.ui.record_filter import FilterState
from desktop.ui.sources_view import SourcesView
from desktop.ui.stats_view import StatsView
from desktop.ui.window_host import WindowHost

if TYPE_CHECKING:
    from desktop.services.sources import RecordEditor

ARTICLES_ROOM = 0


class CollectionViews(QObject):
    """Adds the Sources and Statistics tabs to ``rooms`` and a View menu to the window."""

    def __init__(self, window: WindowHost, rooms: QTabWidget, edits: EditController) -> None:
        super().__init__(window)
        self.window, self.rooms, self.edits = window, rooms, edits
        self.state = FilterState(self)
        # the record editor is made at the first record edit: the window starts without
        # the services (issue 16)
        self.record_edits = RecordEdits(
            None, edits.stack, window.show_error, self, make_editor=self._record_editor
        )
        self.sources_view = SourcesView(
            window.db, window.runner, self.state, self.record_edits, window.ask, window.show_error
        )
        self.stats_view = StatsView(window.db, window.runner, self.state, window.show_error)
        rooms.addTab(self.sources_view, "Sources")
        rooms.addTab(self.stats_view, "Statistics")
        self._collection_taken = False
        rooms.currentChanged.connect(self._on_room)

        view = self.sources_view
        view.open_quote.connect(lambda a, s, e: self.open_quote(a, s, e))
        view.open_article.connect(self.open_article)
        view.kind_requested.connect(
            lambda a, s, e, kind: self.open_quote(a, s, e, lambda: edits.set_kind((s, e), kind))
        )
        view.delete_requested.connect(
            lambda a, s, e: self.open_quote(a, s, e, lambda: edits.delete_quote((s, e)))
        )
        self._view_menu()

    def _record_editor(self) -> RecordEditor:
        from desktop.services.sources import RecordEditor

        return RecordEditor(self.window.db)

    def open_quote(
        self, article_id: int, start: int, end: int, then: Callable[[], None] | None = None
    ) -> None:
        """Show the article in the articles room with the quote at ``start:end`` selected,
        then run ``then`` (an edit of that quote) once it is on screen."""
        self.rooms.setCurrentIndex(ARTICLES_ROOM)
        browser = self.window.browser
        if browser.model.row_of(article_id) >= 0 and browser.current_id() != article_id:
            browser.select(article_id)  # listed: the browser follows
        self.window.show_article(article_id, focus=(start, end), then=then)

    def open_article(self, article_id: int) -> None:
        """Show the article in the articles room (no quote picked)."""
        self.rooms.setCurrentIndex(ARTICLES_ROOM)
        if self.window.browser.model.row_of(article_id) >= 0:
            self.window.browser.select(article_id)
        if self.window.current_id != article_id:
            self.window.show_article(article_id)

    def show_room(self, index: int) -> None:
        self.rooms.setCurrentIndex(index)

    def _on_room(self, index: int) -> None:
        """The first visit to a collection room starts from the browser's collection."""
        if index != ARTICLES_ROOM and not self._collection_taken:
            self._collection_taken = True
            collection = self.window.browser.collection()
            if collection and self.state.filter.collection is None:
                self.state.update(collection=collection)

    def _view_menu(self) -> None:
        """A View menu (before Settings) with a key for each room: Ctrl+1, Ctrl+2, Ctrl+3."""
        bar = self.window.menuBar()
        menu = bar.addMenu("&View")
        for n in range(self.rooms.count()):
            action = QAction(self.rooms.tabText(n), self.window)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _=False, i=n: self.show_room(i))
            menu.addAction(action)
            self.window.addAction(action)  # the key works wherever the focus is
        before = next((a for a in bar.actions() if a.text() == "&Settings"), None)
        if before is not None:
            bar.insertMenu(before, menu)
