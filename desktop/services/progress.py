"""Progress reporting and cancellation shared by the command line and the window."""

from __future__ import annotations

import threading
from collections.abc import Callable

# progress(done, total, message)
ProgressFn = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str) -> None:
    """The progress callback for callers that do not show progress."""


class Cancelled(Exception):
    """The user cancelled; whatever was done so far is complete and consistent."""


class CancelToken:
    """A flag a long job checks between units of work (articles)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
