"""Curation: merging annotators' versions into units and building the curated version.

Properties over any versions of one made-up article; the service on a real database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Entity, Quote, QuoteKind, Source, Span
from desktop.domain.curation import curate, entity_mark, merge, picks_of, quote_mark
from desktop.services import curation, exporting, team
from desktop.services.importing import import_paths
from desktop.store import Database
from desktop.store.layers import LayerConflict
from tests.unit.test_team import TEXT, record, write

WORDS = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", TEXT)]


@st.composite
def versions(draw: st.DrawFn) -> dict[str, Article]:
    out = {}
    for name in draw(st.lists(st.sampled_from(["ann", "bob", "cy"]), unique=True, min_size=1)):
        ents = []
        for i, j in draw(st.lists(st.tuples(st.integers(0, 13), st.integers(0, 2)), max_size=5)):
            start, end = WORDS[i][0], WORDS[min(i + j, len(WORDS) - 1)][1]
            ents.append(Entity(start, end, draw(st.sampled_from(["PER", "ORG"])), ""))
        quotes, sources = [], []
        for i, j in draw(st.lists(st.tuples(st.integers(0, 13), st.integers(0, 4)), max_size=3)):
            start, end = WORDS[i][0], WORDS[min(i + j, len(WORDS) - 1)][1]
            who = draw(st.sampled_from(["Tova Rink", "Harbour Board", None]))
            key = None
            if who is not None:
                key = f"s{len(sources) + 1}"
                at = TEXT.index(who)
                sources.append(Source(key, who, mentions=[Span.of(TEXT, at, at + len(who))]))
            quotes.append(Quote(start, end, TEXT[start:end], QuoteKind.INDIRECT, source_key=key))
        out[name] = Article("ferry-1", TEXT, entities=ents, quotes=quotes, sources=sources)
    return out


def marks(art: Article) -> tuple[set[object], set[object]]:
    sources = {s.key: s for s in art.sources}
    return {entity_mark(e) for e in art.entities}, {quote_mark(q, sources) for q in art.quotes}


@settings(max_examples=200, deadline=None)
@given(versions())
def test_taking_one_annotator_everywhere_gives_back_their_version(
    given_versions: dict[str, Article],
) -> None:
    base = Article("ferry-1", TEXT)
    units = merge(TEXT, given_versions)
    for name, version in given_versions.items():
        picks = [next(i for i, c in enumerate(u.choices) if name in c.annotators) for u in units]
        assert marks(curate(base, given_versions, units, picks)) == marks(version)


@settings(max_examples=200, deadline=None)
@given(versions(), st.data())
def test_the_picks_read_back_from_a_curated_version(
    given_versions: dict[str, Article], data: st.DataObject
) -> None:
    base = Article("ferry-1", TEXT)
    units = merge(TEXT, given_versions)
    picks = [data.draw(st.none() | st.integers(0, len(u.choices) - 1)) for u in units]
    made = curate(base, given_versions, units, picks)
    again = curate(base, given_versions, units, picks_of(units, made))
    assert marks(again) == marks(made)
    assert all(e.origin == "human" for e in made.entities)
    assert len({s.name for s in made.sources}) == len(made.sources)


@settings(max_examples=100, deadline=None)
@given(versions())
def test_alike_versions_agree_everywhere(given_versions: dict[str, Article]) -> None:
    first = next(iter(given_versions.values()))
    same = {name: first for name in ("ann", "bob")}
    assert all(u.agreed for u in merge(TEXT, same))
    units = merge(TEXT, given_versions)
    for u in units:  # every annotator has exactly one reading of every unit
        who = [a for c in u.choices for a in c.annotators]
        assert sorted(who) == sorted(given_versions)


def test_curating_on_a_real_database(db: Database, tmp_path: Path) -> None:
    f = write(
        tmp_path / "t.jsonl",
        record("ann", ("Tova Rink", "PER"), ("Lisbon", "LOC")),
        record("bob", ("Tova Rink", "PER"), ("Lisbon", "GPE")),
        record("cy", ("Tova Rink", "PER"), ("Lisbon", "LOC"), ("Harbour Board", "ORG")),
    )
    assert import_paths(db, [f], "c").layers == 3
    aid = team.article_ids(db, "c", ["ferry-1"])[0]
    cur = curation.open_curation(db, aid)
    assert cur.annotators == ["ann", "bob", "cy"] and cur.revision == 0
    assert [u.agreed for u in cur.units] == [True, False, False]  # Rink, Board, Lisbon
    saved = curation.save_curation(db, cur, cur.picks, "lead", reviewed=True)
    out = tmp_path / "out.jsonl"
    exporting.export(db, "jsonl", out)  # the curated layer is the default export
    got = json.loads(out.read_text(encoding="utf-8"))
    assert {e["label"] for e in got["entities"]} == {"PER", "LOC"}  # majority: no ORG
    assert got["status"] == "reviewed"
    again = curation.open_curation(db, aid)
    assert again.picks == cur.picks and again.revision == saved.revision
    with pytest.raises(LayerConflict):
        curation.save_curation(db, cur, cur.picks, "other", reviewed=False)
    lisbon = cur.units[2]
    picks = list(again.picks)
    picks[2] = next(i for i, c in enumerate(lisbon.choices) if "bob" in c.annotators)
    curation.save_curation(db, again, picks, "lead", reviewed=True)
    exporting.export(db, "jsonl", out)
    got = json.loads(out.read_text(encoding="utf-8"))
    assert {e["label"] for e in got["entities"]} == {"PER", "GPE"}


def test_curating_an_article_nobody_annotated_says_so(db: Database) -> None:
    with db.transaction() as s:
        from desktop.store import repository as repo

        aid = repo.add_article(s, repo.collection(s, "c"), Article("x", TEXT))
    assert aid is not None
    with pytest.raises(team.TeamError, match="nobody has annotated"):
        curation.open_curation(db, aid)
