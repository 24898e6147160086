"""Which language model the window uses, whether it has loaded, and whether its failure
has been shown.

The model loads only when something needs it: an analysis (the sample's, an import's, a
menu's, an ``--open`` of an article not analyzed yet) waits for it with ``wait_loaded``, and
choosing another model in the preferences loads that one. Opening and reading analyzed
articles never imports spaCy. A load runs on a daemon thread of its own, outside the
``TaskRunner``'s pools: closing the window cancels the analysis waiting for it and exits at
once, and the unfinished load is abandoned with the process. The loading thread touches no
Qt object; the window polls it while it runs.

``changed`` carries the text for the status bar's model label. A missing model fails the load
and then every analysis: the window asks ``first_report`` before it shows a ``ModelError``, so
one failure makes one dialog, whichever paths report it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services.progress import CancelToken
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.nlp import ModelError
    from desktop.nlp.pipeline import Pipeline
    from desktop.store import Database

WHEN_NEEDED = "Model: loads when needed"
LOADING = "Model: loading…"
NOT_AVAILABLE = "Model: not available"
POLL_MS = 50  # how often the window looks at a running load
WAIT_S = 0.05  # how often a waiting analysis looks at its cancel token
LOAD_THREAD = "load the language model"


def load_running() -> bool:
    """A model load is still running in this process (nobody will wait for it)."""
    return any(t.name == LOAD_THREAD and t.is_alive() for t in threading.enumerate())


class ModelLoad:
    """One load of one pipeline. ``run`` may run on a daemon thread that nobody joins: it
    only sets plain attributes and an ``Event``."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.done = threading.Event()
        self.pipeline: Pipeline | None = None
        self.error: Exception | None = None
        self.report = False  # the window shows its failure as a dialog (an explicit load)

    def run(self) -> None:
        from desktop.services import analysis

        try:
            self.pipeline = analysis.load_model(self.name)
        except Exception as exc:  # shown by the window, or raised to the analysis waiting
            self.error = exc
        finally:
            self.done.set()

    def wait(self, cancel: CancelToken | None) -> Pipeline:
        """The pipeline once loaded; ``Cancelled`` as soon as ``cancel`` is set."""
        while not self.done.wait(WAIT_S):
            if cancel is not None:
                cancel.check()
        if self.error is not None:
            raise self.error
        assert self.pipeline is not None
        return self.pipeline

    @property
    def failed(self) -> bool:
        return self.done.is_set() and self.error is not None


class ModelState(QObject):
    """The model's name (None: the best installed one) and its loads."""

    changed = Signal(str)  # WHEN_NEEDED, LOADING, "Model: <name> <version>", NOT_AVAILABLE
    _started = Signal()  # a load began on some thread: the window starts watching it

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
        self.text = WHEN_NEEDED
        self._report = report
        self._shown: tuple[str | None, str] | None = None  # the failure already shown
        self._lock = threading.Lock()
        self._loads: dict[str | None, ModelLoad] = {}
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._look)
        self._started.connect(self._look)
        self.changed.connect(self._remember)

    def _remember(self, text: str) -> None:
        self.text = text

    def first_report(self, exc: ModelError) -> bool:
        """True the first time this failure (this model, this message) is reported since
        the model last loaded or was switched; later reports go to the status bar only."""
        self.changed.emit(NOT_AVAILABLE)
        failure = (self.name, str(exc))
        if failure == self._shown:
            return False
        self._shown = failure
        return True

    @property
    def loading(self) -> bool:
        """A load of the current model is running."""
        load = self._loads.get(self.name)
        return load is not None and not load.done.is_set()

    def load(self) -> None:
        """Start loading the current model now, in the background (the preferences' switch);
        its failure is reported."""
        self._start(self.name).report = True
        self._look()

    def use(self, name: str | None) -> None:
        """Switch to another model (from the preferences) and load it."""
        if name != self.name:
            self.name = name
            self._shown = None
            self.load()

    def needed(self, db: Database, ids: Sequence[int] | None, force: bool) -> bool:
        """Whether analyzing ``ids`` (None: a collection) needs the model: not when every
        article named is analyzed already and ``force`` is off (any thread)."""
        from desktop.services import library

        if ids is None or force:
            return True
        return any(not library.is_analyzed(db, i) for i in ids)

    def wait_loaded(self, name: str | None, cancel: CancelToken | None) -> Pipeline:
        """Load ``name`` if no load of it is running or done, and wait for it, cancellably
        (called by analyses on a worker thread; the load itself is not waited for at exit)."""
        if cancel is not None:
            cancel.check()  # the window closed before this analysis began: start no load
        load = self._start(name)
        self._started.emit()
        return load.wait(cancel)

    def _start(self, name: str | None) -> ModelLoad:
        """The load of ``name``: the running or finished one, or a new one (a failed load is
        tried again)."""
        with self._lock:
            load = self._loads.get(name)
            if load is not None and not load.failed:
                return load
            load = ModelLoad(name)
            self._loads[name] = load
        if self.runner.synchronous:
            load.run()
        else:
            thread = threading.Thread(target=load.run, name=LOAD_THREAD, daemon=True)
            thread.start()
        return load

    def _look(self) -> None:
        """On the GUI thread: show where the current model's load is."""
        load = self._loads.get(self.name)
        if load is None:
            self._poll.stop()
            return
        if not load.done.is_set():
            if self.text != LOADING:
                self.changed.emit(LOADING)
            self._poll.start()
            return
        self._poll.stop()
        if load.pipeline is not None:
            self._shown = None
            self.changed.emit(f"Model: {load.pipeline.name} {load.pipeline.version}")
            return
        self.changed.emit(NOT_AVAILABLE)
        if load.report and load.error is not None:
            load.report = False
            if self.runner.guard is None or self.runner.guard():
                self._report(load.error)  # the window's show_error, which asks first_report
