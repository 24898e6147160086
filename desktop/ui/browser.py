"""The article browser: collection and status filters, search as you type, the list."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import icons
from desktop.ui.article_table import ArticleTableModel, PageLoader

SEARCH_DELAY_MS = 120
ALL = ""


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
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search titles and texts (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        magnifier = self.search.addAction(QIcon(), QLineEdit.ActionPosition.LeadingPosition)
        icons.later(magnifier, "mdi6.magnify")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

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
        for column, width in ((1, 82), (2, 26), (3, 34), (4, 34)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        self.view.installEventFilter(self)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.collection_box, 2)
        filters.addWidget(self.status_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.collection_box.currentIndexChanged.connect(self._apply_filters)
        self.status_box.currentIndexChanged.connect(self._apply_filters)
        self.model.loaded.connect(self._on_loaded)
        self.model.rowsInserted.connect(self._update_count)

    # --- filters ----------------------------------------------------------------------

    def set_collections(self, names: list[str], current: str | None = None) -> None:
        keep = current if current is not None else self.collection()
        self.collection_box.blockSignals(True)
        self.collection_box.clear()
        self.collection_box.addItem("All collections", ALL)
        for name in names:
            self.collection_box.addItem(name, name)
        found = self.collection_box.findData(keep or ALL)
        self.collection_box.setCurrentIndex(max(found, 0))
        self.collection_box.blockSignals(False)

    def collection(self) -> str | None:
        return self.collection_box.currentData() or None

    def _apply_filters(self) -> None:
        query = self.model.query.with_(
            collection=self.collection(),
            status=self.status_box.currentData() or None,
            search=self.search.text(),
        )
        if query != self.model.query:
            self.model.set_query(query)
            self.query_changed.emit()

    def reload(self, select_id: int | None = None) -> None:
        """Fetch the list again, keeping (or moving to) the selected article."""
        self._wanted = select_id if select_id is not None else self.current_id()
        self.model.reload()

    def _on_loaded(self) -> None:
        self._update_count()
        row = self.model.row_of(self._wanted) if self._wanted is not None else -1
        if row < 0 and self.model.rowCount() and self._wanted is not None:
            row = 0
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))

    def _update_count(self) -> None:
        total = self.model.total
        shown = "article" if total == 1 else "articles"
        self.count_label.setText(f"{total:,} {shown}")

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
