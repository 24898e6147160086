"""The window's first picture (issue 16): its controls have their icons before the first
paint, so the toolbar is laid out once with them, and ``--screenshot``'s faster PNG
compression keeps every pixel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QToolBar, QToolButton

from desktop.ui.app import save_screenshot

pytestmark = pytest.mark.gui


def test_every_toolbar_button_has_its_icon_before_the_first_paint(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)  # not shown: no event has been processed
    buttons = [
        button
        for bar in window.findChildren(QToolBar)
        for button in bar.findChildren(QToolButton)
        if button.defaultAction() is not None and button.defaultAction().text()
    ]
    assert len(buttons) >= 5
    assert all(not b.icon().isNull() for b in buttons), [
        b.defaultAction().text() for b in buttons if b.icon().isNull()
    ]


def test_the_screenshot_keeps_every_pixel(make_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: not window.runner.active, timeout=10000)
    path = tmp_path / "shot.png"
    save_screenshot(window, path)
    saved = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    painted = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert saved.size() == painted.size() and saved == painted
