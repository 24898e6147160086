"""Notices what other processes commit to the database, for the article browser.

A ``ChangeCounter`` (``PRAGMA data_version``: a few microseconds, no table read) is asked
through the task runner every couple of seconds and when the window is activated; when it
moved, ``changed`` is emitted (the browser then refreshes its list in place).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.store.errors import StoreError

if TYPE_CHECKING:
    from desktop.store import Database
    from desktop.ui.tasks import TaskRunner

WATCH_INTERVAL_MS = 2000  # how often to look for other processes' changes


class DatabaseWatch(QObject):
    """Polls ``ChangeCounter`` through the task runner, one look at a time, for as long as
    ``widget`` (whose window's activation also prompts a look) lives."""

    changed = Signal()  # another connection committed since the last look

    def __init__(self, widget: QWidget, runner: TaskRunner, db: Database, interval_ms: int) -> None:
        from desktop.store.browse import ChangeCounter

        super().__init__(widget)
        self._widget = widget
        self._runner = runner
        self._counter = ChangeCounter(db.engine, db.path)
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.look)
        self._timer.start()
        self._window: QWidget | None = None
        widget.destroyed.connect(self._counter.close)
        try:  # the starting point (one PRAGMA): what is committed from now on is news
            self._counter.changed()
        except StoreError:
            pass  # the next look tries again
        self.look()

    def stop(self) -> None:
        """Look no more and close the counter's connection."""
        self._timer.stop()
        self._counter.close()
        self.deleteLater()

    def look(self) -> None:
        """Ask the database whether anything was committed elsewhere (off the GUI thread)."""
        window = self._widget.window()
        if window is not self._window:  # activation tells of a return to the window
            if self._window is not None:
                self._window.removeEventFilter(self)
            window.installEventFilter(self)
            self._window = window
        if self._busy:
            return
        self._busy = True
        self._runner.run(
            "check for outside changes",
            lambda _p, _c: self._counter.changed(),
            self._answer,
            self._failed,
        )

    def _answer(self, changed: bool) -> None:
        self._busy = False
        if changed:
            self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        if not isinstance(exc, StoreError):
            raise exc  # a bug: the exception hook shows it
        # a locked or vanished file: look again at the next tick

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ActivationChange and watched is self._window:
            if self._window is not None and self._window.isActiveWindow():
                self.look()
        return super().eventFilter(watched, event)
