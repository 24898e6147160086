"""A global exception hook: log to a file in the user folder and show a readable dialog."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("desktop")


def setup_logging(folder: Path) -> Path:
    path = folder / "quotedesk.log"
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class _Reporter(QObject):
    """Lives on the GUI thread: errors raised on any thread are shown from here."""

    report = Signal(str, str)

    def __init__(self, log_path: Path | None, interactive: bool) -> None:
        super().__init__()
        self.log_path = log_path
        self.interactive = interactive
        self.report.connect(self._show)

    def _show(self, message: str, details: str) -> None:
        if not self.interactive:  # screenshot and test runs: say it and stop, never block
            print(f"quotedesk: unexpected error: {message}\n{details}", file=sys.stderr)
            QApplication.exit(1)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Quotedesk: unexpected error", message)
        box.setInformativeText(
            "Your saved work is safe. The details were written to "
            f"{self.log_path or 'the log'}; please include them in a bug report."
        )
        box.setDetailedText(details)
        box.exec()


_reporter: _Reporter | None = None


def install_excepthook(log_path: Path | None, interactive: bool = True) -> None:
    """Unexpected errors are logged and shown; the window stays open. An error raised on a
    worker thread is shown by the GUI thread (a dialog made elsewhere would hang). With
    ``interactive=False`` the error is printed and the application exits with status 1."""
    global _reporter
    _reporter = _Reporter(log_path, interactive)
    reporter = _reporter

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unexpected error\n%s", text)
        if QApplication.instance() is None:
            sys.__excepthook__(kind, exc, tb)
            return
        if threading.current_thread() is threading.main_thread():
            reporter._show(str(exc), text)
        else:
            reporter.report.emit(str(exc), text)  # queued to the GUI thread

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
    )
