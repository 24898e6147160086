"""GUI fixtures: a main window on a fresh database with settings in a temporary file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def settings(tmp_path: Path) -> object:
    from PySide6.QtCore import QSettings

    from desktop.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot, db, settings) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    windows = []

    def make(add_sample: bool = True, synchronous: bool = False) -> MainWindow:
        runner = TaskRunner(synchronous=synchronous)
        window = MainWindow(db, runner, settings, add_sample=add_sample)
        window.quiet = True
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.runner.wait(30000)
