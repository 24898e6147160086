"""A table model whose rows arrive a page at a time from a background task.

The article browser, the sources index and the concordance all list more rows than a
window should read at once. Each gives a *loader* (``loader(query, offset, limit,
deliver)``: read a page off the GUI thread, then ``deliver(rows, total)`` on it) and this
base asks it for the first page when the query changes and for the next as the view
scrolls (``canFetchMore``/``fetchMore``). A generation counter drops the answer to a query
that a newer one replaced, and a page is asked for only once at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex
QueryT = TypeVar("QueryT")
RowT = TypeVar("RowT")
Deliver = Callable[[list[RowT], int], None]
Loader = Callable[[QueryT, int, int, Deliver[RowT]], None]

PAGE_SIZE = 200


class PagedTableModel(QAbstractTableModel, Generic[QueryT, RowT]):
    """Rows of ``RowT`` for a ``QueryT``; subclasses name the columns and draw the cells."""

    COLUMNS: tuple[str, ...] = ()
    TIPS: tuple[str, ...] = ()  # the headers' tooltips (none when empty)

    loaded = Signal()  # a query's first page is in

    def __init__(self, loader: Loader[QueryT, RowT], query: QueryT, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._rows: list[RowT] = []
        self._total = 0
        self._query = query
        self._generation = 0
        self._loading = False

    @property
    def query(self) -> QueryT:
        return self._query

    @property
    def total(self) -> int:
        """How many rows the whole query has (as counted with its first page)."""
        return self._total

    def page_size(self) -> int:
        """Rows asked for a page (a subclass may read its own module's setting)."""
        return PAGE_SIZE

    def set_query(self, query: QueryT) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Drop the rows and fetch the first page of the query again."""
        self._generation += 1
        self._loading = True
        generation = self._generation
        self._loader(
            self._query,
            0,
            self.page_size(),
            lambda rows, total: self._first_page(generation, rows, total),
        )

    def _first_page(self, generation: int, rows: list[RowT], total: int) -> None:
        if generation != self._generation:
            return  # a newer query replaced this one
        self.beginResetModel()
        self._rows = list(rows)
        self._total = total
        self._loading = False
        self.endResetModel()
        self.loaded.emit()
        self._page_done()

    def _next_query(self) -> QueryT:
        """The query that reads the page after the rows loaded (keyset paging overrides
        it; the offset is given anyway)."""
        return self._query

    def _page_done(self) -> None:
        """Called after every page is in (a subclass may start what waited for it)."""

    def page_failed(self) -> None:
        """The page asked for could not be read (its loader shows why): the rows stay as
        they are and the next scroll or reload asks again."""
        self._loading = False

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation, offset = self._generation, len(self._rows)
        self._loader(
            self._next_query(),
            offset,
            self.page_size(),
            lambda rows, _total: self._more(generation, offset, rows),
        )

    def _more(self, generation: int, offset: int, rows: list[RowT]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        if rows:
            # still "loading" while rows go in, so that views asking for more meanwhile
            # do not fetch the same page twice
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        else:
            self._total = len(self._rows)  # the list shrank since it was counted
        self._loading = False
        self._page_done()

    def row_at(self, row: int) -> RowT | None:
        """The row ``row`` of those loaded (None past them)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt model interface -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        return None if row is None else self.cell(row, index.column(), role)

    def cell(self, row: RowT, column: int, role: int) -> Any:
        """What a loaded row shows in ``column`` for ``role`` (None: nothing)."""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section < len(self.TIPS):
                return self.TIPS[section]
        return None


def failure_shown(
    model: PagedTableModel[Any, Any], show: Callable[[BaseException], None]
) -> Callable[[BaseException], None]:
    """A loader's error callback: ``model`` may ask again, and ``show`` says what failed."""

    def failed(exc: BaseException) -> None:
        model.page_failed()
        show(exc)

    return failed
