"""Record edits (merge, split, rename, gender) made from the sources index, with undo.

Each edit is saved at once through ``services.sources.RecordEditor`` (one transaction in the
edit history, on the GUI thread like an article edit: a few rows that must be on disk before
the screen says so) and pushed on the window's undo stack, so ``Ctrl+Z`` undoes it like any
other edit; undo and redo are saved the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.store.errors import StoreError

if TYPE_CHECKING:
    from desktop.services.sources import RecordEdit, RecordEditor

ShowError = Callable[[BaseException], None]


class RecordCommand(QUndoCommand):
    """One saved record edit; undo and redo put the records back as they were."""

    def __init__(self, edits: RecordEdits, edit: RecordEdit) -> None:
        super().__init__(edit.action)
        self.edits = edits
        self.edit = edit
        self._done = True  # saved already when it is pushed

    def redo(self) -> None:
        if not self._done:
            self._done = self.edits.replay(lambda e: e.redo(self.edit))

    def undo(self) -> None:
        if self._done:
            self._done = not self.edits.replay(lambda e: e.undo(self.edit))


class RecordEdits(QObject):
    """Runs record edits and says when records changed (with the ids to select)."""

    changed = Signal(object)  # tuple[int, ...]: the records the edit leaves (maybe empty)

    def __init__(
        self,
        editor: RecordEditor | None,
        stack: QUndoStack,
        show_error: ShowError,
        parent: QObject,
        make_editor: Callable[[], RecordEditor] | None = None,
    ) -> None:
        """``editor`` None: ``make_editor`` makes it at the first edit (the window starts
        without the services that hold it: issue 16)."""
        super().__init__(parent)
        self._editor = editor
        self._make_editor = make_editor
        self.stack = stack
        self.show_error = show_error

    @property
    def editor(self) -> RecordEditor:
        if self._editor is None:
            assert self._make_editor is not None, "RecordEdits without an editor"
            self._editor = self._make_editor()
        return self._editor

    def apply(self, make: Callable[[RecordEditor], RecordEdit]) -> RecordEdit | None:
        """Save an edit and make it undoable; a refusal is shown in one line."""
        try:
            edit = make(self.editor)
        except StoreError as exc:
            self.show_error(exc)
            return None
        self.stack.push(RecordCommand(self, edit))
        self.changed.emit(edit.result)
        return edit

    def replay(self, make: Callable[[RecordEditor], RecordEdit]) -> bool:
        """Undo or redo; False (and the history cleared) when the records moved on."""
        try:
            edit = make(self.editor)
        except StoreError as exc:
            self.show_error(exc)
            return False
        self.changed.emit(edit.result)
        return True
