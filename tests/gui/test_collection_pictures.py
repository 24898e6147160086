"""Pictures of the sources index, the concordance and every chart, in the light and the dark
theme, from the real window on a collection of our own making. They are the pictures in
docs/ (``QUOTEDESK_SAVE_SCREENSHOTS=1`` refreshes them); the test checks that each is a
whole picture in its theme's colours."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.ui.theme import apply_theme
from tests.gui.records_helpers import COLLECTION, fill_rich

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]
CHARTS = ("source", "type", "gender", "outlet", "month")


def lightness_at(image: QImage, widget: Any, window: Any) -> int:
    """The lightness of the picture in the middle of ``widget``."""
    centre = widget.mapTo(window, widget.rect().center())
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(centre.x() * ratio), int(centre.y() * ratio)).lightness()


def keep(image: QImage, name: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    assert image.save(str(path))
    if os.environ.get("QUOTEDESK_SAVE_SCREENSHOTS"):  # to refresh docs/<name>
        (REPO / "docs" / name).write_bytes(path.read_bytes())
    return path


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_pictures_of_the_index_the_concordance_and_every_chart(
    qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path, theme: str
) -> None:
    fill_rich(db, tmp_path)
    app = QApplication.instance()
    apply_theme(app, theme)
    try:
        window = make_window(add_sample=False, synchronous=True)
        window.resize(1300, 820)
        window.show()
        views = window.collection_views
        views.state.update(collection=COLLECTION)
        index = views.sources_view
        window.rooms.setCurrentWidget(index)
        assert index.model.rowCount() > 10
        index.table.selectRow(0)
        assert index.concordance.model.rowCount() > 10
        qtbot.wait(100)
        shot = window.grab().toImage()
        dark = theme == "dark"
        for widget in (index.table.viewport(), index.concordance.table.viewport()):
            assert (lightness_at(shot, widget, window) < 100) == dark
        path = keep(shot, f"sources-index-{theme}.png", tmp_path)
        assert path.stat().st_size > 40000

        stats = views.stats_view
        window.rooms.setCurrentWidget(stats)
        for by in CHARTS:
            stats.show_chart(by)
            assert stats.table_model.rows and stats.canvas.by == by
            qtbot.wait(100)
            shot = window.grab().toImage()
            canvas_light = lightness_at(shot, stats.canvas, window)
            assert stats.canvas.theme.dark == dark
            corner = stats.canvas.mapTo(window, stats.canvas.rect().topRight())
            ratio = shot.devicePixelRatio()
            background = shot.pixelColor(
                int((corner.x() - 5) * ratio), int((corner.y() + 5) * ratio)
            )
            assert (background.lightness() < 100) == dark, (by, background.name(), canvas_light)
            path = keep(shot, f"chart-{by}-{theme}.png", tmp_path)
            assert path.stat().st_size > 40000
    finally:
        apply_theme(app, "system")
