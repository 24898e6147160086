"""Material Design Icons drawn from the icon font qtawesome ships, without importing qtawesome.

Importing qtawesome costs a tenth of a second or more at start-up: it imports qtpy (which
loads ``PySide6.QtOpenGL``), hashes and registers its thirteen fonts and parses their
thirteen character maps. The window uses one of them, ``mdi6``. This module registers that
font alone, the first time an icon is asked for, and paints a glyph exactly as qtawesome's
``CharIconPainter`` does with its default options (the palette's text colour when the icon
is made, its disabled text colour for the disabled mode, the glyph 0.875 of the icon's
height, centred), so an icon looks the same pixel for pixel
(``tests/gui/test_glyph_icons.py`` compares the two).
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)

PREFIX = "mdi6"
FONT_GLOB = "materialdesignicons6-webfont-*.ttf"
GLYPH_SCALE = 0.875  # qtawesome's: a 16-pixel icon draws a 14-pixel glyph


class GlyphFont:
    """One registered icon font: its family name and its character map (name -> the glyph's
    code point in hexadecimal, as the font's JSON has it: only the glyphs asked for are
    converted)."""

    def __init__(self, family: str, charmap: dict[str, str]) -> None:
        self.family = family
        self.charmap = charmap

    def glyph(self, name: str) -> str | None:
        code = self.charmap.get(name)
        return None if code is None else chr(int(code, 16))


def fonts_folder() -> Path | None:
    """qtawesome's ``fonts`` folder, found without running its ``__init__``."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@cache
def mdi6_font() -> GlyphFont | None:
    """Register the mdi6 font once; None when it cannot be found or loaded (the caller
    falls back to qtawesome itself)."""
    folder = fonts_folder()
    if folder is None:
        return None
    fonts = sorted(folder.glob(FONT_GLOB))
    if not fonts:
        return None
    ttf = fonts[-1]
    version = ttf.stem.removeprefix("materialdesignicons6-webfont-")
    charmap_path = folder / f"materialdesignicons6-webfont-charmap-{version}.json"
    try:
        data = ttf.read_bytes()
        codes: dict[str, str] = json.loads(charmap_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id != -1 else []
    if not families:
        return None
    return GlyphFont(families[0], codes)


class GlyphEngine(QIconEngine):
    """Paints one glyph of an icon font, as qtawesome's ``CharIconEngine`` does."""

    def __init__(self, family: str, char: str, color: QColor, disabled: QColor) -> None:
        super().__init__()
        self.family = family
        self.char = char
        self.color = QColor(color)
        self.disabled = QColor(disabled)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setPen(self.disabled if mode == QIcon.Mode.Disabled else self.color)
        font = QFont()
        font.setFamily(self.family)
        font.setPixelSize(round(GLYPH_SCALE * rect.height()))
        painter.setFont(font)
        painter.setOpacity(1.0)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap


def glyph_icon(name: str) -> QIcon | None:
    """The icon ``mdi6.NAME`` in the application palette's text colours of now; None for a
    name of another font, or when the font is unavailable."""
    prefix, _, glyph = name.partition(".")
    if prefix != PREFIX:
        return None
    font = mdi6_font()
    if font is None:
        return None
    char = font.glyph(glyph)
    if char is None:
        raise ValueError(f"no icon named {name!r}")
    palette = QGuiApplication.palette()
    color = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    return QIcon(GlyphEngine(font.family, char, color, disabled))
