"""The concordance of a record quoted thousands of times reads a page at a time as the
table scrolls, as the sources index does, and lists every quote once in the service's
order (our own sentences, imported as JSONL and linked by the real rules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.domain.people import ArticleFilter
from desktop.services import importing, sources
from desktop.ui import concordance
from tests.gui.records_helpers import COLLECTION, Said, article_record, shown_window

pytestmark = pytest.mark.gui

ARTICLES, PER_ARTICLE = 60, 50  # 3,000 quotes of one record


def fill_many(db: Any, folder: Path) -> None:
    path = folder / "many.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(ARTICLES):
            said = [
                Said("Tom Reed", "PERSON", f"Point {k} of day {n} stands")
                for k in range(PER_ARTICLE)
            ]
            day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
            record = article_record(f"long-{n}", "Daily Post", day, f"Hearing {n}", said)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = importing.import_paths(db, [path], COLLECTION)
    assert not report.errors, report.errors
    sources.link_collection(db, COLLECTION)


@pytest.fixture
def index(qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path) -> Any:
    fill_many(db, tmp_path)
    window = shown_window(make_window)
    window.rooms.setCurrentWidget(window.collection_views.sources_view)
    view = window.collection_views.sources_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    return view


def test_a_record_of_thousands_of_quotes_shows_its_first_page_then_more_on_scrolling(
    qtbot: QtBot, index: Any, db: Any
) -> None:
    total = ARTICLES * PER_ARTICLE
    index.table.selectRow(0)
    model, table = index.concordance.model, index.concordance.table
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    assert model.rowCount() == concordance.PAGE_SIZE < total  # one page, not all
    assert model.total == total and model.canFetchMore()
    heading = index.concordance.heading.text()
    assert heading == f"Tom Reed: {total:,} quotes in {ARTICLES} articles"
    table.scrollToBottom()  # as the user scrolling down does
    qtbot.waitUntil(lambda: model.rowCount() == 2 * concordance.PAGE_SIZE)
    while model.canFetchMore():
        table.scrollToBottom()
        qtbot.wait(1)
    person = index.current_summary().person
    assert model.lines == sources.concordance(db, person.id, ArticleFilter())
    assert len({line.quote_id for line in model.lines}) == total
    assert index.concordance.heading.text() == heading


def test_picking_another_record_drops_the_pages_of_the_first(
    qtbot: QtBot, index: Any, db: Any, tmp_path: Path
) -> None:
    index.table.selectRow(0)
    model = index.concordance.model
    model.fetchMore()
    assert model.rowCount() == 2 * concordance.PAGE_SIZE
    index.table.clearSelection()
    assert model.rowCount() == 0 and not model.canFetchMore()
    assert index.concordance.heading.text() == "Pick a source to see its quotes."
