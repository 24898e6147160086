"""The article text as an annotation editor: select, then press a key or use the menu.

Keys: 1–9 label the selection (or relabel the entity under the cursor) with the
collection's labels; Delete removes the entity under the cursor; Q makes the selection a
quote (its kind read from the quotation marks); S makes it the speaker of the quote picked in
the sidebar. Selections snap to whole words; hold Alt for character precision.

The view only asks for edits through signals; the window saves them and shows the result.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QMenu, QWidget

from desktop.domain import Entity, Quote
from desktop.domain.labels import DEFAULT_LABELS, LabelDef
from desktop.domain.names import elide
from desktop.domain.offsets import quote_span, snap_to_tokens
from desktop.ui.article_view import ArticleView

KINDS = ("direct", "mixed", "indirect")


class AnnotatingView(ArticleView):
    label_requested = Signal(int, int, str)  # start, end, label: a new or resized entity
    relabel_requested = Signal(object, str)  # (start, end, label) of an entity, new label
    delete_entity_requested = Signal(object)  # (start, end, label)
    quote_requested = Signal(int, int, str)  # start, end, kind
    speaker_requested = Signal(int, int)  # a mention, for the focused quote
    delete_quote_requested = Signal(object)  # (start, end)
    quote_kind_requested = Signal(object, str)  # (start, end), kind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[LabelDef] = list(DEFAULT_LABELS)

    def set_labels(self, labels: list[LabelDef]) -> None:
        self.labels = list(labels)
        self.label_colors = {lab.name: lab.color for lab in labels if lab.color}
        self.refresh_highlights()

    # --- what is selected ---------------------------------------------------------------

    def selection_span(self, precise: bool = False) -> tuple[int, int] | None:
        """The selected text in code points, snapped to whole words unless ``precise``."""
        if self.article is None:
            return None
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.offsets.store_span(cursor.selectionStart(), cursor.selectionEnd())
        if not precise:
            start, end = snap_to_tokens(self.article.text, start, end)
        return (start, end) if start < end else None

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points), as a mouse drag would."""
        self.setTextCursor(self.cursor_over(start, end))

    def cursor_index(self) -> int:
        return self.offsets.to_store(self.textCursor().position())

    def entity_at(self, index: int) -> Entity | None:
        if self.article is None:
            return None
        for e in self.article.entities:
            if not e.rejected and e.start <= index < e.end:
                return e
        return None

    def entity_in(self, span: tuple[int, int] | None) -> Entity | None:
        """The entity the selection is on (or the cursor, with no selection)."""
        if span is None:
            index = self.cursor_index()
            return self.entity_at(index) or self.entity_at(index - 1)
        for e in self.article.entities if self.article else []:
            if not e.rejected and e.start < span[1] and span[0] < e.end:
                return e
        return None

    def focused(self) -> Quote | None:
        if self.article is None or self.focused_quote is None:
            return None
        return self.article.quotes[self.focused_quote]

    # --- requests -------------------------------------------------------------------------

    def request_label(self, label: str, precise: bool = False) -> bool:
        span = self.selection_span(precise)
        if span is None:
            entity = self.entity_in(None)
            if entity is None or entity.label == label:
                return False
            self.relabel_requested.emit((entity.start, entity.end, entity.label), label)
            return True
        entity = self.entity_in(span)
        if entity is not None and (entity.start, entity.end) == span:
            if entity.label != label:
                self.relabel_requested.emit((entity.start, entity.end, entity.label), label)
            return True
        self.label_requested.emit(span[0], span[1], label)
        return True

    def request_quote(self, kind: str | None = None, precise: bool = False) -> bool:
        span = self.selection_span(precise)
        if span is None or self.article is None:
            return False
        guessed, start, end = quote_span(self.article.text, *span)
        self.quote_requested.emit(start, end, kind or guessed)
        return True

    def request_speaker(self, precise: bool = False) -> bool:
        span = self.selection_span(precise)
        if span is None or self.focused() is None:
            return False
        self.speaker_requested.emit(*span)
        return True

    def request_delete_entity(self) -> bool:
        entity = self.entity_in(self.selection_span())
        if entity is None:
            return False
        self.delete_entity_requested.emit((entity.start, entity.end, entity.label))
        return True

    # --- keys and menu ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers()
        precise = bool(mods & Qt.KeyboardModifier.AltModifier)
        plain = not mods & ~(Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier)
        text = event.text()
        handled = False
        if plain and text and text in "123456789":
            label = next((lab.name for lab in self.labels if lab.key == text), None)
            handled = label is not None and self.request_label(label, precise)
        elif plain and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            handled = self.request_delete_entity()
        elif plain and event.key() == Qt.Key.Key_Q:
            handled = self.request_quote(precise=precise)
        elif plain and event.key() == Qt.Key.Key_S:
            handled = self.request_speaker(precise)
        if handled:
            event.accept()
        else:
            super().keyPressEvent(event)

    def build_menu(self) -> QMenu:
        """The context menu for what is selected or under the cursor."""
        menu = QMenu(self)
        span = self.selection_span()
        entity = self.entity_in(span)
        if span is not None:
            label_menu = menu.addMenu("Label as")
            for lab in self.labels:
                shortcut = f"\t{lab.key}" if lab.key else ""
                act = label_menu.addAction(f"{elide(lab.name, 50)}{shortcut}")
                act.triggered.connect(lambda _=False, n=lab.name: self.request_label(n))
        if entity is not None:
            ref = (entity.start, entity.end, entity.label)
            change = menu.addMenu(f"Change label of “{elide(entity.text, 40)}”")
            for lab in self.labels:
                if lab.name != entity.label:
                    act = change.addAction(elide(lab.name, 50))
                    act.triggered.connect(
                        lambda _=False, n=lab.name, r=ref: self.relabel_requested.emit(r, n)
                    )
            act = menu.addAction(f"Delete entity “{elide(entity.text, 40)}”\tDel")
            act.triggered.connect(lambda _=False, r=ref: self.delete_entity_requested.emit(r))
        if span is not None:
            menu.addSeparator()
            quote_menu = menu.addMenu("Make a quote")
            guess = quote_menu.addAction("Kind from the quotation marks\tQ")
            guess.triggered.connect(lambda: self.request_quote())
            for kind in KINDS:
                act = quote_menu.addAction(kind.capitalize())
                act.triggered.connect(lambda _=False, k=kind: self.request_quote(k))
            if self.focused() is not None:
                act = menu.addAction("Set as speaker of the selected quote\tS")
                act.triggered.connect(lambda: self.request_speaker())
        quote = self.focused()
        if quote is not None:
            menu.addSeparator()
            ref2 = (quote.start, quote.end)
            kinds = menu.addMenu("Selected quote's kind")
            for kind in KINDS:
                act = kinds.addAction(kind.capitalize())
                act.setCheckable(True)
                act.setChecked(kind == quote.kind)
                act.triggered.connect(
                    lambda _=False, k=kind, r=ref2: self.quote_kind_requested.emit(r, k)
                )
            act = menu.addAction("Delete the selected quote")
            act.triggered.connect(lambda _=False, r=ref2: self.delete_quote_requested.emit(r))
        if menu.isEmpty():
            menu.addAction("Select text to label it or make it a quote").setEnabled(False)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            self.cursor_to(event.pos())
        self.build_menu().exec(event.globalPos())

    def cursor_to(self, point: QPoint) -> None:
        """Without a selection, a right-click puts the cursor on the character clicked, so
        that the menu is about the entity under the mouse."""
        if self.textCursor().hasSelection():
            return
        index = self.index_at(point)
        if index is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self.offsets.to_view(index))
            self.setTextCursor(cursor)
