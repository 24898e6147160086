"""The spaCy export to a folder: ``.spacy`` shards, written whole or not at all, that spaCy
reads as one corpus and Quotedesk imports back exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Entity, Origin
from desktop.nlp import docbin_shards
from desktop.services import exporting, importing
from desktop.services.export_target import ExportError
from desktop.services.progress import Cancelled, CancelToken
from desktop.store import Database
from desktop.store import repository as repo


def text(n: int) -> str:
    return f"Lena Park met the mayor of Dunmore on day {n}. She said the road would open."


def fill(db: Database, count: int, collection: str = "c") -> None:
    with db.transaction() as s:
        cid = repo.collection(s, collection)
        for n in range(count):
            repo.add_article(
                s,
                cid,
                Article(
                    external_id=f"a{n}",
                    title=f"Day {n}",
                    text=text(n),
                    entities=[Entity(0, 9, "PERSON", "Lena Park", Origin.HUMAN)],
                ),
            )


def jsonl(db: Database, tmp: Path, collection: str) -> str:
    out = tmp / f"{collection}.jsonl"
    exporting.export(db, "jsonl", out, collection=collection)
    return out.read_text(encoding="utf-8")


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(count=st.integers(1, 9), per_shard=st.integers(1, 4))
def test_any_set_in_any_shard_size_imports_back_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    count: int,
    per_shard: int,
) -> None:
    tmp = tmp_path_factory.mktemp("shards")
    monkeypatch.setattr(docbin_shards, "SHARD_DOCS", per_shard)
    db = Database.open(tmp / "db.sqlite3")
    try:
        fill(db, count)
        assert exporting.export(db, "spacy", f"{tmp}/train/", collection="c") == count
        shards = sorted(p.name for p in (tmp / "train").iterdir())
        assert shards == [docbin_shards.shard_name(n) for n in range(-(-count // per_shard))]
        report = importing.import_paths(db, [tmp / "train"], "back")
        assert (report.added, report.errors) == (count, [])
        assert jsonl(db, tmp, "back") == jsonl(db, tmp, "c")
    finally:
        db.close()


@pytest.mark.slow
def test_spacy_reads_the_folder_as_one_corpus(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spacy
    from spacy.training import Corpus

    monkeypatch.setattr(docbin_shards, "SHARD_DOCS", 2)
    fill(db, 5)
    (tmp_path / "train").mkdir()  # a folder that is there names the shards' folder too
    exporting.export(db, "spacy", tmp_path / "train", collection="c")
    examples = list(Corpus(tmp_path / "train")(spacy.blank("en")))
    assert sorted(e.reference.text for e in examples) == sorted(text(n) for n in range(5))


def test_a_folder_with_other_files_is_refused_and_left_as_it_was(
    tmp_path: Path, db: Database
) -> None:
    fill(db, 2)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="not .spacy shards"):
        exporting.export(db, "spacy", f"{folder}/", collection="c")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_cancelled_export_leaves_the_earlier_shards_and_no_part_folder(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docbin_shards, "SHARD_DOCS", 1)
    fill(db, 6)
    exporting.export(db, "spacy", f"{tmp_path}/train/", collection="c")
    before = {p.name: p.read_bytes() for p in (tmp_path / "train").iterdir()}
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if done == 4:
            token.cancel()

    with pytest.raises(Cancelled):
        exporting.export(
            db, "spacy", f"{tmp_path}/train/", collection="c", progress=progress, cancel=token
        )
    assert {p.name: p.read_bytes() for p in (tmp_path / "train").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_other_formats_still_refuse_a_folder(tmp_path: Path, db: Database) -> None:
    fill(db, 1)
    with pytest.raises(ExportError, match="folder"):
        exporting.export(db, "jsonl", f"{tmp_path}/", collection="c")
