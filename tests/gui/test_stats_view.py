"""The statistics view on the real window and database: the numbers on screen are the
service's, and so are those of every export (CSV, report); the pictures are whole files;
the chart follows the theme; a path that cannot be written is one line, nothing lost."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain.people import ArticleFilter
from desktop.services import charts, statistics
from desktop.ui.record_filter import describe
from desktop.ui.stats_view import StatTableModel
from desktop.ui.theme import apply_theme
from tests.gui.records_helpers import fill, shown_window

pytestmark = pytest.mark.gui
GROUPINGS = ("source", "type", "gender", "outlet", "month", "week")


@pytest.fixture
def window(qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path) -> Any:
    fill(db, tmp_path)
    return shown_window(make_window)


def open_stats(window: Any) -> Any:
    view = window.collection_views.stats_view
    window.rooms.setCurrentWidget(view)
    return view


def on_screen(view: Any) -> list[list[str]]:
    model = view.table_model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def expected_cells(by: str, rows: list[Any]) -> list[list[str]]:
    header = charts.csv_header(by)
    return [[r.key, *(charts.cell_text(getattr(r, n)) for n in header[1:])] for r in rows]


def read_csv(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def save_to(view: Any, path: Path) -> None:
    view.ask_path = lambda *_args: str(path)


def test_matplotlib_waits_for_the_view(window: Any) -> None:
    view = window.collection_views.stats_view
    assert view.canvas is None  # the window opened without drawing a chart
    open_stats(window)
    assert view.canvas is not None


def test_the_table_model_is_sound(qtmodeltester: Any, window: Any) -> None:
    view = open_stats(window)
    qtmodeltester.check(view.table_model)
    qtmodeltester.check(StatTableModel())


@pytest.mark.parametrize("by", GROUPINGS)
def test_every_chart_shows_the_services_numbers_and_exports_them(
    window: Any, db: Any, tmp_path: Path, by: str
) -> None:
    view = open_stats(window)
    view.show_chart(by)
    assert view.by == by
    rows = statistics.stats(db, by, ArticleFilter())
    assert rows  # the collection has quotes for every grouping
    assert view.table_model.rows == rows
    assert view.canvas.rows == rows and view.canvas.by == by  # drawn from the same rows
    assert on_screen(view) == expected_cells(by, rows)
    target = tmp_path / f"{by}.csv"
    save_to(view, target)
    view.export_chart("csv")
    table = read_csv(target)
    assert table[0] == charts.csv_header(by)
    assert table[1:] == expected_cells(by, rows)
    if by in ("outlet", "type", "month", "week"):  # the counts add up to the totals
        total = statistics.totals(db, ArticleFilter())
        assert sum(int(line[1]) for line in table[1:]) == total.quotes


def test_the_numbers_are_those_of_the_jsonl_export(window: Any, db: Any, tmp_path: Path) -> None:
    """Counted again from the project's own export: quotes per outlet and per month."""
    import json

    from desktop.services import exporting

    out = tmp_path / "all.jsonl"
    exporting.export(db, "jsonl", out)
    outlets: dict[str, int] = {}
    months: dict[str, int] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        n = len(record["quotes"])
        outlets[record["meta"]["outlet"]] = outlets.get(record["meta"]["outlet"], 0) + n
        month = record["meta"]["published"][:7]
        months[month] = months.get(month, 0) + n
    view = open_stats(window)
    view.show_chart("outlet")
    assert {r[0]: int(r[1]) for r in on_screen(view)} == outlets
    view.show_chart("month")
    assert {r[0]: int(r[1]) for r in on_screen(view)} == months


def test_the_filter_narrows_every_chart(window: Any, db: Any) -> None:
    view = open_stats(window)
    bar = view.filter_bar
    bar.outlet_box.setCurrentIndex(bar.outlet_box.findData("Daily Post"))
    f = ArticleFilter(outlet="Daily Post")
    for by in GROUPINGS:
        view.show_chart(by)
        assert view.table_model.rows == statistics.stats(db, by, f)
    total = statistics.totals(db, f)
    assert view.totals.text().startswith(f"{total.quotes:,} quotes")


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_a_chart_saves_as_a_picture(window: Any, tmp_path: Path, fmt: str, magic: bytes) -> None:
    view = open_stats(window)
    view.show_chart("outlet")
    saved: list[str] = []
    view.saved.connect(saved.append)
    save_to(view, tmp_path / "chart")  # no suffix: the format's is added
    view.export_chart(fmt)
    path = tmp_path / f"chart.{fmt}"
    assert saved == [str(path)]
    data = path.read_bytes()
    assert data.startswith(magic)
    if fmt == "svg":
        assert b"Daily Post" in data and b"Quotes by outlet" in data


def test_the_report_has_every_chart_and_number(window: Any, db: Any, tmp_path: Path) -> None:
    view = open_stats(window)
    html_path = tmp_path / "report.html"
    save_to(view, html_path)
    view.export_report()
    page = html_path.read_text(encoding="utf-8")
    assert len(re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,', page)) == 5
    assert 'src="http' not in page and "<link" not in page  # one file, nothing to fetch
    assert describe(ArticleFilter()) in page
    for by in ("source", "type", "gender", "outlet", "month"):
        for row in statistics.stats(db, by, ArticleFilter()):
            assert f"<td>{row.key}</td>" in page
    pdf_path = tmp_path / "report.pdf"
    save_to(view, pdf_path)
    view.export_report()
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_a_path_that_cannot_be_written_is_one_line(
    qtbot: QtBot, window: Any, tmp_path: Path
) -> None:
    view = open_stats(window)
    kept = tmp_path / "kept.csv"
    kept.write_text("what was there")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    save_to(view, folder)
    with qtbot.waitSignal(window.failed, timeout=5000) as blocker:
        view.export_chart("csv")
    assert "\n" not in blocker.args[0] and "folder.csv" in blocker.args[0]
    save_to(view, tmp_path / "missing" / "report.html")
    with qtbot.waitSignal(window.failed, timeout=5000) as blocker:
        view.export_report()
    assert "\n" not in blocker.args[0]
    assert kept.read_text() == "what was there"
    assert not list(tmp_path.glob(".*.part"))


def test_the_chart_follows_the_theme(window: Any) -> None:
    view = open_stats(window)
    app = QApplication.instance()
    try:
        apply_theme(app, "dark")
        QApplication.processEvents()
        assert view.canvas.theme.dark
        assert view.canvas.figure.get_facecolor()[0] < 0.3  # a dark background
        apply_theme(app, "light")
        QApplication.processEvents()
        assert not view.canvas.theme.dark
        assert view.canvas.figure.get_facecolor()[0] > 0.9
    finally:
        apply_theme(app, "system")


@pytest.mark.parametrize("by", GROUPINGS)
def test_the_window_the_command_line_and_the_csv_agree(
    window: Any, db: Any, tmp_path: Path, by: str
) -> None:
    """``quotedesk stats --by X`` (its own parser and command), in CSV and JSON, says what
    the window shows and what its CSV export holds."""
    import argparse
    import json

    from desktop import cli_sources
    from desktop.services.progress import no_progress

    parser = argparse.ArgumentParser()
    cli_sources.add_parsers(parser.add_subparsers(dest="command"))
    outputs = {}
    for fmt in ("csv", "json"):
        out = tmp_path / f"cli-{by}.{fmt}"
        args = parser.parse_args(["stats", "--by", by, "--format", fmt, "-o", str(out)])
        assert cli_sources.stats_command(db, args, no_progress) == 0
        outputs[fmt] = out
    view = open_stats(window)
    view.show_chart(by)
    window_csv = tmp_path / f"window-{by}.csv"
    save_to(view, window_csv)
    view.export_chart("csv")
    assert window_csv.read_bytes() == outputs["csv"].read_bytes()
    from_json = json.loads(outputs["json"].read_text(encoding="utf-8"))
    shown = on_screen(view)
    header = charts.csv_header(by)
    assert [r["key"] for r in from_json] == [line[0] for line in shown]
    for name in ("quotes", "sources", "articles"):
        if name in header:
            column = header.index(name)
            assert [str(r[name]) for r in from_json] == [line[column] for line in shown]
