"""The browser's list pages by keyset (issue 16): scrolled to the end under any sort it holds
exactly the rows of the plain ordered query, each next page asked for after the last row
shown; and the search box says when a one-letter word waits for its second letter."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desktop.domain import Article
from desktop.services import library
from desktop.store import Database, browse
from desktop.store import repository as repo
from desktop.store.browse import SORT_KEYS, BrowseQuery
from desktop.ui.article_table import PAGE_SIZE
from desktop.ui.browser import ArticleBrowser

pytestmark = pytest.mark.gui

WORDS = ("harbour", "ferry", "quay", "tide", "pier")


def fill(db: Database, n: int) -> None:
    """``n`` articles of our own, with many equal titles and dates (ties to break)."""
    with db.transaction() as s:
        collection = repo.collection(s, "news")
        for i in range(n):
            word = WORDS[i % len(WORDS)]
            meta = {"published": f"2024-0{i % 3 + 1}-01"} if i % 4 else {}
            article = Article(f"b{i}", f"The {word} story number {i}.", word.title(), meta)
            assert repo.add_article(s, collection, article) is not None


def recording_loader(db: Database, asked: list[BrowseQuery]) -> Callable[..., None]:
    def load(query: BrowseQuery, offset: int, limit: int, deliver: Callable[..., None]) -> None:
        asked.append(query)
        deliver(*library.browse_page(db, query, offset, limit))

    return load


@pytest.mark.parametrize("sort", SORT_KEYS[:4])
def test_the_list_scrolled_to_the_end_is_the_ordered_query(
    qtbot: QtBot, db: Database, sort: str
) -> None:
    fill(db, PAGE_SIZE * 2 + 37)
    asked: list[BrowseQuery] = []
    browser = ArticleBrowser(recording_loader(db, asked))
    qtbot.addWidget(browser)
    query = BrowseQuery(sort=sort, descending=sort != "id")
    browser.model.set_query(query)
    while browser.model.canFetchMore():
        browser.model.fetchMore()
    listed = [browser.model.article_id(n) for n in range(browser.model.rowCount())]
    with db.session() as s:
        expected = [r.id for r in browse.page(s, query, 0, 10_000)]
    assert listed == expected and len(listed) == PAGE_SIZE * 2 + 37
    afters = [q.after for q in asked]
    assert afters[0] is None
    assert afters[1:] == [expected[PAGE_SIZE - 1], expected[2 * PAGE_SIZE - 1]]


def test_a_one_letter_word_waits_and_the_box_says_so(qtbot: QtBot, db: Database) -> None:
    fill(db, 10)
    browser = ArticleBrowser(recording_loader(db, []))
    qtbot.addWidget(browser)
    browser.reload()
    assert "2+ letters" in browser.search.placeholderText()
    browser.search.setText("q")
    browser.apply_filters()
    assert browser.model.total == 10  # nothing searched yet: the whole list
    assert "type 2 letters to search" in browser.count_label.text()
    browser.search.setText("qu")
    browser.apply_filters()
    assert browser.model.total == 2 and "type" not in browser.count_label.text()
