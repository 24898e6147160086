"""Turns the editing widgets' requests into saved edits, with undo and redo.

Each request is saved at once through ``services.editing.Editor`` (one transaction, on the
GUI thread: an edit is a handful of rows, and it must be on disk before the screen says it
is done). The result goes on a ``QUndoStack``; undo and redo put back the article's
annotations as they were, and are saved like any edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.domain import Article, ArticleStatus, QuoteKind
from desktop.store.errors import ConflictError, StoreError
from desktop.ui.source_dialog import SourceDialog

if TYPE_CHECKING:
    from desktop.services.editing import Editor, EditResult
    from desktop.ui.window_host import WindowHost

NAMED_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP"}


def source_for_mention(article: Article, start: int, end: int) -> str | None:
    """The source a mention belongs to: one that has it already, else one with that name
    ("Ann Lee"), else one whose surname it is ("Lee" for "Ann Lee")."""
    for source in article.sources:
        if any(m.start < end and start < m.end for m in source.mentions):
            return source.key
    words = article.text[start:end].casefold().split()
    if not words:
        return None
    for source in article.sources:
        if source.name.casefold().split() == words:
            return source.key
    for source in article.sources:
        names = source.name.casefold().split()
        if len(words) == 1 and names and names[-1] == words[0]:
            return source.key
    return None


class EditCommand(QUndoCommand):
    """One saved edit; undo and redo restore the article's annotations."""

    def __init__(self, controller: EditController, result: EditResult) -> None:
        super().__init__(result.action)
        self.controller = controller
        self.result = result
        self.revision = result.after.revision  # what the article is at after this edit
        self._done = True  # the edit is already saved when the command is pushed

    def redo(self) -> None:
        if self._done:
            return
        self._restore(self.result.after, f"redo {self.result.action}")
        self._done = True

    def undo(self) -> None:
        self._restore(self.result.before, f"undo {self.result.action}")
        self._done = False

    def _restore(self, state: Article, action: str) -> None:
        after = self.controller.restore(self.result.article_id, self.revision, state, action)
        if after is not None:
            self.revision = after.revision


class EditController(QObject):
    saved = Signal(str)  # the action just saved (for tests and the status bar)

    def __init__(
        self,
        window: WindowHost,
        editor: Editor | None,
        make_editor: Callable[[], Editor] | None = None,
    ) -> None:
        """``editor`` None: made by ``make_editor`` at the first edit, or set once the
        database is open (a window that showed its first screen before opening it)."""
        super().__init__(window)
        self.window = window
        self.editor = editor
        self._make_editor = make_editor
        self.stack = QUndoStack(self)
        view, panel = window.pane.view, window.sources
        view.label_requested.connect(
            lambda s, e, label: self.apply(
                lambda a, r: self.live_editor().add_entity(a, r, s, e, label)
            )
        )
        view.relabel_requested.connect(
            lambda ref, label: self.apply(
                lambda a, r: self.live_editor().relabel_entity(a, r, ref, label)
            )
        )
        view.delete_entity_requested.connect(
            lambda ref: self.apply(lambda a, r: self.live_editor().delete_entity(a, r, ref))
        )
        view.quote_requested.connect(self.add_quote)
        view.speaker_requested.connect(self.set_speaker)
        view.delete_quote_requested.connect(self.delete_quote)
        view.quote_kind_requested.connect(self.set_kind)
        panel.quote_kind_requested.connect(self.set_kind)
        panel.delete_quote_requested.connect(self.delete_quote)
        panel.move_quote_requested.connect(
            lambda ref, key: self.apply(
                lambda a, r: self.live_editor().update_quote(
                    a, r, ref, "move quote", source_key=key
                ),
                focus=ref,
            )
        )
        panel.new_source_requested.connect(self.new_source)
        panel.edit_source_requested.connect(self.edit_source)
        panel.merge_requested.connect(
            lambda keep, drop: self.apply(
                lambda a, r: self.live_editor().merge_sources(a, r, keep, drop)
            )
        )
        panel.split_requested.connect(self.split_source)

    def live_editor(self) -> Editor:
        """The editor, made now if the window started without one."""
        if self.editor is None:
            assert self._make_editor is not None, "an EditController without an editor"
            self.editor = self._make_editor()
        return self.editor

    # --- the one way edits are made ---------------------------------------------------

    def apply(
        self,
        edit: Callable[[int, int], EditResult],
        focus: tuple[int, int] | None = None,
    ) -> EditResult | None:
        """Save an edit to the article on screen, show it, and make it undoable."""
        from desktop.store.annotations import EditError

        article = self.window.shown
        article_id = self.window.current_id
        if article is None or article_id is None:
            return None
        if focus is None:
            quote = self.window.pane.view.focused()
            focus = (quote.start, quote.end) if quote else None
        self.live_editor().known = article
        try:
            result = edit(article_id, article.revision)
        except ConflictError as exc:
            self._conflict(exc)
            return None
        except EditError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return None
        except StoreError as exc:
            self.window.show_error(exc)
            return None
        self.stack.push(EditCommand(self, result))
        self.window.display(result.after, focus)
        self.window.statusBar().showMessage(f"Saved: {result.action}", 4000)
        self.saved.emit(result.action)
        return result

    def restore(
        self, article_id: int, revision: int, state: Article, action: str
    ) -> Article | None:
        if article_id == self.window.current_id:
            self.live_editor().known = self.window.shown
        try:
            result = self.live_editor().restore(article_id, revision, state, action)
        except ConflictError as exc:
            self._conflict(exc)
            return None
        except StoreError as exc:
            self.window.show_error(exc)
            return None
        if article_id == self.window.current_id:
            self.window.display(result.after, None)
        else:
            self.window.browser.select(article_id)
        self.window.statusBar().showMessage(f"Saved: {action}", 4000)
        self.saved.emit(action)
        return result.after

    def _conflict(self, exc: ConflictError) -> None:
        # history no longer matches what is on disk: start afresh from the saved article
        self.stack.clear()
        self.window.show_error(exc)
        if self.window.current_id is not None:
            self.window.show_article(self.window.current_id)

    # --- requests that need a little more than one call -------------------------------

    def add_quote(self, start: int, end: int, kind: str) -> None:
        self.apply(
            lambda a, r: self.live_editor().add_quote(a, r, start, end, QuoteKind(kind)),
            focus=(start, end),
        )

    def set_kind(self, ref: tuple[int, int], kind: str) -> None:
        self.apply(
            lambda a, r: self.live_editor().update_quote(
                a, r, ref, "change quote kind", kind=QuoteKind(kind)
            ),
            focus=ref,
        )

    def delete_quote(self, ref: tuple[int, int]) -> None:
        self.apply(lambda a, r: self.live_editor().delete_quote(a, r, ref), focus=None)

    def set_speaker(self, start: int, end: int) -> None:
        """The selected mention speaks the focused quote; credit the source it belongs to
        (one that already has this mention, or a new one when it names someone)."""
        article = self.window.shown
        quote = self.window.pane.view.focused()
        if article is None or quote is None:
            return
        ref = (quote.start, quote.end)
        owner = source_for_mention(article, start, end)
        named = next(
            (
                e
                for e in article.entities
                if not e.rejected and e.start < end and start < e.end and e.label in NAMED_TYPES
            ),
            None,
        )
        new = None
        if owner is None and named is not None:
            new = (article.text[start:end], NAMED_TYPES[named.label])
        self.apply(
            lambda a, r: self.live_editor().set_speaker(a, r, ref, (start, end), owner, new),
            focus=ref,
        )

    def new_source(self, ref: tuple[int, int]) -> None:
        article = self.window.shown
        quote = (
            next((q for q in article.quotes if (q.start, q.end) == ref), None) if article else None
        )
        name = quote.speaker.text if quote and quote.speaker else ""
        dialog = SourceDialog("New source", name, parent=self.window)
        if self.window.ask(dialog):
            name, type_, description = dialog.values()
            self.apply(
                lambda a, r: self.live_editor().new_source_for_quote(
                    a, r, ref, name, type_, description
                ),
                focus=ref,
            )

    def edit_source(self, key: str) -> None:
        article = self.window.shown
        source = next((s for s in article.sources if s.key == key), None) if article else None
        if source is None:
            return
        dialog = SourceDialog(
            "Edit source", source.name, source.type, source.description, self.window
        )
        if self.window.ask(dialog):
            name, type_, description = dialog.values()
            self.apply(
                lambda a, r: self.live_editor().update_source(a, r, key, name, type_, description)
            )

    def split_source(self, key: str, quotes: list[tuple[int, int]]) -> None:
        article = self.window.shown
        source = next((s for s in article.sources if s.key == key), None) if article else None
        if source is None or not quotes:
            return
        dialog = SourceDialog(
            "Split into a new source", source.name, source.type, source.description, self.window
        )
        if self.window.ask(dialog):
            name = dialog.values()[0]
            self.apply(lambda a, r: self.live_editor().split_source(a, r, key, quotes, name))

    def toggle_reviewed(self) -> None:
        article = self.window.shown
        if article is None:
            return
        status = (
            ArticleStatus.IN_REVIEW
            if article.status == ArticleStatus.REVIEWED
            else ArticleStatus.REVIEWED
        )
        self.apply(lambda a, r: self.live_editor().set_status(a, r, status))
