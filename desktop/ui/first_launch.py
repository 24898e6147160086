"""First launch: put the shipped sample article in a database the app has just created, so
there is something to look at.

The sample goes in only when the app created the database file itself (``app.run_app``
looks before it opens it), into its own collection (``Sample``). A database that existed
before, whether the default one or one given with ``--db`` or ``QUOTEDESK_DB``, is never
seeded, even when it is empty: it may be a user's database for real work. The settings
remember a created database until its sample is in, so a first launch that ended early is
finished on the next; once the sample went in, an analyst who deletes it does not get it
back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.ui import settings as S
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.store import Database


def _key(db_path: Path) -> str:
    return str(Path(db_path).expanduser().absolute())


def offer_sample(db_path: Path, created: bool, settings: S.Settings) -> bool:
    """Whether the sample goes into the database at ``db_path``: ``created`` says the app
    made the file in this launch; else only a file it made earlier and has not seeded."""
    if created:
        settings.set(S.SAMPLE_PENDING, _key(db_path))
        settings.sync()
        return True
    pending = settings.get(S.SAMPLE_PENDING)
    return bool(pending) and pending == _key(db_path)


class SampleSeeder(QObject):
    """Adds the sample article off the GUI thread when the database is still empty.

    ``added`` carries the new article's id; ``finished`` comes once in every case, after
    it (an ``--open`` of the sample waits for it).
    """

    added = Signal(int)
    finished = Signal()

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        settings: S.Settings,
        report: Callable[[BaseException], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.runner = runner
        self.settings = settings
        self._report = report
        self.busy = False

    def start(self) -> None:
        from desktop.services import library

        self.busy = True
        self.runner.run(
            "check for sample", lambda p, c: library.is_empty(self.db), self._seed, self._failed
        )

    def _seed(self, empty: bool) -> None:
        from desktop.services import library

        if not empty:
            self._finish(seeded=True)  # the analyst's own articles came first: no sample
            return

        def added(article_id: int | None) -> None:
            if article_id is not None:
                self.added.emit(article_id)
            self._finish(seeded=True)

        self.runner.run(
            "add the sample article",
            lambda p, c: library.add_sample(self.db),
            added,
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self._finish(seeded=False)  # still pending: the next launch tries again
        self._report(exc)

    def _finish(self, seeded: bool) -> None:
        path = self.db.path  # None: a PostgreSQL database, which never gets the sample
        if seeded and path is not None and self.settings.get(S.SAMPLE_PENDING) == _key(path):
            self.settings.set(S.SAMPLE_PENDING, "")
            self.settings.sync()
        self.busy = False
        self.finished.emit()
