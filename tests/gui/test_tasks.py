import threading

import pytest

from desktop.services.progress import CancelToken
from desktop.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


def test_results_and_progress_arrive_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    main = threading.get_ident()
    seen: dict[str, object] = {}

    def work(progress, cancel: CancelToken) -> int:  # type: ignore[no-untyped-def]
        seen["worker"] = threading.get_ident()
        progress(1, 2, "half")
        return 42

    def on_progress(done: int, total: int, message: str) -> None:
        seen["progress"] = (done, total, message, threading.get_ident())

    results: list[int] = []
    task = runner.run("t", work, results.append, on_progress=on_progress)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert seen["worker"] != main
    assert seen["progress"] == (1, 2, "half", main)
    assert not task.token.cancelled


def test_errors_and_cancel_are_delivered(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    errors: list[BaseException] = []
    runner.run("boom", lambda p, c: 1 / 0, lambda r: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)

    gate = threading.Event()

    def slow(progress, cancel: CancelToken) -> None:  # type: ignore[no-untyped-def]
        gate.wait(5)
        cancel.check()

    task = runner.run("slow", slow, lambda r: pytest.fail("should be cancelled"))
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
        gate.set()


def test_nothing_new_starts_once_the_window_is_closed(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    runner.guard = lambda: False  # what a closed window's guard answers
    ran: list[int] = []
    task = runner.run("late", lambda p, c: ran.append(1), long=True)
    assert runner.wait(2000)
    qtbot.wait(50)
    assert ran == [] and not task.running and runner.active == []
