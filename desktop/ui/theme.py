"""Light, dark or the system's look, applied to the whole application."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
_system_style: str | None = None
_system_palette: QPalette | None = None


def _dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3c3f41",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c",
        QPalette.ColorRole.Mid: "#8c8c8c",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f6f6f"))
    return p


def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    def part(x: int, y: int) -> int:
        return round(share_of_a * x + (1 - share_of_a) * y)

    return QColor(part(a.red(), b.red()), part(a.green(), b.green()), part(a.blue(), b.blue()))


def dimmed_text(palette: QPalette) -> QColor:
    """The colour of what the sidebar dims (a doubtful quote): between the text and the
    background, still readable (about 4.7:1 on the light and the dark theme)."""
    text = palette.color(QPalette.ColorRole.Text)
    return _mix(text, palette.color(QPalette.ColorRole.Base), 0.55)


def doubt_color(palette: QPalette) -> QColor:
    """The low-confidence indicator: amber, dark on a light background, light on a dark one."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ffb74d") if dark else QColor("#9a5700")


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the look; ``system`` restores what the platform gave at start-up."""
    global _system_style, _system_palette
    if _system_style is None:
        _system_style = app.style().name()
        _system_palette = QPalette(app.palette())
    if theme == "dark":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(_dark_palette())
    elif theme == "light":
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(app.style().standardPalette())
    else:
        app.setStyle(QStyleFactory.create(_system_style))
        app.setPalette(_system_palette or app.style().standardPalette())
