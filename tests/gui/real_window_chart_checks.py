"""The statistics room in a real X window (Qt's xcb platform, under Xvfb): matplotlib's Qt
canvas is exposed and paints the chart in the window's colours. Run by
test_real_window_charts.py; not collected on its own (the name does not start with test_).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QGuiApplication
from pytestqt.qtbot import QtBot

from tests.gui.records_helpers import COLLECTION, fill_rich

pytestmark = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "xcb", reason="needs the xcb platform under Xvfb"
)


def test_a_chart_paints_on_a_real_screen(
    qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path
) -> None:
    fill_rich(db, tmp_path)
    window = make_window(add_sample=False, synchronous=True)
    window.resize(1300, 820)
    with qtbot.waitExposed(window):
        window.show()
    views = window.collection_views
    views.state.update(collection=COLLECTION)
    stats = views.stats_view
    window.rooms.setCurrentWidget(stats)
    stats.show_chart("outlet")
    canvas = stats.canvas
    qtbot.waitUntil(lambda: not canvas._draw_pending, timeout=10000)
    qtbot.wait(300)
    assert window.windowHandle().isExposed() and canvas.isVisible()
    screen = QGuiApplication.primaryScreen()
    shot = screen.grabWindow(window.winId()).toImage()
    corner = canvas.mapTo(window, canvas.rect().topLeft())
    ratio = shot.devicePixelRatio()
    bar = QColor(canvas.theme.quotes)
    found = 0
    for x in range(0, canvas.width(), 4):
        for y in range(0, canvas.height(), 4):
            pixel = shot.pixelColor(int((corner.x() + x) * ratio), int((corner.y() + y) * ratio))
            if abs(pixel.red() - bar.red()) + abs(pixel.green() - bar.green()) < 12:
                found += 1
    assert found > 200  # the quotes bars are on the screen, in the theme's colour
    path = Path(os.environ.get("QUOTEDESK_SHOTS", str(tmp_path))) / "chart-outlet-xvfb.png"
    assert shot.save(str(path))
