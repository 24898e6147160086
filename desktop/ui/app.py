"""Start the window: the application object, the database, the main window.

``--open ID --screenshot PNG`` shows one article once it is analyzed, saves a picture of
the window and exits: it works offscreen and under Xvfb.

The window never waits for the language model, nor for the interpreter's teardown: once the
window is closed, its jobs are over, the database is closed and the settings, logs and
exit handlers have run, the process ends (``leave_now``). A model load still running on its
daemon thread is abandoned with it. Tearing down the interpreter's modules and Qt objects
took 0.3-0.5 s here, most of a second with a half-imported spaCy.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import APP_ID, APP_NAME, __version__
from desktop.paths import default_db, log_dir
from desktop.services.first_screen import (
    ANNOTATOR_ENV,
    FIRST_PAGE,
    DatabaseOnDemand,
    FirstScreen,
    first_screen,
)
from desktop.store.location import parse_location
from desktop.ui import annotator_name, database_problem
from desktop.ui import settings as S
from desktop.ui.errors import install_excepthook, setup_logging
from desktop.ui.first_launch import offer_sample
from desktop.ui.main_window import MainWindow
from desktop.ui.stop_signals import StopSignals
from desktop.ui.tasks import TaskRunner
from desktop.ui.theme import apply_theme

if TYPE_CHECKING:
    from desktop.store import Database

SCREENSHOT_TIMEOUT_MS = 180_000
FIRST_PAINT_WAIT_MS = 2000
SETTLE_POLL_MS = 10
# Qt's PNG quality sets zlib's level, (100 - quality) * 9 // 91: 60 is level 3, which wrote
# the window's picture two to three times faster than the default (level 6), and smaller
SCREENSHOT_PNG_QUALITY = 60


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    set_windows_app_id()
    app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The application icon, every rendered size plus the SVG, from desktop.resources."""
    icon = QIcon()
    hicolor = files("desktop.resources").joinpath("icons", "hicolor")
    for size in hicolor.iterdir():
        path = size.joinpath(
            "apps", f"{APP_ID}.svg" if size.name == "scalable" else f"{APP_ID}.png"
        )
        if path.is_file():
            with as_file(path) as real:
                icon.addFile(str(real))
    return icon


def set_windows_app_id() -> None:
    """Group the windows under the Start-menu shortcut's AppUserModelID on Windows."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)


def settled(window: MainWindow) -> bool:
    """Everything the window shows has arrived: no read or job is running but the daily
    backup, which changes nothing on screen."""
    return all(task.name == "daily backup" for task in window.runner.active)


def save_screenshot(window: MainWindow, path: Path) -> None:
    """Save the window as it is painted now."""
    pixmap = window.grab()
    if not pixmap.save(str(path), "PNG", SCREENSHOT_PNG_QUALITY):
        raise OSError(f"cannot write the screenshot {path}")


def open_window(
    db: Database,
    created: bool,
    settings: S.Settings,
    runner: TaskRunner,
    model: str | None,
    first: FirstScreen | None = None,
) -> MainWindow:
    """The main window on an open database; ``created``: the app made the file just now
    (only then, or after a first launch that ended early, does the sample go in).
    ``first``: a first screen read without the store (``db`` opens after the first paint:
    ``MainWindow.attach`` starts the daily backups then)."""
    if first is not None:
        return MainWindow(db, runner, settings, model_name=model, first=first)
    sample = db.path is not None and offer_sample(db.path, created, settings)
    window = MainWindow(db, runner, settings, model_name=model, add_sample=sample)
    database_problem.start_daily_backups(window, db, runner)
    return window


class _FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of a widget of ``window``."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.then = window, then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            QTimer.singleShot(0, self.then)  # once this paint is done
        return False


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Run ``then`` once the window has painted for the first time (or after
    ``FIRST_PAINT_WAIT_MS`` if it never paints, a window started minimised)."""
    done = [False]

    def once() -> None:
        if not done[0]:
            done[0] = True
            then()

    watcher = _FirstPaint(window, once)
    QApplication.instance().installEventFilter(watcher)  # type: ignore[union-attr]
    QTimer.singleShot(FIRST_PAINT_WAIT_MS, once)


def leave_now(exit_code: int, settings: S.Settings) -> NoReturn:
    """End the process without the interpreter's teardown (a model load still running is
    abandoned): the settings, the exit handlers (logging's among them) and the standard
    streams are written first."""
    settings.sync()
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)


def light_start(
    args: argparse.Namespace, settings: S.Settings, hint: FirstScreen | None
) -> FirstScreen | None:
    """The first screen to show before the store opens, or None for the full path: only for
    a plain launch on an existing SQLite file that gets no sample, with no files to import
    and no annotator name to apply (``services.first_screen`` checks the file). ``hint``:
    what the command line read before Qt with the settings' defaults, reused when the
    settings agree."""
    if getattr(args, "files", None) or os.environ.get(ANNOTATOR_ENV):
        return None
    location = args.db or default_db(settings.get(S.DATABASE))
    last = settings.get(S.LAST_ARTICLE)
    first: FirstScreen | None
    if hint is not None and (location, last) == (hint.location, hint.last_article):
        first = hint
    else:  # the file checks ran for the hint a moment ago when it is the same file
        same_file = hint is not None and location == hint.location
        first = first_screen(location, args.open, last, FIRST_PAGE, checks=not same_file)
    if first is None:
        return None
    path = Path(first.path)
    if offer_sample(path, False, settings):
        return None  # a first launch that ended early: the sample goes in (full path)
    if settings.get(annotator_name.setting_for_location(str(path))):
        return None  # a kept annotator name: the full path applies it
    return first


def run_app(args: argparse.Namespace, hint: FirstScreen | None = None) -> int:
    """The window; ``hint``: the first screen the command line read before Qt (or None)."""
    app = make_application()
    log_path = setup_logging(log_dir())
    install_excepthook(log_path, interactive=args.screenshot is None)
    screenshot: Path | None = args.screenshot
    settings = S.Settings()
    first = light_start(args, settings, hint)
    if first is not None:
        db: Database = cast("Database", DatabaseOnDemand(Path(first.path)))
        named = None
        created = False
    else:
        from desktop.store import Database, StoreError

        try:
            where = parse_location(args.db or default_db(settings.get(S.DATABASE)))
        except StoreError as exc:
            print(f"quotedesk: {exc}", file=sys.stderr)
            return 1
        db_path = where if isinstance(where, Path) else None
        # only a database made now gets the sample article (never a server's)
        created = db_path is not None and not db_path.exists()
        try:
            db = Database.open(where, daily_backup=False)  # made after the first paint
        except StoreError as exc:
            if screenshot is not None or db_path is None:
                print(f"quotedesk: {exc}", file=sys.stderr)
                if db_path is None and screenshot is None:
                    QMessageBox.critical(None, APP_NAME, str(exc))
                return 1
            opened = database_problem.open_database(Path(db_path), exc)
            if opened is None:
                return 1
            db = opened
        created = created and db.path == db_path
        # a team's database: who this window annotates as, asked once (annotator_name.py);
        # the kept name from the settings now, the database asked on the worker thread
        named = annotator_name.kept_name(db, settings)
    runner = TaskRunner()
    apply_theme(app, settings.get(S.THEME))
    window = open_window(db, created, settings, runner, args.model, first)
    if first is None:
        annotator_name.start(window, settings, named, ask=screenshot is None)
    elif screenshot is None:
        # after the first paint: the store opens and the window carries on as on the full
        # path (a screenshot is taken, and the process ends, without it)
        def carry_on(opened: Database) -> None:
            database_problem.start_daily_backups(window, opened, runner)
            annotator_name.start(window, settings, None)

        after_first_paint(window, lambda: window.attach(carry_on))
    exit_code = 0

    if screenshot is not None:
        window.quiet = True

        def fail(message: str) -> None:
            nonlocal exit_code
            print(f"quotedesk: {message}", file=sys.stderr)
            exit_code = 1
            window.close()

        taken = False

        def shoot(_article_id: int) -> None:
            def grab() -> None:
                nonlocal taken
                if taken:
                    return  # the article was shown again (a reload) before the first grab
                if not settled(window):
                    QTimer.singleShot(SETTLE_POLL_MS, grab)
                    return
                taken = True
                try:
                    save_screenshot(window, screenshot)
                except OSError as exc:
                    fail(str(exc))
                    return
                window.close()

            QTimer.singleShot(0, grab)  # after the events the article's display posted

        window.article_shown.connect(shoot)
        window.failed.connect(fail)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: fail("timed out waiting for analysis"))
    window.show()
    if args.open is not None:
        window.open_external(args.open)
    if getattr(args, "files", None):
        window.import_paths([Path(name).absolute() for name in args.files])

    def stop_now() -> None:
        window.close()  # cancels the running jobs and waits for them, as the close button
        QApplication.closeAllWindows()
        app.quit()  # leaves a dialog's own event loop too

    stop = StopSignals(stop_now)
    app.exec()
    stop.restore()
    # let work still running finish before the interpreter tears its objects down
    runner.wait()
    db.close()
    leave_now(exit_code, settings)
