"""The right-hand sidebar: the article's quotes grouped by source, and their editing.

Right-click a quote to change its kind, move it to another source, give it a new source or
delete it; right-click a source to edit it, merge it into another or split the selected
quotes off. Quotes can also be dragged onto another source. F2 edits the source, Delete
removes the selected quote. Edits are asked for through signals; the window saves them.
The order box shows each source's quotes in reading order or least certain first; the
choice is kept in the settings.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import Article, Quote
from desktop.ui import settings as S
from desktop.ui.source_tree import ORDERS, SourceTreeModel

KINDS = ("direct", "mixed", "indirect")
ORDER_NAMES = {"position": "Reading order", "confidence": "Least certain first"}


class SourcePanel(QWidget):
    quote_selected = Signal(int)  # index into article.quotes
    source_selected = Signal(object)  # source key, or None for the unattributed group
    # edit requests: quote refs are (start, end); source keys are str ("" or None: none)
    move_quote_requested = Signal(object, object)
    new_source_requested = Signal(object)
    quote_kind_requested = Signal(object, str)
    delete_quote_requested = Signal(object)
    edit_source_requested = Signal(str)
    merge_requested = Signal(str, str)  # keep, drop
    split_requested = Signal(str, object)  # source key, [quote refs]

    def __init__(self, settings: S.Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.model = SourceTreeModel(self)
        self.heading = QLabel("Quotes by source")
        self.heading.setObjectName("sourceHeading")
        # neither the heading nor the box may make the sidebar wider than it was
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.order_box = QComboBox()
        self.order_box.setObjectName("quoteOrder")
        self.order_box.setMinimumWidth(90)  # its whole text when there is room
        self.order_box.setToolTip("The order of each source's quotes")
        for order in ORDERS:
            self.order_box.addItem(ORDER_NAMES[order], order)
        saved = settings.get(S.QUOTE_ORDER) if settings is not None else ORDERS[0]
        self.order_box.setCurrentIndex(max(self.order_box.findData(saved), 0))
        self.model.order = self.order_box.currentData()
        self.order_box.currentIndexChanged.connect(self._on_order)
        self.tree = QTreeView()
        self.tree.setObjectName("sourceTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setIndentation(14)
        header = self.tree.header()  # the name takes the width; the certainty what it needs
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SourceTreeModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            SourceTreeModel.CERTAINTY, QHeaderView.ResizeMode.ResizeToContents
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu_at)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.installEventFilter(self)
        self.model.quote_dropped.connect(self._on_drop)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading, 1)
        top.addWidget(self.order_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)

    @property
    def article(self) -> Article | None:
        return self.model.article

    def set_article(self, article: Article | None) -> None:
        self.model.set_article(article)
        self.tree.expandAll()
        if article is None:
            self.heading.setText("Quotes by source")
            return
        n_quotes = sum(1 for q in article.quotes if not q.rejected)
        n_sources = sum(1 for g in range(self.model.rowCount()) if self._is_source_row(g))
        self.heading.setText(
            f"<b>{n_quotes}</b> quote{'s' * (n_quotes != 1)} from "
            f"<b>{n_sources}</b> source{'s' * (n_sources != 1)}"
        )

    def _on_order(self) -> None:
        """Re-order the quotes, keeping the selected quote (or source) selected."""
        current = self.tree.currentIndex()
        quote = current.data(SourceTreeModel.QuoteRole) if current.isValid() else None
        key = current.data(SourceTreeModel.SourceKeyRole) if current.isValid() else None
        order = self.order_box.currentData()
        if self.settings is not None:
            self.settings.set(S.QUOTE_ORDER, order)
        self.model.set_order(order)
        self.tree.expandAll()
        if quote is not None:
            self.select_quote(quote)
        elif key:
            self.select_source(key)

    def _is_source_row(self, row: int) -> bool:
        return bool(self.model.index(row, 0).data(SourceTreeModel.SourceKeyRole))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        quote = current.data(SourceTreeModel.QuoteRole)
        if quote is not None:
            self.quote_selected.emit(quote)
        else:
            self.source_selected.emit(current.data(SourceTreeModel.SourceKeyRole) or None)

    def select_quote(self, quote_index: int) -> None:
        index = self.model.index_of_quote(quote_index)
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def select_source(self, key: str) -> None:
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            if index.data(SourceTreeModel.SourceKeyRole) == key:
                self.tree.setCurrentIndex(index)
                return

    def step_quote(self, delta: int) -> None:
        """Select the next (or previous) quote in the sidebar's order."""
        order = self.model.quote_order()
        if not order:
            return
        current = self.tree.currentIndex().data(SourceTreeModel.QuoteRole)
        position = order.index(current) + delta if current in order else (0 if delta > 0 else -1)
        self.select_quote(order[position % len(order)])

    # --- editing ----------------------------------------------------------------------

    def _quote(self, index: int) -> Quote:
        assert self.article is not None
        return self.article.quotes[index]

    def _ref(self, index: int) -> tuple[int, int]:
        quote = self._quote(index)
        return (quote.start, quote.end)

    def selected_quotes(self) -> list[int]:
        # any selected cell counts for its row (a row selected by code may be one cell)
        cells = self.tree.selectionModel().selectedIndexes()
        found = (i.data(SourceTreeModel.QuoteRole) for i in cells)
        return list(dict.fromkeys(q for q in found if q is not None))

    def _sources(self) -> list[tuple[str, str]]:
        article = self.article
        return [(s.key, s.name) for s in article.sources] if article else []

    def _on_drop(self, quote_index: int, key: str) -> None:
        if self._quote(quote_index).source_key != (key or None):
            self.move_quote_requested.emit(self._ref(quote_index), key or None)

    def build_menu(self, index: QModelIndex) -> QMenu:
        menu = QMenu(self)
        quote_index = index.data(SourceTreeModel.QuoteRole)
        if quote_index is not None:
            self._quote_menu(menu, quote_index)
        elif index.data(SourceTreeModel.SourceKeyRole):
            self._source_menu(menu, index.data(SourceTreeModel.SourceKeyRole))
        return menu

    def _quote_menu(self, menu: QMenu, quote_index: int) -> None:
        quote, ref = self._quote(quote_index), self._ref(quote_index)
        kinds = menu.addMenu("Kind")
        for kind in KINDS:
            act = kinds.addAction(kind.capitalize())
            act.setCheckable(True)
            act.setChecked(kind == quote.kind)
            act.triggered.connect(lambda _=False, k=kind: self.quote_kind_requested.emit(ref, k))
        move = menu.addMenu("Move to source")
        for key, name in self._sources():
            if key != quote.source_key:
                act = move.addAction(name)
                act.triggered.connect(lambda _=False, k=key: self.move_quote_requested.emit(ref, k))
        if quote.source_key is not None:
            move.addSeparator()
            act = move.addAction("No source (unattributed)")
            act.triggered.connect(lambda: self.move_quote_requested.emit(ref, None))
        menu.addAction("New source for this quote…").triggered.connect(
            lambda: self.new_source_requested.emit(ref)
        )
        menu.addSeparator()
        menu.addAction("Delete quote\tDel").triggered.connect(
            lambda: self.delete_quote_requested.emit(ref)
        )

    def _source_menu(self, menu: QMenu, key: str) -> None:
        menu.addAction("Edit source…\tF2").triggered.connect(
            lambda: self.edit_source_requested.emit(key)
        )
        merge = menu.addMenu("Merge into")
        for other, name in self._sources():
            if other != key:
                act = merge.addAction(name)
                act.triggered.connect(lambda _=False, o=other: self.merge_requested.emit(o, key))
        chosen = [q for q in self.selected_quotes() if self._quote(q).source_key == key]
        split = menu.addAction(f"Split {len(chosen)} selected quote(s) into a new source…")
        split.setEnabled(bool(chosen))
        split.triggered.connect(
            lambda: self.split_requested.emit(key, [self._ref(q) for q in chosen])
        )

    def _menu_at(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.build_menu(index).exec(self.tree.viewport().mapToGlobal(pos))

    def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]
        if (
            watched is self.tree
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
        ):
            index = self.tree.currentIndex()
            quote = index.data(SourceTreeModel.QuoteRole) if index.isValid() else None
            key = index.data(SourceTreeModel.SourceKeyRole) if index.isValid() else None
            if event.key() == Qt.Key.Key_Delete and quote is not None:
                self.delete_quote_requested.emit(self._ref(quote))
                return True
            if event.key() == Qt.Key.Key_F2 and key:
                self.edit_source_requested.emit(key)
                return True
        return super().eventFilter(watched, event)
