"""The article browser's item model: pages of ``ArticleSummary`` rows fetched on demand.

Rows arrive a page at a time from a background task, so a collection of 100,000 articles
opens at once; sorting happens in the database (the view calls ``sort``), and each next page
is asked for as the rows after the last one shown (keyset paging, ``BrowseQuery.after``).
The last column is each article's least certain quote ("Lowest confidence"): sorted
ascending it lists the articles to review first, doubtful ones marked in the theme's
warning colour.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication

from desktop.domain.names import elide
from desktop.domain.offsets import qt_safe
from desktop.store.listing import ArticleSummary, BrowseQuery
from desktop.ui import icons
from desktop.ui.confidence import LOW, in_words, percent
from desktop.ui.paged_model import Loader, PagedTableModel
from desktop.ui.theme import doubt_color

# loader(query, offset, limit, deliver): fetch a page off the GUI thread, then call
# deliver(rows, total) on the GUI thread
PageLoader = Loader[BrowseQuery, ArticleSummary]

PAGE_SIZE = 200
COLUMNS = ("Title", "Date", "", "Q", "S", "Low %")
COLUMN_TIPS = (
    "Title",
    "Publication date",
    "Review status",
    "Quotes",
    "Sources",
    "Lowest confidence: how sure the engine is of the article's least certain quote and "
    "source (a person's quote is certain). Sort ascending: least certain first",
)
SORT_KEYS = ("title", "published", "status", "quotes", "sources", "confidence")
STATUS_TEXT = {"unreviewed": "Unreviewed", "in_review": "In review", "reviewed": "Reviewed"}
STATUS_ICON = {
    "unreviewed": "mdi6.checkbox-blank-circle-outline",
    "in_review": "mdi6.progress-pencil",
    "reviewed": "mdi6.check-circle",
}


class ArticleTableModel(PagedTableModel[BrowseQuery, ArticleSummary]):
    """The browser's rows; ``ArticleIdRole`` and ``ExternalIdRole`` name a row's article."""

    ArticleIdRole = Qt.ItemDataRole.UserRole + 1
    ExternalIdRole = Qt.ItemDataRole.UserRole + 2

    TITLE, DATE, STATUS, QUOTES, SOURCES, LOWEST = range(6)
    COLUMNS, TIPS = COLUMNS, COLUMN_TIPS

    # ``loaded`` also when a refresh changed the rows
    refreshed = Signal()  # a refresh arrived: counts or rows may have changed

    def __init__(self, loader: PageLoader, parent: Any = None) -> None:
        super().__init__(loader, BrowseQuery(), parent)
        self._refresh_wanted = False

    def page_size(self) -> int:
        return PAGE_SIZE

    def _next_query(self) -> BrowseQuery:
        # keyset paging: the rows after the last one shown, found from its sort key
        return self._query.with_(after=self._rows[-1].id if self._rows else None)

    def _page_done(self) -> None:
        self._refresh_pending()

    def refresh(self) -> None:
        """Fetch the listed rows again (another process changed the database), as many as
        are loaded. Rows that only changed are updated in place, so the view keeps its
        selection and scroll position; a changed list is reset and ``loaded`` emitted."""
        if self._loading:
            self._refresh_wanted = True  # after the page on its way
            return
        self._generation += 1
        self._loading = True
        generation = self._generation
        self._loader(
            self._query,
            0,
            max(PAGE_SIZE, len(self._rows)),
            lambda rows, total: self._refreshed(generation, rows, total),
        )

    def _refreshed(self, generation: int, rows: list[ArticleSummary], total: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if [r.id for r in rows] == [r.id for r in self._rows]:
            self._total = total
            for n, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
                if old != new:
                    self._rows[n] = new
                    self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self._rows = list(rows)
            self._total = total
            self.endResetModel()
            self.loaded.emit()
        self.refreshed.emit()
        self._refresh_pending()

    def _refresh_pending(self) -> None:
        if self._refresh_wanted and not self._loading:
            self._refresh_wanted = False
            self.refresh()

    # --- Qt model interface -----------------------------------------------------------

    def cell(self, row: ArticleSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return icons.icon(STATUS_ICON.get(row.status, STATUS_ICON["unreviewed"]))
        if role == Qt.ItemDataRole.ToolTipRole:
            state = "analyzed" if row.analyzed else "not analyzed yet"
            status = STATUS_TEXT.get(row.status, row.status)
            lowest = row.lowest_confidence
            least = f"\nleast certain quote: {in_words(lowest)}" if lowest is not None else ""
            return qt_safe(
                f"{elide(row.title, 300)}\n{elide(row.external_id, 80)} · "
                f"{elide(row.collection, 80)} · {status}\n{state}: "
                f"{row.entities} entities, {row.quotes} quotes, {row.sources} sources{least}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.QUOTES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.LOWEST:
            low = row.lowest_confidence is not None and row.lowest_confidence < LOW
            return doubt_color(QGuiApplication.palette()) if low else None
        if role == self.ArticleIdRole:
            return row.id
        if role == self.ExternalIdRole:
            return row.external_id
        return None

    def _display(self, row: ArticleSummary, column: int) -> str:
        if column == self.TITLE:  # elided: no title can make a row slow to paint
            return qt_safe(elide(row.title or row.external_id, 200))
        if column == self.DATE:
            return row.published[:10]
        if column == self.STATUS:
            return ""  # shown as an icon; the text is in the tooltip
        if column == self.QUOTES:
            return str(row.quotes) if row.analyzed else "–"
        if column == self.SOURCES:
            return str(row.sources) if row.analyzed else "–"
        if not row.analyzed:
            return "–"
        return "" if row.lowest_confidence is None else percent(row.lowest_confidence)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            if self._query.sort != "id":
                self.set_query(self._query.with_(sort="id", descending=False))
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._query.with_(sort=SORT_KEYS[column], descending=descending))

    # --- helpers for the browser ------------------------------------------------------

    def update_row(self, article_id: int, **changes: object) -> None:
        """Show new counts or status for one article without fetching the list again."""
        row = self.row_of(article_id)
        if row < 0:
            return
        self._rows[row] = replace(self._rows[row], analyzed=True, **changes)  # type: ignore[arg-type]
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def article_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found is not None else None

    def row_of(self, article_id: int) -> int:
        for n, row in enumerate(self._rows):
            if row.id == article_id:
                return n
        return -1
