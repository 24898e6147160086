"""The right-hand sidebar: the article's quotes grouped by source."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QLabel, QTreeView, QVBoxLayout, QWidget

from desktop.domain import Article
from desktop.ui.source_tree import SourceTreeModel


class SourcePanel(QWidget):
    quote_selected = Signal(int)  # index into article.quotes
    source_selected = Signal(object)  # source key, or None for the unattributed group

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SourceTreeModel(self)
        self.heading = QLabel("Quotes by source")
        self.heading.setObjectName("sourceHeading")
        self.tree = QTreeView()
        self.tree.setObjectName("sourceTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setIndentation(14)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)

    def set_article(self, article: Article | None) -> None:
        self.model.set_article(article)
        self.tree.expandAll()
        if article is None:
            self.heading.setText("Quotes by source")
            return
        n_quotes = len(article.quotes)
        n_sources = sum(1 for g in range(self.model.rowCount()) if self._is_source_row(g))
        self.heading.setText(
            f"<b>{n_quotes}</b> quote{'s' * (n_quotes != 1)} from "
            f"<b>{n_sources}</b> source{'s' * (n_sources != 1)}"
        )

    def _is_source_row(self, row: int) -> bool:
        return bool(self.model.index(row, 0).data(SourceTreeModel.SourceKeyRole))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        current = current.siblingAtColumn(0)
        quote = current.data(SourceTreeModel.QuoteRole)
        if quote is not None:
            self.quote_selected.emit(quote)
        else:
            self.source_selected.emit(current.data(SourceTreeModel.SourceKeyRole) or None)

    def select_quote(self, quote_index: int) -> None:
        index = self.model.index_of_quote(quote_index)
        if index.isValid():
            self.tree.setCurrentIndex(index)

    def step_quote(self, delta: int) -> None:
        """Select the next (or previous) quote in the sidebar's order."""
        order = self.model.quote_order()
        if not order:
            return
        current = self.tree.currentIndex().siblingAtColumn(0).data(SourceTreeModel.QuoteRole)
        position = order.index(current) + delta if current in order else (0 if delta > 0 else -1)
        self.select_quote(order[position % len(order)])
