"""The article browser: collection and status filters, search as you type, the list.

It tells an empty database from a search or filter that matches nothing (and offers to
clear it), and it notices articles another process imported: ``watch_database`` polls a
change counter that reads no table (``store.browse.ChangeCounter``) and refreshes the list
in place, keeping the selection and the scroll position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.store.listing import MIN_PREFIX, typed_words, waits_for_more
from desktop.ui import icons
from desktop.ui.article_table import ArticleTableModel, PageLoader
from desktop.ui.database_watch import WATCH_INTERVAL_MS, DatabaseWatch

if TYPE_CHECKING:
    from desktop.store import Database
    from desktop.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 120
ALL = ""
EMPTY_DATABASE = (
    "No articles here yet.\n\nImport .txt, .html or .jsonl files with "
    "File ▸ Import (Ctrl+O), or drop them on this window."
)


class ArticleBrowser(QWidget):
    """Lists the articles of a collection; emits ``article_selected`` with a database id."""

    article_selected = Signal(int)
    query_changed = Signal()

    def __init__(self, loader: PageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ArticleTableModel(loader, self)
        self._wanted: int | None = None

        self.collection_box = QComboBox()
        self.collection_box.setObjectName("collectionBox")
        self.collection_box.setToolTip("Collection")
        self.collection_box.addItem("All collections", ALL)
        self.status_box = QComboBox()
        self.status_box.setObjectName("statusBox")
        self.status_box.setToolTip("Review status")
        for text, value in (
            ("Any status", ALL),
            ("Unreviewed", "unreviewed"),
            ("In review", "in_review"),
            ("Reviewed", "reviewed"),
        ):
            self.status_box.addItem(text, value)
        # "Assigned to me": shown once the window knows its annotator (set_annotator)
        self.mine_box = QCheckBox("Assigned to me")
        self.mine_box.setObjectName("assignedToMe")
        self.mine_box.hide()
        self._me: str | None = None
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        # a last word of one letter would match most of the index: it waits for the second
        self.search.setPlaceholderText(f"Search titles and texts: {MIN_PREFIX}+ letters (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        magnifier = self.search.addAction(QIcon(), QLineEdit.ActionPosition.LeadingPosition)
        icons.later(magnifier, "mdi6.magnify")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        # shown instead of an empty list when a search or filter matches nothing
        self.empty_note = QLabel()
        self.empty_note.setObjectName("emptyNote")
        self.empty_note.setWordWrap(True)
        self.empty_note.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QPushButton("Clear the search and filters")
        self.clear_button.setObjectName("clearFilters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.empty_box = QWidget()
        empty_layout = QVBoxLayout(self.empty_box)
        empty_layout.setContentsMargins(4, 8, 4, 8)
        empty_layout.addWidget(self.empty_note)
        empty_layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.empty_box.hide()

        # a table, not a tree: QTreeView asks for more rows at every layout and so would
        # page through the whole collection by itself
        self.view = QTableView()
        self.view.setObjectName("articleList")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # no sort indicator: the list starts in import order; a header click sorts
        header = self.view.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 82), (2, 26), (3, 34), (4, 34), (5, 50)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.installEventFilter(self)
        self.search.installEventFilter(self)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.collection_box, 2)
        filters.addWidget(self.status_box, 1)
        filters.addWidget(self.mine_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.search)
        layout.addWidget(self.empty_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.collection_box.currentIndexChanged.connect(self.apply_filters)
        self.status_box.currentIndexChanged.connect(self.apply_filters)
        self.mine_box.toggled.connect(self.apply_filters)
        self.model.loaded.connect(self._on_loaded)
        self.model.rowsInserted.connect(self._update_count)
        self.model.refreshed.connect(self._after_refresh)
        self._loaded_once = False
        self._scroll_kept: int | None = None
        self._watch: DatabaseWatch | None = None

    # --- filters ----------------------------------------------------------------------

    def set_collections(self, names: list[str], current: str | None = None) -> None:
        keep = current if current is not None else self.collection()
        self.collection_box.blockSignals(True)
        self.collection_box.clear()
        self.collection_box.addItem("All collections", ALL)
        for name in names:
            self.collection_box.addItem(elide(name, 60), name)  # no name widens the box
        found = self.collection_box.findData(keep or ALL)
        self.collection_box.setCurrentIndex(max(found, 0))
        self.collection_box.blockSignals(False)

    def collection(self) -> str | None:
        return self.collection_box.currentData() or None

    def set_annotator(self, name: str, offer: bool = True) -> None:
        """Who "Assigned to me" means (and whether to offer the box at all)."""
        self._me = name
        self.mine_box.setToolTip(f"Only the articles assigned to {elide(name, 40)}")
        self.mine_box.setVisible(offer)
        if self.mine_box.isChecked():
            self.apply_filters()

    def apply_filters(self) -> None:
        """List what the filters and the search box say now (typing waits a moment)."""
        query = self.model.query.with_(
            collection=self.collection(),
            status=self.status_box.currentData() or None,
            search=self.search.text(),
            assigned_to=self._me if self.mine_box.isChecked() else None,
        )
        if query != self.model.query:
            self._scroll_kept = None
            self.model.set_query(query)
            self.query_changed.emit()

    def reload(self, select_id: int | None = None) -> None:
        """Fetch the list again, keeping (or moving to) the selected article."""
        self._wanted = select_id if select_id is not None else self.current_id()
        self._scroll_kept = None
        self.model.reload()

    def _on_loaded(self) -> None:
        self._loaded_once = True
        self._update_count()
        row = self.model.row_of(self._wanted) if self._wanted is not None else -1
        if row < 0 and self.model.rowCount() and self._wanted is not None:
            row = 0
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))
        if self._scroll_kept is not None:  # a refresh: stay where the analyst was
            self.view.verticalScrollBar().setValue(self._scroll_kept)
            self._scroll_kept = None

    def _update_count(self) -> None:
        total = self.model.total
        shown = "article" if total == 1 else "articles"
        more = waits_for_more(self.search.text())
        hint = f" · type {MIN_PREFIX} letters to search" if more else ""
        self.count_label.setText(f"{total:,} {shown}{hint}")
        nothing_matches = self._loaded_once and total == 0 and self.filtered()
        if nothing_matches:
            self.empty_note.setText(self.empty_message())
        self.empty_box.setVisible(nothing_matches)

    # --- what an empty list means ---------------------------------------------------------

    def filtered(self) -> bool:
        """Whether a search, a status or a collection narrows the list."""
        query = self.model.query
        narrowed = query.status or query.collection or query.assigned_to
        return bool(typed_words(query.search) or narrowed)

    def empty_message(self) -> str:
        """What to say when the list is empty: an empty database, or nothing matching."""
        query = self.model.query
        if not self.filtered():
            return EMPTY_DATABASE
        where = []
        if query.status:
            where.append(f"with the status {self.status_box.currentText().lower()}")
        if query.collection:
            where.append(f"in the collection “{elide(query.collection, 60)}”")
        if query.assigned_to:
            where.append(f"assigned to {elide(query.assigned_to, 40)}")
        scope = (" " + " ".join(where)) if where else ""
        if query.search.strip():
            return (
                f"No article{scope} matches “{elide(query.search.strip(), 80)}”.\n\n"
                "Clear the search (Esc) or the filters to see the others."
            )
        return f"No articles{scope}.\n\nClear the filters to see the others."

    def clear_filters(self) -> None:
        """Show every article again: no search, any status, all collections, anyone's."""
        for box in (self.collection_box, self.status_box):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.mine_box.blockSignals(True)
        self.mine_box.setChecked(False)
        self.mine_box.blockSignals(False)
        self.apply_filters()

    # --- changes made by other processes ----------------------------------------------------

    def watch_database(
        self, runner: TaskRunner, db: Database, interval_ms: int = WATCH_INTERVAL_MS
    ) -> None:
        """Notice what other processes commit (an import from the command line): look at
        the database's change counter every ``interval_ms`` and when the window is
        activated, and refresh the collections and the list when it moved."""
        from desktop.services import library

        if self._watch is not None:
            self._watch.stop()
        self._watch = DatabaseWatch(self, runner, db, interval_ms)

        def changed() -> None:
            self.refresh()
            runner.run(
                "collections",
                lambda _p, _c: library.collection_names(db),
                lambda names: self.set_collections(names),
            )

        self._watch.changed.connect(changed)

    def refresh(self) -> None:
        """Fetch the list again after an outside change, staying on the same article."""
        self._wanted = self.current_id()
        self._scroll_kept = self.view.verticalScrollBar().value()
        self.model.refresh()

    def _after_refresh(self) -> None:
        self._scroll_kept = None
        self._update_count()

    # --- selection and keys -----------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.article_id(index.row()) if index.isValid() else None

    def select(self, article_id: int) -> None:
        row = self.model.row_of(article_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
        else:
            self.reload(select_id=article_id)

    def step(self, delta: int) -> None:
        """Move the selection ``delta`` rows (next/previous article)."""
        current = self.view.currentIndex()
        row = (current.row() if current.isValid() else -1) + delta
        if row >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = self.model.article_id(current.row()) if current.isValid() else None
        if article_id is not None:
            self.article_selected.emit(article_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                if self.search.text():
                    self.search.clear()
                    return True
        if watched is self.view and isinstance(event, QKeyEvent):
            moves: dict[int, Callable[[], None]] = {
                Qt.Key.Key_J: lambda: self.step(1),
                Qt.Key.Key_K: lambda: self.step(-1),
            }
            plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
            if event.type() == QEvent.Type.KeyPress and plain and event.key() in moves:
                moves[event.key()]()
                return True
        return super().eventFilter(watched, event)
