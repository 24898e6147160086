"""The charts and the report, without Qt: files whole and in their format, the CSV and the
report's tables holding exactly the rows' numbers for any rows (names included that a
spreadsheet or a browser would otherwise run)."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.people import StatRow
from desktop.services import charts, report
from desktop.services.chart_gender import ink_on, segments
from desktop.services.export_target import ExportError

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
)
counts = st.integers(min_value=0, max_value=10**7)


@st.composite
def stat_rows(draw: st.DrawFn, by: str = "outlet") -> list[StatRow]:
    keys = draw(st.lists(names, min_size=0, max_size=25, unique=True))
    rows = []
    for key in keys:
        sources = None if by == "source" else draw(counts)
        rows.append(StatRow(key, draw(counts), sources, draw(counts)))
    return rows


def gender_rows() -> list[StatRow]:
    return [
        StatRow("male", 60, 20, 30, gender="male"),
        StatRow("female (guessed)", 12, 5, 6, gender="female", guessed=True),
        StatRow("unknown", 25, 15, 10, gender="unknown"),
        StatRow("female", 30, 10, 12, gender="female"),
        StatRow("male (guessed)", 20, 7, 9, gender="male", guessed=True),
        StatRow("nonbinary", 2, 1, 2, gender="nonbinary"),
    ]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@settings(max_examples=60, deadline=None)
@given(rows=stat_rows(), by=st.sampled_from(["outlet", "type", "month", "week"]))
def test_the_csv_holds_every_row_and_no_formula(rows: list[StatRow], by: str) -> None:
    table = read_csv(charts.rows_csv(by, rows))
    assert table[0] == [charts.CHARTS[by].column, "quotes", "sources", "articles"]
    assert len(table) == len(rows) + 1
    for row, line in zip(rows, table[1:], strict=True):
        key = line[0][1:] if line[0].startswith("'") and line[0][1:] == row.key else line[0]
        assert key == row.key
        assert not line[0].startswith(("=", "+", "-", "@")) or line[0].startswith("'")
        assert [int(x) for x in line[1:]] == [row.quotes, row.sources, row.articles]


def test_the_source_csv_names_the_record_and_the_gender_csv_keeps_guesses_apart() -> None:
    rows = [StatRow("Ann Lee", 4, None, 2, record_id=7), StatRow("=SUM(A1)", 1, None, 1)]
    table = read_csv(charts.rows_csv("source", rows))
    assert table == [
        ["source", "record_id", "quotes", "articles"],
        ["Ann Lee", "7", "4", "2"],
        ["'=SUM(A1)", "", "1", "1"],
    ]
    table = read_csv(charts.rows_csv("gender", gender_rows()))
    assert table[0] == ["group", "gender", "guessed", "quotes", "sources", "articles"]
    assert ["female (guessed)", "female", "true", "12", "5", "6"] in table
    assert ["female", "female", "false", "30", "10", "12"] in table
    assert ["unknown", "unknown", "false", "25", "15", "10"] in table


@pytest.mark.parametrize("by", sorted(charts.CHARTS))
@pytest.mark.parametrize("theme", [charts.LIGHT, charts.DARK])
def test_every_chart_renders_in_every_format(by: str, theme: charts.ChartTheme) -> None:
    rows = gender_rows() if by == "gender" else [StatRow("a", 3, 2, 1), StatRow("b", 1, 1, 1)]
    png = charts.chart_bytes(by, rows, theme, "png")
    svg = charts.chart_bytes(by, rows, theme, "svg")
    pdf = charts.chart_bytes(by, rows, theme, "pdf")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in svg and svg.rstrip().endswith(b"</svg>")
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert charts.CHARTS[by].title.encode() in svg  # text stays text in the SVG
    assert theme.background.encode() in svg  # drawn in the theme's colours


tricky = st.text(alphabet="$\\^_{}ab \n\tαβ", min_size=1, max_size=20)


@settings(max_examples=40, deadline=None)
@given(
    keys=st.lists(tricky, min_size=1, max_size=6, unique=True),
    by=st.sampled_from(["source", "month"]),
)
def test_any_name_draws_as_itself_never_as_a_formula(keys: list[str], by: str) -> None:
    """``$...$`` in a name would be typeset as mathtext (or fail to draw: ``$\\frac$``):
    every name is drawn as the text it is, on one line."""
    from matplotlib import cbook

    rows = [StatRow(k, n + 1, None if by == "source" else 1, 1) for n, k in enumerate(keys)]
    figure = charts.new_figure(charts.LIGHT)
    charts.draw(figure, by, rows, charts.LIGHT)
    charts.figure_bytes(figure, "png")  # draws every text: raises on a bad formula
    (axes,) = figure.axes
    ticks = axes.get_yticklabels() if by == "source" else axes.get_xticklabels()
    shown = [t.get_text() for t in ticks]
    for text in shown:
        assert not cbook.is_math_text(text) and "\n" not in text
    step = 1 if by == "source" else max(1, len(rows) // 12)
    expected = [" ".join(k.split()) or "(none)" for k in keys][::step]
    assert [t.replace("\\$", "$") for t in shown] == expected


def test_the_same_rows_give_the_same_svg() -> None:
    rows = [StatRow("a", 3, 2, 1)]
    first = charts.chart_bytes("outlet", rows, charts.LIGHT, "svg")
    assert charts.chart_bytes("outlet", rows, charts.LIGHT, "svg") == first


def test_no_quotes_draws_a_chart_that_says_so() -> None:
    svg = charts.chart_bytes("month", [], charts.LIGHT, "svg")
    assert b"No quotes in these articles" in svg


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="png, svg, pdf"):
        charts.chart_bytes("type", [], charts.LIGHT, "gif")


def test_gender_segments_put_guesses_beside_what_a_person_set() -> None:
    order = [(r.key) for r in segments(gender_rows())]
    assert order == [
        "female",
        "female (guessed)",
        "male",
        "male (guessed)",
        "nonbinary",
        "unknown",
    ]


@given(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True), st.floats(0.1, 1.0))
def test_the_figures_on_a_segment_are_readable(colour: str, alpha: float) -> None:
    """Black or white, whichever contrasts more: at least 4.5:1 is not always possible,
    but the choice is never the worse one."""
    from matplotlib.colors import to_rgb

    def luminance(rgb: tuple[float, float, float]) -> float:
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for background in (charts.LIGHT.background, charts.DARK.background):
        mixed = tuple(
            alpha * c + (1 - alpha) * b
            for c, b in zip(to_rgb(colour), to_rgb(background), strict=True)
        )
        lum = luminance(mixed)  # type: ignore[arg-type]
        white, black = 1.05 / (lum + 0.05), (lum + 0.05) / 0.05
        assert ink_on(colour, alpha, background) == ("#ffffff" if white >= black else "#111111")


# --- the report ---------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values["src"] or "")
        if tag in ("link", "script") or (
            tag == "img" and not (values["src"] or "").startswith("data:")
        ):
            self.external.append(tag)
        if tag == "td":
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=stat_rows(), title=names)
def test_the_html_report_is_one_file_with_every_number(rows: list[StatRow], title: str) -> None:
    sections = [report.ReportSection("outlet", rows), report.ReportSection("gender", gender_rows())]
    page = report.report_html(title, "All collections", sections, datetime(2026, 12, 1, 9, 30))
    parser = _Page()
    parser.feed(page)
    assert parser.external == []  # self-contained: nothing to fetch
    assert len(parser.images) == 2
    for src in parser.images:
        prefix = "data:image/svg+xml;base64,"
        assert src.startswith(prefix)
        assert b"<svg" in base64.b64decode(src[len(prefix) :])
    expected: list[str] = []
    for section in sections:
        header = charts.csv_header(section.by)
        for row in section.rows:
            expected += [row.key, *(charts.cell_text(getattr(row, n)) for n in header[1:])]
    assert parser.cells == expected
    assert "<script" not in page.lower() or "&lt;script" in page.lower()


def test_the_pdf_report_has_a_page_per_chart(tmp_path: Path) -> None:
    many = [StatRow(f"outlet {n}", 100 - n, 3, 2) for n in range(report.PDF_TABLE_ROWS + 5)]
    sections = [report.ReportSection("outlet", many), report.ReportSection("type", many[:3])]
    out = tmp_path / "report.pdf"
    report.write_report(out, "Coverage", "All collections", sections)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 3  # the cover and one per chart


def test_a_report_goes_where_exports_go(tmp_path: Path) -> None:
    """Through export_target: a symlink is written through, a folder refused in one line,
    and a failed write leaves the old file."""
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    report.write_report(
        link, "T", "S", [report.ReportSection("type", [StatRow("PERSON", 1, 1, 1)])]
    )
    assert link.is_symlink() and "<!DOCTYPE html>" in target.read_text()
    with pytest.raises(ExportError) as caught:
        report.write_report(tmp_path, "T", "S", [])
    assert "\n" not in str(caught.value)
