"""The store's one reader (``convert.read_articles``): what was written comes back, the same
through every door (the window's ``load_article``, the editor's snapshot, the export's
``iter_articles``), whatever the batch, with rejected annotations only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, ArticleStatus, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.store import Database
from desktop.store import annotations as ann
from desktop.store import repository as repo
from desktop.store.convert import read_articles
from desktop.store.models import ArticleRow

TEXT = (
    "Nadia Ferrer told the board on Monday that the ferry route would reopen. "
    'Omar Reyes said: "We have waited long enough." The mayor of Dunmore agreed.'
)
BOUNDS = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12)).map(
    lambda p: (p[0], min(len(TEXT), p[0] + p[1]))
)
ORIGINS = st.sampled_from(list(Origin))
CONFIDENCES = st.one_of(st.none(), st.floats(0.0, 1.0))


def span(bounds: tuple[int, int]) -> Span:
    return Span(bounds[0], bounds[1], TEXT[bounds[0] : bounds[1]])


@st.composite
def articles(draw: st.DrawFn, n: int) -> Article:
    """An article with entities, sources with mentions and quotes, some rejected; quotes
    hang on its sources or on nobody. Spans are unique per kind, as the store keeps them."""
    ents = draw(st.lists(st.tuples(BOUNDS, st.sampled_from(["PERSON", "ORG", "GPE"])), max_size=8))
    entities = [
        Entity(s, e, label, TEXT[s:e], draw(ORIGINS), draw(st.booleans()))
        for (s, e), label in sorted(set(ents))
    ]
    sources = [
        Source(
            f"s{k + 1}",
            draw(st.text(min_size=1, max_size=20)),
            draw(st.sampled_from(["PERSON", "ORG", "OTHER"])),
            draw(st.text(max_size=20)),
            [span(b) for b in sorted(draw(st.sets(BOUNDS, max_size=3)))],
            draw(ORIGINS),
        )
        for k in range(draw(st.integers(0, 3)))
    ]
    keys = st.one_of(st.none(), st.sampled_from([s.key for s in sources])) if sources else st.none()
    quotes = [
        Quote(
            s,
            e,
            TEXT[s:e],
            draw(st.sampled_from(list(QuoteKind))),
            draw(st.one_of(st.none(), BOUNDS.map(span))),
            draw(st.one_of(st.none(), BOUNDS.map(span))),
            draw(keys),
            draw(ORIGINS),
            draw(st.booleans()),
            draw(CONFIDENCES),
            draw(st.text(max_size=30)),
            draw(CONFIDENCES),
            draw(st.text(max_size=30)),
        )
        for s, e in sorted(draw(st.sets(BOUNDS, max_size=5)))
    ]
    return Article(
        external_id=f"a{n}",
        text=TEXT,
        title=draw(st.text(max_size=20)),
        meta=draw(st.dictionaries(st.sampled_from(["url", "outlet"]), st.text(max_size=10))),
        status=draw(st.sampled_from(list(ArticleStatus))),
        entities=entities,
        sources=sources,
        quotes=quotes,
        model_name=draw(st.one_of(st.none(), st.just("en_core_web_sm"))),
        model_version=draw(st.one_of(st.none(), st.just("3.8.0"))),
    )


def accepted(a: Article) -> Article:
    """What a reader without rejected annotations gives back."""
    return Article(
        a.external_id,
        a.text,
        a.title,
        a.meta,
        a.status,
        [e for e in a.entities if not e.rejected],
        a.sources,
        [q for q in a.quotes if not q.rejected],
        a.model_name,
        a.model_version,
        a.revision,
    )


def batches(most: int) -> st.SearchStrategy[list[Article]]:
    """One to ``most`` articles, each with its own external id."""
    return st.integers(1, most).flatmap(
        lambda k: st.tuples(*(articles(n) for n in range(k))).map(list)
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=batches(6), batch=st.integers(1, 4), data=st.data())
def test_every_door_reads_back_what_was_written(
    tmp_path_factory: pytest.TempPathFactory,
    written: list[Article],
    batch: int,
    data: st.DataObject,
) -> None:
    db = Database.open(tmp_path_factory.mktemp("db") / "r.sqlite3")
    try:
        with db.transaction() as s:
            coll = repo.collection(s)
            ids = [repo.add_article(s, coll, a) for a in written]
        assert None not in ids
        stored = [i for i in ids if i is not None]
        with db.session() as s:
            for aid, a in zip(stored, written, strict=True):
                a.revision = 1  # the store's change counter starts at one
                assert repo.load_article(s, aid, include_rejected=True) == a
                assert repo.load_article(s, aid) == accepted(a)
                row = s.get(ArticleRow, aid)
                assert row is not None
                assert ann.snapshot(s, row) == a
            streamed = list(repo.iter_articles(s, stored, batch=batch))
            assert streamed == [(i, accepted(a)) for i, a in zip(stored, written, strict=True)]
            # a batch in any order, with an id that is not there, keeps that order
            order = data.draw(st.permutations(stored))
            missing = max(stored) + 1
            got = read_articles(s, [*order, missing], include_rejected=True)
            assert [i for i, _ in got] == order
            by_id = dict(zip(stored, written, strict=True))
            assert all(a == by_id[i] for i, a in got)
            assert read_articles(s, []) == []
            with pytest.raises(KeyError):
                repo.load_article(s, missing)
    finally:
        db.close()


def test_a_quote_on_a_rejected_source_is_read_as_on_nobody(tmp_path: Path) -> None:
    """Rejected sources are never read, so no quote may name one."""
    db = Database.open(tmp_path / "r.sqlite3")
    try:
        quote = Quote(48, 70, TEXT[48:70], QuoteKind.DIRECT, source_key="s1")
        article = Article("a", TEXT, sources=[Source("s1", "Omar Reyes")], quotes=[quote])
        with db.transaction() as s:
            aid = repo.add_article(s, repo.collection(s), article)
            assert aid is not None
            row = s.get(ArticleRow, aid)
            assert row is not None
            row.sources[0].rejected = True
        with db.session() as s:
            for read in (repo.load_article(s, aid), next(repo.iter_articles(s, [aid]))[1]):
                assert read.sources == []
                assert [q.source_key for q in read.quotes] == [None]
    finally:
        db.close()
