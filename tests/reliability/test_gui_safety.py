"""The window on a full or read-only disk: the message, the window goes on, nothing lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.store import Database
from tests.gui.test_editor import TEXT, press, seed
from tests.reliability.disks import TinyDisk, mount_tiny_disk, truncate_wal

pytestmark = pytest.mark.gui


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TinyDisk]:
    yield from mount_tiny_disk(tmp_path / "disk")


@pytest.fixture
def db_path(disk: TinyDisk) -> Path:
    """The ``db`` and ``make_window`` fixtures put their database on the tiny disk."""
    return disk.path / "q.sqlite3"


def rows(db_path: Path) -> tuple[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db_path)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        found = conn.execute(
            'SELECT article_id, start, "end", label, origin, rejected FROM entity ORDER BY id'
        ).fetchall()
        return status, found
    finally:
        conn.close()


def open_on(qtbot, make_window):  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    window.show()
    qtbot.waitUntil(lambda: window.shown is not None and bool(window.shown.quotes), timeout=10000)
    return window


def label(qtbot, window, word: str) -> None:  # type: ignore[no-untyped-def]
    start = TEXT.index(word)
    window.article_view.select_span(start, start + len(word))
    press(qtbot, window.article_view, Qt.Key.Key_1)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_an_edit_on_a_full_or_read_only_disk_is_refused_clearly_and_the_window_goes_on(
    qtbot, disk: TinyDisk, db: Database, make_window, fault: str
) -> None:  # type: ignore[no-untyped-def]
    seed(db)
    window = open_on(qtbot, make_window)
    window.runner.wait()
    before = rows(db.path)[1]
    if fault == "full":
        truncate_wal(db.path)
        disk.fill()
    else:
        db.engine.dispose()
        disk.read_only(True)
    with qtbot.waitSignal(window.failed, timeout=5000) as blocker:
        label(qtbot, window, "Critics")
    message = blocker.args[0]
    assert ("is full" in message) if fault == "full" else ("read-only" in message)
    # the window still answers: another article can be asked for, the list is there
    assert window.isVisible() and window.articles.rowCount() >= 1
    if fault == "full":
        disk.free()
    else:
        db.engine.dispose()
        disk.read_only(False)
    status, after = rows(db.path)
    assert status == "ok" and after == before  # nothing saved was damaged
    with qtbot.waitSignal(window.edits.saved, timeout=5000):
        label(qtbot, window, "Critics")  # the same edit, once there is room, is saved
    assert len(rows(db.path)[1]) == len(before) + 1
