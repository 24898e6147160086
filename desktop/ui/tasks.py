"""The one way to run work off the GUI thread.

``TaskRunner.run(fn, on_result)`` runs ``fn(progress, cancel)`` on a thread pool and calls
``on_result``, ``on_error`` and ``on_progress`` back on the GUI thread. Workers return plain
data and never touch widgets or Qt models. Tests pass ``synchronous=True`` to run each task
at once in the calling thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.services.progress import Cancelled, CancelToken

log = logging.getLogger(__name__)

Work = Callable[[Callable[[int, int, str], None], CancelToken], Any]


class Task(QObject):
    """A running job: its signals arrive on the GUI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()

    def __init__(self, name: str) -> None:
        # no Qt parent: the runner and the runnable hold it until it is done
        super().__init__()
        self.name = name
        self.token = CancelToken()
        self.running = True

    def cancel(self) -> None:
        self.token.cancel()


class _Runnable(QRunnable):
    def __init__(self, work: Work, task: Task) -> None:
        super().__init__()
        self._work = work
        self._task = task

    def run(self) -> None:
        _execute(self._work, self._task)


def _execute(work: Work, task: Task) -> None:
    try:
        result = work(task.progressed.emit, task.token)
    except Cancelled:
        outcome: tuple[Any, ...] = (task.cancelled,)
    except Exception as exc:  # handed to the GUI thread, which shows it
        log.debug("task %s failed", task.name, exc_info=exc)
        outcome = (task.failed, exc)
    else:
        outcome = (task.succeeded, result)
    try:
        signal, *args = outcome
        signal.emit(*args)
        task.done.emit()
    except RuntimeError:  # the receiving side is gone (the window closed): nobody to tell
        log.info("task %s finished after its receiver was deleted", task.name)


class TaskRunner(QObject):
    """Runs tasks on a QThreadPool and keeps them alive until they are done."""

    started = Signal(object)
    # on the GUI thread, once a task is over and no longer among ``active``
    finished = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
        synchronous: bool = False,
    ) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        # long jobs (model load, analysis, import, export) queue on a thread of their own,
        # so that the quick reads a person waits for are never stuck behind them
        self._long_pool = QThreadPool(self)
        self._long_pool.setMaxThreadCount(1)
        self._synchronous = synchronous
        self._tasks: set[Task] = set()
        # set by the window: False once it is closed, so late results are dropped
        self.guard: Callable[[], bool] | None = None

    @property
    def synchronous(self) -> bool:
        """Tasks run at once in the calling thread (tests)."""
        return self._synchronous

    @property
    def active(self) -> list[Task]:
        return [t for t in self._tasks if t.running]

    def run(
        self,
        name: str,
        work: Work,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        long: bool = False,
    ) -> Task:
        task = Task(name)
        if self.guard is not None and not self.guard():
            task.running = False  # the window is closed: start nothing new
            return task
        if on_result is not None:
            task.succeeded.connect(self._guarded(on_result))
        if on_error is not None:
            task.failed.connect(self._guarded(on_error))
        if on_progress is not None:
            task.progressed.connect(self._guarded(on_progress))
        task.done.connect(lambda: self._finish(task))
        self._tasks.add(task)
        self.started.emit(task)
        if self._synchronous:
            _execute(work, task)
        else:
            (self._long_pool if long else self._pool).start(_Runnable(work, task))
        return task

    def _guarded(self, callback: Callable[..., None]) -> Callable[..., None]:
        """Deliver to ``callback`` only while the receiving window is still there."""

        def deliver(*args: Any) -> None:
            if self.guard is None or self.guard():
                callback(*args)

        return deliver

    def _finish(self, task: Task) -> None:
        task.running = False
        self._tasks.discard(task)
        self.finished.emit(task)
        task.deleteLater()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the pools are idle (used when closing the window). The model's
        load runs on a thread of its own (``model_state``) and is not waited for."""
        return self._long_pool.waitForDone(msecs) and self._pool.waitForDone(msecs)
