"""The main window as its parts see it.

The edit controller, the restore dialog, the commands and the actions are typed against
``WindowHost``, never against ``MainWindow``: so no module of ``desktop.ui`` imports the
window that composes it, and ``desktop.ui`` has no import cycle (an import-linter contract
in pyproject.toml keeps it so). ``MainWindow`` is the one subclass; its constructor sets
every attribute declared here and implements the three methods that raise here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from desktop import APP_NAME
from desktop.domain import Article
from desktop.store.errors import StoreError
from desktop.ui.article_pane import ArticlePane
from desktop.ui.browser import ArticleBrowser
from desktop.ui.model_state import ModelState
from desktop.ui.settings import Settings
from desktop.ui.source_panel import SourcePanel
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.store import Database

log = logging.getLogger(__name__)

# errors the analyst can act on: one line in a dialog; anything else is a bug and goes to
# the exception hook. Each is looked up where its module is loaded (an error of a class
# cannot be raised before its module is): the window starts without these modules.
USER_ERROR_NAMES = (
    ("desktop.formats.errors", "FormatError"),
    ("desktop.nlp.pipeline", "ModelError"),
    ("desktop.services.exporting", "ExportError"),
    ("desktop.services.analysis", "ArticlesFailed"),
)


def user_errors() -> tuple[type[BaseException], ...]:
    """The error classes an analyst can act on, among the modules loaded now."""
    found: list[type[BaseException]] = [StoreError, OSError]
    for module, name in USER_ERROR_NAMES:
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)


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
        if not isinstance(exc, user_errors()):
            raise exc
        message = str(exc)
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10000)
        pipeline = sys.modules.get("desktop.nlp.pipeline")  # a ModelError: its module is loaded
        if (
            pipeline is not None
            and isinstance(exc, pipeline.ModelError)
            and not self.model.first_report(exc)
        ):
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
