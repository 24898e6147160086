"""First launch: put the shipped sample article in an empty database, so there is
something to look at.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.services import library
from desktop.store import Database
from desktop.ui.tasks import TaskRunner


class SampleSeeder(QObject):
    """Adds the sample article off the GUI thread when the database is empty.

    ``added`` carries the new article's id; ``finished`` comes in every case, once, after
    it (an ``--open`` of the sample waits for it).
    """

    added = Signal(int)
    finished = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        report: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self._report = report
        self.busy = False

    def start(self) -> None:
        self.busy = True
        self.runner.run("check for sample", lambda p, c: library.is_empty(self.db), self._seed)

    def _seed(self, empty: bool) -> None:
        if not empty:
            self._finish()
            return

        def added(article_id: int | None) -> None:
            if article_id is not None:
                self.added.emit(article_id)
            self._finish()

        self.runner.run(
            "add the sample article",
            lambda p, c: library.add_sample(self.db),
            added,
            self._report,
        )

    def _finish(self) -> None:
        self.busy = False
        self.finished.emit()
