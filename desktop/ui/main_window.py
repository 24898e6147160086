"""The main window: article browser (left), article pane (centre), quotes by source (right).

Every database query and every model run goes through the ``TaskRunner``; this class only
turns their results into widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QSplitter,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.domain import Article
from desktop.domain.labels import LabelDef
from desktop.formats import FormatError
from desktop.services import analysis, importing, labels, library
from desktop.services.editing import Editor
from desktop.services.progress import CancelToken
from desktop.store import Database, StoreError
from desktop.store.browse import BrowseQuery
from desktop.store.repository import ArticleSummary
from desktop.ui import icons
from desktop.ui import settings as S
from desktop.ui.article_pane import ArticlePane
from desktop.ui.browser import ArticleBrowser
from desktop.ui.edit_controller import EditController
from desktop.ui.export_dialog import ExportDialog
from desktop.ui.job_status import JobStatus
from desktop.ui.labels_dialog import LabelsDialog
from desktop.ui.preferences import PreferencesDialog
from desktop.ui.source_panel import SourcePanel
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import apply_theme
from desktop.ui.window_host import WindowHost

log = logging.getLogger(__name__)

FIRST_PAINT_MS = 100
FILE_FILTER = "Articles (*.txt *.html *.htm *.jsonl);;All files (*)"


class MainWindow(WindowHost):
    """Browse articles and see their entities and who said what."""

    article_shown = Signal(int)  # database id of an analyzed article now on screen
    edits: EditController

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        settings: S.Settings,
        model_name: str | None = None,
        add_sample: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.settings = settings
        self.model_name = model_name or settings.get(S.MODEL) or None
        self.quiet = False  # no modal dialogs (screenshot mode, tests)
        self._current: int | None = None
        self.shown: Article | None = None  # the article on screen, rejected annotations too
        self.shown_collection = ""
        self._load_seq = 0
        self._pending_open: str | None = None
        self._seeding = add_sample
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)

        self.browser = ArticleBrowser(self._load_page)
        self.pane = ArticlePane()
        self.sources = SourcePanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.browser, self.pane, self.sources):
            self.splitter.addWidget(widget)
            self.splitter.setCollapsible(self.splitter.indexOf(widget), False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 640, 340])
        self.setCentralWidget(self.splitter)

        self.browser.article_selected.connect(self._on_article_selected)
        self.sources.quote_selected.connect(self.pane.view.focus_quote)
        self.sources.source_selected.connect(self.pane.view.focus_source)
        self.edits = EditController(self, Editor(db))

        self._build_actions()
        self.status = JobStatus(self.statusBar(), runner)
        self.model_label = self.status.model_label
        self.progress = self.status.progress
        self.cancel_button = self.status.cancel_button
        self._closed = False
        self.runner.guard = lambda: not self._closed and shiboken6.isValid(self)
        self._restore_state()
        self.pane.show_message("Loading…")

        self._refresh_collections()
        self.browser.reload(select_id=None)
        self.browser.model.loaded.connect(self._on_list_loaded)
        if add_sample:
            self.runner.run("check for sample", lambda p, c: library.is_empty(db), self._seed)
        # after the first paint: icons (qtawesome is slow to import) and the language model;
        # timers that are the window's children die with it
        self._after_paint = self._timer(FIRST_PAINT_MS, self._after_first_paint)
        self._after_paint.start()

    # convenient names for tests and callers
    @property
    def article_view(self):  # type: ignore[no-untyped-def]
        return self.pane.view

    @property
    def articles(self):  # type: ignore[no-untyped-def]
        return self.browser.model

    # --- building ---------------------------------------------------------------------

    def _action(
        self, icon: str, text: str, slot: Callable[[], Any], shortcut: Any = None
    ) -> QAction:
        act = QAction(text, self)
        icons.later(act, icon)
        act.triggered.connect(slot)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            act.setShortcuts([QKeySequence(k) for k in keys])
        self.addAction(act)  # shortcuts work wherever the focus is
        return act

    def _build_actions(self) -> None:
        a = self._action
        self.import_action = a(
            "mdi6.file-import-outline", "&Import files…", self.import_files, QKeySequence.Open
        )
        self.import_folder_action = a(
            "mdi6.folder-download-outline", "Import &folder…", self.import_folder, "Ctrl+Shift+O"
        )
        self.export_action = a("mdi6.export", "&Export…", self.export, "Ctrl+E")
        self.restore_action = a("mdi6.backup-restore", "&Restore a backup…", self.restore_backup)
        quit_action = a("mdi6.exit-to-app", "&Quit", self.close, QKeySequence.Quit)
        self.analyze_action = a(
            "mdi6.text-search", "Analyze &article", self.analyze_current, "Ctrl+R"
        )
        self.analyze_all_action = a(
            "mdi6.text-box-search-outline",
            "Analyze &collection",
            self.analyze_collection,
            "Ctrl+Shift+R",
        )
        next_article = a(
            "mdi6.chevron-down", "&Next article", lambda: self.browser.step(1), ["Ctrl+PgDown"]
        )
        prev_article = a(
            "mdi6.chevron-up", "&Previous article", lambda: self.browser.step(-1), ["Ctrl+PgUp"]
        )
        next_quote = a(
            "mdi6.format-quote-close", "Next &quote", lambda: self.sources.step_quote(1), "Alt+Down"
        )
        prev_quote = a(
            "mdi6.format-quote-open",
            "Previous q&uote",
            lambda: self.sources.step_quote(-1),
            "Alt+Up",
        )
        find = a("mdi6.magnify", "&Search articles", self._focus_search, QKeySequence.Find)
        undo = self.edits.stack.createUndoAction(self, "&Undo")
        icons.later(undo, "mdi6.undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.edits.stack.createRedoAction(self, "&Redo")
        icons.later(redo, "mdi6.redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        self.reviewed_action = a(
            "mdi6.check-decagram-outline",
            "Mark &reviewed",
            self.edits.toggle_reviewed,
            "Ctrl+Return",
        )
        self.reviewed_action.setCheckable(True)
        self.labels_action = a(
            "mdi6.label-multiple-outline", "&Labels of this collection…", self.edit_labels
        )
        prefs = a("mdi6.cog-outline", "&Preferences…", self.preferences, QKeySequence.Preferences)
        about = a("mdi6.information-outline", "&About Quotedesk", self._about)

        menus = {
            "&File": [
                self.import_action,
                self.import_folder_action,
                self.export_action,
                None,
                self.restore_action,
                None,
                quit_action,
            ],
            "&Edit": [undo, redo, None, self.reviewed_action, None, self.labels_action],
            "&Go": [next_article, prev_article, None, next_quote, prev_quote, None, find],
            "&Analysis": [self.analyze_action, self.analyze_all_action],
            "&Settings": [prefs],
            "&Help": [about],
        }
        for title, actions in menus.items():
            menu = self.menuBar().addMenu(title)
            for act in actions:
                if act is None:
                    menu.addSeparator()
                else:
                    menu.addAction(act)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in (
            self.import_action,
            self.analyze_action,
            self.analyze_all_action,
            self.export_action,
            None,
            undo,
            redo,
            self.reviewed_action,
        ):
            if act is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(act)

    def _restore_state(self) -> None:
        geometry = self.settings.get(S.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1300, 820)
        splitter = self.settings.get(S.SPLITTER_STATE)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    # --- tasks ------------------------------------------------------------------------

    def _timer(self, msec: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msec)
        timer.timeout.connect(slot)
        return timer

    def _after_first_paint(self) -> None:
        icons.apply_pending()
        self._load_model()

    # --- list and article -------------------------------------------------------------

    def _load_page(
        self,
        query: BrowseQuery,
        offset: int,
        limit: int,
        deliver: Callable[[list[ArticleSummary], int], None],
    ) -> None:
        self.runner.run(
            "list articles",
            lambda p, c: library.browse_page(self.db, query, offset, limit),
            lambda result: deliver(*result),
            self.show_error,
        )

    def _refresh_collections(self) -> None:
        def apply(names: list[str]) -> None:
            current = self.browser.collection() or self.settings.get(S.LAST_COLLECTION)
            self.browser.set_collections(names, current)

        self.runner.run(
            "collections", lambda p, c: library.collection_names(self.db), apply, self.show_error
        )

    def _on_list_loaded(self) -> None:
        if self.browser.model.rowCount() == 0:
            self._current = None
            self.sources.set_article(None)
            self.pane.show_message(
                "No articles here yet.\n\nImport .txt, .html or .jsonl files with "
                "File ▸ Import (Ctrl+O), or drop them on this window."
            )
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

    def show_article(self, article_id: int) -> None:
        """Load the article off the GUI thread and show it (only the latest request wins)."""
        self._current = article_id
        self._load_seq += 1
        seq = self._load_seq

        def shown(result: tuple[Article, bool, tuple[str, list[LabelDef]]]) -> None:
            article, analyzed, (collection, label_defs) = result
            if seq != self._load_seq:
                return  # a newer request (another article, or a fresher copy) is on its way
            self.shown_collection = collection
            self.pane.view.set_labels(label_defs)
            self.display(article, None)
            self.settings.set(S.LAST_ARTICLE, article.external_id)
            self.setWindowTitle(f"{article.title or article.external_id} — {APP_NAME}")
            if analyzed:
                self.article_shown.emit(article_id)

        def load(_p: Any, _c: Any) -> tuple[Article, bool, tuple[str, list[LabelDef]]]:
            return (
                library.load_article(self.db, article_id, include_rejected=True),
                library.is_analyzed(self.db, article_id),
                labels.article_labels(self.db, article_id),
            )

        self.runner.run("load article", load, shown, self.show_error)

    def display(self, article: Article, focus: tuple[int, int] | None) -> None:
        """Show an article (after loading or an edit), re-selecting the quote at ``focus``."""
        self.shown = article
        self.pane.show_article(article)
        self.sources.set_article(article)
        self.reviewed_action.setChecked(article.status == "reviewed")
        live = [q for q in article.quotes if not q.rejected]
        self.browser.model.update_row(
            self._current or -1,
            status=str(article.status),
            quotes=len(live),
            sources=len({q.source_key for q in live if q.source_key}),
        )
        if focus is not None:
            for i, quote in enumerate(article.quotes):
                if (quote.start, quote.end) == focus and not quote.rejected:
                    self.sources.select_quote(i)
                    self.pane.view.focus_quote(i)
                    break

    def open_external(self, external_id: str) -> None:
        """Show the article with that id, analyzing it first when needed."""
        if self._seeding:
            self._pending_open = external_id
            return

        def found(article_id: int | None) -> None:
            if article_id is None:
                self.show_error(StoreError(f"There is no article with id {external_id!r}."))
                return
            self.browser.select(article_id)
            self.analyze_ids([article_id])

        self.runner.run(
            "check article", lambda p, c: library.find_article(self.db, external_id), found
        )

    def _focus_search(self) -> None:
        self.browser.search.setFocus()
        self.browser.search.selectAll()

    # --- jobs -------------------------------------------------------------------------

    def _seed(self, empty: bool) -> None:
        if not empty:
            self._seeded()
            return

        def added(article_id: int | None) -> None:
            if article_id is not None and self._pending_open is None:
                self._refresh_collections()
                self.browser.reload(select_id=article_id)
                self.analyze_ids([article_id])
            self._seeded()

        self.runner.run(
            "add the sample article",
            lambda p, c: library.add_sample(self.db),
            added,
            self.show_error,
        )

    def _seeded(self) -> None:
        self._seeding = False
        if self._pending_open is not None:
            self.open_external(self._pending_open)
            self._pending_open = None

    def _load_model(self) -> None:
        def loaded(pipeline: Any) -> None:
            self.model_label.setText(f"Model: {pipeline.name} {pipeline.version}")

        def failed(exc: BaseException) -> None:
            self.model_label.setText("Model: not available")
            self.show_error(exc)

        self.model_label.setText("Model: loading…")
        self.runner.run(
            "load the language model",
            lambda p, c: analysis.load_model(self.model_name),
            loaded,
            failed,
            long=True,
        )

    def analyze_ids(self, ids: list[int] | None = None, force: bool = False) -> None:
        collection = self.browser.collection()

        def work(progress: Any, cancel: CancelToken) -> Any:
            return analysis.analyze(
                self.db,
                ids=ids,
                collection=collection,
                force=force,
                model=self.model_name,
                progress=progress,
                cancel=cancel,
            )

        def done(report: analysis.AnalysisReport) -> None:
            if report.analyzed:
                self.statusBar().showMessage(
                    f"Analyzed {report.analyzed} article(s): {report.added} model annotations "
                    f"added, {report.kept_human} human or rejected kept",
                    8000,
                )
            else:
                self.statusBar().showMessage("Nothing to analyze", 5000)
            self.browser.reload()
            if self._current is not None:
                self.show_article(self._current)

        self.runner.run("analyze", work, done, self.show_error, long=True)

    def analyze_current(self) -> None:
        if self._current is not None:
            self.analyze_ids([self._current], force=True)

    def analyze_collection(self) -> None:
        self.analyze_ids(None)

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import articles", "", FILE_FILTER)
        if names:
            self.import_paths([Path(n) for n in names])

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        collection = self.browser.collection() or "default"

        def work(progress: Any, cancel: CancelToken) -> importing.ImportReport:
            return importing.import_paths(
                self.db, paths, collection, progress=progress, cancel=cancel
            )

        def done(report: importing.ImportReport) -> None:
            self.statusBar().showMessage(
                f"Imported {report.added} article(s), {report.skipped} already present", 8000
            )
            if report.errors:
                self.show_error(FormatError("import", "\n".join(report.errors)))
            self._refresh_collections()
            first = report.article_ids[0] if report.article_ids else None
            self.browser.reload(select_id=first)
            if report.article_ids:
                self.analyze_ids(report.article_ids)

        self.runner.run("import", work, done, self.show_error, long=True)

    def export(self) -> None:
        """The export dialog: format, file, filters; it runs the export with progress."""
        ExportDialog(self.db, self.runner, self).exec()

    def edit_labels(self) -> None:
        """Name, colour and key of the labels of the collection on screen."""
        if not self.shown_collection:
            return
        dialog = LabelsDialog(self.shown_collection, self.pane.view.labels, self)
        if not self.ask(dialog):
            return
        try:
            labels.set_collection_labels(self.db, self.shown_collection, dialog.labels())
        except (ValueError, StoreError) as exc:
            self.show_error(StoreError(str(exc)))
            return
        self.pane.view.set_labels(dialog.labels())
        if self.shown is not None:
            self.pane.show_article(self.shown)

    def restore_backup(self) -> None:
        from desktop.ui.database_problem import restore_in_window

        restore_in_window(self)

    def preferences(self) -> None:
        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec():
            self.apply_preferences()

    def apply_preferences(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.get(S.THEME))
        model = self.settings.get(S.MODEL) or None
        if model != self.model_name:
            self.model_name = model
            self._load_model()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<p>Who is mentioned in the news and who said "
            "what: entities, quotes and their sources, corrected by hand and exported for "
            "NLP tools.</p>",
        )

    # --- drag and drop, closing -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

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
