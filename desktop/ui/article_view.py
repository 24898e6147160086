"""The article pane: read-only text with entities highlighted and quotes underlined."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from desktop.domain import Article
from desktop.domain.offsets import Utf16Map
from desktop.ui.colors import is_dark, label_color


class ArticleView(QTextBrowser):
    """Shows one article. Offsets are converted to Qt's UTF-16 positions in one place."""

    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.article: Article | None = None
        self._map = Utf16Map("")

    def show_message(self, message: str) -> None:
        self.article = None
        self.setPlainText(message)

    def show_article(self, article: Article) -> None:
        """Render the article text (as plain text, never as markup) with its annotations."""
        self.article = article
        self._map = Utf16Map(article.text)
        self.setPlainText(article.text)
        dark = is_dark(self.palette().color(QPalette.ColorRole.Base))
        # highlights are extra selections: they never change the document itself
        selections = []
        for quote in article.quotes:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setToolTip(f"{quote.kind} quote")
            selections.append(self._selection(quote.start, quote.end, fmt))
        for entity in article.entities:
            fmt = QTextCharFormat()
            fmt.setBackground(label_color(entity.label, dark))
            fmt.setToolTip(entity.label)
            if entity.label == "PERSON":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            selections.append(self._selection(entity.start, entity.end, fmt))
        self.setExtraSelections(selections)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.rendered.emit()

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(start))
        cursor.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[misc]
        selection.format = fmt  # type: ignore[misc]
        return selection

    def highlights_at(self, index: int) -> list[QTextCharFormat]:
        """The highlight formats covering the character at code-point ``index``."""
        pos = self._map.to_utf16(index)
        return [
            QTextCharFormat(sel.format)
            for sel in self.extraSelections()
            if sel.cursor.selectionStart() <= pos < sel.cursor.selectionEnd()
        ]
