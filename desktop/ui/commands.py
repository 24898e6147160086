"""What the window's menus do: import, analysis, export, labels, restore, preferences.

Each command runs its work through the window's ``TaskRunner`` (long jobs on their own
thread, with progress in the status bar) and turns the report into a status-bar line.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from desktop import APP_NAME, __version__
from desktop.services.progress import CancelToken
from desktop.ui import database_problem
from desktop.ui import settings as S
from desktop.ui.model_state import ModelState
from desktop.ui.theme import apply_theme
from desktop.ui.window_host import WindowHost

if TYPE_CHECKING:
    from desktop.services import analysis, importing

log = logging.getLogger(__name__)

FILE_FILTER = "Articles (*.txt *.html *.htm *.jsonl);;All files (*)"


class WindowCommands(QObject):
    """The commands of the File, Edit, Analysis, Settings and Help menus."""

    def __init__(self, window: WindowHost, model: ModelState) -> None:
        super().__init__(window)
        self.window = window
        self.model = model

    # --- analysis ---------------------------------------------------------------------

    def analyze_ids(self, ids: list[int] | None = None, force: bool = False) -> None:
        """Analyze these articles (None: the collection's unanalyzed ones), then reload."""
        from desktop.services import analysis, model_choice

        window = self.window
        collection = window.browser.collection()
        model = self.model.name
        jobs = window.settings.get(S.ANALYSIS_JOBS) or None  # 0: one per core

        def work(progress: Any, cancel: CancelToken) -> Any:
            if not self.model.needed(window.db, ids, force):  # an analyzed article: no spaCy
                return analysis.analyze(window.db, ids=ids, collection=collection)
            reports = []
            # each collection with the model chosen for it (Train model…'s "Use this model")
            for chosen, run_ids in model_choice.runs_for(window.db, ids, collection, force):
                progress(0, 0, "Loading the language model")
                self.model.wait_loaded(chosen or model, cancel)  # a close cancels at once
                reports.append(
                    analysis.analyze(
                        window.db,
                        ids=run_ids,
                        collection=collection if run_ids is None else None,
                        force=force,
                        model=chosen or model,
                        progress=progress,
                        cancel=cancel,
                        jobs=jobs,
                    )
                )
            return model_choice.combined(reports)

        def done(report: analysis.AnalysisReport) -> None:
            summary = report.summary()
            window.statusBar().showMessage(summary[:1].upper() + summary[1:], 8000)
            if not report.analyzed and not report.failed:
                return  # nothing changed: the list and the article on screen stay as they are
            if report.failed:  # one line (the counts first, then the first); all in the log
                for failure in report.failed:
                    log.warning("analysis: %s", failure)
                window.show_error(
                    analysis.ArticlesFailed(f"{summary}. The first: {report.failed[0]}")
                )
            window.browser.reload()
            if window.current_id is not None:
                window.show_article(window.current_id)

        window.runner.run("analyze", work, done, window.show_error, long=True)

    def analyze_current(self) -> None:
        if self.window.current_id is not None:
            self.analyze_ids([self.window.current_id], force=True)

    def analyze_collection(self) -> None:
        self.analyze_ids(None)

    def train_model(self) -> None:
        """Analysis ▸ Train model…: train on the collection's corrections; its "Use this
        model" button makes the new model the one that collection is analyzed with."""
        from desktop.services import model_choice
        from desktop.ui.train_dialog import TrainDialog

        window = self.window
        collection = window.browser.collection() or window.shown_collection

        def use(name: str, trained_on: str) -> None:  # that collection's; others keep theirs
            model_choice.set_collection_model(window.db, trained_on, name)
            window.statusBar().showMessage(
                f"{trained_on} is analyzed with {name} from now on; "
                "Analysis ▸ Analyze again applies it to an article",
                8000,
            )

        TrainDialog(window.db, window.runner, use, collection, window).exec()

    def choose_collection_model(self) -> None:
        """Analysis ▸ Collection model…: the pipeline the shown collection is analyzed with
        (the general preference unless one is chosen here or by Train model…)."""
        from desktop.nlp import installed_pipelines
        from desktop.services import library, model_choice

        window = self.window
        collection = window.browser.collection() or window.shown_collection
        if not collection:
            names = library.collection_names(window.db)
            if not names:
                window.statusBar().showMessage("There is no collection yet: import first", 5000)
                return
            collection, ok = QInputDialog.getItem(
                window, "Collection model", "Collection:", names, 0, False
            )
            if not ok:
                return
        default = "The general model (Settings ▸ Preferences)"
        names = installed_pipelines()
        current = model_choice.collection_model(window.db, collection)
        choices = [default, *names]
        at = choices.index(current) if current in choices else 0
        name, ok = QInputDialog.getItem(
            window, "Collection model", f"Analyze “{collection}” with:", choices, at, False
        )
        if ok:
            chosen = None if name == default else name
            model_choice.set_collection_model(window.db, collection, chosen)
            window.statusBar().showMessage(
                f"{collection} is analyzed with {chosen or 'the general model'} from now on",
                8000,
            )

    # --- import and export ------------------------------------------------------------

    def import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self.window, "Import articles", "", FILE_FILTER)
        if names:
            self.import_paths([Path(n) for n in names])

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of articles")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders into the collection on screen, then analyze them."""
        from desktop.formats import FormatError
        from desktop.services import importing

        window = self.window
        collection = window.browser.collection() or "default"

        def work(progress: Any, cancel: CancelToken) -> importing.ImportReport:
            return importing.import_paths(
                window.db, paths, collection, progress=progress, cancel=cancel
            )

        def done(report: importing.ImportReport) -> None:
            summary = report.summary()
            window.statusBar().showMessage(summary[:1].upper() + summary[1:], 8000)
            problems = [*report.conflicts, *report.errors]
            if problems:  # one line (the counts first, then the first problem); all in the log
                for problem in problems:
                    log.warning("import: %s", problem)
                window.show_error(FormatError("import", f"{summary}; the first: {problems[0]}"))
            window._refresh_collections()
            first = report.article_ids[0] if report.article_ids else None
            window.browser.reload(select_id=first)
            if report.article_ids:
                self.analyze_ids(report.article_ids)

        window.runner.run("import", work, done, window.show_error, long=True)

    def export(self) -> None:
        """The export dialog: format, file, filters; it runs the export with progress."""
        from desktop.ui.export_dialog import ExportDialog

        ExportDialog(self.window.db, self.window.runner, self.window).exec()

    # --- edit, file, settings, help ---------------------------------------------------

    def edit_labels(self) -> None:
        """Name, colour and key of the labels of the collection on screen."""
        from desktop.services import labels
        from desktop.store import StoreError
        from desktop.ui.labels_dialog import LabelsDialog

        window = self.window
        if not window.shown_collection:
            return
        dialog = LabelsDialog(window.shown_collection, window.pane.view.labels, window)
        if not window.ask(dialog):
            return
        try:
            labels.set_collection_labels(window.db, window.shown_collection, dialog.labels())
        except (ValueError, StoreError) as exc:
            window.show_error(StoreError(str(exc)))
            return
        window.pane.view.set_labels(dialog.labels())
        if window.shown is not None:
            window.pane.show_article(window.shown)

    def restore_backup(self) -> None:
        database_problem.restore_in_window(self.window)

    def preferences(self) -> None:
        from desktop.ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.window.settings, self.window)
        if dialog.exec():
            self.apply_preferences()

    def apply_preferences(self) -> None:
        """Apply the theme and model of the settings (after the preferences dialog)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.window.settings.get(S.THEME))
        self.model.use(self.window.settings.get(S.MODEL) or None)

    def about(self) -> None:
        QMessageBox.about(
            self.window,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<p>Who is mentioned in the news and who said "
            "what: entities, quotes and their sources, corrected by hand and exported for "
            "NLP tools.</p>",
        )
