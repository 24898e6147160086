"""GUI fixtures: a main window on a fresh database with settings in a temporary file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


def release_modifiers() -> None:
    """Let go of every modifier key. ``qtbot.keyClick(w, key, Ctrl | Shift)`` leaves Qt's
    application-wide modifier state on Shift (or Ctrl) after the click, and a later test's
    ``selectRow`` then extends or toggles the selection as if the key were still held."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    if QGuiApplication.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        receiver = QWidget()
        QTest.keyRelease(receiver, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
        receiver.deleteLater()


@pytest.fixture(autouse=True)
def no_modifier_held(qapp: object) -> Iterator[None]:
    """Every GUI test starts and ends with no modifier key held (``release_modifiers``)."""
    release_modifiers()
    yield
    release_modifiers()


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
