"""The JSONL export carries every record and every link of a collection, the undecided
ones too: any mix of linked sources, a person's refusals, ambiguous links left between
candidates, and records no source links to imports back exactly (the same records and
links, and an export of the copy gives the same bytes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop.domain import Article, Quote, QuoteKind, Source, Span
from desktop.domain.people import GenderOrigin, PersonType
from desktop.services import exporting, importing
from desktop.store import Database, people
from desktop.store import repository as repo
from desktop.store.models import ArticleRow, PersonRow, SourceLinkRow

COLLECTION = "linked"
WORD = st.text(alphabet="abcdefghiklmnoprstuvwyz", min_size=2, max_size=8).map(str.capitalize)
RECORD = st.fixed_dictionaries(
    {
        "name": st.tuples(WORD, WORD).map(" ".join),
        "type": st.sampled_from(list(PersonType)),
        "role": st.sampled_from(["", "harbour master", "spokeswoman"]),
        "gender": st.sampled_from([None, ("female", "set"), ("male", "guessed")]),
        "origin": st.sampled_from(["model", "human"]),
    }
)
# how a source is linked: not at all, to a record, refused by a person, or left ambiguous
LINK = st.one_of(
    st.none(),
    st.tuples(st.just("linked"), st.integers(0, 99), st.sampled_from(["model", "human"])),
    st.just(("refused",)),
    st.tuples(st.just("ambiguous"), st.lists(st.integers(0, 99), min_size=2, max_size=3)),
)
STORY = st.lists(st.tuples(WORD, LINK), min_size=0, max_size=4)


def article(n: int, speakers: list[str]) -> Article:
    """An article of our own: one paragraph, one source and one quote per speaker."""
    text, srcs, quotes = f"Story {n}.\n\n", [], []
    for k, name in enumerate(speakers, 1):
        at = len(text)
        text += f"{name} said: “Point {k} of story {n}.”\n\n"
        open_ = text.index("“", at) + 1
        close = text.index("”", open_)
        mention = Span(at, at + len(name), name)
        srcs.append(Source(f"s{k}", name, "PERSON", "", [mention]))
        words = text[open_:close]
        quotes.append(Quote(open_, close, words, QuoteKind.DIRECT, None, mention, f"s{k}"))
    return Article(f"story-{n}", text, title=f"Story {n}", sources=srcs, quotes=quotes)


def fill(db: Database, records: list[dict[str, Any]], stories: list[list[Any]]) -> None:
    with db.transaction() as s:
        coll = repo.collection(s, COLLECTION)
        ids = []
        for r in records:
            row = people.add_person(s, coll, r["name"], r["type"], role=r["role"],
                                    origin=r["origin"])  # fmt: skip
            if r["gender"]:
                row.gender, row.gender_origin = r["gender"]
            ids.append(row.id)
        for n, story in enumerate(stories):
            aid = repo.add_article(s, coll, article(n, [name for name, _ in story]))
            assert aid is not None
            for k, (name, link) in enumerate(story, 1):
                key = f"s{k}"
                if link is None:
                    continue
                if link[0] == "linked" and ids:
                    people.set_link(s, aid, key, name, ids[link[1] % len(ids)],
                                    origin=link[2], rule="full_name", confidence=0.9)  # fmt: skip
                elif link[0] == "ambiguous" and len(ids) >= 2:
                    among = list(dict.fromkeys(ids[i % len(ids)] for i in link[1]))
                    people.set_link(s, aid, key, name, None, origin="model",
                                    rule="ambiguous", candidates=among)  # fmt: skip
                elif link[0] == "refused":
                    people.set_link(s, aid, key, name, None, origin="human", rule="")


def everything(db: Database) -> tuple[Any, ...]:
    """Every record (its fields, by key) and every link (records named by key)."""
    with db.session() as s:
        cid = repo.collection(s, COLLECTION, create=False)
        records = people.persons(s, cid)
        key_of = {p.id: p.key for p in records}
        fields = sorted(
            (p.key, p.name, p.type, p.role, p.gender, p.gender_origin, p.aliases, p.origin)
            for p in records
        )
        external = {
            aid: s.get(ArticleRow, aid).external_id for aid in repo.article_ids(s, COLLECTION)
        }
        links = sorted(
            (
                external[link.article_id],
                link.source_key,
                link.source_name,
                key_of.get(link.person_id) if link.person_id is not None else None,
                link.origin,
                link.rule,
                link.confidence,
                tuple(key_of[c] for c in link.candidates),
            )  # fmt: skip
            for aid in external
            for link in people.links_of_article(s, aid)
        )
    return tuple(fields), tuple(links)


def export_lines(db: Database, path: Path) -> list[dict[str, Any]]:
    exporting.export(db, "jsonl", path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    records=st.lists(RECORD, max_size=5, unique_by=lambda r: r["name"]),
    stories=st.lists(STORY, min_size=1, max_size=3),
)
def test_any_records_and_links_import_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, Any]], stories: list[Any]
) -> None:
    folder = tmp_path_factory.mktemp("records")
    first_db = Database.open(folder / "first.sqlite3", daily_backup=False)
    second_db = Database.open(folder / "second.sqlite3", daily_backup=False)
    try:
        fill(first_db, records, stories)
        first = folder / "first.jsonl"
        lines = export_lines(first_db, first)
        with first_db.session() as s:
            undecided = s.query(SourceLinkRow).filter(SourceLinkRow.rule == "ambiguous").count()
        carried = [src["link"] for line in lines for src in line["sources"] if "link" in src]
        assert sum(1 for link in carried if link.get("candidates")) == undecided
        with first_db.session() as s:
            linked_to = select(SourceLinkRow.id).where(SourceLinkRow.person_id == PersonRow.id)
            unlinked = s.scalar(select(func.count(PersonRow.id)).where(~linked_to.exists()))
        assert sum(len(line.get("records", [])) for line in lines) == unlinked
        report = importing.import_paths(second_db, [first], collection=COLLECTION)
        assert not report.errors, report.errors
        assert everything(second_db) == everything(first_db)
        second = folder / "second.jsonl"
        export_lines(second_db, second)
        assert second.read_bytes() == first.read_bytes()
    finally:
        first_db.close()
        second_db.close()


def test_records_no_source_links_to_ride_on_the_collections_first_line(
    db: Database, tmp_path: Path
) -> None:
    alone = {"name": "Nora Vale", "type": PersonType.PERSON, "role": "", "origin": "human",
             "gender": ("female", "set")}  # fmt: skip
    linked = {"name": "Ivo Sand", "type": PersonType.ORG, "role": "", "origin": "model",
              "gender": None}  # fmt: skip
    fill(db, [alone, linked], [[("Ivo", ("linked", 1, "model"))], [("Kim", None)]])
    first, second = export_lines(db, tmp_path / "out.jsonl")
    assert [r["name"] for r in first["records"]] == ["Nora Vale"]
    assert first["records"][0]["gender_origin"] == str(GenderOrigin.SET)
    assert "records" not in second  # once per collection
    assert first["sources"][0]["record"]["name"] == "Ivo Sand"


@pytest.mark.parametrize(
    ("link", "record", "said"),
    [
        ({"rule": "full_name", "candidates": [{"id": "r-1", "name": "A B"}]}, None, "ambiguous"),
        ({"rule": "ambiguous", "candidates": "r-1"}, None, "candidates must be a list"),
        ({"rule": "ambiguous", "candidates": [{"id": "", "name": "A B"}]}, None, "candidate 1 id"),
    ],
)
def test_a_bad_ambiguous_link_is_one_line_naming_it(
    db: Database, tmp_path: Path, link: dict[str, Any], record: Any, said: str
) -> None:
    text = 'Ana Ruiz said "yes."'
    source = {"id": "s1", "name": "Ana Ruiz", "type": "PERSON", "link": link, "record": record}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "bad", "text": text, "sources": [source]}) + "\n")
    report = importing.import_paths(db, [path])
    (error,) = report.errors
    assert said in error and "line 1" in error and "\n" not in error
    assert report.added == 0


def test_bad_records_on_a_line_are_one_line_naming_them(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    line = {"id": "bad", "text": "Some text.", "records": [{"id": "r-1", "name": "A\nB"}]}
    path.write_text(json.dumps(line) + "\n")
    report = importing.import_paths(db, [path])
    (error,) = report.errors
    assert "record 1 name" in error and "line 1" in error and report.added == 0
