"""Keeping the analyst's database safe from the window.

- ``DatabaseProblemDialog`` and ``open_database``: when the database cannot be opened
  (damaged, not SQLite, newer, read-only...), say why and offer to restore the latest good
  backup or to open another database, instead of a traceback or a bare error.
- ``offer_restore``: the same offer when damage is found after the window opened (by the
  check after the first paint, or by a daily backup that refuses to copy a damaged file).
- ``RestoreDialog`` and ``restore_in_window``: File ▸ Restore a backup….
- ``start_daily_backups``: right after the first paint, then every hour, a worker checks
  the database (when the open did not) and makes the daily copy when one is due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.store.errors import NotADatabaseError

if TYPE_CHECKING:
    from desktop.store import Database, StoreError
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.window_host import WindowHost

log = logging.getLogger(__name__)

BACKUP_CHECK_MS = 60 * 60 * 1000  # look every hour whether the daily copy is due

# tasks that write to the database: a restore waits until they are done
WRITING_TASKS = ("import", "analyze", "export", "add the sample article", "daily backup")
# (the daily backup last: offer_restore, called from it, leaves it out)

RESTORE = "restore"
OPEN_OTHER = "open"
LATER = "later"
QUIT = "quit"


class DatabaseProblemDialog(QDialog):
    """Why the database cannot be opened (or, ``after_open``, why the open one is damaged),
    and what the analyst can do about it."""

    def __init__(
        self,
        db_path: Path,
        message: str,
        parent: QWidget | None = None,
        after_open: bool = False,
    ) -> None:
        from desktop.store import backups

        super().__init__(parent)
        problem = "is damaged" if after_open else "cannot be opened"
        self.setWindowTitle(f"{APP_NAME}: the database {problem}")
        self.setObjectName("databaseProblemDialog")
        self.choice = QUIT
        self.latest = backups.latest_good(db_path)
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        if self.latest is not None:
            hint = f"The latest good backup is from {self.latest.describe()}."
        else:
            hint = "There is no sound backup of this database."
        self.hint = QLabel(hint + " Nothing has been changed yet.")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        box = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore the latest good backup")
        self.restore_button.setEnabled(self.latest is not None)
        # after opening, the window stays on this database: "not now" instead of another
        other = ("&Not now", LATER) if after_open else ("&Open another database…", OPEN_OTHER)
        self.open_button = QPushButton(other[0])
        self.quit_button = QPushButton("&Quit")
        box.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(lambda: self._choose(RESTORE))
        self.open_button.clicked.connect(lambda: self._choose(other[1]))
        self.quit_button.clicked.connect(lambda: self._choose(QUIT))
        layout.addWidget(box)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice in (QUIT, LATER):
            self.reject()
        else:
            self.accept()


def _ask(dialog: DatabaseProblemDialog) -> str:
    dialog.exec()
    return dialog.choice


def _pick_database(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent,
        "Open or create a Quotedesk database",
        "",
        "Quotedesk databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return Path(name) if name else None


def open_database(
    db_path: Path,
    error: StoreError,
    ask: Callable[[DatabaseProblemDialog], str] = _ask,
    pick: Callable[[QWidget | None], Path | None] = _pick_database,
) -> Database | None:
    """After ``Database.open(db_path)`` raised ``error``: ask until a database opens or the
    analyst quits (None). ``ask`` and ``pick`` are the dialogs; tests replace them."""
    from desktop.store import Database, StoreError, backups

    path = Path(db_path)
    while True:
        dialog = DatabaseProblemDialog(path, str(error))
        choice = ask(dialog)
        latest = dialog.latest
        dialog.deleteLater()
        try:
            if choice == RESTORE and latest is not None:
                backups.restore(latest.path, path)
                return Database.open(path)
            if choice == OPEN_OTHER:
                other = pick(None)
                if other is None:
                    continue
                path = other
                return Database.open(path)
            return None
        except StoreError as exc:
            error = exc


class RestoreDialog(QDialog):
    """The backups of the open database, newest first; accept restores the selected one."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        from desktop.store import backups

        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        self.setObjectName("restoreDialog")
        layout = QVBoxLayout(self)
        found = backups.list_backups(db_path)
        text = (
            "Choose the copy to go back to. What the database holds now is saved first, in "
            f"{backups.safety_folder(db_path)}, so this can be undone."
            if found
            else "There are no backups yet; they are made daily in "
            f"{backups.backup_folder(db_path)}."
        )
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = QListWidget()
        for b in found:
            item = QListWidgetItem(b.describe())
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("&Restore")
        box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(found))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def selected(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


def restore_in_window(
    window: WindowHost, choose: Callable[[RestoreDialog], bool] | None = None
) -> bool:
    """File ▸ Restore a backup…: pick a copy, put it back, reload the window."""
    from desktop.store import StoreError
    from desktop.store.postgres import NO_BACKUPS

    busy = [t.name for t in window.runner.active if t.name in WRITING_TASKS]
    if busy:
        window.show_error(StoreError(f"Wait for the {busy[0]} to finish, then restore."))
        return False
    if window.db.path is None:  # a PostgreSQL database: the server keeps the backups
        window.show_error(StoreError(NO_BACKUPS))
        return False
    dialog = RestoreDialog(window.db.path, window)
    accepted = (choose or window.ask)(dialog)
    chosen = dialog.selected()
    dialog.deleteLater()
    if not accepted or chosen is None:
        return False
    return _restore(window, chosen)


def _restore(window: WindowHost, chosen: Path) -> bool:
    """Put ``chosen`` back under the open window and show the restored data."""
    from desktop.store import StoreError

    try:
        saved = window.db.restore(chosen)
    except StoreError as exc:
        window.show_error(exc)
        return False
    window.edits.stack.clear()  # the undo history describes a state that is gone
    window._current = None
    window._refresh_collections()
    window.browser.reload(select_id=None)
    where = f"; the previous state was saved as {saved.name}" if saved else ""
    window.statusBar().showMessage(f"Restored {chosen.name}{where}", 15000)
    if not window.quiet:
        QMessageBox.information(window, APP_NAME, f"Restored {chosen.name}{where}.")
    return True


def offer_restore(
    window: WindowHost,
    error: StoreError,
    ask: Callable[[DatabaseProblemDialog], str] | None = None,
) -> bool:
    """Damage found while the window is open: say so and offer the latest good backup
    (True when it was restored). ``ask`` runs the dialog; a quiet window (tests,
    screenshots) only shows the message unless one is given."""
    from desktop.store import StoreError

    if (ask is None and window.quiet) or window.db.path is None:  # a server: no file backups
        window.show_error(error)
        return False
    # the daily backup that found the damage is still running while it reports it
    busy = [t.name for t in window.runner.active if t.name in WRITING_TASKS[:-1]]
    dialog = DatabaseProblemDialog(window.db.path, str(error), window, after_open=True)
    choice = (ask or _ask)(dialog)
    latest = dialog.latest
    dialog.deleteLater()
    if choice == QUIT:
        window.close()
        return False
    if choice != RESTORE or latest is None:
        return False
    if busy:
        window.show_error(StoreError(f"Wait for the {busy[0]} to finish, then restore."))
        return False
    return _restore(window, latest.path)


FIRST_LOOK_MS = 2000


def start_daily_backups(
    parent: QObject,
    db: Database,
    runner: TaskRunner,
    ask: Callable[[DatabaseProblemDialog], str] | None = None,
) -> QTimer:
    """A look, on a worker thread, soon after start-up and then every hour: the integrity
    check (the one the open left for later, then hourly), and the daily copy when due.
    Damage found there is offered a restore (``offer_restore``, ``ask`` as there) when
    ``parent`` is the main window."""
    timer = QTimer(parent)
    timer.setObjectName("dailyBackupTimer")
    timer.setInterval(BACKUP_CHECK_MS)
    offering = [False]  # one offer at a time: the timer fires inside a modal dialog too

    def failed(exc: BaseException) -> None:
        from desktop.ui.window_host import WindowHost

        window = parent if isinstance(parent, WindowHost) else None
        if not isinstance(exc, NotADatabaseError) or window is None:
            log.warning("daily backup: %s", exc)
            return
        if offering[0]:
            return
        offering[0] = True
        try:
            offer_restore(window, exc, ask)
        finally:
            offering[0] = False

    def tick() -> None:
        runner.run("daily backup", lambda _p, _c: db.check_and_backup(), None, failed, long=True)

    timer.timeout.connect(tick)
    timer.start()
    first = QTimer(parent)  # the first look soon after start-up, off the GUI thread
    first.setSingleShot(True)
    first.setInterval(FIRST_LOOK_MS)
    first.timeout.connect(tick)
    first.start()
    return timer
