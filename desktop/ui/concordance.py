"""The concordance: every quote of one record across the filtered articles (quote, article,
date, outlet). Double-click (or Return) opens the article at that quote; the context menu
edits the quote there, with the same edit as in the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.domain.offsets import qt_safe
from desktop.domain.people import ConcordanceLine

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Quote", "Article", "Date", "Outlet")
KINDS = (("Direct", "direct"), ("Mixed", "mixed"), ("Indirect", "indirect"))


class ConcordanceModel(QAbstractTableModel):
    """The quotes of one record, one row each, in the order the service gives."""

    QUOTE, ARTICLE, DATE, OUTLET = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[ConcordanceLine] = []

    def set_lines(self, lines: Sequence[ConcordanceLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def line(self, row: int) -> ConcordanceLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    @property
    def lines(self) -> list[ConcordanceLine]:
        return list(self._lines)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line(index.row()) if index.isValid() else None
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.QUOTE:  # one line, elided: no quote makes a row slow to paint
                return qt_safe(elide(" ".join(line.text.split()), 300))
            if column == self.ARTICLE:
                return qt_safe(elide(line.title or line.external_id, 120))
            if column == self.DATE:
                return (line.published or "")[:10]
            return qt_safe(elide(line.outlet or "", 60))
        if role == Qt.ItemDataRole.ToolTipRole:
            said = f"{line.kind} quote, said by {elide(line.source_name, 120)}"
            return qt_safe(f"{elide(line.text, 1200)}\n\n{said}\n{elide(line.title, 200)}")
        return None


class ConcordanceView(QWidget):
    """The table of a record's quotes; asks the window to open or edit them."""

    open_requested = Signal(int, int, int)  # article id, quote start, quote end
    kind_requested = Signal(int, int, int, str)  # ... and the new kind
    delete_requested = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ConcordanceModel(self)
        self.heading = QLabel("Pick a source to see its quotes.")
        self.heading.setObjectName("concordanceHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableView()
        self.table.setObjectName("concordance")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 220), (2, 86), (3, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu_at)
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def show_lines(self, name: str, lines: Sequence[ConcordanceLine]) -> None:
        self.model.set_lines(lines)
        count = len(lines)
        quotes = "quote" if count == 1 else "quotes"
        articles = len({line.article_id for line in lines})
        in_articles = "article" if articles == 1 else "articles"
        self.heading.setText(
            qt_safe(f"{elide(name, 120)}: {count:,} {quotes} in {articles:,} {in_articles}")
        )

    def clear(self, message: str = "Pick a source to see its quotes.") -> None:
        self.model.set_lines([])
        self.heading.setText(message)

    def _open(self, row: int) -> None:
        line = self.model.line(row)
        if line is not None:
            self.open_requested.emit(line.article_id, line.start, line.end)

    def build_menu(self, row: int) -> QMenu | None:
        """The context menu of a row (None off the rows)."""
        line = self.model.line(row)
        if line is None:
            return None
        menu = QMenu(self)
        opened = menu.addAction("Open the article at this quote")
        opened.triggered.connect(lambda: self._open(row))
        kinds = menu.addMenu("Kind")
        for text, kind in KINDS:
            action = QAction(text, kinds)
            action.setCheckable(True)
            action.setChecked(line.kind == kind)
            action.triggered.connect(
                lambda _=False, k=kind: self.kind_requested.emit(
                    line.article_id, line.start, line.end, k
                )
            )
            kinds.addAction(action)
        delete = menu.addAction("Delete this quote")
        delete.triggered.connect(
            lambda: self.delete_requested.emit(line.article_id, line.start, line.end)
        )
        return menu

    def _menu_at(self, point: QPoint) -> None:
        menu = self.build_menu(self.table.indexAt(point).row())
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(point))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.table and isinstance(event, QKeyEvent):
            is_open = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if event.type() == QKeyEvent.Type.KeyPress and is_open:
                self._open(self.table.currentIndex().row())
                return True
        return super().eventFilter(watched, event)
