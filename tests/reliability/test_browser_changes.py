"""The article browser on an empty list and on outside changes (issue 18, item 12).

An empty list says why: an empty database, or a search or filter that matches nothing
(with a button that clears it). Articles another process imports, and changes it makes,
show up in the open window without losing the selection or the scroll position.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain import Article, ArticleStatus
from desktop.domain.names import elide
from desktop.services import library
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.browse import BrowseQuery
from desktop.ui.browser import EMPTY_DATABASE, ArticleBrowser
from tests.conftest import REPO

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

    MakeWindow = Callable[..., MainWindow]

pytestmark = pytest.mark.gui

STATUSES = [None, "unreviewed", "in_review", "reviewed"]


def add(db: Database, collection: str, *articles: Article) -> list[int]:
    with db.transaction() as s:
        coll = repo.collection(s, collection)
        ids = [repo.add_article(s, coll, a) for a in articles]
    assert None not in ids
    return ids  # type: ignore[return-value]


def synchronous_loader(db: Database) -> Callable[..., None]:
    def load(query: BrowseQuery, offset: int, limit: int, deliver: Callable[..., None]) -> None:
        deliver(*library.browse_page(db, query, offset, limit))

    return load


def test_an_empty_list_says_whether_the_database_is_empty_or_nothing_matches(
    qtbot: QtBot, db: Database
) -> None:
    browser = ArticleBrowser(synchronous_loader(db))
    qtbot.addWidget(browser)
    browser.show()
    browser.reload()
    assert browser.model.total == 0
    assert browser.empty_message() == EMPTY_DATABASE
    assert not browser.empty_box.isVisible()  # the article pane says how to start

    add(
        db,
        "news",
        Article(
            "n1", "The mayor of Lima opened a bridge.", "Bridge", status=ArticleStatus.REVIEWED
        ),
        Article("n2", "Rain fell on Quito all week.", "Rain"),
    )
    add(db, "other", Article("o1", "A market opened in Lima.", "Market"))
    browser.set_collections(["news", "other"])
    browser.reload()
    assert browser.model.total == 3

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        search=st.one_of(
            st.sampled_from(["", "Lima", "lim", "Quito", "zebra", "opened bridge", "☃", '"']),
            st.text(max_size=8),
        ),
        status=st.sampled_from(STATUSES),
        collection=st.sampled_from(["", "news", "other"]),
    )
    def check(search: str, status: str | None, collection: str) -> None:
        browser.collection_box.setCurrentIndex(browser.collection_box.findData(collection))
        browser.status_box.setCurrentIndex(browser.status_box.findData(status or ""))
        browser.search.setText(search)
        browser.apply_filters()
        total = browser.model.total
        assert total == browser.model.rowCount()
        assert browser.empty_box.isVisible() == (total == 0)
        if total == 0:
            message = browser.empty_note.text()
            assert message == browser.empty_message()
            assert "No articles here yet" not in message  # the database is not empty
            if search.strip():
                assert f"matches “{elide(search.strip(), 80)}”" in message
            if collection:
                assert collection in message
            qtbot.mouseClick(browser.clear_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
            assert browser.model.total == 3
            assert not browser.empty_box.isVisible()
            assert (
                browser.search.text(),
                browser.collection(),
                browser.status_box.currentIndex(),
            ) == (
                "",
                None,
                0,
            )

    check()


def test_escape_in_the_search_box_clears_the_search(qtbot: QtBot, db: Database) -> None:
    add(db, "news", Article("n1", "Rain fell on Quito.", "Rain"))
    browser = ArticleBrowser(synchronous_loader(db))
    qtbot.addWidget(browser)
    browser.show()
    browser.reload()
    browser.search.setText("zebra")
    browser.apply_filters()
    assert browser.empty_box.isVisible()
    qtbot.keyClick(browser.search, Qt.Key.Key_Escape)  # type: ignore[no-untyped-call]
    browser.apply_filters()
    assert browser.model.total == 1 and not browser.empty_box.isVisible()


def _open_window(qtbot: QtBot, make_window: MakeWindow, interval_ms: int = 100) -> MainWindow:
    window = make_window(add_sample=False)
    window.resize(1200, 800)
    window.show()
    window.browser.watch_database(window.runner, window.db, interval_ms=interval_ms)
    return window


def test_articles_another_process_imports_appear_and_the_selection_stays(
    qtbot: QtBot, tmp_path: Path, db: Database, make_window: MakeWindow
) -> None:
    ids = add(
        db, "news", *[Article(f"n{i}", f"Local story {i} about Lima.", f"N{i}") for i in range(3)]
    )
    window = _open_window(qtbot, make_window)
    browser = window.browser
    qtbot.waitUntil(lambda: browser.model.rowCount() == 3, timeout=5000)
    browser.select(ids[1])
    qtbot.waitUntil(
        lambda: window.shown is not None and window.shown.external_id == "n1", timeout=5000
    )

    feed = tmp_path / "wire.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"id": f"w{i}", "title": f"Wire {i}", "text": f"Wire story {i} from Quito."})
            + "\n"
            for i in range(4)
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", db.location, "import", str(feed),
         "--collection", "wire"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr

    qtbot.waitUntil(lambda: browser.model.total == 7, timeout=10000)
    qtbot.waitUntil(lambda: browser.count_label.text() == "7 articles", timeout=5000)
    qtbot.waitUntil(lambda: browser.collection_box.findData("wire") >= 0, timeout=5000)
    assert browser.current_id() == ids[1]
    assert window.current_id == ids[1]
    assert window.shown is not None and window.shown.external_id == "n1"


def test_an_outside_change_refreshes_in_place_deep_in_a_long_list(
    qtbot: QtBot, db: Database, make_window: MakeWindow
) -> None:
    ids = add(
        db, "news", *[Article(f"a{i}", f"Story number {i}.", f"A{i:03d}") for i in range(450)]
    )
    window = _open_window(qtbot, make_window)
    browser, model = window.browser, window.browser.model
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=5000)
    while model.rowCount() < 450:  # scroll down as a reader would, a page at a time
        rows = model.rowCount()
        browser.view.scrollToBottom()
        model.fetchMore()
        qtbot.waitUntil(lambda: model.rowCount() > rows, timeout=5000)  # noqa: B023
    browser.select(ids[420])
    browser.view.scrollTo(model.index(420, 0))
    qtbot.waitUntil(lambda: window.current_id == ids[420], timeout=5000)
    scroll = browser.view.verticalScrollBar().value()
    assert scroll > 0
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))

    other = Database.open(db.location)  # a second connection, as another process would have
    try:
        add(other, "news", *[Article(f"b{i}", f"Late story {i}.", f"B{i}") for i in range(10)])
        Editor(other, user="someone else").set_status(ids[3], None, ArticleStatus.REVIEWED)
    finally:
        other.close()

    qtbot.waitUntil(lambda: model.total == 460, timeout=10000)
    qtbot.waitUntil(
        lambda: "Reviewed" in (model.index(3, 0).data(Qt.ItemDataRole.ToolTipRole) or ""),
        timeout=5000,
    )
    assert browser.current_id() == ids[420]
    assert browser.view.verticalScrollBar().value() == scroll
    assert model.rowCount() >= 450
    assert resets == []  # the same rows: updated in place, not reset
    assert browser.count_label.text() == "460 articles"


def test_with_nothing_changed_the_watch_fetches_nothing(
    qtbot: QtBot, db: Database, make_window: MakeWindow
) -> None:
    add(db, "news", Article("n1", "Rain fell on Quito.", "Rain"))
    window = _open_window(qtbot, make_window, interval_ms=50)
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 1, timeout=5000)
    qtbot.wait(300)  # the list and the article have loaded; from now on nothing changes
    pages: list[str] = []
    window.runner.started.connect(lambda task: pages.append(task.name))
    qtbot.wait(600)  # a dozen looks
    assert pages.count("check for outside changes") >= 5
    assert "list articles" not in pages


def test_coming_back_to_the_window_looks_for_changes_at_once(
    qtbot: QtBot, db: Database, make_window: MakeWindow
) -> None:
    from PySide6.QtWidgets import QWidget

    add(db, "news", Article("n1", "Rain fell on Quito.", "Rain"))
    window = _open_window(qtbot, make_window, interval_ms=600_000)  # no timer look in time
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == 1, timeout=5000)
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: elsewhere.isActiveWindow(), timeout=5000)
    other = Database.open(db.location)
    try:
        add(other, "news", Article("n2", "Sun shone on Lima.", "Sun"))
    finally:
        other.close()
    qtbot.wait(200)
    assert window.browser.model.total == 1  # away from the window: not looked yet
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    qtbot.waitUntil(lambda: window.browser.model.total == 2, timeout=5000)


def test_the_window_says_nothing_matches_a_search_and_watches_by_itself(
    qtbot: QtBot, db: Database, make_window: MakeWindow
) -> None:
    add(db, "news", Article("n1", "Rain fell on Quito.", "Rain"))
    window = make_window(add_sample=False)
    window.show()
    qtbot.waitUntil(lambda: window.shown is not None, timeout=5000)
    window.browser.search.setText("zebra")
    window.browser.apply_filters()
    qtbot.waitUntil(lambda: window.browser.model.total == 0, timeout=5000)
    assert window.article_view.toPlainText() == window.browser.empty_message()
    assert "matches “zebra”" in window.article_view.toPlainText()
    window.browser.clear_filters()
    other = Database.open(db.location)
    try:
        add(other, "news", Article("n2", "Sun shone on Lima.", "Sun"))
    finally:
        other.close()
    qtbot.waitUntil(lambda: window.browser.model.total == 2, timeout=10000)
