"""The one-file report of the statistics view: every chart and its numbers for one filter,
as a self-contained HTML page (charts inlined as SVG data, no file beside it) or a PDF.

The report is drawn in the light theme whatever the window's: it is meant to be sent and
printed. It reaches the disk through ``export_target`` like every export: whole or not at
all, a symlink written through, a FIFO streamed into, one ``ExportError`` line otherwise.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.services import charts
from desktop.services.charts import CHARTS, ChartTheme, StatLike
from desktop.services.export_target import write_export_file

REPORT_FORMATS = ("html", "pdf")
PDF_TABLE_ROWS = 30  # a PDF page holds the chart and this many rows of its numbers


@dataclass(frozen=True)
class ReportSection:
    """One chart of the report and the rows it is drawn from."""

    by: str
    rows: Sequence[StatLike]


def report_html(
    title: str,
    scope: str,
    sections: Sequence[ReportSection],
    made: datetime,
    theme: ChartTheme = charts.LIGHT,
) -> str:
    """The report as one HTML page: a heading, what it covers (``scope``), then per chart
    the picture (an SVG in a data URL) and a table of all its rows."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_text(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_text(title)}</h1>",
        f'<p class="scope">{_text(scope)}</p>',
        f'<p class="made">Made with Quotedesk on {made:%Y-%m-%d %H:%M}.</p>',
    ]
    for section in sections:
        spec = CHARTS[section.by]
        svg = charts.chart_bytes(section.by, section.rows, theme, "svg")
        data = base64.b64encode(svg).decode("ascii")
        parts.append(f'<section id="{spec.by}"><h2>{_text(spec.title)}</h2>')
        parts.append(f'<img alt="{_text(spec.title)}" src="data:image/svg+xml;base64,{data}">')
        parts.append(_table(section.by, section.rows))
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def report_pdf(
    title: str,
    scope: str,
    sections: Sequence[ReportSection],
    made: datetime,
    theme: ChartTheme = charts.LIGHT,
) -> bytes:
    """The report as a PDF: a title page, then one page per chart with the chart and its
    first ``PDF_TABLE_ROWS`` rows (the HTML report and the CSV export have them all)."""
    import io

    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    with PdfPages(out, metadata={"Title": title, "Creator": "Quotedesk"}) as pdf:
        cover = charts.new_figure(theme, 8.27, 11.69)
        cover.text(0.08, 0.9, charts.label(title, 60), fontsize=20, color=theme.foreground)
        cover.text(0.08, 0.86, charts.label(scope, 110), fontsize=10, color=theme.foreground)
        cover.text(0.08, 0.83, f"Made with Quotedesk on {made:%Y-%m-%d %H:%M}.", fontsize=9)
        for n, section in enumerate(sections):
            cover.text(0.1, 0.76 - 0.03 * n, f"{n + 2}. {CHARTS[section.by].title}", fontsize=11)
        pdf.savefig(cover)
        for section in sections:
            pdf.savefig(_pdf_page(section, theme))
    return out.getvalue()


def write_report(
    path: Path | str,
    title: str,
    scope: str,
    sections: Sequence[ReportSection],
    made: datetime | None = None,
) -> None:
    """Write the report to ``path``: PDF when it ends in ``.pdf``, otherwise HTML."""
    made = made or datetime.now()
    if str(path).lower().endswith(".pdf"):
        write_export_file(path, report_pdf(title, scope, sections, made))
    else:
        write_export_file(path, report_html(title, scope, sections, made).encode("utf-8"))


# --- pieces -------------------------------------------------------------------------------

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#202124}"
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.5rem}"
    ".scope,.made{color:#555}img{max-width:100%;height:auto}"
    "table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}"
    "th,td{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:right}"
    "th:first-child,td:first-child{text-align:left}"
)


def _text(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _table(by: str, rows: Sequence[StatLike]) -> str:
    header = charts.csv_header(by, rows)
    head = "".join(f"<th>{_text(name)}</th>" for name in header)
    body = []
    for row in rows:
        cells = [row.key, *(getattr(row, name, None) for name in header[1:])]
        body.append(
            "<tr>" + "".join(f"<td>{_text(charts.cell_text(c))}</td>" for c in cells) + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _pdf_page(section: ReportSection, theme: ChartTheme) -> object:
    figure = charts.new_figure(theme, 8.27, 11.69)
    grid = figure.add_gridspec(2, 1, height_ratios=[1, 1.2])
    top, bottom = figure.add_subfigure(grid[0]), figure.add_subfigure(grid[1])
    charts.draw(top, section.by, section.rows, theme)
    table_axes = bottom.add_subplot(1, 1, 1)
    table_axes.axis("off")
    header = charts.csv_header(section.by, section.rows)
    shown = section.rows[:PDF_TABLE_ROWS]
    cells = [
        [charts.label(r.key, 40), *(charts.cell_text(getattr(r, n, None)) for n in header[1:])]
        for r in shown
    ]
    if cells:
        table = table_axes.table(cellText=cells, colLabels=header, loc="upper center")
        table.auto_set_font_size(False)
        table.set_fontsize(8)
    if len(section.rows) > PDF_TABLE_ROWS:
        table_axes.set_title(
            f"the first {PDF_TABLE_ROWS} of {len(section.rows)} rows (all in the HTML report "
            "and the CSV export)",
            fontsize=8,
            loc="left",
        )
    return figure
