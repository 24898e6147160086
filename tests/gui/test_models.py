"""The Qt item models, checked by pytest-qt's model tester and by what they show."""

import pytest
from PySide6.QtCore import Qt, QTimer

from desktop.domain import Article, Quote, QuoteKind, Source, Span
from desktop.store.browse import BrowseQuery
from desktop.store.repository import ArticleSummary
from desktop.ui.article_table import PAGE_SIZE, ArticleTableModel
from desktop.ui.source_tree import SourceTreeModel, group_quotes

pytestmark = pytest.mark.gui


def summaries(n: int) -> list[ArticleSummary]:
    return [
        ArticleSummary(
            i, f"ext-{i}", f"Title {i}", "unreviewed", "c", True, 1, i % 4, 1, "2024-01-01"
        )
        for i in range(n)
    ]


class FakeDatabase:
    """Serves pages from memory, delivered on the next turn of the event loop like the
    real loader's background results."""

    def __init__(self, n: int) -> None:
        self.rows = summaries(n)
        self.calls: list[tuple[BrowseQuery, int, int]] = []

    def __call__(self, query, offset, limit, deliver) -> None:  # type: ignore[no-untyped-def]
        self.calls.append((query, offset, limit))
        rows = sorted(self.rows, key=lambda r: r.quotes, reverse=query.descending)
        if query.sort != "quotes":
            rows = self.rows
        page = rows[offset : offset + limit]
        QTimer.singleShot(0, lambda: deliver(page, len(rows)))


def test_article_table_model_pages_and_sorts(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    source = FakeDatabase(PAGE_SIZE * 2 + 5)
    model = ArticleTableModel(source)
    with qtbot.waitSignal(model.loaded):
        model.reload()
    assert model.rowCount() == PAGE_SIZE and model.total == PAGE_SIZE * 2 + 5
    qtmodeltester.check(model)
    while model.rowCount() < model.total:
        before = model.rowCount()
        model.fetchMore()  # (a no-op while the tester's own fetch is on its way)
        qtbot.waitUntil(lambda before=before: model.rowCount() > before)
    assert model.rowCount() == PAGE_SIZE * 2 + 5
    assert not model.canFetchMore()
    assert [c[1] for c in source.calls] == [0, PAGE_SIZE, PAGE_SIZE * 2]
    with qtbot.waitSignal(model.loaded):
        model.sort(3, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "quotes" and model.query.descending
    assert model.index(0, 3).data() == "3"
    assert model.index(0, 0).data(ArticleTableModel.ArticleIdRole) is not None


def test_stale_pages_are_ignored() -> None:  # deliveries are under the test's control
    pending = []
    model = ArticleTableModel(lambda q, o, n, deliver: pending.append(deliver))
    model.reload()
    model.set_query(BrowseQuery(search="new"))
    pending[0](summaries(3), 3)  # the answer to the old query arrives late
    assert model.rowCount() == 0
    pending[1](summaries(1), 1)
    assert model.rowCount() == 1


TEXT = 'Ann Lee said: "Yes." Bo Chan said no. Ann Lee added: "Again." Someone said maybe.'


def article() -> Article:
    ann = Source("s1", "Ann Lee", "PERSON", "mayor", [Span(0, 7, "Ann Lee")])
    bo = Source("s2", "Bo Chan", "ORG", "", [Span(21, 28, "Bo Chan")])
    return Article(
        external_id="x",
        text=TEXT,
        sources=[bo, ann],
        quotes=[
            Quote(15, 19, "Yes.", QuoteKind.DIRECT, None, Span(0, 7, "Ann Lee"), "s1"),
            Quote(34, 36, "no", QuoteKind.INDIRECT, None, Span(21, 28, "Bo Chan"), "s2"),
            Quote(55, 61, "Again.", QuoteKind.DIRECT, None, None, "s1"),
            Quote(78, 83, "maybe", QuoteKind.INDIRECT, None, None, None),
        ],
    )


def test_source_tree_groups_most_quoted_first_unattributed_last(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = SourceTreeModel()
    model.set_article(article())
    qtmodeltester.check(model)
    top = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert top == ["Ann Lee (2) — mayor", "Bo Chan (1)", "Unattributed (1)"]
    first = model.index(0, 0)
    assert [model.index(r, 0, first).data(SourceTreeModel.QuoteRole) for r in range(2)] == [0, 2]
    assert model.index_of_quote(3).parent().row() == 2
    assert model.quote_order() == [0, 2, 1, 3]
    model.set_article(None)
    assert model.rowCount() == 0


def test_group_quotes_drops_sources_without_quotes() -> None:
    a = article()
    a.sources.append(Source("s9", "Silent", "PERSON"))
    assert [g.key for g in group_quotes(a)] == ["s1", "s2", None]
