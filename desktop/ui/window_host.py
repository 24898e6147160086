"""The main window as its parts see it.

The edit controller, the restore dialog, the commands and the actions are typed against
``WindowHost``, never against ``MainWindow``: so no module of ``desktop.ui`` imports the
window that composes it, and ``desktop.ui`` has no import cycle (an import-linter contract
in pyproject.toml keeps it so). ``MainWindow`` is the one subclass; its constructor sets
every attribute declared here and implements the three methods that raise here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from desktop import APP_NAME
from desktop.domain import Article
from desktop.formats import FormatError
from desktop.nlp import ModelError
from desktop.services import analysis, exporting
from desktop.store import Database, StoreError
from desktop.ui.article_pane import ArticlePane
from desktop.ui.browser import ArticleBrowser
from desktop.ui.model_state import ModelState
from desktop.ui.settings import Settings
from desktop.ui.source_panel import SourcePanel
from desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# errors the analyst can act on: one line in a dialog; anything else is a bug and goes to
# the exception hook
USER_ERRORS = (
    StoreError,
    FormatError,
    ModelError,
    exporting.ExportError,
    analysis.ArticlesFailed,
    OSError,
)


class UndoHolder(Protocol):
    """What the parts need of the edit controller: its undo history."""

    stack: QUndoStack


class WindowHost(QMainWindow):
    """The shared state of the window (database, runner, widgets, article on screen) and
    the few calls its parts make back into it."""

    failed = Signal(str)  # a user-facing error message (also shown in a dialog)

    db: Database
    runner: TaskRunner
    settings: Settings
    browser: ArticleBrowser
    pane: ArticlePane
    sources: SourcePanel
    edits: UndoHolder
    model: ModelState  # the language model, and whether its failure was shown
    quiet: bool  # no modal dialogs (screenshot mode, tests)
    shown: Article | None  # the article on screen, rejected annotations too
    shown_collection: str
    _current: int | None  # database id of the article selected

    @property
    def current_id(self) -> int | None:
        return self._current

    def ask(self, dialog: QDialog) -> bool:
        """Run a modal dialog; True when the analyst accepted it."""
        return bool(dialog.exec())

    def show_error(self, exc: BaseException) -> None:
        """One line in the status bar and a dialog (a model's failure once); a bug is raised
        to the exception hook."""
        if not isinstance(exc, USER_ERRORS):
            raise exc
        message = str(exc)
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10000)
        if isinstance(exc, ModelError) and not self.model.first_report(exc):
            return  # the same missing model, already shown: one failure, one dialog
        self.failed.emit(message)
        if not self.quiet:
            QMessageBox.warning(self, APP_NAME, message)

    def display(self, article: Article, focus: tuple[int, int] | None) -> None:
        """Show an article (after loading or an edit), re-selecting the quote at ``focus``."""
        raise NotImplementedError

    def show_article(
        self,
        article_id: int,
        focus: tuple[int, int] | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Load the article off the GUI thread and show it, the quote at ``focus``
        selected; ``then`` runs once it is on screen."""
        raise NotImplementedError

    def _refresh_collections(self) -> None:
        """Read the collection names again into the browser."""
        raise NotImplementedError
