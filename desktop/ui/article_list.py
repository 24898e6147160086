"""The article list: a Qt item model over plain ``ArticleSummary`` rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.store.repository import ArticleSummary

Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractListModel):
    """One row per article; ``ArticleIdRole`` gives the database id."""

    ArticleIdRole = Qt.ItemDataRole.UserRole + 1
    ExternalIdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ArticleSummary] = []

    def set_rows(self, rows: list[ArticleSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title or row.external_id
        if role == Qt.ItemDataRole.ToolTipRole:
            state = "analyzed" if row.analyzed else "not analyzed yet"
            return (
                f"{row.external_id}\n{row.status}, {state}\n"
                f"{row.entities} entities, {row.quotes} quotes, {row.sources} sources"
            )
        if role == self.ArticleIdRole:
            return row.id
        if role == self.ExternalIdRole:
            return row.external_id
        return None

    def row_of(self, article_id: int) -> int:
        for n, row in enumerate(self._rows):
            if row.id == article_id:
                return n
        return -1
