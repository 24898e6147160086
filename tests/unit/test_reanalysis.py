"""Re-analysis writes only what changed (store/reanalysis.py), and the result is exactly what
replacing every model annotation would give, whatever a person made or rejected before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain import Article, Attribution, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.models import EntityRow, MentionRow, QuoteRow, SourceRow

# words of my own making, 6 characters apart: spans are any run of whole words
WORDS = "Anna Brook said that Carl Dunn told the town Eve Ford wrote it down later".split()
TEXT = " ".join(WORDS)
STARTS = [sum(len(w) + 1 for w in WORDS[:i]) for i in range(len(WORDS))]
NAMES = ["Anna Brook", "Carl Dunn", "Eve Ford", "the town"]


def span(first: int, count: int) -> Span:
    first = min(first, len(WORDS) - 1)
    last = min(first + count, len(WORDS)) - 1
    start, end = STARTS[first], STARTS[last] + len(WORDS[last])
    return Span(start, end, TEXT[start:end])


spans = st.builds(span, st.integers(0, len(WORDS) - 1), st.integers(1, 4))
labels = st.sampled_from(["PERSON", "ORG", "GPE"])


@st.composite
def entities(draw: Any, origin: Origin) -> list[Entity]:
    found = draw(st.lists(st.tuples(spans, labels, st.booleans()), max_size=6))
    return [
        Entity(s.start, s.end, label, s.text, origin, rejected and origin == Origin.MODEL)
        for s, label, rejected in found
    ]


@st.composite
def attributions(draw: Any, origin: Origin) -> Attribution:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
    sources = [
        Source(
            f"s{n + 1}",
            name,
            draw(st.sampled_from(["PERSON", "ORG"])),
            draw(st.sampled_from(["", "mayor"])),
            draw(st.lists(spans, max_size=2)),
            origin,
        )
        for n, name in enumerate(names)
    ]
    quotes = []
    for q in draw(st.lists(spans, max_size=5, unique_by=lambda s: (s.start, s.end))):
        quotes.append(
            Quote(
                q.start,
                q.end,
                q.text,
                draw(st.sampled_from(list(QuoteKind))),
                draw(st.none() | spans),
                draw(st.none() | spans),
                draw(st.sampled_from([None, *(s.key for s in sources)])),
                origin,
                origin == Origin.MODEL and draw(st.booleans()),
                draw(st.sampled_from([None, 0.5, 0.9])) if origin == Origin.MODEL else None,
                draw(st.sampled_from(["", "cue said"])) if origin == Origin.MODEL else "",
            )
        )
    return Attribution(quotes=quotes, sources=sources)


_made = iter(range(10**9))


def before(db: Database, people: Attribution, ents: list[Entity], rejected: Attribution) -> int:
    """A new article with a person's work and some rejected model annotations."""
    rejected_quotes = [q for q in rejected.quotes if q.rejected]
    for q in rejected_quotes:
        q.source_key = None
    with db.transaction() as s:
        aid = repo.add_article(
            s,
            repo.collection(s),
            Article(
                external_id=f"x{next(_made)}",
                text=TEXT,
                entities=ents,
                quotes=people.quotes + rejected_quotes,
                sources=people.sources,
            ),
        )
    assert aid is not None
    return aid


def state(db: Database, aid: int) -> Any:
    """Everything stored about the article's annotations, row ids left out (ordered by
    their text: a cue or a speaker may be None)."""
    with db.session() as s:
        got = repo.load_article(s, aid, include_rejected=True)
    keys = {src.key: (src.name, src.type, src.description, src.origin) for src in got.sources}
    quotes = [
        (q.start, q.end, q.kind, q.cue, q.speaker, keys.get(q.source_key or ""))
        + (q.origin, q.rejected, q.confidence, q.reason)
        for q in got.quotes
    ]
    sources = [
        (src.key, src.name, src.type, src.description, src.origin, tuple(src.mentions))
        for src in got.sources
    ]
    return (
        sorted((e.start, e.end, e.label, e.origin, e.rejected) for e in got.entities),
        sorted(quotes, key=repr),
        sorted(sources, key=repr),
    )


def row_ids(db: Database, aid: int) -> tuple[list[int], ...]:
    with db.session() as s:
        return (
            sorted(s.scalars(select(EntityRow.id).where(EntityRow.article_id == aid))),
            sorted(s.scalars(select(QuoteRow.id).where(QuoteRow.article_id == aid))),
            sorted(s.scalars(select(SourceRow.id).where(SourceRow.article_id == aid))),
            sorted(
                s.scalars(select(MentionRow.id).join(SourceRow).where(SourceRow.article_id == aid))
            ),
        )


def apply(db: Database, aid: int, ents: list[Entity], att: Attribution) -> repo.AnalysisChange:
    with db.transaction() as s:
        return repo.apply_model_analysis(s, aid, ents, att, "m", "1")


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database for every example (opening one runs the migrations: slow)."""
    db = Database.open(tmp_path_factory.mktemp("re") / "db.sqlite3")
    yield db
    db.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    human_ents=entities(Origin.HUMAN),
    rejected_ents=entities(Origin.MODEL),
    people=attributions(Origin.HUMAN),
    rejected=attributions(Origin.MODEL),
    first=st.tuples(entities(Origin.MODEL), attributions(Origin.MODEL)),
    second=st.tuples(entities(Origin.MODEL), attributions(Origin.MODEL)),
)
def test_analysis_over_an_older_one_stores_what_it_alone_would(
    shared: Database,
    human_ents: list[Entity],
    rejected_ents: list[Entity],
    people: Attribution,
    rejected: Attribution,
    first: tuple[list[Entity], Attribution],
    second: tuple[list[Entity], Attribution],
) -> None:
    """Analysis B over analysis A gives the same annotations as B alone on the same
    human work: the diff leaves nothing of A behind and loses nothing of B, and never
    changes what a person made or rejected."""
    kept = human_ents + [e for e in rejected_ents if e.rejected]
    for e in second[0] + first[0]:
        e.rejected = False
    for q in second[1].quotes + first[1].quotes:
        q.rejected = False
    db = shared
    a = before(db, people, list(kept), rejected)
    b = before(db, people, list(kept), rejected)
    original = state(db, a)
    apply(db, a, *first)
    apply(db, a, *second)
    apply(db, b, *second)
    assert state(db, a) == state(db, b)
    # what a person made or rejected is all still there, as it was
    ents, quotes, _ = state(db, a)
    assert all(e in ents for e in original[0])
    assert all(q in quotes for q in original[1])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    people=attributions(Origin.HUMAN),
    result=st.tuples(entities(Origin.MODEL), attributions(Origin.MODEL)),
)
def test_the_same_analysis_again_writes_no_row(
    shared: Database, people: Attribution, result: tuple[list[Entity], Attribution]
) -> None:
    """Re-analysis that finds what it found before keeps every row (same ids) and says so."""
    for e in result[0]:
        e.rejected = False
    for q in result[1].quotes:
        q.rejected = False
    db = shared
    aid = before(db, people, [], Attribution())
    apply(db, aid, *result)
    ids, stored = row_ids(db, aid), state(db, aid)
    change = apply(db, aid, *result)
    assert row_ids(db, aid) == ids
    assert state(db, aid) == stored
    assert change.unchanged == change.added


def test_one_changed_entity_replaces_that_row_only(db: Database) -> None:
    aid = before(db, Attribution(), [], Attribution())
    model = [Entity(s.start, s.end, "PERSON", s.text) for s in (span(0, 2), span(4, 2), span(8, 2))]
    apply(db, aid, model, Attribution())
    (old, *_) = row_ids(db, aid)
    changed = [model[0], Entity(model[1].start, model[1].end, "ORG", model[1].text), model[2]]
    change = apply(db, aid, changed, Attribution())
    (new, *_) = row_ids(db, aid)
    assert len(set(old) & set(new)) == 2 and len(new) == 3
    assert (change.added, change.removed, change.unchanged) == (3, 3, 2)
    with db.session() as s:
        assert [e.label for e in repo.load_article(s, aid).entities] == ["PERSON", "ORG", "PERSON"]
