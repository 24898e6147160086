"""Annotator layers on a real SQLite database: import, assignment, parallel work, export.

Sentences are made up for these tests.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from desktop.domain import Article, Entity, Origin
from desktop.domain.names import InvalidName
from desktop.domain.team import check_annotator, round_robin
from desktop.services import exporting, team
from desktop.services.importing import import_paths
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.layers import LayerConflict
from desktop.store.models import AnnotatorRow, Base, CollectionRow, EditRow, LayerRow

TEXT = "Tova Rink met the Harbour Board in Lisbon. Rink said the ferry would run again."
WORDS = {
    w: (TEXT.index(w), TEXT.index(w) + len(w)) for w in ("Tova Rink", "Harbour Board", "Lisbon")
}


def record(annotator: str | None, *labelled: tuple[str, str], text: str = TEXT) -> dict[str, Any]:
    out: dict[str, Any] = {"id": "ferry-1", "text": text}
    if annotator is not None:
        out["annotator"] = annotator
    out["entities"] = [
        {"start": WORDS[w][0], "end": WORDS[w][1], "label": label} for w, label in labelled
    ]
    return out


def write(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def versions(db: Database) -> dict[str, set[tuple[int, int, str]]]:
    with db.session() as s:
        aid = repo.article_ids(s)[0]
    return {
        name: {(e.start, e.end, e.label) for e in art.entities}
        for name, art in team.versions_of(db, aid).items()
    }


def test_records_with_annotators_fill_their_layers_once(db: Database, tmp_path: Path) -> None:
    f = write(
        tmp_path / "team.jsonl",
        record("ann", ("Tova Rink", "PER"), ("Lisbon", "LOC")),
        record("bob", ("Tova Rink", "PER"), ("Harbour Board", "ORG")),
    )
    report = import_paths(db, [f], "ferries")
    assert (report.added, report.layers, report.skipped) == (1, 2, 0)
    assert "filled 2 annotator version(s)" in report.summary()
    assert versions(db) == {
        "ann": {(*WORDS["Tova Rink"], "PER"), (*WORDS["Lisbon"], "LOC")},
        "bob": {(*WORDS["Tova Rink"], "PER"), (*WORDS["Harbour Board"], "ORG")},
    }
    with db.session() as s:  # the shared layer holds none of their work
        assert repo.load_article(s, repo.article_ids(s)[0]).entities == []
    again = import_paths(db, [f], "ferries")
    assert (again.added, again.layers, again.skipped) == (0, 0, 2)
    with db.session() as s:
        assert len(s.scalars(select(LayerRow)).all()) == 2


def test_without_an_annotator_a_second_record_is_still_a_duplicate(
    db: Database, tmp_path: Path
) -> None:
    f = write(tmp_path / "a.jsonl", record(None, ("Lisbon", "LOC")))
    assert import_paths(db, [f], "c").added == 1
    again = import_paths(db, [write(tmp_path / "b.jsonl", record(None, ("Lisbon", "GPE")))], "c")
    assert (again.added, again.skipped, again.layers) == (0, 1, 0)


def test_an_annotator_record_with_another_text_is_refused(db: Database, tmp_path: Path) -> None:
    import_paths(db, [write(tmp_path / "a.jsonl", record("ann"))], "c")
    other = record("bob", text=TEXT.replace("Lisbon", "Lisbun"))
    report = import_paths(db, [write(tmp_path / "b.jsonl", other)], "c")
    assert report.layers == 0 and len(report.conflicts) == 1
    assert "ferry-1" in report.conflicts[0]
    assert set(versions(db)) == {"ann"}


@pytest.mark.parametrize("bad", ["", "  ", " ann", "-ann", "a\nb", "a\u200bb", "x" * 201, 7])
def test_bad_annotator_names_are_refused_in_one_line(bad: object, tmp_path: Path) -> None:
    with pytest.raises(InvalidName) as caught:
        check_annotator(bad)
    assert "\n" not in str(caught.value)


def test_a_bad_annotator_in_a_record_names_the_line(db: Database, tmp_path: Path) -> None:
    f = write(tmp_path / "a.jsonl", record("ann"), record("-x"))
    report = import_paths(db, [f], "c")
    assert report.added == 0 and len(report.errors) == 1
    assert ":2" in report.errors[0] or "line 2" in report.errors[0]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.integers(1, 40), st.lists(st.sampled_from("abcdef"), unique=True, max_size=3)
    ),
    st.lists(st.sampled_from("abcdefgh"), unique=True, min_size=1, max_size=6),
    st.integers(1, 4),
)
def test_round_robin_fills_every_article_evenly(
    have: dict[int, list[str]], names: list[str], per: int
) -> None:
    new = round_robin(have, names, per)
    assert len(set(new)) == len(new)
    after = {aid: set(v) for aid, v in have.items()}
    for aid, name in new:
        assert name not in after[aid]  # never twice the same article
        after[aid].add(name)
    wanted = min(per, len(names))
    for aid, got in after.items():
        assert len(got & set(names)) >= wanted
        assert len(got) - len(set(have[aid])) == max(0, wanted - len(set(have[aid]) & set(names)))
    if not any(have.values()):  # from nothing, nobody gets more than one article more
        load = [sum(name in v for v in after.values()) for name in names]
        assert max(load) - min(load) <= 1


def _shared_article(db: Database) -> int:
    tova, lisbon, board = WORDS["Tova Rink"], WORDS["Lisbon"], WORDS["Harbour Board"]
    art = Article(
        "ferry-1",
        TEXT,
        entities=[
            Entity(*tova, "PERSON", "Tova Rink"),
            Entity(*lisbon, "GPE", "Lisbon", rejected=True),  # a person rejected it
            Entity(*board, "ORG", "Harbour Board", Origin.HUMAN),  # a person made it
        ],
    )
    with db.transaction() as s:
        coll = repo.collection(s, "ferries")
        aid = repo.add_article(s, coll, art)
    assert aid is not None
    return aid


def test_parallel_annotators_start_from_the_model_and_stay_apart(db: Database) -> None:
    aid = _shared_article(db)
    team.set_mode(db, "ferries", "parallel", 2)
    new = team.assign_round_robin(db, "ferries", ["ann", "bob", "cy"], "lead", None)
    assert sorted(n for _, n in new) == ["ann", "bob"]
    assert team.assigned_to(db, "ann", "ferries") == [aid]
    assert team.assigned_to(db, "cy", "ferries") == []
    with pytest.raises(team.TeamError, match="not assigned to cy"):
        team.start(db, aid, "cy")
    ann = team.start(db, aid, "ann")
    model_made = {(e.start, e.end, e.label) for e in ann.entities}
    assert model_made == {(*WORDS["Tova Rink"], "PERSON"), (*WORDS["Lisbon"], "GPE")}
    ann.entities = [e for e in ann.entities if e.label == "PERSON"]
    team.save_version(db, ann, aid, "ann", revision=ann.revision)
    with pytest.raises(LayerConflict):  # a second save from the same old read
        team.save_version(db, ann, aid, "ann", revision=ann.revision)
    bob = team.start(db, aid, "bob")
    assert {(e.start, e.end, e.label) for e in bob.entities} == model_made
    assert {(e.start, e.end) for e in team.start(db, aid, "ann").entities} == {WORDS["Tova Rink"]}
    with db.session() as s:
        shared = repo.load_article(s, aid, include_rejected=True)
        assert len(shared.entities) == 3  # the shared layer is as it was
        layers_edited = set(s.scalars(select(EditRow.layer)))
        assert {"annotator:ann", "annotator:bob"} <= layers_edited
        assert s.scalar(select(CollectionRow.annotation_mode)) == "parallel"
        assert {n for n in s.scalars(select(AnnotatorRow.name))} >= {"ann", "bob", "cy"}


def test_export_takes_a_layer_and_reads_back(db: Database, tmp_path: Path) -> None:
    aid = _shared_article(db)
    team.assign(db, [aid], "ann", "lead")
    ann = team.start(db, aid, "ann")
    ann.entities = ann.entities[:1]
    team.save_version(db, ann, aid, "ann", revision=ann.revision)
    out = tmp_path / "ann.jsonl"
    assert exporting.export(db, "jsonl", out, layer="annotator", annotator="ann") == 1
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["annotator"] == "ann" and len(line["entities"]) == 1
    with pytest.raises(exporting.ExportError, match="annotator NAME"):
        exporting.export(db, "jsonl", tmp_path / "x.jsonl", layer="annotator")
    # the default: the shared layer, until there is a curated one
    exporting.export(db, "jsonl", tmp_path / "d.jsonl")
    assert len(json.loads((tmp_path / "d.jsonl").read_text())["entities"]) == 2
    curated = team.start(db, aid, "ann")
    curated.entities = []
    team.save_version(db, curated, aid, "cur", kind=team.CURATED)
    exporting.export(db, "jsonl", tmp_path / "d.jsonl")
    got = json.loads((tmp_path / "d.jsonl").read_text())
    assert got["entities"] == [] and "annotator" not in got
    exporting.export(db, "jsonl", tmp_path / "s.jsonl", layer="shared")
    assert len(json.loads((tmp_path / "s.jsonl").read_text())["entities"]) == 2
    exporting.export(db, "jsonl", tmp_path / "m.jsonl", layer="model")
    assert len(json.loads((tmp_path / "m.jsonl").read_text())["entities"]) == 2
    other = Database.open(tmp_path / "other.sqlite3")
    try:
        assert import_paths(other, [out], "back").layers == 1
        assert versions(other) == {"ann": {(*WORDS["Tova Rink"], "PERSON")}}
    finally:
        other.close()


labelled = st.lists(
    st.tuples(st.sampled_from(sorted(WORDS)), st.sampled_from(["PER", "ORG", "LOC"])),
    unique_by=lambda t: t[0],
    max_size=3,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["ann", "bob", "Zoë M."]), labelled, min_size=1))
def test_any_annotators_versions_export_and_import_back(
    given_versions: dict[str, list[tuple[str, str]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        first = Database.open(here / "a.sqlite3")
        second = Database.open(here / "b.sqlite3")
        try:
            recs = [record(name, *labels) for name, labels in given_versions.items()]
            assert import_paths(first, [write(here / "in.jsonl", *recs)], "c").layers == len(recs)
            outs = []
            for name in given_versions:
                outs.append(here / f"{len(outs)}.jsonl")
                exporting.export(first, "jsonl", outs[-1], layer="annotator", annotator=name)
            import_paths(second, outs, "c")
            assert versions(second) == versions(first)
            want = {n: {(*WORDS[w], lab) for w, lab in ls} for n, ls in given_versions.items()}
            assert versions(first) == want
        finally:
            first.close()
            second.close()


def test_the_migration_makes_the_tables_the_models_describe(db: Database) -> None:
    with db.session() as s:
        found = inspect(s.get_bind())
        for table in ("annotator", "annotation_layer", "collection", "edit"):
            columns = {c["name"] for c in found.get_columns(table)}
            assert columns == set(Base.metadata.tables[table].columns.keys()), table


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=220))
def test_any_annotator_name_is_kept_whole_or_refused_in_one_line(name: str) -> None:
    try:
        kept = check_annotator(name)
    except InvalidName as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc)
        return
    assert kept == name and kept.strip() == kept and not kept.startswith("-")
    assert 1 <= len(kept) <= 200
    hidden = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # controls, invisibles, line breaks
    assert not any(unicodedata.category(c) in hidden for c in kept)


def test_reviewed_only_follows_the_layer_that_goes_out(db: Database, tmp_path: Path) -> None:
    f = write(tmp_path / "t.jsonl", {**record("ann", ("Lisbon", "LOC")), "status": "reviewed"},
              record("bob", ("Lisbon", "GPE")))  # fmt: skip
    import_paths(db, [f], "c")
    aid = team.article_ids(db, "c", ["ferry-1"])[0]
    out = tmp_path / "o.jsonl"

    def exported(**choice: Any) -> int:
        return exporting.export(db, "jsonl", out, reviewed_only=True, allow_empty=True, **choice)

    assert exported() == 0  # the shared layer is not reviewed, and nothing is curated
    assert exported(layer="annotator", annotator="ann") == 1  # ann's layer is
    assert exported(layer="annotator", annotator="bob") == 0
    version = team.versions_of(db, aid)["ann"]
    team.save_version(db, version, aid, "lead", kind=team.CURATED)  # reviewed, as ann's
    assert exported() == 1 and exported(layer="curated") == 1
    assert exported(layer="shared") == 0 and exported(layer="model") == 0
