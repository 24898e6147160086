"""Quotes grouped by source: a two-level Qt item model over one article's quotes.

Top level: sources, most quoted first, then an "Unattributed" group. Under each, its quotes
in reading order. The model reads plain domain objects; it never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from desktop.domain import Article, Quote, Source
from desktop.domain.names import elide
from desktop.ui import icons

Index = QModelIndex | QPersistentModelIndex



TYPE_ICONS = {
    "PERSON": "mdi6.account",
    "ORG": "mdi6.domain",
    "GPE": "mdi6.map-marker",
    "NORP": "mdi6.account-group",
}
KIND_ICONS = {
    "direct": "mdi6.format-quote-close",
    "mixed": "mdi6.format-quote-open-outline",
    "indirect": "mdi6.message-text-outline",
}
PREVIEW_WORDS = 8
QUOTE_MIME = "application/x-quotedesk-quote"


@dataclass
class SourceGroup:
    source: Source | None  # None: the quotes nobody is credited with
    quotes: list[int] = field(default_factory=list)  # indexes into article.quotes

    @property
    def key(self) -> str | None:
        return self.source.key if self.source else None


def group_quotes(article: Article) -> list[SourceGroup]:
    """Sources with their quotes, most quoted first; unattributed quotes last."""
    groups = {s.key: SourceGroup(s) for s in article.sources}
    loose = SourceGroup(None)
    for i, quote in enumerate(article.quotes):
        if quote.rejected:
            continue
        groups.get(quote.source_key or "", loose).quotes.append(i)
    ranked = sorted(
        (g for g in groups.values() if g.quotes),
        key=lambda g: (-len(g.quotes), g.quotes[0]),
    )
    return ranked + ([loose] if loose.quotes else [])


def preview(quote: Quote) -> str:
    words = quote.text.split()
    text = " ".join(words[:PREVIEW_WORDS])
    return text + ("…" if len(words) > PREVIEW_WORDS else "")


class SourceTreeModel(QAbstractItemModel):
    """One column: a source's name with its quote count, or a quote's first words."""

    QuoteRole = Qt.ItemDataRole.UserRole + 1  # index into article.quotes (quote rows)
    SourceKeyRole = Qt.ItemDataRole.UserRole + 2  # source key (source rows; "" unattributed)

    # a quote dragged onto a source (or onto the unattributed group: "")
    quote_dropped = Signal(int, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self._groups: list[SourceGroup] = []

    def set_article(self, article: Article | None) -> None:
        self.beginResetModel()
        self.article = article
        self._groups = group_quotes(article) if article else []
        self.endResetModel()

    # internalId: 0 for a source row, group number + 1 for a quote row under that group

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].quotes)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.article is None:
            return None
        if index.internalId() == 0:
            return self._source_data(self._groups[index.row()], index.column(), role)
        group = self._groups[index.internalId() - 1]
        quote_index = group.quotes[index.row()]
        return self._quote_data(quote_index, index.column(), role)

    def _source_data(self, group: SourceGroup, column: int, role: int) -> Any:
        source = group.source
        if role == Qt.ItemDataRole.DisplayRole:
            # elided, so that no name can widen the sidebar or make a row slow to paint
            name = elide(source.name, 80) if source else "Unattributed"
            text = f"{name} ({len(group.quotes)})"
            if source and source.description:
                return f"{text} — {elide(source.description, 120)}"
            return text
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            icon = TYPE_ICONS.get(source.type, "mdi6.help-circle-outline") if source else None
            return icons.icon(icon or "mdi6.account-question-outline")
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if source is None:
                return "Quotes with no source found"
            mentions = ", ".join(sorted({elide(m.text, 80) for m in source.mentions}))
            lines = [elide(source.name, 300), source.type]
            if source.description:
                lines.append(elide(source.description, 300))
            if mentions:
                lines.append(f"Mentions: {elide(mentions, 600)}")
            return "\n".join(lines)
        if role == self.SourceKeyRole:
            return group.key or ""
        return None

    def _quote_data(self, quote_index: int, column: int, role: int) -> Any:
        assert self.article is not None
        quote = self.article.quotes[quote_index]
        if role == Qt.ItemDataRole.DisplayRole:
            return preview(quote)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return icons.icon(KIND_ICONS.get(str(quote.kind), "mdi6.comment-outline"))
        if role == Qt.ItemDataRole.ToolTipRole:
            cue = f" (cue: {quote.cue.text})" if quote.cue else ""
            speaker = f"\nSpeaker: {quote.speaker.text}" if quote.speaker else ""
            return f"{quote.kind.capitalize()} quote{cue}{speaker}\n\n{quote.text}"
        if role == self.QuoteRole:
            return quote_index
        return None

    # --- drag and drop: quotes move between sources ------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        if index.internalId() == 0:
            return flags | Qt.ItemFlag.ItemIsDropEnabled
        return flags | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [QUOTE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        quotes = [i.data(self.QuoteRole) for i in indexes if i.data(self.QuoteRole) is not None]
        if quotes:
            data.setData(QUOTE_MIME, QByteArray(str(quotes[0]).encode()))
        return data

    def canDropMimeData(  # type: ignore[override]
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(QUOTE_MIME) and parent.isValid()

    def dropMimeData(  # type: ignore[override]
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask for the move; the window saves it and shows the new grouping."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = parent if parent.internalId() == 0 else parent.parent()
        try:
            quote = int(bytes(data.data(QUOTE_MIME).data()).decode())
        except ValueError:
            return False
        self.quote_dropped.emit(quote, target.data(self.SourceKeyRole) or "")
        return False  # nothing to remove from the old place: the model is rebuilt

    # --- lookups for the window -------------------------------------------------------

    def index_of_quote(self, quote_index: int) -> QModelIndex:
        for g, group in enumerate(self._groups):
            if quote_index in group.quotes:
                return self.index(group.quotes.index(quote_index), 0, self.index(g, 0))
        return QModelIndex()

    def quote_order(self) -> list[int]:
        """Quote indexes in the order the tree shows them (for next/previous quote)."""
        return [q for group in self._groups for q in group.quotes]
