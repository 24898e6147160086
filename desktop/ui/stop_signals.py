"""SIGTERM, SIGHUP and SIGINT close the window the way its close button does.

Python runs signal handlers only when the interpreter gets control, and Qt's event loop
keeps it in C++; ``signal.set_wakeup_fd`` writes to a socket that a ``QSocketNotifier``
watches, so the handler runs at once. Closing cancels the running jobs (an export removes
its temporary file, an import stops between articles) and waits for them, as a user's close
does: a ``kill`` or a logout leaves nothing half-written.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

SIGNALS = tuple(s for s in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)) if s)


class StopSignals(QObject):
    """Calls ``close`` once when the process is asked to stop."""

    def __init__(self, close: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._close = close
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {s: signal.signal(s, self._on_signal) for s in SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self.received: int | None = None

    def _on_signal(self, signum: int, _frame: object) -> None:
        # runs inside the interpreter right after the wake-up byte; the close itself waits
        # for the event loop, where it is safe to touch widgets
        self.received = signum

    def _drain(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass
        if self.received is not None:
            self._close()

    def restore(self) -> None:
        """Put the previous handlers back (the event loop is over)."""
        self._notifier.setEnabled(False)
        for s, handler in self._previous.items():
            signal.signal(s, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
