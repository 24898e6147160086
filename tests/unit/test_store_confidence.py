"""The engine's confidences and reasons on quotes are kept by the store exactly, on every
write path (import's plain INSERTs, analysis through the ORM), read back alike by the window
and the export, and dropped when a person takes a quote over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Attribution, Origin, Quote, QuoteKind, Source, Span
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store import repository as repo

TEXT = 'Ann Lee said: "We will win." Bo Chan said the plan failed.'


def quotes(conf: float | None, reason: str, src_conf: float | None, src_reason: str) -> list:
    return [
        Quote(
            15,
            27,
            "We will win.",
            QuoteKind.DIRECT,
            Span(8, 12, "said"),
            Span(0, 7, "Ann Lee"),
            "s1",
            confidence=conf,
            reason=reason,
            source_confidence=src_conf,
            source_reason=src_reason,
        )
    ]


SOURCES = [Source("s1", "Ann Lee", "PERSON", "", [Span(0, 7, "Ann Lee")])]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = Database.open(tmp_path / "c.sqlite3")
    yield db
    db.close()


def both_readers(db: Database, aid: int) -> tuple[Quote, Quote]:
    """The quote as the window reads it and as the streamed export reads it."""
    with db.session() as s:
        loaded = repo.load_article(s, aid).quotes
        [(_, streamed)] = list(repo.iter_articles(s, [aid]))
    assert len(loaded) == len(streamed.quotes) == 1
    return loaded[0], streamed.quotes[0]


confidences = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0))
reasons = st.text(max_size=80)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(conf=confidences, reason=reasons, src_conf=confidences, src_reason=reasons)
def test_import_path_keeps_confidences_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    conf: float | None,
    reason: str,
    src_conf: float | None,
    src_reason: str,
) -> None:
    db = Database.open(tmp_path_factory.mktemp("db") / "c.sqlite3")
    try:
        article = Article(
            "a", TEXT, sources=SOURCES, quotes=quotes(conf, reason, src_conf, src_reason)
        )
        with db.transaction() as s:
            aid = repo.add_article(s, repo.collection(s), article)
        assert aid is not None
        for q in both_readers(db, aid):
            assert (q.confidence, q.reason) == (conf, reason)
            assert (q.source_confidence, q.source_reason) == (src_conf, src_reason)
    finally:
        db.close()


def test_analysis_path_keeps_confidences(store: Database) -> None:
    with store.transaction() as s:
        aid = repo.add_article(s, repo.collection(s), Article("a", TEXT))
    assert aid is not None
    att = Attribution(
        quotes=quotes(0.97, "direct: cue 'said'", 0.62, "she → Ann Lee"), sources=SOURCES
    )
    with store.transaction() as s:
        repo.apply_model_analysis(s, aid, [], att, "m", "1")
    for q in both_readers(store, aid):
        assert (q.confidence, q.reason, q.source_confidence, q.source_reason) == (
            0.97,
            "direct: cue 'said'",
            0.62,
            "she → Ann Lee",
        )


def test_a_persons_edit_drops_the_model_confidence(store: Database) -> None:
    with store.transaction() as s:
        aid = repo.add_article(s, repo.collection(s), Article("a", TEXT))
    assert aid is not None
    att = Attribution(quotes=quotes(0.97, "cue", 0.62, "why"), sources=SOURCES)
    with store.transaction() as s:
        repo.apply_model_analysis(s, aid, [], att, "m", "1")
        revision = repo.load_article(s, aid).revision
    Editor(store, user="tester").update_quote(aid, revision, (15, 27), kind=QuoteKind.MIXED)
    for q in both_readers(store, aid):
        assert q.origin == Origin.HUMAN
        assert (q.confidence, q.reason, q.source_confidence, q.source_reason) == (
            None,
            "",
            None,
            "",
        )
