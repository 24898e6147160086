"""A chart on screen: matplotlib's Qt canvas showing one of ``services.charts``' pictures in
the colours of the window's theme.

This module imports matplotlib's Qt backend, which costs about half a second: the
statistics view imports it only when it is first shown, so the window opens without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.services import charts
from desktop.services.charts import ChartTheme, StatLike
from desktop.ui.colors import is_dark


def theme_from_palette(palette: QPalette) -> ChartTheme:
    """The chart colours for the window's palette: the light or dark series colours, on
    the palette's own background and text colours, so a chart sits in the window."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    chosen = charts.DARK if is_dark(base) else charts.LIGHT
    grid = _mix(text, base, 0.2)
    return replace(chosen, background=base.name(), foreground=text.name(), grid=grid.name())


def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    def part(x: int, y: int) -> int:
        return round(share_of_a * x + (1 - share_of_a) * y)

    return QColor(part(a.red(), b.red()), part(a.green(), b.green()), part(a.blue(), b.blue()))


class ChartCanvas(FigureCanvasQTAgg):
    """One chart; ``show_rows`` draws it again (new rows, or a new theme)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.theme = charts.LIGHT
        super().__init__(charts.new_figure(self.theme))  # type: ignore[no-untyped-call]
        self.setParent(parent)
        self.setObjectName("chartCanvas")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.by = ""
        self.rows: Sequence[StatLike] = ()

    def show_rows(self, by: str, rows: Sequence[StatLike], theme: ChartTheme) -> None:
        self.by, self.rows, self.theme = by, rows, theme
        charts.draw(self.figure, by, rows, theme)
        self.draw_idle()  # type: ignore[no-untyped-call]

    def export_bytes(self, fmt: str) -> bytes:
        """The chart on screen as a PNG, SVG or PDF file's bytes (its own figure, at the
        export size, so the picture does not depend on the window's size)."""
        return charts.chart_bytes(self.by, self.rows, self.theme, fmt)
