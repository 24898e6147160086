"""Search on PostgreSQL finds what FTS5 finds on SQLite, for the same articles and queries.

The same made-up articles go into a SQLite file and a PostgreSQL database; every query
(words of the articles cut anywhere, in any case, with or without accents, joined by any
punctuation, or random text) must list the same articles on both. Text is Latin script
with precomposed accents, digits and punctuation: what news in Western languages holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from desktop.domain import Article
from desktop.services import library
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.browse import BrowseQuery, pg_query
from desktop.store.models import ArticleRow

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàáâäçèéêëìíîïñòóôöùúûüÀÉÈÇÑÖÜ"
SEPARATORS = [" ", " ", " ", ", ", ". ", "-", "'", "’", "_", "/", "\n", "“", "”", " (", ") "]
WORDS = st.text(LETTERS + "0123456789", min_size=1, max_size=9)


def joined(words: list[str], seps: list[str]) -> str:
    out = []
    for n, word in enumerate(words):
        out.append(word)
        out.append(seps[n % len(seps)])
    return "".join(out).strip()


@st.composite
def texts(draw: st.DrawFn, max_words: int = 14) -> str:
    words = draw(st.lists(WORDS, min_size=0, max_size=max_words))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=5))
    return joined(words, seps)


@st.composite
def corpus_and_queries(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[str]]:
    articles = draw(st.lists(st.tuples(texts(4), texts()), min_size=1, max_size=6))
    vocabulary = [w for t, b in articles for w in (t + " " + b).replace("_", " ").split()]
    queries = []
    for _ in range(draw(st.integers(1, 6))):
        if vocabulary and draw(st.booleans()):
            picked = draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=3))
            cut = draw(st.integers(1, 9))
            picked[-1] = picked[-1][:cut]  # the word being typed
            case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
            sep = draw(st.sampled_from([" ", "  ", ", ", "_", "-", "'"]))
            queries.append(case(sep.join(picked)))
        else:
            queries.append(draw(texts(3)))
    return articles, queries


@pytest.fixture
def both(tmp_path: Path, pg_url: str) -> Iterator[tuple[Database, Database]]:
    lite, server = Database.open(tmp_path / "search.sqlite3"), Database.open(pg_url)
    yield lite, server
    lite.close()
    server.close()


def found(db: Database, query: str) -> list[str]:
    rows, total = library.browse_page(db, BrowseQuery(search=query), 0, 1000)
    assert total == len(rows)
    return sorted(r.external_id for r in rows)


def fill(db: Database, articles: list[tuple[str, str]]) -> None:
    with db.transaction() as s:
        s.execute(delete(ArticleRow))
        coll = repo.collection(s, "search")
        for n, (title, body) in enumerate(articles):
            repo.add_article(s, coll, Article(f"a{n}", body or ".", title))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=corpus_and_queries())
def test_postgresql_finds_what_fts5_finds(
    both: tuple[Database, Database], case: tuple[list[tuple[str, str]], list[str]]
) -> None:
    articles, queries = case
    lite, server = both
    fill(lite, articles)
    fill(server, articles)
    for query in queries:
        assert found(server, query) == found(lite, query), (query, pg_query(query))


def test_some_searches_by_hand(both: tuple[Database, Database]) -> None:
    articles = [
        ("Café society", "The minister said the government would act on well-known issues."),
        ("Élection", "Naïve voters? Turnout was 61.5% in the north_west region."),
        ("Another", "Governance, governments and a governor."),
    ]
    lite, server = both
    fill(lite, articles)
    fill(server, articles)
    for query, expected in [
        ("gover", ["a0", "a2"]),
        ("CAFE", ["a0"]),
        ("election", ["a1"]),
        ("naive vot", ["a1"]),
        ("north_west", ["a1"]),  # a phrase of two words
        ("society minister", ["a0"]),  # title and text together
        ("society_the", []),  # a phrase never runs from the title into the text
        ("61 5", ["a1"]),
        ("well known", ["a0"]),
        ("zzz", []),
        ("_", []),
    ]:
        assert found(lite, query) == expected, query
        assert found(server, query) == expected, query


def test_a_search_reads_the_gin_index(pg_url: str) -> None:
    db = Database.open(pg_url)
    try:
        fill(db, [(f"Title {n}", f"Story number {n} about a harbour.") for n in range(50)])
        with db.session() as s:
            s.execute(text("SET LOCAL enable_seqscan = off"))
            query = text(
                "EXPLAIN SELECT id FROM article WHERE search_vector @@ "
                "to_tsquery('quotedesk'::regconfig, :q)"
            )
            plan = "\n".join(r[0] for r in s.execute(query, {"q": "'harb':*"}))
        assert "ix_article_search" in plan
    finally:
        db.close()


def test_sorting_by_confidence_reads_the_index_on_postgresql(pg_url: str) -> None:
    """The browser's "Low %" page comes from the index on the stored figure (at most an
    incremental sort of ties on it), with or without a collection, as on SQLite."""
    from sqlalchemy import event

    from desktop.store import browse

    db = Database.open(pg_url)
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    try:
        fill(db, [(f"T{n}", f"Story {n}.") for n in range(30)])
        event.listen(db.engine, "before_cursor_execute", capture)
        for query in (
            BrowseQuery(sort="confidence"),
            BrowseQuery(sort="confidence", collection="search"),
        ):
            seen.clear()
            with db.session() as s:
                browse.page(s, query, 0, 200)
            ((statement, parameters),) = [(q, p) for q, p in seen if "ORDER BY" in q]
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SET enable_seqscan = off")  # few rows: force the choice
                conn.exec_driver_sql("SET enable_sort = off")
                plan = "\n".join(r[0] for r in conn.exec_driver_sql(
                    "EXPLAIN " + statement, parameters))  # fmt: skip
            assert "_lowest" in plan, plan
            assert "Seq Scan on quote" not in plan, plan
            nodes = [line.strip().removeprefix("->  ") for line in plan.splitlines()]
            assert not any(n.startswith("Sort  (") for n in nodes), plan  # no full sort
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
        db.close()


@pytest.mark.slow
def test_an_article_past_the_tsvector_limit_goes_in_and_is_found(pg_url: str) -> None:
    """2,000,000 characters of 200,000 different made-up words need a 1.6 MB index, over
    PostgreSQL's 1 MB for one tsvector: the article still goes in, and its words are found
    (each distinct word once; past even that, the first of them)."""
    import random
    import string

    rnd = random.Random(14)
    words = ["".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(3, 10))) for _ in
             range(200_000)]  # fmt: skip
    body = " ".join(rnd.choice(words) for _ in range(300_000))[:2_000_000]
    db = Database.open(pg_url)
    try:
        fill(db, [("Long", body), ("Short", "A short harbour story.")])
        assert found(db, "long") == ["a0"]
        assert found(db, sorted(body.split())[0]) == ["a0"]  # the first of the words
        assert found(db, "harbour") == ["a1"]
    finally:
        db.close()
