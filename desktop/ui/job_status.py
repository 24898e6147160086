"""The status bar's right side: the running job's progress, its cancel button, the model.

Every task the ``TaskRunner`` starts is announced here; long jobs (import, analysis, export)
get a progress bar and a cancel button until the last of them is done. Quick reads and
housekeeping show nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from desktop.ui import icons
from desktop.ui.model_state import WHEN_NEEDED
from desktop.ui.tasks import Task, TaskRunner

# tasks that show no progress bar: quick reads and housekeeping (the model's load is not a
# task: it has its own label)
QUICK_TASKS = (
    "check",
    "list",
    "load article",
    "collections",
    "export choices",
    "daily backup",
)


class JobStatus(QObject):
    """Progress bar, cancel button and model label, added to ``bar``."""

    def __init__(self, bar: QStatusBar, runner: TaskRunner) -> None:
        super().__init__(bar)
        self.bar = bar
        self.runner = runner
        self.closed = False  # set when the window closes: nothing more to show
        self.model_label = QLabel(WHEN_NEEDED)
        self.model_label.setObjectName("modelLabel")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QToolButton()
        icons.later(self.cancel_button, "mdi6.close-circle-outline")
        self.cancel_button.setToolTip("Cancel the running job")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_all)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.model_label)
        runner.started.connect(self._watch)
        # the runner says when a task is over, after it has left ``runner.active``: a
        # connection to each task's own ``done`` could arrive before that (or, with a job
        # that failed at once, not at all), which left the bar up for good
        runner.finished.connect(self._on_finished)

    def _watch(self, task: Task) -> None:
        if task.name.startswith(QUICK_TASKS):
            return
        task.progressed.connect(self._on_progress)
        self.progress.setRange(0, 0)
        self.progress.setFormat(task.name)
        self.progress.show()
        self.cancel_button.show()
        self.bar.showMessage(task.name.capitalize() + "…")

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)
        self.progress.setFormat(f"{message} (%p%)" if total else message)

    def _on_finished(self, task: Task) -> None:
        if self.closed or not [t for t in self.runner.active if not t.name.startswith(QUICK_TASKS)]:
            self.progress.hide()
            self.cancel_button.hide()

    def cancel_all(self) -> None:
        for task in self.runner.active:
            task.cancel()
        self.bar.showMessage("Cancelling…")
