"""Keyset paging (issue 16): the browser's next page starts after its last row instead of
walking the rows before it, and lists exactly what ``OFFSET`` listed: the same rows in the
same order, ties broken the same way, NULL keys where the engine put them, on SQLite and
PostgreSQL (the ``db`` fixture runs each test on both). Also migration 0009's title index."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete, text

from desktop.domain import Article, ArticleStatus, Attribution, Quote, QuoteKind, Source, Span
from desktop.store import Database, browse
from desktop.store import repository as repo
from desktop.store.browse import SORT_KEYS, BrowseQuery
from desktop.store.database import _alembic_config
from desktop.store.models import ArticleRow

# few distinct values, so that ties (and NULLs) are common: ties are where paging goes wrong
TITLES = st.sampled_from(["", "Harbour", "harbour", "Ferry plan", "Zebra"])  # NOT NULL
DATES = st.one_of(st.none(), st.sampled_from(["2024-01-02", "2024-03-04", "2025-05-06"]))
CONFIDENCE = st.one_of(st.none(), st.sampled_from([0.25, 0.5, 0.9]))
STATUSES = st.sampled_from(list(ArticleStatus))

# title, date, lowest confidence, status, quotes, in the first collection
Spec = tuple[str, str | None, float | None, ArticleStatus, int, bool]
ARTICLE = st.tuples(TITLES, DATES, CONFIDENCE, STATUSES, st.integers(0, 2), st.booleans())
QUERY = st.builds(
    BrowseQuery,
    collection=st.sampled_from([None, "north", "south"]),
    status=st.sampled_from([None, "unreviewed", "reviewed"]),
    search=st.sampled_from(["", "harbour", "ferry pl", "quay"]),
    sort=st.sampled_from(SORT_KEYS),
    descending=st.booleans(),
)

INDEXES = {"ix_article_title_sort", "ix_article_status_desc", "ix_article_confidence_desc"}

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def attribution(quotes: int) -> Attribution:
    return Attribution(
        quotes=[Quote(0, 4, "Word", QuoteKind.DIRECT, None, None, "s1")] * quotes,
        sources=[Source("s1", "Someone", "PERSON", "", [Span(0, 4, "Word")])],
    )


def replace_articles(db: Database, rows: list[Spec]) -> None:
    """The database holds exactly these articles (title, date, lowest confidence, status,
    quotes, which collection); texts of our own, some mentioning the harbour."""
    with db.transaction() as s:
        s.execute(delete(ArticleRow))
        north, south = repo.collection(s, "north"), repo.collection(s, "south")
        for n, (title, published, lowest, status, quotes, first) in enumerate(rows):
            body = "Word from the harbour quay." if n % 2 else "Word about the ferry plan."
            article = Article(f"k{n}", f"{body} Item {n}.", "", {"published": published or ""})
            new_id = repo.add_article(s, north if first else south, article)
            assert new_id is not None
            if quotes:
                repo.apply_model_analysis(s, new_id, [], attribution(quotes), "m", "1")
            row = s.get(ArticleRow, new_id)
            assert row is not None
            row.title, row.published, row.status = title, published, status.value
            row.lowest_confidence = lowest


def keyset_pages(db: Database, query: BrowseQuery, size: int) -> list[list[int]]:
    """Every page of the list as the window reads it: each after the last row so far."""
    pages: list[list[int]] = []
    with db.session() as s:
        after: int | None = None
        while True:
            rows = browse.page(s, query.with_(after=after), sum(map(len, pages)), size)
            if not rows:
                return pages
            pages.append([r.id for r in rows])
            after = rows[-1].id
            assert len(pages) < 100, "keyset paging does not end"


@given(rows=st.lists(ARTICLE, max_size=14), query=QUERY, size=st.integers(1, 5))
@SETTINGS
def test_keyset_pages_are_the_offset_pages(
    db: Database, rows: list[Spec], query: BrowseQuery, size: int
) -> None:
    replace_articles(db, rows)
    pages = keyset_pages(db, query, size)
    with db.session() as s:
        whole = [r.id for r in browse.page(s, query, 0, 1000)]
        by_offset = [
            [r.id for r in browse.page(s, query, n * size, size)] for n in range(len(pages))
        ]
        total = browse.count(s, query)
    assert [i for p in pages for i in p] == whole
    assert pages == by_offset
    assert len(whole) == total


@given(
    rows=st.lists(ARTICLE, min_size=2, max_size=12),
    sort=st.sampled_from(["published", "confidence"]),
    descending=st.booleans(),
    size=st.integers(1, 3),
)
@SETTINGS
def test_keys_with_nulls_page_like_offset(
    db: Database, rows: list[Spec], sort: str, descending: bool, size: int
) -> None:
    """The keys that can be NULL (a date, the lowest confidence), with no filter: the NULL
    block sits where the engine (or NULLS LAST) put it, whichever page it starts on."""
    query = BrowseQuery(sort=sort, descending=descending)
    replace_articles(db, rows)
    pages = keyset_pages(db, query, size)
    with db.session() as s:
        whole = [r.id for r in browse.page(s, query, 0, 1000)]
    assert [i for p in pages for i in p] == whole


def test_a_next_page_after_a_deleted_row_falls_back_to_the_offset(db: Database) -> None:
    replace_articles(db, [("Zebra", None, None, ArticleStatus.UNREVIEWED, 0, True)] * 6)
    query = BrowseQuery(sort="title")
    with db.session() as s:
        first = browse.page(s, query, 0, 3)
    with db.transaction() as s:
        s.execute(delete(ArticleRow).where(ArticleRow.id == first[-1].id))
    with db.session() as s:
        rest = browse.page(s, query.with_(after=first[-1].id), 3, 3)
        expected = browse.page(s, query, 3, 3)
    assert [r.id for r in rest] == [r.id for r in expected] and len(rest) == 2


SORTED = {  # the first page of a sort, and the index migration 0009 made for it
    "ORDER BY lower(title), id": "ix_article_title_sort",
    "WHERE lower(title) >= 'h' ORDER BY lower(title), id": "ix_article_title_sort",
    "ORDER BY status DESC, id": "ix_article_status_desc",
    "ORDER BY lowest_confidence DESC NULLS LAST, id": "ix_article_confidence_desc",
}


def test_the_sorts_read_their_indexes(db: Database) -> None:
    """Migration 0009's indexes serve the title sort and the descending status and
    confidence sorts, first page and next pages (SQLite's plan: the index, no temporary
    B-tree for the order; PostgreSQL: the indexes exist)."""
    replace_articles(db, [("Harbour", None, None, ArticleStatus.UNREVIEWED, 0, True)] * 3)
    with db.session() as s:
        if s.get_bind().dialect.name != "sqlite":
            names = s.execute(text("SELECT indexname FROM pg_indexes WHERE tablename='article'"))
            assert set(SORTED.values()) <= set(names.scalars())
            return
        for clause, index in SORTED.items():
            sql = f"EXPLAIN QUERY PLAN SELECT id FROM article {clause} LIMIT 9"  # noqa: S608
            found = s.execute(text(sql))
            plan = " ".join(str(r[-1]) for r in found)
            assert index in plan and "TEMP B-TREE" not in plan, (clause, plan)


def test_migration_0009_on_a_0008_database_keeps_its_rows_and_goes_down(tmp_path: Path) -> None:
    """SQLite: a 0008 database with an article is brought to 0009 (the index made, the title
    sort lists it), down to 0008 (the index gone, the row kept) and up again.
    tests/postgres/test_postgres_migrations.py does the same on PostgreSQL."""
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")

    def migrate(revision: str, down: bool = False) -> None:
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)

    def indexes() -> set[str]:
        with engine.connect() as conn:  # SQLAlchemy's inspector skips expression indexes
            found = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
            return set(found.scalars())

    migrate("0008")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO collection (id, name, created_at) VALUES (1, 'c', '2024')"))
        conn.execute(
            text(
                "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, "
                "meta, status, created_at, updated_at, revision) VALUES (1, 1, 'old', "
                "'Quay works', 'The quay reopens.', 'h', '{}', 'unreviewed', '2024', '2024', 1)"
            )
        )
    assert not INDEXES & indexes()
    db = Database.open(path)
    try:
        with db.session() as s:
            assert [r.external_id for r in browse.page(s, BrowseQuery(sort="title"), 0, 5)] == [
                "old"
            ]
    finally:
        db.close()
    assert INDEXES <= indexes()
    migrate("0008", down=True)
    assert not INDEXES & indexes()
    migrate("head")
    assert INDEXES <= indexes()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article")).scalar() == 1
    engine.dispose()
