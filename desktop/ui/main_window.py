"""The main window: the article list, the article pane, a toolbar and a status bar.

Every database query and every model run goes through the ``TaskRunner``; this class only
turns their results into widgets.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import qtawesome as qta
from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolButton,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.domain import Article
from desktop.formats import FormatError
from desktop.nlp import ModelError
from desktop.services import analysis, exporting, importing, library
from desktop.services.progress import CancelToken
from desktop.store import Database, StoreError
from desktop.ui import settings as S
from desktop.ui.article_list import ArticleListModel
from desktop.ui.article_view import ArticleView
from desktop.ui.tasks import Task, TaskRunner

log = logging.getLogger(__name__)

USER_ERRORS = (StoreError, FormatError, ModelError, exporting.ExportError, OSError)
QUICK_TASKS = ("check", "list", "load article")
FILE_FILTER = "Articles (*.txt *.html *.htm *.jsonl);;All files (*)"


class MainWindow(QMainWindow):
    """Browse articles and see their entities and quotes."""

    article_shown = Signal(int)  # database id of an analyzed article now on screen
    failed = Signal(str)  # a user-facing error message (also shown in a dialog)

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
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)

        self.articles = ArticleListModel(self)
        self.list_view = QListView()
        self.list_view.setObjectName("articleList")
        self.list_view.setModel(self.articles)
        self.list_view.setUniformItemSizes(True)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.article_view = ArticleView()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_view)
        self.splitter.addWidget(self.article_view)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([280, 820])
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_status_bar()
        self.runner.started.connect(self._watch_task)
        self._restore_state()
        self.article_view.show_message("Loading…")

        self._pending_open: str | None = None
        self._seeding = add_sample
        self._refresh(select_first=True)
        if add_sample:
            self.runner.run("check for sample", lambda p, c: library.is_empty(db), self._seed)
        self._load_model()

    # --- building ---------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(icon: str, text: str, slot: Any, shortcut: Any = None) -> QAction:
            act = QAction(qta.icon(icon), text, self)
            act.triggered.connect(slot)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            return act

        self.import_action = action(
            "mdi6.file-import-outline", "&Import files…", self.import_files, QKeySequence.Open
        )
        self.import_folder_action = action(
            "mdi6.folder-download-outline", "Import &folder…", self.import_folder
        )
        self.analyze_action = action(
            "mdi6.text-search", "&Analyze collection", self.analyze_all, "Ctrl+R"
        )
        self.export_action = action("mdi6.export", "&Export JSONL…", self.export_jsonl, "Ctrl+E")
        quit_action = action("mdi6.exit-to-app", "&Quit", self.close, QKeySequence.Quit)
        about_action = action("mdi6.information-outline", "&About", self._about)

        file_menu = self.menuBar().addMenu("&File")
        for act in (self.import_action, self.import_folder_action, self.export_action):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.menuBar().addMenu("&Analysis").addAction(self.analyze_action)
        self.menuBar().addMenu("&Help").addAction(about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in (self.import_action, self.analyze_action, self.export_action):
            toolbar.addAction(act)

    def _build_status_bar(self) -> None:
        self.model_label = QLabel("Model: loading…")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(qta.icon("mdi6.close-circle-outline"))
        self.cancel_button.setToolTip("Cancel the running job")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel_tasks)
        bar = self.statusBar()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.model_label)

    def _restore_state(self) -> None:
        geometry = self.settings.get(S.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        splitter = self.settings.get(S.SPLITTER_STATE)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    # --- tasks ------------------------------------------------------------------------

    def _watch_task(self, task: Task) -> None:
        if task.name.startswith(QUICK_TASKS):
            return  # quick reads: no progress shown
        task.progressed.connect(self._on_progress)
        task.done.connect(self._on_task_done)
        self.progress.setRange(0, 0)
        self.progress.setFormat(task.name)
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(task.name.capitalize() + "…")

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)
        self.progress.setFormat(f"{message} (%p%)" if total else message)

    def _on_task_done(self) -> None:
        QTimer.singleShot(0, self._update_progress_visibility)

    def _update_progress_visibility(self) -> None:
        busy = [t for t in self.runner.active if not t.name.startswith(QUICK_TASKS)]
        if not busy:
            self.progress.hide()
            self.cancel_button.hide()
            self.statusBar().clearMessage()

    def _cancel_tasks(self) -> None:
        for task in self.runner.active:
            task.cancel()
        self.statusBar().showMessage("Cancelling…")

    def _error(self, exc: BaseException) -> None:
        if not isinstance(exc, USER_ERRORS):
            raise exc  # a bug: the exception hook logs it and shows the details
        message = str(exc)
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10000)
        self.failed.emit(message)
        if not self.quiet:
            QMessageBox.warning(self, APP_NAME, message)

    # --- list and article -------------------------------------------------------------

    def _refresh(self, select_first: bool = False, select_id: int | None = None) -> None:
        def apply(rows: list[Any]) -> None:
            keep = select_id if select_id is not None else self._current
            self.articles.set_rows(rows)
            row = self.articles.row_of(keep) if keep is not None else -1
            if row < 0 and select_first and rows:
                last = self.settings.get(S.LAST_ARTICLE)
                ids = [r.external_id for r in rows]
                row = ids.index(last) if last in ids else 0
            if row >= 0:
                self.list_view.setCurrentIndex(self.articles.index(row))
            elif not rows:
                self.article_view.show_message(
                    "No articles yet. Import files with File ▸ Import, or drop them here."
                )

        self.runner.run(
            "list articles", lambda p, c: library.summaries(self.db), apply, self._error
        )

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        article_id = current.data(ArticleListModel.ArticleIdRole)
        self.settings.set(S.LAST_ARTICLE, current.data(ArticleListModel.ExternalIdRole))
        self.show_article(article_id)

    def show_article(self, article_id: int) -> None:
        self._current = article_id

        def shown(result: tuple[Article, bool]) -> None:
            article, analyzed = result
            if article_id != self._current:
                return  # the user moved on meanwhile
            self.article_view.show_article(article)
            self.setWindowTitle(f"{article.title or article.external_id} — {APP_NAME}")
            if analyzed:
                self.article_shown.emit(article_id)

        def load(_p: Any, _c: Any) -> tuple[Article, bool]:
            return library.load_article(self.db, article_id), library.is_analyzed(
                self.db, article_id
            )

        self.runner.run("load article", load, shown, self._error)

    def open_external(self, external_id: str) -> None:
        """Show the article with that id, analyzing it first when needed."""
        if self._seeding:
            self._pending_open = external_id
            return

        def found(article_id: int | None) -> None:
            if article_id is None:
                self._error(StoreError(f"There is no article with id {external_id!r}."))
                return
            self._refresh(select_id=article_id)
            self.analyze_ids([article_id])

        self.runner.run(
            "check article", lambda p, c: library.find_article(self.db, external_id), found
        )

    # --- jobs -------------------------------------------------------------------------

    def _seed(self, empty: bool) -> None:
        if not empty:
            self._seeded()
            return

        def added(article_id: int | None) -> None:
            if article_id is not None and self._pending_open is None:
                self._refresh(select_id=article_id)
                self.analyze_ids([article_id])
            self._seeded()

        self.runner.run(
            "add the sample article", lambda p, c: library.add_sample(self.db), added, self._error
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
            self._error(exc)

        self.runner.run(
            "load the language model",
            lambda p, c: analysis.load_model(self.model_name),
            loaded,
            failed,
        )

    def analyze_ids(self, ids: list[int] | None = None) -> None:
        def work(progress: Any, cancel: CancelToken) -> Any:
            return analysis.analyze(
                self.db, ids=ids, model=self.model_name, progress=progress, cancel=cancel
            )

        def done(report: analysis.AnalysisReport) -> None:
            if report.analyzed:
                self.statusBar().showMessage(
                    f"Analyzed {report.analyzed} article(s): {report.added} annotations added", 8000
                )
            self._refresh()
            if self._current is not None:
                self.show_article(self._current)

        self.runner.run("analyze", work, done, self._error)

    def analyze_all(self) -> None:
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
        def work(progress: Any, cancel: CancelToken) -> importing.ImportReport:
            return importing.import_paths(self.db, paths, progress=progress, cancel=cancel)

        def done(report: importing.ImportReport) -> None:
            self.statusBar().showMessage(
                f"Imported {report.added} article(s), {report.skipped} already present", 8000
            )
            if report.errors:
                self._error(FormatError("import", "\n".join(report.errors)))
            self._refresh(select_id=report.article_ids[0] if report.article_ids else None)
            if report.article_ids:
                self.analyze_ids(report.article_ids)

        self.runner.run("import", work, done, self._error)

    def export_jsonl(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export JSONL", "quotedesk-export.jsonl", "JSON lines (*.jsonl)"
        )
        if not name:
            return

        def work(progress: Any, cancel: CancelToken) -> int:
            return exporting.export(self.db, "jsonl", name, progress=progress, cancel=cancel)

        self.runner.run(
            "export",
            work,
            lambda n: self.statusBar().showMessage(f"Exported {n} article(s) to {name}", 8000),
            self._error,
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Who is mentioned and who said what.",
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
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.SPLITTER_STATE, self.splitter.saveState())
        self.settings.sync()
        for task in self.runner.active:
            task.cancel()
        self.runner.wait(10000)
        super().closeEvent(event)
