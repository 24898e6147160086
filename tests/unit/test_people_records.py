"""Record edits (merge, split, rename, gender, link, unlink), each one undoable edit in
the history; a person's links survive re-linking; the JSONL export carries records and
links and imports them back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain.people import GenderOrigin
from desktop.services import exporting, importing, sources, statistics
from desktop.store import Database, people
from desktop.store import repository as repo
from desktop.store.models import EditRow
from tests.unit.test_people_linking import STORIES, story


def load_stories(db: Database, collection: str = "harbour") -> dict[str, int]:
    """The four stories of test_people_linking, imported and linked: {external id: id}."""
    ids = {}
    with db.transaction() as s:
        coll = repo.collection(s, collection)
        for external_id, text, cast in STORIES:
            aid = repo.add_article(s, coll, story(external_id, text, cast))
            assert aid is not None
            people.link_article(s, aid)
            ids[external_id] = aid
    return ids


def snapshot(db: Database) -> tuple[object, ...]:
    """Everything the record edits can change: every record and every link."""
    with db.session() as s:
        cid = repo.collection(s, "harbour", create=False)
        records = tuple(people.persons(s, cid))
        links = tuple(
            link
            for aid in repo.article_ids(s, "harbour")
            for link in people.links_of_article(s, aid)
        )
    return records, links


def named(db: Database, name: str) -> int:
    (row,) = [r for r in sources.record_page(db, search=name).rows if r.person.name == name]
    return row.person.id


def test_merge_and_split_are_one_edit_each_and_undo_exactly(db: Database) -> None:
    load_stories(db)
    editor = sources.RecordEditor(db, "tester")
    start = snapshot(db)
    jonas, jane = named(db, "Jonas Okafor"), named(db, "Jane Okafor")
    merged = editor.merge(jonas, jane)
    assert merged.result == (jonas,)
    kept = sources.record(db, jonas)
    assert "Jane Okafor" in kept.aliases
    with pytest.raises(sources.RecordError):
        sources.record(db, jane)
    assert sum(1 for r in sources.record_page(db).rows if r.person.id == jonas) == 1
    assert sources.record_page(db, search="Jonas Okafor").rows[0].quotes == 4
    editor.undo(merged)
    assert snapshot(db) == start
    again = editor.redo(merged)
    assert snapshot(db) != start
    editor.undo(again)
    assert snapshot(db) == start

    linked = sources.linked_sources(db, jonas)
    first = [(s.article_id, s.source_key) for s in linked[:1]]
    split = editor.split(jonas, first, "Jonas Okafor Sr")
    (new_id,) = split.result
    assert [s.source_name for s in sources.linked_sources(db, new_id)] == [linked[0].source_name]
    editor.undo(split)
    assert snapshot(db) == start
    with db.session() as s:
        actions = list(s.scalars(select(EditRow.action).where(EditRow.target == "record")))
    assert actions == [
        "merge records",
        "undo merge records",
        "redo merge records",
        "undo redo merge records",
        "split record",
        "undo split record",
    ]


def test_an_undo_after_another_change_is_refused_and_changes_nothing(db: Database) -> None:
    load_stories(db)
    editor = sources.RecordEditor(db, "tester")
    osei = named(db, "Dr. Amara Osei")
    renamed = editor.rename(osei, "Amara Osei")
    editor.set_gender(osei, "female")
    before = snapshot(db)
    with pytest.raises(sources.RecordError, match="changed since"):
        editor.undo(renamed)
    assert snapshot(db) == before


EDITS = st.lists(
    st.sampled_from(["merge", "split", "rename", "gender", "unlink", "link", "aliases"]),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=EDITS)
def test_any_sequence_of_edits_undone_in_reverse_gives_the_start_back(
    tmp_path_factory: pytest.TempPathFactory, plan: list[str]
) -> None:
    db = Database.open(tmp_path_factory.mktemp("edits") / "t.sqlite3", daily_backup=False)
    try:
        load_stories(db)
        editor = sources.RecordEditor(db, "tester")
        start = snapshot(db)
        done = []
        for step in plan:
            page = sources.record_page(db, sort="name").rows
            a, b = page[0].person.id, page[-1].person.id
            links = sources.linked_sources(db, a)
            try:
                if step == "merge":
                    done.append(editor.merge(a, b))
                elif step == "split":
                    done.append(
                        editor.split(a, [(links[0].article_id, links[0].source_key)], "X Y")
                    )
                elif step == "rename":
                    done.append(editor.rename(a, "Renamed Person"))
                elif step == "gender":
                    done.append(editor.set_gender(a, "male"))
                elif step == "unlink":
                    done.append(editor.unlink(links[0].article_id, links[0].source_key))
                elif step == "link":
                    done.append(editor.link(links[0].article_id, links[0].source_key, b))
                else:
                    done.append(editor.update(a, aliases=["Someone"], attributes={"k": "v"}))
            except sources.RecordError:
                pass  # an edit that cannot be made changes nothing
        for edit in reversed(done):
            editor.undo(edit)
        assert snapshot(db) == start
    finally:
        db.close()


def test_a_persons_link_and_refusal_survive_re_linking(db: Database) -> None:
    ids = load_stories(db)
    editor = sources.RecordEditor(db, "tester")
    kim_yo = named(db, "Kim Yo Jong")
    editor.link(ids["harbour-3"], "s3", kim_yo)  # "Kim": the analyst decides
    editor.unlink(ids["harbour-3"], "s1")  # "Osei" alone: not that Osei, says the analyst
    with db.transaction() as s:
        for aid in ids.values():
            people.link_article(s, aid)
        links = {link.source_name: link for link in people.links_of_article(s, ids["harbour-3"])}
    assert (links["Kim"].person_id, links["Kim"].origin) == (kim_yo, "human")
    assert (links["Osei"].person_id, links["Osei"].origin) == (None, "human")
    assert sources.record_page(db, search="Amara Osei").rows[0].quotes == 2  # was 3
    assert [a.source_name for a in sources.ambiguous(db)] == ["Okafor"]


def export_jsonl(db: Database, out: Path) -> list[dict]:
    exporting.export(db, "jsonl", out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_the_jsonl_export_carries_records_and_links_and_imports_back_exactly(
    db: Database, tmp_path: Path
) -> None:
    load_stories(db)
    editor = sources.RecordEditor(db, "tester")
    osei = named(db, "Dr. Amara Osei")
    editor.set_gender(osei, "female")
    editor.update(osei, role="harbour master", aliases=["the harbour chief"],
                  attributes={"party": "Green"})  # fmt: skip
    first = tmp_path / "first.jsonl"
    lines = export_jsonl(db, first)
    carried = [s for line in lines for s in line["sources"] if s.get("record")]
    assert carried and all(s["record"]["id"].startswith("r-") for s in carried)
    mine = [s["record"] for s in carried if s["record"]["name"] == "Dr. Amara Osei"]
    assert mine[0]["gender"] == "female" and mine[0]["gender_origin"] == "set"
    assert mine[0]["attributes"] == {"party": "Green"}

    other = Database.open(tmp_path / "other.sqlite3", daily_backup=False)
    try:
        importing.import_paths(other, [first], collection="harbour")
        second = tmp_path / "second.jsonl"
        export_jsonl(other, second)
        assert second.read_bytes() == first.read_bytes()
        theirs = {r.person.key: r for r in sources.record_page(other).rows}
        ours = {r.person.key: r for r in sources.record_page(db).rows}
        assert set(theirs) == set(ours)
        for key, row in ours.items():
            got = theirs[key]
            assert (got.quotes, got.articles, got.person.name, got.person.aliases) == (
                row.quotes, row.articles, row.person.name, row.person.aliases,
            )  # fmt: skip
            assert got.person.gender_origin == row.person.gender_origin
        assert sources.record(other, theirs[mine[0]["id"]].person.id).gender_origin == (
            GenderOrigin.SET
        )
    finally:
        other.close()


def test_the_csv_export_names_each_quotes_record(db: Database, tmp_path: Path) -> None:
    import csv

    load_stories(db)
    lines = export_jsonl(db, tmp_path / "all.jsonl")
    expected = []
    for line in lines:
        by_key = {s["id"]: s for s in line["sources"]}
        for q in line["quotes"]:
            source = by_key.get((q.get("source") or {}).get("id")) or {}
            expected.append((source.get("record") or {}).get("id", ""))
    exporting.export(db, "csv", tmp_path / "all.csv")
    with (tmp_path / "all.csv").open(encoding="utf-8-sig", newline="") as fh:
        got = [row["record"] for row in csv.DictReader(fh)]
    assert got == expected
    # every quote has its record's key but those of the two ambiguous sources
    assert sorted(k[:2] for k in got) == [""] * 2 + ["r-"] * (len(got) - 2)


def test_guessed_genders_are_marked_and_counted_apart(db: Database) -> None:
    load_stories(db)
    editor = sources.RecordEditor(db, "tester")
    jonas = named(db, "Jonas Okafor")
    editor.set_gender(jonas, "nonbinary")  # what a person sets is never guessed over
    guessed = editor.guess_genders("harbour")
    people_now = {r.person.name: r.person for r in sources.record_page(db).rows}
    assert people_now["Jonas Okafor"].gender_origin == GenderOrigin.SET
    assert people_now["Jonas Okafor"].gender == "nonbinary"
    assert people_now["Jane Okafor"].gender == "female"
    assert people_now["Jane Okafor"].gender_origin == GenderOrigin.GUESSED
    assert people_now["Royal Canadian Mounted Police"].gender is None  # no guess for an ORG
    assert guessed.result and jonas not in guessed.result
    rows = {r.key: r for r in statistics.stats(db, "gender")}
    assert rows["female (guessed)"].guessed and rows["female (guessed)"].gender == "female"
    assert "female" not in rows  # nobody set "female": guesses are never counted as set
    assert rows["nonbinary"].quotes == 3 and not rows["nonbinary"].guessed
    editor.undo(guessed)
    assert all(r.person.gender_origin != GenderOrigin.GUESSED for r in sources.record_page(db).rows)


@pytest.mark.parametrize(
    ("link", "record", "said"),
    [
        ({"origin": "alien"}, None, "link origin must be model or human"),
        ({"confidence": 1.5}, None, "confidence must be a number from 0 to 1"),
        ({}, {"id": "", "name": "Ana Ruiz"}, "record id must be text"),
        ({}, {"id": "r-1", "name": "Ana Ruiz", "gender": "female"}, "without its origin"),
        ({}, {"id": "r-1", "name": "Ana Ruiz", "type": "ALIEN"}, "PERSON, ORG or OTHER"),
        ({}, {"id": "r-1", "name": "Ana\nRuiz"}, "record name"),
    ],
)
def test_a_bad_record_in_jsonl_is_one_line_naming_it_and_nothing_is_written(
    db: Database, tmp_path: Path, link: dict, record: dict | None, said: str
) -> None:
    text = 'Ana Ruiz said "yes."'
    source = {"id": "s1", "name": "Ana Ruiz", "type": "PERSON", "link": link, "record": record}
    line = {"id": "bad", "text": text, "sources": [source]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = importing.import_paths(db, [path])
    assert report.added == 0
    (error,) = report.errors
    assert said in error and "line 1" in error and "\n" not in error
    assert sources.record_page(db).total == 0
