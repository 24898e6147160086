"""The export dialog: choose a format, a file and filters; watch progress; cancel.

The export runs through the ``TaskRunner`` (never on the GUI thread); the dialog only turns
its progress, result or error into widgets. Errors are shown inside the dialog as one
sentence. Choices that select no article never replace an existing file at the first press:
the dialog says so, and the Export button becomes "Replace with an empty export".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.progress import Cancelled, CancelToken
from desktop.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from desktop.services import exporting
    from desktop.store import Database

ALL_COLLECTIONS = "All collections"
EXPORT = "Export"
REPLACE_WITH_EMPTY = "Replace with an empty export"


class _EitherToken(CancelToken):
    """Cancelled when the dialog's Cancel or the task's own token says so."""

    def __init__(self, *others: CancelToken) -> None:
        super().__init__()
        self._others = others

    @property
    def cancelled(self) -> bool:
        return super().cancelled or any(t.cancelled for t in self._others)

    def check(self) -> None:
        if self.cancelled:
            self.cancel()
        super().check()


def error_sentence(exc: BaseException) -> str:
    """One clear sentence for the user, whatever went wrong."""
    from desktop.formats import FormatError
    from desktop.services import exporting
    from desktop.store import StoreError

    if isinstance(exc, exporting.ExportError | StoreError | FormatError):
        text = str(exc)
    elif isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        text = f"Cannot write{where}: {exc.strerror or exc}"
    else:
        text = f"The export failed: {exc}"
    text = " ".join(text.split())
    return text if text.endswith(".") else text + "."


class ExportDialog(QDialog):
    """Export annotated articles to one of the formats NLP tools read."""

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        from desktop.services import exporting

        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.task: Task | None = None
        self._token: CancelToken | None = None
        self.exported: int | None = None
        self._empty_confirmed_for: str | None = None  # the file the user agreed to empty
        self.setWindowTitle("Export annotated articles")
        self.setObjectName("exportDialog")

        self.format = QComboBox()
        for name in exporting.format_names():
            self.format.addItem(exporting.format_title(name), name)
        self.format.setCurrentIndex(self.format.findData("jsonl"))
        self.format.currentIndexChanged.connect(self._format_changed)
        self.output = QLineEdit()
        self.output.setPlaceholderText("Choose where to save the export")
        self.output.textChanged.connect(lambda _: self._set_error(""))
        self.output.textChanged.connect(lambda _: self._ask_empty(None))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.choose_output)
        path_row = QHBoxLayout()
        path_row.addWidget(self.output, 1)
        path_row.addWidget(browse)
        self.collection = QComboBox()
        self.collection.addItem(ALL_COLLECTIONS, None)
        self.reviewed_only = QCheckBox("Reviewed articles only")
        self.human_only = QCheckBox("Only annotations made or kept by a person")
        self.labels = QListWidget()
        self.labels.setMaximumHeight(110)
        self.labels.setToolTip("Entity labels to export; quotes and sources always go out")

        # what the chosen format's tool needs (doccano's project settings, Label Studio's config)
        self.note = QLabel("")
        self.note.setObjectName("exportFormatNote")
        self.note.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("", self.note)
        form.addRow("Save to", path_row)
        form.addRow("Collection", self.collection)
        form.addRow("Entity labels", self.labels)
        form.addRow("", self.reviewed_only)
        form.addRow("", self.human_only)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(EXPORT, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._inputs: list[QWidget] = [
            self.format,
            self.output,
            browse,
            self.collection,
            self.labels,
            self.reviewed_only,
            self.human_only,
        ]
        self._show_note()
        self.resize(520, self.sizeHint().height())
        self.runner.run(
            "export choices",
            lambda p, c: exporting.export_choices(db),
            self._fill_choices,
            self._failed,
        )

    # ----- choices
    def _fill_choices(self, choices: exporting.ExportChoices) -> None:
        for name in choices.collections:
            self.collection.addItem(name, name)
        for label in choices.labels:
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.labels.addItem(item)

    def selected_format(self) -> str:
        return str(self.format.currentData())

    def selected_labels(self) -> list[str] | None:
        """The checked labels, or None when all are checked (no filter)."""
        items = [self.labels.item(i) for i in range(self.labels.count())]
        checked = [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
        return None if len(checked) == len(items) else checked

    def _show_note(self) -> None:
        from desktop.services import exporting

        note = exporting.format_note(self.selected_format())
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _format_changed(self) -> None:
        self._show_note()
        text = self.output.text().strip()
        if text:
            self.output.setText(str(Path(text).with_suffix(self._suffix())))

    def _suffix(self) -> str:
        from desktop.services import exporting

        return exporting.format_suffix(self.selected_format())

    def choose_output(self) -> None:
        suffix = self._suffix()
        start = self.output.text() or str(Path.home() / f"export{suffix}")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", start, f"{self.format.currentText()} (*{suffix});;All files (*)"
        )
        if path:
            self.output.setText(path if Path(path).suffix else path + suffix)

    # ----- running
    @property
    def running(self) -> bool:
        """An export is under way (the inputs stay locked until it ends)."""
        return not self.export_button.isEnabled()

    def start(self) -> None:
        """Check the choices, then run the export off the GUI thread."""
        from desktop.services import exporting

        if self.running:
            return
        out = self.output.text().strip()
        if not out:
            self._set_error("Choose a file to export to.")
            return
        labels = self.selected_labels()
        if labels == []:
            self._set_error("Tick at least one entity label, or all of them.")
            return
        fmt, collection = self.selected_format(), self.collection.currentData()
        reviewed, human = self.reviewed_only.isChecked(), self.human_only.isChecked()
        allow_empty = self._empty_confirmed_for == out
        self._ask_empty(None)
        self._token = own = CancelToken()
        self._set_error("")
        self._set_running(True)
        self.status.setText("Starting the export…")

        def work(progress, task_token):  # type: ignore[no-untyped-def]
            try:
                return exporting.export(
                    self.db,
                    fmt,
                    Path(out).expanduser(),  # "~/export.jsonl" as a shell would read it
                    collection=collection,
                    reviewed_only=reviewed,
                    labels=labels,
                    human_only=human,
                    allow_empty=allow_empty,
                    progress=progress,
                    cancel=_EitherToken(own, task_token),
                )
            except Cancelled:
                return None  # _finished tells the user, on the GUI thread

        task = self.runner.run("export", work, self._finished, self._failed, self._progressed)
        self.task = task if self.running else None  # a synchronous runner is done already

    def cancel(self) -> None:
        """Cancel a running export, or close the dialog when nothing runs."""
        if self.running and self._token is not None:
            self._token.cancel()
            self.status.setText("Cancelling…")
            return
        super().reject()

    def reject(self) -> None:
        """Escape or the window's close button: cancel first when an export runs."""
        self.cancel()

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not (self._token and self._token.cancelled):
            self.status.setText(message)

    def _finished(self, count: int | None) -> None:
        self._set_running(False)
        if count is None:
            self.progress.setValue(0)
            self.status.setText("Export cancelled; nothing was written.")
            return
        self.exported = count
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(f"Exported {count} article(s) to {self.output.text().strip()}.")
        self.cancel_button.setText("Close")

    def _failed(self, exc: BaseException) -> None:
        from desktop.services import exporting

        self._set_running(False)
        self.status.setText("")
        if isinstance(exc, exporting.EmptyExportError):
            self._set_error(
                f"{error_sentence(exc)} Press “{REPLACE_WITH_EMPTY}” to write it anyway."
            )
            self._ask_empty(self.output.text().strip())
            return
        self._set_error(error_sentence(exc))

    def _ask_empty(self, out: str | None) -> None:
        """Offer (``out``) or withdraw (None) replacing ``out`` with an empty export."""
        self._empty_confirmed_for = out
        self.export_button.setText(REPLACE_WITH_EMPTY if out else EXPORT)

    def _set_running(self, running: bool) -> None:
        if not running:
            self.task = None
        for widget in self._inputs:
            widget.setEnabled(not running)
        self.export_button.setEnabled(not running)

    def _set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
