"""The browser's "Assigned to me" (issue 14): only the articles with a layer of the given
annotator, under every sort, filter and search, paged by keyset as the window pages, on
SQLite and PostgreSQL (the ``db`` fixture runs each test on both)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain import ArticleStatus
from desktop.store import Database, browse, layers
from desktop.store.browse import BrowseQuery
from desktop.store.models import ArticleRow
from tests.unit.test_browse_keyset import (
    ARTICLE,
    QUERY,
    SETTINGS,
    Spec,
    keyset_pages,
    replace_articles,
)

PEOPLE = ["ann", "bob", "cy"]


def assign_at_random(db: Database, picks: list[list[bool]]) -> dict[str, set[int]]:
    """Give article n to PEOPLE[k] where picks[n][k]; plus a curated layer on every third
    (the curated layer is nobody's assignment). Returns each person's articles."""
    mine: dict[str, set[int]] = {p: set() for p in PEOPLE}
    with db.transaction() as s:
        ids = list(s.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))
        for n, article_id in enumerate(ids):
            for k, person in enumerate(PEOPLE):
                if picks[n % len(picks)][k]:
                    layers.assign(s, article_id, person, "lead")
                    mine[person].add(article_id)
            if n % 3 == 0:
                layers.save(s, article_id, layers.CURATED, "", {"entities": []}, "lead")
    return mine


@given(
    rows=st.lists(ARTICLE, max_size=12),
    picks=st.lists(st.lists(st.booleans(), min_size=3, max_size=3), min_size=1, max_size=5),
    query=QUERY,
    who=st.sampled_from(PEOPLE + ["nobody"]),
    size=st.integers(1, 4),
)
@SETTINGS
def test_assigned_to_me_lists_exactly_that_persons_articles_in_the_lists_order(
    db: Database,
    rows: list[Spec],
    picks: list[list[bool]],
    query: BrowseQuery,
    who: str,
    size: int,
) -> None:
    replace_articles(db, rows)
    mine = assign_at_random(db, picks).get(who, set())
    narrowed = query.with_(assigned_to=who)
    pages = keyset_pages(db, narrowed, size)
    with db.session() as s:
        whole = [r.id for r in browse.page(s, query, 0, 1000)]
        total = browse.count(s, narrowed)
    expected = [i for i in whole if i in mine]
    assert [i for p in pages for i in p] == expected
    assert total == len(expected)


def test_an_annotators_articles_are_theirs_alone_and_nobody_means_every_article(
    db: Database,
) -> None:
    replace_articles(db, [("Harbour", None, None, ArticleStatus.UNREVIEWED, 0, True)] * 4)
    mine = assign_at_random(db, [[True, False, False], [False, True, False]])
    with db.session() as s:
        for person in PEOPLE:
            listed = {r.id for r in browse.page(s, BrowseQuery(assigned_to=person), 0, 50)}
            assert listed == mine[person]
        searched = BrowseQuery(assigned_to="ann", search="harbour")  # the index's own page
        assert {r.id for r in browse.page(s, searched, 0, 50)} == mine["ann"]
        assert {r.id for r in browse.page(s, searched.with_(after=min(mine["ann"])), 0, 50)} == (
            mine["ann"] - {min(mine["ann"])}
        )
        assert browse.count(s, searched) == 2
        assert browse.count(s, BrowseQuery()) == 4
