"""The concordance: every quote of one record across the filtered articles (quote, article,
date, outlet). Double-click (or Return) opens the article at that quote; the context menu
edits the quote there, with the same edit as in the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QLabel, QMenu, QVBoxLayout, QWidget

from desktop.domain.names import elide
from desktop.domain.offsets import qt_safe
from desktop.domain.people import ArticleFilter, ConcordanceLine
from desktop.ui.paged_model import Deliver, Loader, PagedTableModel
from desktop.ui.row_table import Selection, row_table

PAGE_SIZE = 200
COLUMNS = ("Quote", "Article", "Date", "Outlet")
KINDS = (("Direct", "direct"), ("Mixed", "mixed"), ("Indirect", "indirect"))


@dataclass(frozen=True)
class ConcordanceQuery:
    """Whose quotes the concordance lists (``person_id`` None: nobody's), under which filter."""

    person_id: int | None = None
    filter: ArticleFilter = ArticleFilter()


# loader(query, offset, limit, deliver): a page of lines off the GUI thread, then
# deliver(lines, total) on the GUI thread
ConcordanceLoader = Loader[ConcordanceQuery, ConcordanceLine]


def no_lines(
    _query: ConcordanceQuery, _offset: int, _limit: int, deliver: Deliver[ConcordanceLine]
) -> None:
    """The loader of a concordance with nothing to read."""
    deliver([], 0)


class ConcordanceModel(PagedTableModel[ConcordanceQuery, ConcordanceLine]):
    """The quotes of one record, one row each, in the order the service gives, read a page
    at a time as the table scrolls (a record may be quoted thousands of times)."""

    QUOTE, ARTICLE, DATE, OUTLET = range(4)
    COLUMNS = COLUMNS

    def __init__(self, loader: ConcordanceLoader = no_lines, parent: Any = None) -> None:
        super().__init__(loader, ConcordanceQuery(), parent)

    def page_size(self) -> int:
        return PAGE_SIZE

    def line(self, row: int) -> ConcordanceLine | None:
        return self.row_at(row)

    @property
    def lines(self) -> list[ConcordanceLine]:
        """The lines loaded so far."""
        return list(self._rows)

    def cell(self, line: ConcordanceLine, column: int, role: int) -> Any:
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

    def __init__(self, loader: ConcordanceLoader = no_lines, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ConcordanceModel(loader, self)
        self.model.loaded.connect(self._show_heading)
        self._name = ""
        self.articles = 0  # how many articles the record's lines are in (the loader sets it)
        self.heading = QLabel("Pick a source to see its quotes.")
        self.heading.setObjectName("concordanceHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = row_table("concordance", self.model, Selection.SingleSelection, (220, 86, 130))
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu_at)
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def show_record(self, name: str, person_id: int, filter: ArticleFilter) -> None:
        """List the record's quotes under ``filter``, its first page now, more on scrolling."""
        self._name = name
        self.model.set_query(ConcordanceQuery(person_id, filter))

    def _show_heading(self) -> None:
        if self.model.query.person_id is None:
            return
        count, articles = self.model.total, self.articles
        quotes = "quote" if count == 1 else "quotes"
        in_articles = "article" if articles == 1 else "articles"
        self.heading.setText(
            qt_safe(f"{elide(self._name, 120)}: {count:,} {quotes} in {articles:,} {in_articles}")
        )

    def clear(self, message: str = "Pick a source to see its quotes.") -> None:
        self.model.set_query(ConcordanceQuery())
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
