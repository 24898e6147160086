"""The browser's "Assigned to me" (issue 14): checked, the list holds exactly the articles
assigned to the window's annotator, paged by keyset like any list; cleared with the
other filters; said when it leaves nothing (offscreen)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.store import Database, browse, layers
from desktop.store.browse import BrowseQuery
from desktop.ui.article_table import PAGE_SIZE
from desktop.ui.browser import ArticleBrowser
from tests.gui.test_browser_keyset import fill, recording_loader

pytestmark = pytest.mark.gui


def assign_every_third(db: Database, name: str) -> list[int]:
    with db.transaction() as s:
        ids = [r.id for r in browse.page(s, BrowseQuery(), 0, 10_000)][::3]
        for article_id in ids:
            layers.assign(s, article_id, name, "lead")
    return ids


def listed(browser: ArticleBrowser) -> list[int]:
    while browser.model.canFetchMore():
        browser.model.fetchMore()
    return [browser.model.article_id(n) for n in range(browser.model.rowCount())]  # type: ignore[misc]


@pytest.mark.parametrize("sort", ["id", "title"])
def test_assigned_to_me_lists_only_my_articles_page_after_page(
    qtbot: QtBot, db: Database, sort: str
) -> None:
    fill(db, PAGE_SIZE * 6 + 11)
    mine = assign_every_third(db, "mara")
    assign_every_third(db, "other")  # the same articles, someone else too: still mine
    asked: list[BrowseQuery] = []
    browser = ArticleBrowser(recording_loader(db, asked))
    qtbot.addWidget(browser)
    browser.model.set_query(BrowseQuery(sort=sort))
    assert browser.mine_box.isHidden()  # offered only once the annotator is known
    browser.set_annotator("mara")
    assert not browser.mine_box.isHidden()
    everything = listed(browser)
    asked.clear()
    browser.mine_box.setChecked(True)
    with db.session() as s:
        expected = [r.id for r in browse.page(s, BrowseQuery(sort=sort), 0, 10_000)]
    assert listed(browser) == [i for i in expected if i in set(mine)]
    assert len(mine) > PAGE_SIZE  # more than one page of them
    assert all(q.assigned_to == "mara" for q in asked)
    assert any(q.after is not None for q in asked)  # next pages by keyset
    assert browser.model.total == len(mine) and f"{len(mine):,}" in browser.count_label.text()
    browser.clear_filters()
    assert not browser.mine_box.isChecked() and listed(browser) == everything


def test_nothing_assigned_says_so_and_offers_to_clear(qtbot: QtBot, db: Database) -> None:
    fill(db, 5)
    browser = ArticleBrowser(recording_loader(db, []))
    qtbot.addWidget(browser)
    browser.model.set_query(BrowseQuery())
    browser.set_annotator("nico")
    browser.mine_box.setChecked(True)
    assert browser.model.rowCount() == 0
    assert browser.filtered() and "assigned to nico" in browser.empty_message()
    assert not browser.empty_box.isHidden()
