"""Start-up probe for ``benchmarks/window.py``: launch a window and report when it is painted.

    QD_BENCH_START=<parent's time.monotonic()> python benchmarks/window_probe.py app ARGS...
    QD_BENCH_START=<parent's time.monotonic()> python benchmarks/window_probe.py bare
    QD_BENCH_START=<parent's time.monotonic()> python benchmarks/window_probe.py stages

``app`` runs the real ``quotedesk`` entry point (``desktop.cli.main(ARGS)``); ``bare`` shows
an empty ``QMainWindow`` of the same size. Both print ``<event> <seconds since launch>``
lines on stdout: ``paint`` when the top-level window receives its first paint event, and
``painted`` when control is back in the event loop after that first paint pass (the whole
window drawn). The process then exits at once, without waiting for the language model.
``stages`` times the imports the window needs, group by group.

The clock is CLOCK_MONOTONIC, shared by all processes, so the times include the
interpreter's start-up and every import.
"""

import os
import sys
import time

START = float(os.environ["QD_BENCH_START"])


def stamp(event: str) -> None:
    print(f"{event} {time.monotonic() - START:.6f}", flush=True)


def make_filter():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow, QWidget

    class FirstPaint(QObject):
        """Watches every event of the application for the main window's first paint."""

        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                self.seen = True
                stamp("paint")
                QTimer.singleShot(0, self.finish)
            return False

        def finish(self) -> None:
            stamp("painted")
            sys.stdout.flush()
            os._exit(0)

    return FirstPaint()


def run_bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    watcher = make_filter()
    app.installEventFilter(watcher)
    window = QMainWindow()
    window.resize(1300, 820)
    window.show()
    app.exec()


def run_app(args: list[str]) -> None:
    # in the order the quotedesk command imports them: PySide6's import hook reads the
    # source of every module imported after PySide6 (to look for "PySide6" in it), so the
    # window's modules first would make SQLAlchemy's hundreds of modules pay that (~80 ms)
    # isort: off
    from desktop.cli import main
    import desktop.ui.app as ui_app

    # isort: on

    stamp("imported")
    make_application = ui_app.make_application
    watchers = []

    def instrumented(argv=None):  # type: ignore[no-untyped-def]
        app = make_application(argv)
        watcher = make_filter()
        watchers.append(watcher)
        app.installEventFilter(watcher)
        return app

    ui_app.make_application = instrumented
    main(args)


def run_stages() -> None:
    """Import the window's dependencies one group at a time, in the order the quotedesk
    command imports them, and report each one's cost (Alembic, qtawesome and spaCy are not
    imported at start-up: a migration, another icon font and an analysis import them)."""
    import importlib

    groups = (
        ("sqlalchemy", ("sqlalchemy", "sqlalchemy.orm")),
        ("desktop.store", ("desktop.store", "desktop.store.models")),  # the models mapped
        ("desktop.cli", ("desktop.cli",)),  # the services, formats
        ("PySide6", ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")),
        ("desktop.ui", ("desktop.ui.app",)),  # the window's modules
    )
    for name, modules in groups:
        t0 = time.monotonic()
        for module in modules:
            importlib.import_module(module)
        print(f"import:{name} {time.monotonic() - t0:.6f}", flush=True)
    stamp("painted")  # so that the parent's parser finds the end


if __name__ == "__main__":
    stamp("python")
    if sys.argv[1] == "bare":
        run_bare()
    elif sys.argv[1] == "stages":
        run_stages()
    else:
        run_app(sys.argv[2:])
