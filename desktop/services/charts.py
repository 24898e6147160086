"""The statistics charts, drawn with matplotlib without Qt: the window, the report and the
command line draw the same pictures from the same rows.

``draw(figure, by, rows, theme)`` draws one chart on a matplotlib ``Figure`` (the window's
canvas or a fresh one); ``chart_bytes`` renders it as PNG, SVG or PDF; ``rows_csv`` gives
its numbers. Only matplotlib's object API is used (no ``pyplot``: no global state, safe on
a worker thread), and matplotlib is imported inside the functions, so nothing pays for it
before a chart is wanted.
"""

from __future__ import annotations

import csv
import io
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from desktop.domain.names import elide
from desktop.formats.csvtable import neutralise

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, FigureBase

FORMATS = ("png", "svg", "pdf")
TOP_SOURCES = 15  # bars in "most quoted sources"
TOP_OUTLETS = 20
NAME_CHARS = 38  # a bar's name is elided to this many characters


class StatLike(Protocol):
    """What a chart reads of a row of ``services.statistics``."""

    @property
    def key(self) -> str: ...
    @property
    def quotes(self) -> int: ...
    @property
    def sources(self) -> int | None: ...
    @property
    def articles(self) -> int: ...


@dataclass(frozen=True)
class ChartTheme:
    """The colours of a chart, so it matches the window's light or dark look."""

    background: str
    foreground: str
    grid: str
    quotes: str  # the main series
    sources: str  # the second series
    women: str
    men: str
    unknown: str
    dark: bool


LIGHT = ChartTheme(
    background="#ffffff",
    foreground="#202124",
    grid="#d9d9d9",
    quotes="#1f6fb2",
    sources="#e08a00",
    women="#c2410c",
    men="#0f766e",
    unknown="#8c8c8c",
    dark=False,
)
DARK = ChartTheme(
    background="#1e1f22",
    foreground="#e6e6e6",
    grid="#3c3f41",
    quotes="#6aa9e9",
    sources="#ffb74d",
    women="#fb8a5c",
    men="#4fd1c5",
    unknown="#9e9e9e",
    dark=True,
)
THEMES = {"light": LIGHT, "dark": DARK}  # by the name the command line takes


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the statistics view: what it groups by and what it is called."""

    by: str
    title: str
    column: str  # the CSV header of the key column
    counts: tuple[str, ...] = ("quotes", "sources", "articles")  # the row fields it shows


CHARTS: dict[str, ChartSpec] = {
    spec.by: spec
    for spec in (
        ChartSpec("source", "Most quoted sources", "source", ("record_id", "quotes", "articles")),
        ChartSpec("type", "Quotes and sources by type", "type"),
        ChartSpec(
            "gender",
            "Share of quotes by gender",
            "group",
            ("gender", "guessed", "quotes", "sources", "articles"),
        ),
        ChartSpec("outlet", "Quotes by outlet", "outlet"),
        ChartSpec("month", "Quotes by month of publication", "month"),
        ChartSpec("week", "Quotes by week of publication", "week"),
    )
}


def new_figure(theme: ChartTheme, width: float = 7.5, height: float = 4.2) -> Figure:
    """A figure in the theme's colours, with no canvas of a GUI (Agg renders it)."""
    from matplotlib.figure import Figure

    prepare()
    return Figure(
        figsize=(width, height), dpi=100, facecolor=theme.background, layout="constrained"
    )


def draw(figure: FigureBase, by: str, rows: Sequence[StatLike], theme: ChartTheme) -> None:
    """Draw the chart ``by`` of ``rows`` on ``figure`` (cleared first; a whole figure or a
    part of one, as on a report's page)."""
    from matplotlib.figure import Figure

    spec = CHARTS[by]
    figure.clear()
    figure.set_facecolor(theme.background)
    if isinstance(figure, Figure):
        figure.set_layout_engine("constrained")  # laid out again at every size
    axes = figure.add_subplot(1, 1, 1)
    _style(axes, theme)
    title = spec.title
    top = TOP_SOURCES if by == "source" else TOP_OUTLETS if by == "outlet" else len(rows)
    if len(rows) > top:
        title += f" (the first {top} of {len(rows):,})"
    axes.set_title(title, color=theme.foreground, loc="left", fontsize=12, pad=10)
    if not rows or not any(r.quotes for r in rows):
        _empty(axes, theme)
    elif by == "source":
        _bars(axes, rows[:TOP_SOURCES], theme, with_sources=False)
    elif by == "outlet":
        _bars(axes, rows[:TOP_OUTLETS], theme, with_sources=True)
    elif by == "type":
        _bars(axes, rows, theme, with_sources=True)
    elif by == "gender":
        from desktop.services.chart_gender import draw_gender

        draw_gender(axes, rows, theme)
    else:
        _over_time(axes, rows, theme)


def chart_bytes(by: str, rows: Sequence[StatLike], theme: ChartTheme, fmt: str) -> bytes:
    """The chart rendered as ``png``, ``svg`` or ``pdf`` (a whole file's bytes)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}: use one of {', '.join(FORMATS)}")
    figure = new_figure(theme)
    draw(figure, by, rows, theme)
    return figure_bytes(figure, fmt)


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """A drawn figure as a file's bytes; SVG keeps its text as text (searchable, small)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)  # a canvas of its own: the window's figure stays on screen
    out = io.BytesIO()
    options: dict[str, Any] = {"format": fmt, "facecolor": figure.get_facecolor()}
    if fmt == "png":
        options["dpi"] = 150
    if fmt == "svg":
        options["metadata"] = {"Date": None}  # the same rows give the same bytes
    if fmt == "pdf":
        options["metadata"] = {"CreationDate": None}
    prepare()
    figure.savefig(out, **options)
    return out.getvalue()


def csv_header(by: str, rows: Sequence[StatLike] = ()) -> list[str]:
    """The CSV columns of a chart: its key, then the counts that apply to it."""
    return [CHARTS[by].column, *CHARTS[by].counts]


def rows_csv(by: str, rows: Sequence[StatLike]) -> str:
    """The chart's numbers as CSV text (UTF-8 with a BOM for spreadsheets, CRLF rows, no
    cell read as a formula), one row per key, every key (not only those drawn)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    header = csv_header(by, rows)
    writer.writerow(header)
    for row in rows:
        values = [row.key, *(getattr(row, name, None) for name in header[1:])]
        writer.writerow([neutralise(cell_text(v)) for v in values])
    return out.getvalue()


def cell_text(value: object) -> str:
    """A count or flag as a table shows it: None empty, True/False as in JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- drawing ------------------------------------------------------------------------------


def label(text: str, chars: int = NAME_CHARS) -> str:
    """A name as a chart shows it: one line, elided, and never read as mathtext (a ``$``
    pair would be typeset as a formula, or fail to draw)."""
    return elide(" ".join(text.split()) or "(none)", chars).replace("$", r"\$")


_prepared = threading.Lock()
_QUIET = ("Glyph .* missing from", "Matplotlib currently does not support")
_settings_done: list[bool] = []


def prepare() -> None:
    """Set, once for the process, what every chart needs of matplotlib's global settings:
    SVG text kept as text and a fixed id salt (the same rows give the same bytes), and no
    warning for a character the chart font lacks (the picture shows a box there, which is
    all there is to say). Once, not per drawing: rc_context and catch_warnings change
    global state and are not safe while another thread draws (the report does)."""
    with _prepared:
        if not _settings_done:
            import matplotlib

            matplotlib.rcParams["svg.fonttype"] = "none"
            matplotlib.rcParams["svg.hashsalt"] = "quotedesk"
            _settings_done.append(True)
        known = {f[1].pattern for f in warnings.filters if f[1] is not None}
        for message in _QUIET:  # again if someone reset the filters (pytest does)
            if message not in known:
                warnings.filterwarnings("ignore", message=message, category=UserWarning)


def _style(axes: Axes, theme: ChartTheme) -> None:
    axes.set_facecolor(theme.background)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(theme.grid)
    axes.tick_params(colors=theme.foreground, labelsize=9)
    axes.xaxis.label.set_color(theme.foreground)
    axes.yaxis.label.set_color(theme.foreground)
    axes.grid(True, color=theme.grid, linewidth=0.6)
    axes.set_axisbelow(True)


def _empty(axes: Axes, theme: ChartTheme) -> None:
    axes.set_xticks([])
    axes.set_yticks([])
    axes.grid(False)
    axes.text(
        0.5,
        0.5,
        "No quotes in these articles",
        ha="center",
        va="center",
        color=theme.foreground,
        transform=axes.transAxes,
    )


def _bars(axes: Axes, rows: Sequence[StatLike], theme: ChartTheme, with_sources: bool) -> None:
    """Horizontal bars, the largest on top; quotes, and sources beside them."""
    from matplotlib.ticker import MaxNLocator

    series = [("quotes", [r.quotes for r in rows], theme.quotes)]
    if with_sources:
        series.append(("sources", [r.sources or 0 for r in rows], theme.sources))
    height = 0.8 / len(series) if with_sources else 0.7
    places = list(range(len(rows)))
    for n, (name, counts, colour) in enumerate(series):
        shift = (n - (len(series) - 1) / 2) * height  # side by side around the place
        bars = axes.barh([p + shift for p in places], counts, height, color=colour)
        bars.set_label(name)
        _figures_on(axes, bars, theme)
    if with_sources:
        legend(axes, theme)
    axes.set_yticks(places, [label(r.key) for r in rows])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 2.5 quotes
    axes.invert_yaxis()
    axes.grid(False, axis="y")
    axes.set_xlabel("count" if with_sources else "quotes")
    axes.margins(x=0.12)


def _figures_on(axes: Axes, bars: Any, theme: ChartTheme) -> None:
    """Each bar's count at its end. The figures sit inside the axes' margin, so the layout
    need not measure them (measuring every text was half the time of a redraw)."""
    for text in axes.bar_label(bars, padding=3, color=theme.foreground, fontsize=8):
        text.set_in_layout(False)


def _over_time(axes: Axes, rows: Sequence[StatLike], theme: ChartTheme) -> None:
    """Quotes per period as bars, sources quoted as a line, oldest on the left."""
    from matplotlib.ticker import MaxNLocator

    places = list(range(len(rows)))
    bars = axes.bar(places, [r.quotes for r in rows], 0.7, color=theme.quotes)
    bars.set_label("quotes")
    line = axes.plot(
        places, [r.sources or 0 for r in rows], color=theme.sources, marker="o", markersize=3
    )
    line[0].set_label("sources")
    step = max(1, len(rows) // 12)  # at most about a dozen labels under the bars
    names = [label(r.key) for r in rows][::step]
    if len(names) > 6:
        axes.set_xticks(places[::step], names, rotation=45, ha="right")
    else:
        axes.set_xticks(places[::step], names)
    axes.grid(False, axis="x")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("count")
    legend(axes, theme)


def legend(axes: Axes, theme: ChartTheme, below: int = 0) -> None:
    """The legend in the theme's text colour: above the plot on the right, level with the
    title, never over a bar; or, with ``below`` columns, centred under the plot."""
    if below:
        placement: dict[str, Any] = {"loc": "upper center", "bbox_to_anchor": (0.5, -0.12)}
    else:
        placement = {"loc": "lower right", "bbox_to_anchor": (1.0, 1.0)}
    box = axes.legend(frameon=False, fontsize=9, ncol=below or 2, **placement)
    for text in box.get_texts():
        text.set_color(theme.foreground)
