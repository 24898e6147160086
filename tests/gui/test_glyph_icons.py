"""The window's icons, drawn from qtawesome's mdi6 font without importing qtawesome, look
exactly like qtawesome's own (issue 16: the start-up no longer pays for qtawesome)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui import glyph_icons, icons
from tests.unit.test_light_imports import printed_last

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
MODES = (QIcon.Mode.Normal, QIcon.Mode.Disabled, QIcon.Mode.Active, QIcon.Mode.Selected)
STATES = (QIcon.State.Off, QIcon.State.On)


def used_names() -> list[str]:
    """Every icon name written in the window's code."""
    found: set[str] = set()
    for path in (REPO / "desktop").rglob("*.py"):
        found.update(re.findall(r"\"(mdi6\.[a-z0-9-]+)\"", path.read_text(encoding="utf-8")))
    return sorted(found)


def all_names() -> list[str]:
    font = glyph_icons.mdi6_font()
    assert font is not None
    return sorted(f"mdi6.{name}" for name in font.charmap)


def image(icon: QIcon, size: int, mode: QIcon.Mode, state: QIcon.State) -> QImage:
    return icon.pixmap(QSize(size, size), mode, state).toImage()


def qtawesome_icon(name: str) -> QIcon:
    import qtawesome as qta

    qta.reset_cache()  # its colours are the palette's when the icon is made
    made: QIcon = qta.icon(name)
    return made


def test_the_window_uses_icons_the_font_has(qapp: QApplication) -> None:
    names = used_names()
    assert len(names) > 20  # the scan finds the window's icons
    for name in names:
        assert glyph_icons.glyph_icon(name) is not None, name


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), size=st.integers(min_value=6, max_value=72))
def test_any_glyph_looks_as_qtawesome_draws_it(
    qapp: QApplication, data: st.DataObject, size: int
) -> None:
    """Any mdi6 icon, any size, mode and state, in the light or a dark palette: the same
    pixels as qtawesome's icon of that name."""
    name = data.draw(st.sampled_from(used_names()) | st.sampled_from(all_names()))
    mode = data.draw(st.sampled_from(MODES))
    state = data.draw(st.sampled_from(STATES))
    dark = data.draw(st.booleans())
    old = qapp.palette()
    if dark:
        palette = QPalette(old)
        palette.setColor(QPalette.ColorGroup.Active, QPalette.ColorRole.Text, QColor("#e8e8e8"))
        palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6a6a6a"))
        qapp.setPalette(palette)
    try:
        ours = glyph_icons.glyph_icon(name)
        assert ours is not None
        theirs = qtawesome_icon(name)
        assert image(ours, size, mode, state) == image(theirs, size, mode, state)
    finally:
        qapp.setPalette(old)


def test_a_glyph_that_differs_is_seen(qapp: QApplication) -> None:
    """The comparison can fail: two different glyphs do not compare equal."""
    a, b = glyph_icons.glyph_icon("mdi6.undo"), qtawesome_icon("mdi6.redo")
    assert a is not None
    assert image(a, 24, QIcon.Mode.Normal, QIcon.State.Off) != image(
        b, 24, QIcon.Mode.Normal, QIcon.State.Off
    )


def test_other_fonts_and_unknown_names(qapp: QApplication) -> None:
    assert glyph_icons.glyph_icon("fa5s.camera") is None  # another font: qtawesome's
    assert not icons.icon("fa5s.camera").isNull()
    with pytest.raises(ValueError, match="no icon named"):
        glyph_icons.glyph_icon("mdi6.no-such-icon-here")


def test_icons_do_not_import_qtawesome() -> None:
    """Making and painting the window's icons leaves qtawesome (and qtpy) unimported."""
    probe = (
        "import sys\n"
        "from PySide6.QtCore import QSize\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from desktop.ui import icons\n"
        f"for name in {used_names()!r}:\n"
        "    assert not icons.icon(name).pixmap(QSize(16, 16)).isNull()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qtawesome', 'qtpy')))\n"
    )
    assert printed_last(probe) == "[]"
