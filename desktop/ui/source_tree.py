"""Quotes grouped by source: a two-level Qt item model over one article's quotes.

Top level: sources, most quoted first, then an "Unattributed" group. Under each, its quotes
in reading order, or least certain first (``set_order("confidence")``). Two columns: the
name or the quote's first words, and how certain the engine is (``ui.confidence``): a
doubtful quote, and a source all of whose quotes are doubtful, are dimmed and marked; a
person's quote is certain and never dimmed. The model reads plain domain objects; it never
touches the database.
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
from PySide6.QtGui import QFont, QGuiApplication

from desktop.domain import Article, Quote, Source
from desktop.domain.names import elide
from desktop.ui import icons
from desktop.ui.article_view import plain_tip
from desktop.ui.confidence import BY_PERSON, LOW, by_person, certainty, explain, in_words, percent
from desktop.ui.theme import dimmed_text, doubt_color

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
ORDERS = ("position", "confidence")  # a source's quotes: in reading order, least certain first
DOUBT_ICON = "mdi6.help-circle-outline"
PERSON_ICON = "mdi6.account-check-outline"
QUOTE_MIME = "application/x-quotedesk-quote"


@dataclass
class SourceGroup:
    source: Source | None  # None: the quotes nobody is credited with
    quotes: list[int] = field(default_factory=list)  # indexes into article.quotes

    @property
    def key(self) -> str | None:
        return self.source.key if self.source else None


def group_quotes(article: Article, order: str = "position") -> list[SourceGroup]:
    """Sources with their quotes, most quoted first; unattributed quotes last. ``order``
    "confidence" puts each source's least certain quotes first (then reading order; the
    quotes with no figure last)."""
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
    result = ranked + ([loose] if loose.quotes else [])
    if order == "confidence":
        for group in result:
            group.quotes.sort(key=lambda i: (_figure(article.quotes[i]), i))
    return result


def _figure(quote: Quote) -> float:
    value = certainty(quote)
    return 2.0 if value is None else value  # no figure: after the certain ones


def preview(quote: Quote) -> str:
    words = quote.text.split()
    text = " ".join(words[:PREVIEW_WORDS])
    return text + ("…" if len(words) > PREVIEW_WORDS else "")


class SourceTreeModel(QAbstractItemModel):
    """Column 0: a source's name with its quote count, or a quote's first words; column 1:
    how certain the engine is of a quote (of a source: its least certain, when doubtful)."""

    QuoteRole = Qt.ItemDataRole.UserRole + 1  # index into article.quotes (quote rows)
    SourceKeyRole = Qt.ItemDataRole.UserRole + 2  # source key (source rows; "" unattributed)
    # a quote's certainty (a source's: its least certain quote's); None: no figure
    CertaintyRole = Qt.ItemDataRole.UserRole + 3
    DoubtfulRole = Qt.ItemDataRole.UserRole + 4  # bool: shown dimmed
    NAME, CERTAINTY = range(2)

    # a quote dragged onto a source (or onto the unattributed group: "")
    quote_dropped = Signal(int, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self._groups: list[SourceGroup] = []
        self.order = ORDERS[0]

    def set_article(self, article: Article | None) -> None:
        self.beginResetModel()
        self.article = article
        self._groups = group_quotes(article, self.order) if article else []
        self.endResetModel()

    def set_order(self, order: str) -> None:
        """Show each source's quotes in reading order ("position") or least certain first
        ("confidence")."""
        self.order = order if order in ORDERS else ORDERS[0]
        self.set_article(self.article)

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
        return 2

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
        if role == self.SourceKeyRole:
            return group.key or ""
        if role in (self.CertaintyRole, self.DoubtfulRole, Qt.ItemDataRole.ForegroundRole):
            return self._doubt_data(self._group_figures(group), column, role, whole=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self._source_tip(group))
        if column == self.CERTAINTY:
            return self._certainty_cell(self._group_figures(group), role, whole=True)
        if role == Qt.ItemDataRole.DisplayRole:
            # elided, so that no name can widen the sidebar or make a row slow to paint
            name = elide(source.name, 80) if source else "Unattributed"
            text = f"{name} ({len(group.quotes)})"
            if source and source.description:
                return f"{text} — {elide(source.description, 120)}"
            return text
        if role == Qt.ItemDataRole.DecorationRole:
            icon = TYPE_ICONS.get(source.type, "mdi6.help-circle-outline") if source else None
            return icons.icon(icon or "mdi6.account-question-outline")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _source_tip(self, group: SourceGroup) -> str:
        source = group.source
        lines = []
        if source is None:
            lines.append("Quotes with no source found")
        else:
            mentions = ", ".join(sorted({elide(m.text, 80) for m in source.mentions}))
            lines += [elide(source.name, 300), source.type]
            if source.description:
                lines.append(elide(source.description, 300))
            if mentions:
                lines.append(f"Mentions: {elide(mentions, 600)}")
        assert self.article is not None
        quotes = [self.article.quotes[i] for i in group.quotes]
        figures = [f for f in (certainty(q) for q in quotes) if f is not None]
        doubtful = sum(f < LOW for f in figures)
        if quotes and all(by_person(q) for q in quotes):
            lines.append(f"Every quote {BY_PERSON}")
        elif doubtful:
            least = in_words(min(figures))
            lines.append(f"{doubtful} of {len(quotes)} doubtful; the least certain: {least}")
        elif figures:
            lines.append(f"Least certain quote: {in_words(min(figures))}")
        return "\n".join(lines)

    def _group_figures(self, group: SourceGroup) -> list[float]:
        assert self.article is not None
        quotes = (self.article.quotes[i] for i in group.quotes)
        return [f for f in (certainty(q) for q in quotes) if f is not None]

    def _quote_data(self, quote_index: int, column: int, role: int) -> Any:
        assert self.article is not None
        quote = self.article.quotes[quote_index]
        if role == self.QuoteRole:
            return quote_index
        figure = certainty(quote)
        figures = [] if figure is None else [figure]
        if role in (self.CertaintyRole, self.DoubtfulRole, Qt.ItemDataRole.ForegroundRole):
            return self._doubt_data(figures, column, role, whole=False)
        if role == Qt.ItemDataRole.ToolTipRole:
            cue = f" (cue: {quote.cue.text})" if quote.cue else ""
            speaker = f"\nSpeaker: {quote.speaker.text}" if quote.speaker else ""
            why = "\n".join(explain(quote))
            return plain_tip(
                f"{quote.kind.capitalize()} quote{cue}{speaker}\n{why}\n\n{quote.text}"
            )
        if column == self.CERTAINTY:
            if by_person(quote):
                if role == Qt.ItemDataRole.DecorationRole:
                    return icons.icon(PERSON_ICON)
                return None
            return self._certainty_cell(figures, role, whole=False)
        if role == Qt.ItemDataRole.DisplayRole:
            return preview(quote)
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon(KIND_ICONS.get(str(quote.kind), "mdi6.comment-outline"))
        return None

    # --- certainty: dimming and the indicator ------------------------------------------

    def _doubt_data(self, figures: list[float], column: int, role: int, whole: bool) -> Any:
        """Certainty, doubt and colour of a row. ``whole``: a source's row, doubtful when
        every quote with a figure is (and dimmed then), marked when any is."""
        lowest = min(figures) if figures else None
        doubtful = bool(figures) and (max(figures) if whole else min(figures)) < LOW
        if role == self.CertaintyRole:
            return lowest
        if role == self.DoubtfulRole:
            return doubtful
        palette = QGuiApplication.palette()
        if column == self.CERTAINTY and lowest is not None and lowest < LOW:
            return doubt_color(palette)
        if doubtful or column == self.CERTAINTY:
            return dimmed_text(palette)
        return None

    def _certainty_cell(self, figures: list[float], role: int, whole: bool) -> Any:
        """Column 1: a quote's certainty in percent, with the indicator when it is low; a
        source's least certain figure only when it is low."""
        lowest = min(figures) if figures else None
        low = lowest is not None and lowest < LOW
        if role == Qt.ItemDataRole.DisplayRole and lowest is not None and (low or not whole):
            return percent(lowest)
        if role == Qt.ItemDataRole.DecorationRole and low:
            return icons.icon(DOUBT_ICON)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(QUOTE_MIME) and parent.isValid()

    def dropMimeData(
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
