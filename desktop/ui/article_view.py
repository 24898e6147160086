"""The article pane's text: entities highlighted, quotes underlined, hover tooltips.

A quote the engine doubts (``ui.confidence.LOW``) is underlined with dots instead of a line.
Hovering a quote says why it is one and why it belongs to its source, with the confidences
in words ("Its source: fairly sure (78%) — she → Adrienne Watson: spoke last, ...").

Entity and quote highlights come from a syntax highlighter, the sidebar's focus from extra
selections, so the document itself stays the plain article text. The document holds the
text as ``ViewMap`` shows it (one line break per line end), and every offset between the
store (code points) and the view (UTF-16 positions) goes through ``self.offsets``.
"""

from __future__ import annotations

import html

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextLine,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from desktop.domain import Article
from desktop.domain.names import elide
from desktop.domain.offsets import ViewMap
from desktop.ui.colors import focus_color, is_dark, label_color, quote_color
from desktop.ui.confidence import explain, is_doubtful
from desktop.ui.highlighter import AnnotationHighlighter, Mark


def made_by(annotator: str | None, form: str) -> str:
    """``form`` with the name of the person who made an annotation (elided); "" for the
    model's."""
    return form.format(elide(annotator, 60)) if annotator else ""


def plain_tip(text: str) -> str:
    """A tooltip shown as the plain text it is: Qt renders a tooltip whose first line looks
    like markup as HTML, so a name such as "<b>Ann</b>" is escaped."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


class ArticleView(QTextBrowser):
    """Shows one article; ``focus_quote`` and ``focus_source`` pick out what the sidebar
    selected."""

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
        for ligature in ("liga", "clig"):  # one glyph per letter: the mouse lands on letters
            font.setFeature(QFont.Tag(ligature), 0)
        self.setFont(font)
        self.document().setDocumentMargin(12)
        self.article: Article | None = None
        self.hidden_labels: set[str] = set()
        self.label_colors: dict[str, str] = {}  # label -> "#rrggbb" chosen for the collection
        self.offsets = ViewMap("")  # store offsets <-> this view's positions
        self._highlighter = AnnotationHighlighter(self.document())
        self._focus: list[QTextEdit.ExtraSelection] = []
        self.focused_quote: int | None = None
        self.focused_source: str | None = None

    @property
    def dark(self) -> bool:
        return is_dark(self.palette().color(QPalette.ColorRole.Base))

    def show_message(self, message: str) -> None:
        self.article = None
        self._focus = []
        self.setExtraSelections([])
        self._highlighter.forget()
        self.offsets = ViewMap(message)
        self.setPlainText(self.offsets.view_text)

    def show_article(self, article: Article) -> None:
        """Render the article text (as plain text, never as markup) with its annotations."""
        same_text = self.article is not None and self.article.text == article.text
        self.article = article
        if not same_text:
            self.offsets = ViewMap(article.text)
            self._highlighter.forget()
            self.setPlainText(self.offsets.view_text)
            self.moveCursor(QTextCursor.MoveOperation.Start)
        self.focused_quote = self.focused_source = None
        self._focus = []
        self.refresh_highlights()
        self.rendered.emit()

    def refresh_highlights(self) -> None:
        """Rebuild the highlights (after a theme change or a label toggled)."""
        article = self.article
        if article is None:
            return
        dark = self.dark
        span = self.offsets.view_span
        looks_of_quotes = {}
        for doubtful, style in (
            (False, QTextCharFormat.UnderlineStyle.SingleUnderline),
            (True, QTextCharFormat.UnderlineStyle.DotLine),
        ):
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(style)
            fmt.setUnderlineColor(quote_color(dark))
            tag = f"quote:{quote_color(dark).name()}:{'doubtful' if doubtful else 'sure'}"
            looks_of_quotes[doubtful] = (fmt, tag)
        under = [
            Mark(*span(q.start, q.end), *looks_of_quotes[is_doubtful(q)])
            for q in article.quotes
            if not q.rejected
        ]
        looks: dict[str, tuple[QTextCharFormat, str]] = {}
        over = []
        for entity in article.entities:
            if entity.rejected or entity.label in self.hidden_labels:
                continue
            look = looks.get(entity.label)
            if look is None:
                fmt = QTextCharFormat()
                colour = self.color_of(entity.label, dark)
                fmt.setBackground(colour)
                if dark:
                    fmt.setForeground(QColor("#ffffff"))
                look = looks[entity.label] = (fmt, f"{entity.label}:{colour.name()}:{dark}")
            over.append(Mark(*span(entity.start, entity.end), *look))
        self._highlighter.set_marks(under, over)
        self._apply()

    def color_of(self, label: str, dark: bool) -> QColor:
        """The label's colour: the collection's choice, else the built-in one."""
        chosen = self.label_colors.get(label)
        return QColor(chosen) if chosen else label_color(label, dark)

    # --- store offsets <-> view positions -------------------------------------------

    def cursor_over(self, start: int, end: int) -> QTextCursor:
        """A cursor selecting the store span ``[start, end)`` in this view."""
        first, last = self.offsets.view_span(start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def index_at(self, point: QPoint) -> int | None:
        """The store offset of the character under a viewport point (None: no text there).

        The character itself, not the nearest gap between characters (which
        ``cursorForPosition`` gives, and which is after the character on its right half),
        and right-to-left text included.
        """
        block = self.cursorForPosition(point).block()
        layout = block.layout()
        if not block.isValid() or layout is None:
            return None
        scroll = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        local = QPointF(point) + scroll - layout.position()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            if not line.y() <= local.y() < line.y() + line.height():
                continue
            box = line.naturalTextRect()
            if not box.left() <= local.x() < box.right():
                return None  # beside the line, not on it
            inside = line.xToCursor(local.x(), QTextLine.CursorPosition.CursorOnCharacter)
            if not layout.isValidCursorPosition(inside):  # within a flag or a ligature
                inside = layout.previousCursorPosition(inside)
            if inside >= block.length() - 1:
                return None  # the line end
            return self.offsets.to_store(block.position() + inside)
        return None

    def _apply(self) -> None:
        self.setExtraSelections(self._focus)

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        cursor = self.cursor_over(start, end)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        return selection

    # --- focus from the sidebar -------------------------------------------------------

    def _focus_format(self, strong: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(focus_color(self.dark, strong))
        if self.dark:
            fmt.setForeground(QColor("#000000"))
        return fmt

    def focus_quote(self, index: int) -> None:
        """Highlight quote ``index`` and its speaker mention, and scroll to it."""
        if self.article is None or not 0 <= index < len(self.article.quotes):
            return
        quote = self.article.quotes[index]
        self.focused_quote, self.focused_source = index, None
        self._focus = [self._selection(quote.start, quote.end, self._focus_format(False))]
        for span in (quote.speaker, quote.cue):
            if span is not None:
                fmt = self._focus_format(True)
                fmt.setFontUnderline(span is quote.cue)
                self._focus.append(self._selection(span.start, span.end, fmt))
        self._apply()
        self._scroll_to(quote.start, quote.end)

    def focus_source(self, key: str | None) -> None:
        """Highlight every mention and quote of a source (None: the unattributed quotes)."""
        if self.article is None:
            return
        self.focused_quote, self.focused_source = None, key or ""
        quotes = [q for q in self.article.quotes if q.source_key == key and not q.rejected]
        self._focus = [self._selection(q.start, q.end, self._focus_format(False)) for q in quotes]
        source = next((s for s in self.article.sources if s.key == key), None)
        mentions = list(source.mentions) if source else []
        mentions += [q.speaker for q in quotes if q.speaker is not None]
        for span in {(m.start, m.end) for m in mentions}:
            self._focus.append(self._selection(*span, self._focus_format(True)))
        self._apply()
        spans = [(q.start, q.end) for q in quotes] + [(m.start, m.end) for m in mentions]
        if spans:
            self._scroll_to(*min(spans))

    def clear_focus(self) -> None:
        self.focused_quote = self.focused_source = None
        self._focus = []
        self._apply()

    def _scroll_to(self, start: int, end: int) -> None:
        """Bring a span into view, its first line a third of the way down the pane."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_view(start))
        self.setTextCursor(cursor)
        top = self.cursorRect(cursor).top()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + top - self.viewport().height() // 3)

    # --- hover ------------------------------------------------------------------------

    def describe(self, index: int) -> str:
        """What the character at code point ``index`` belongs to, in words: its entities,
        its quotes (each with why it is one and why it is its source's), the sources it
        mentions. Rejected annotations (kept for undo, not drawn) are not described."""
        article = self.article
        if article is None:
            return ""
        names = {s.key: elide(s.name, 120) for s in article.sources}
        lines = [
            f"{e.label}: {elide(e.text, 200)}{made_by(e.annotator, ' (by {})')}"
            for e in article.entities
            if e.start <= index < e.end and not e.rejected
        ]
        blocks = []
        for q in article.quotes:
            if q.start <= index < q.end and not q.rejected:
                who = names.get(q.source_key or "", "no source found")
                made = [made_by(q.annotator, "Made by {}")] if q.annotator else []
                blocks.append(
                    "\n".join([f"{q.kind.capitalize()} quote — {who}", *explain(q), *made])
                )
        sources = [
            f"Source: {elide(s.name, 120)}"
            for s in article.sources
            if any(m.start <= index < m.end for m in s.mentions)
        ]
        return "\n".join(dict.fromkeys([*lines, *blocks, *sources]))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_highlights()  # colours depend on a light or dark background

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.index_at(event.pos())
            text = self.describe(index) if index is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), plain_tip(text), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def highlights_at(self, index: int) -> list[QTextCharFormat]:
        """The highlight formats covering the character at code-point ``index``: the
        highlighter's, then the focus's."""
        pos = self.offsets.to_view(index)
        block = self.document().findBlock(pos)
        inside = pos - block.position()
        found = [
            QTextCharFormat(r.format)
            for r in block.layout().formats()
            if r.start <= inside < r.start + r.length
        ]
        return found + [
            QTextCharFormat(sel.format)
            for sel in self.extraSelections()
            if sel.cursor.selectionStart() <= pos < sel.cursor.selectionEnd()
        ]
