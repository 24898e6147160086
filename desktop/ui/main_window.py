"""The main window: article browser (left), article pane (centre), quotes by source (right).

Every database query and every model run goes through the ``TaskRunner``; this class only
turns their results into widgets. It composes the rooms of the window, each in its own
module: the actions and menus (``window_actions``), the status bar's job progress
(``job_status``), the language model (``model_state``), the menu commands (``commands``),
first-launch seeding (``first_launch``) and the editing (``edit_controller``). Those parts
see the window as a ``window_host.WindowHost``, never as this class.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

from desktop import APP_NAME
from desktop.domain import Article
from desktop.domain.labels import LabelDef
from desktop.domain.names import elide
from desktop.services.first_screen import NOTHING_TO_ANALYZE, FirstScreen
from desktop.store.errors import NotADatabaseError
from desktop.store.listing import ArticleSummary, BrowseQuery
from desktop.ui import database_problem, icons
from desktop.ui import settings as S
from desktop.ui.annotating_view import AnnotatingView
from desktop.ui.article_pane import ArticlePane
from desktop.ui.article_table import ArticleTableModel
from desktop.ui.browser import ArticleBrowser
from desktop.ui.collection_views import CollectionViews
from desktop.ui.commands import WindowCommands
from desktop.ui.confidence import lowest_confidence
from desktop.ui.edit_controller import EditController
from desktop.ui.first_answers import FirstAnswers, layer_editor, open_store
from desktop.ui.first_launch import SampleSeeder
from desktop.ui.job_status import JobStatus
from desktop.ui.model_state import ModelState
from desktop.ui.paged_model import failure_shown
from desktop.ui.source_panel import SourcePanel
from desktop.ui.tasks import TaskRunner
from desktop.ui.team_menu import TeamMenu
from desktop.ui.window_actions import WindowActions
from desktop.ui.window_host import WindowHost

if TYPE_CHECKING:
    from desktop.store import Database

ANALYSIS_MESSAGE_MS = 8000  # as long as commands.analyze_ids shows its summary


class MainWindow(WindowHost):
    """Browse articles and see their entities and who said what.

    ``add_sample``: put the sample article into the database if it is empty; the app asks
    ``first_launch.offer_sample`` (only a database it has just created gets one).
    ``first``: a first screen read without the store answers the first reads
    (``first_answers``); ``db`` stands for the database until ``attach`` opens it.
    """

    article_shown = Signal(int)  # database id of an analyzed article now on screen
    edits: EditController

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        settings: S.Settings,
        model_name: str | None = None,
        add_sample: bool = False,
        parent: QWidget | None = None,
        first: FirstScreen | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._first = FirstAnswers(first) if first else None  # answers before the store
        self.runner = runner
        self.settings = settings
        self.quiet = False
        self._current = None
        self.shown = None
        self.shown_collection = ""
        self._load_seq = 0
        self._pending_open: str | None = None
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)

        self.browser = ArticleBrowser(self._load_page)
        self.pane = ArticlePane()
        self.sources = SourcePanel(settings)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.browser, self.pane, self.sources):
            self.splitter.addWidget(widget)
            self.splitter.setCollapsible(self.splitter.indexOf(widget), False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 640, 340])
        # the window's rooms: articles (the splitter), then the collection-wide views
        self.rooms = QTabWidget()
        self.rooms.setObjectName("rooms")
        self.rooms.setDocumentMode(True)
        self.rooms.addTab(self.splitter, "Articles")
        self.setCentralWidget(self.rooms)

        self.browser.article_selected.connect(self._on_article_selected)
        self.sources.quote_selected.connect(self.pane.view.focus_quote)
        self.sources.source_selected.connect(self.pane.view.focus_source)
        # one's own layer in parallel work; with a first screen, made at the first edit
        editor = None if first else layer_editor(db)
        self.edits = EditController(self, editor, lambda: layer_editor(self.db))
        self.model = ModelState(
            runner, model_name or settings.get(S.MODEL) or None, self.show_error, self
        )
        self.commands = WindowCommands(self, self.model)
        self.menu_actions = WindowActions(
            self, self.commands, self.edits.stack, self.edits.toggle_reviewed, self._focus_search
        )
        self.reviewed_action = self.menu_actions.reviewed_action
        self.collection_views = CollectionViews(self, self.rooms, self.edits)
        self.team_menu = TeamMenu(self)  # assignments, agreement, curation (issue 14)
        self.status = JobStatus(self.statusBar(), runner)
        self.model_label = self.status.model_label
        self.progress = self.status.progress
        self.cancel_button = self.status.cancel_button
        self.model.changed.connect(self.model_label.setText)
        self._closed = False
        self._offering = False  # a restore offer is on screen
        self.runner.guard = lambda: not self._closed and shiboken6.isValid(self)
        self._restore_state()
        self.pane.show_message("Loading…")

        self._refresh_collections()
        self.browser.reload(select_id=None)
        if first is None:
            self.browser.watch_database(self.runner, self.db)
        self.browser.model.loaded.connect(self._on_list_loaded)
        self.seeder = SampleSeeder(db, runner, settings, self.show_error, self)
        self.seeder.added.connect(self._on_sample_added)
        self.seeder.finished.connect(self._on_seeded)
        if add_sample:
            self.seeder.start()
        # the controls' icons, before the first paint so that it lays them out once (drawn
        # from one font: ``glyph_icons``); the language model loads only when an analysis
        # needs it (``model_state``)
        icons.apply_pending()

    def attach(self, then: Callable[[Database], None] | None = None) -> None:
        """After the first paint of a window on a first screen: open the store, then carry
        on as on the full path (editor, change watch, ``then``, the article read again)."""

        def opened(db: Database) -> None:
            self.db = db
            self._first = None
            if self.edits.editor is None:
                self.edits.editor = layer_editor(db)
            self.browser.watch_database(self.runner, db)
            self._refresh_collections()  # what changed since the first screen was read
            self.browser.refresh()
            if then is not None:
                then(db)
            if self._current is not None:
                self.show_article(self._current)  # the editor's own copy (undo starts there)

        if self._first is not None and (opening := getattr(self.db, "open", None)):
            open_store(self, opening, opened, self.show_error)

    # convenient names for tests and callers
    @property
    def article_view(self) -> AnnotatingView:
        return self.pane.view

    @property
    def articles(self) -> ArticleTableModel:
        return self.browser.model

    @property
    def model_name(self) -> str | None:
        return self.model.name

    def _restore_state(self) -> None:
        geometry = self.settings.get(S.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1300, 820)
        splitter = self.settings.get(S.SPLITTER_STATE)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    # --- list and article -------------------------------------------------------------

    def _load_page(
        self,
        query: BrowseQuery,
        offset: int,
        limit: int,
        deliver: Callable[[list[ArticleSummary], int], None],
    ) -> None:
        if self._first is not None and self._first.page(query, offset, limit, deliver):
            return
        from desktop.services import library

        self.runner.run(
            "list articles",
            lambda p, c: library.browse_page(self.db, query, offset, limit),
            lambda result: deliver(*result),
            failure_shown(self.browser.model, self.show_error),
        )

    def _refresh_collections(self) -> None:
        def apply(names: list[str]) -> None:
            current = self.browser.collection() or self.settings.get(S.LAST_COLLECTION)
            self.browser.set_collections(names, current)

        if self._first is not None and self._first.collections(apply):
            return
        from desktop.services import library

        self.runner.run(
            "collections", lambda p, c: library.collection_names(self.db), apply, self.show_error
        )

    def _on_list_loaded(self) -> None:
        if self.browser.model.rowCount() == 0:
            self._current = None
            self.sources.set_article(None)
            self.pane.show_message(self.browser.empty_message())
        elif self.browser.current_id() is None:
            last = self.settings.get(S.LAST_ARTICLE)
            model = self.browser.model
            rows = [model.index(r, 0).data(model.ExternalIdRole) for r in range(model.rowCount())]
            self.browser.view.setCurrentIndex(
                model.index(rows.index(last) if last in rows else 0, 0)
            )

    def _on_article_selected(self, article_id: int) -> None:
        if article_id != self._current:  # a list reload re-selects the article shown
            self.show_article(article_id)

    def show_article(
        self,
        article_id: int,
        focus: tuple[int, int] | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Load the article off the GUI thread and show it (only the latest request wins),
        with the quote at ``focus`` selected; ``then`` runs once it is on screen."""
        self._current = article_id
        self._load_seq += 1
        seq = self._load_seq

        def shown(result: tuple[Article, bool, tuple[str, list[LabelDef]]]) -> None:
            article, analyzed, (collection, label_defs) = result
            if seq != self._load_seq:
                return  # a newer request (another article, or a fresher copy) is on its way
            self.shown_collection = collection
            self.pane.view.set_labels(label_defs)
            self.display(article, focus)
            self.settings.set(S.LAST_ARTICLE, article.external_id)
            self.setWindowTitle(f"{elide(article.title or article.external_id, 120)} — {APP_NAME}")
            if analyzed:
                self.article_shown.emit(article_id)
            if then is not None:
                then()

        def load(_p: Any, _c: Any) -> tuple[Article, bool, tuple[str, list[LabelDef]]]:
            return (
                team_editing.shown_version(editor, article_id),
                library.is_analyzed(self.db, article_id),
                labels.article_labels(self.db, article_id),
            )

        if self._first is not None and self._first.article(article_id, shown):
            return
        from desktop.services import labels, library, team_editing

        editor = self.edits.live_editor()  # made here, on the GUI thread, if still to make
        self.runner.run("load article", load, shown, self.show_error)

    def display(self, article: Article, focus: tuple[int, int] | None) -> None:
        """Show an article (after loading or an edit), re-selecting the quote at ``focus``."""
        self.shown = article
        self.pane.show_article(article)
        self.sources.set_article(article)
        self.team_menu.show_layer(self._current)  # "Your layer", "Curated version"
        self.reviewed_action.setChecked(article.status == "reviewed")
        live = [q for q in article.quotes if not q.rejected]
        self.browser.model.update_row(
            self._current or -1,
            status=str(article.status),
            quotes=len(live),
            sources=len({q.source_key for q in live if q.source_key}),
            lowest_confidence=lowest_confidence(live),
        )
        if focus is not None:
            for i, quote in enumerate(article.quotes):
                if (quote.start, quote.end) == focus and not quote.rejected:
                    self.sources.select_quote(i)
                    self.pane.view.focus_quote(i)
                    break

    def open_external(self, external_id: str) -> None:
        """Show the article with that id, analyzing it first when needed."""
        from desktop.store.errors import StoreError

        if self.seeder.busy:
            self._pending_open = external_id
            return

        def found(article_id: int | None) -> None:
            if article_id is None:
                self.show_error(StoreError(f"There is no article with id {external_id!r}."))
                return
            self.browser.select(article_id)
            if self._first is not None and self._first.analyzed(article_id):
                # what the analysis of an analyzed article says, without the store
                self.statusBar().showMessage(NOTHING_TO_ANALYZE, ANALYSIS_MESSAGE_MS)
                return
            self.commands.analyze_ids([article_id])

        if self._first is not None and self._first.find(external_id, found):
            return
        from desktop.services import library

        self.runner.run(
            "check article", lambda p, c: library.find_article(self.db, external_id), found
        )

    def _focus_search(self) -> None:
        self.browser.search.setFocus()
        self.browser.search.selectAll()

    # --- first launch -----------------------------------------------------------------

    def _on_sample_added(self, article_id: int) -> None:
        if self._pending_open is None:
            self._refresh_collections()
            self.browser.reload(select_id=article_id)
            self.commands.analyze_ids([article_id])

    def _on_seeded(self) -> None:
        if self._pending_open is not None:
            self.open_external(self._pending_open)
            self._pending_open = None

    # --- the commands callers use directly --------------------------------------------

    def import_paths(self, paths: list[Path]) -> None:
        self.commands.import_paths(paths)

    def analyze_ids(self, ids: list[int] | None = None, force: bool = False) -> None:
        self.commands.analyze_ids(ids, force)

    def edit_labels(self) -> None:
        self.commands.edit_labels()

    def apply_preferences(self) -> None:
        self.commands.apply_preferences()

    # --- drag and drop, closing -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def show_error(self, exc: BaseException) -> None:
        """As the host's, and damage found by any read or edit offers the latest good
        backup at once (once at a time), not only at the next hourly check."""
        if isinstance(exc, NotADatabaseError) and not self.quiet:
            if self._offering:  # the offer is on screen already: no second dialog
                self.statusBar().showMessage(str(exc), 10000)
                return
            self._offering = True
            try:
                database_problem.offer_restore(self, exc)
            finally:
                self._offering = False
            return
        super().show_error(exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.status.closed = True
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.SPLITTER_STATE, self.splitter.saveState())
        self.settings.set(S.LAST_COLLECTION, self.browser.collection() or "")
        self.settings.sync()
        for task in self.runner.active:
            task.cancel()
        self.runner.wait(10000)
        super().closeEvent(event)
