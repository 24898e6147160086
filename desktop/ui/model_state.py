"""Which language model the window uses, whether it has loaded, and whether its failure
has been shown.

The model loads on the long-job thread after the first paint; ``changed`` carries the text
for the status bar's model label. A missing model fails the load and then every analysis
(the sample's, an import's, an ``--open``): the window asks ``first_report`` before it shows
a ``ModelError``, so one failure makes one dialog, whichever paths report it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.nlp import ModelError
from desktop.services import analysis
from desktop.ui.tasks import TaskRunner


class ModelState(QObject):
    """The model's name (None: the best installed one) and its load."""

    changed = Signal(str)  # "Model: loading…", "Model: <name> <version>", "Model: not available"

    def __init__(
        self,
        runner: TaskRunner,
        name: str | None,
        report: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.name = name
        self._report = report
        self._shown: tuple[str | None, str] | None = None  # the failure already shown

    def first_report(self, exc: ModelError) -> bool:
        """True the first time this failure (this model, this message) is reported since
        the model last loaded or was switched; later reports go to the status bar only."""
        self.changed.emit("Model: not available")
        failure = (self.name, str(exc))
        if failure == self._shown:
            return False
        self._shown = failure
        return True

    def load(self) -> None:
        """Load the model off the GUI thread (once per process; later calls are quick)."""

        def loaded(pipeline: Any) -> None:
            self._shown = None
            self.changed.emit(f"Model: {pipeline.name} {pipeline.version}")

        def failed(exc: BaseException) -> None:
            self.changed.emit("Model: not available")
            self._report(exc)  # the window's show_error, which asks first_report

        self.changed.emit("Model: loading…")
        name = self.name
        self.runner.run(
            "load the language model",
            lambda p, c: analysis.load_model(name),
            loaded,
            failed,
            long=True,
        )

    def use(self, name: str | None) -> None:
        """Switch to another model (from the preferences) and load it."""
        if name != self.name:
            self.name = name
            self._shown = None
            self.load()
