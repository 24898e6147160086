"""Export filters, the command line and the all-or-nothing output file, for every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services import exporting
from desktop.services.formats import FORMATS
from desktop.services.progress import Cancelled, CancelToken
from desktop.store import Database
from tests.unit.test_formats_common import fill, jsonl_of, sample_articles


@pytest.fixture
def filled(tmp_path: Path) -> Database:
    db = Database.open(tmp_path / "db.sqlite3")
    a, b = sample_articles()
    fill(db, [a], "news")
    fill(db, [b], "other")
    yield db
    db.close()


def test_labels_filter_keeps_only_those_entities(filled: Database, tmp_path: Path) -> None:
    records = jsonl_of(filled, tmp_path, labels=["PERSON", "GPE"])
    labels = {e["label"] for r in records for e in r["entities"]}
    assert labels == {"PERSON", "GPE"}
    assert sum(len(r["quotes"]) for r in records) == 5  # quotes are not filtered by label


def test_human_only_keeps_human_work_and_the_sources_it_names(
    filled: Database, tmp_path: Path
) -> None:
    (a, b) = jsonl_of(filled, tmp_path, human_only=True)
    assert {e["origin"] for e in a["entities"]} == {"human"}
    assert [e["text"] for e in a["entities"]] == ["Talks", "Seoul's ministry"]
    assert [q["text"] for q in a["quotes"]] == [
        "the Union would help",
        "officials in Seoul were worried",
    ]
    # s2 is a model source but a human quote names it; s3 is human; s1 goes
    assert [s["id"] for s in a["sources"]] == ["s2", "s3"]
    assert b["quotes"] == [] and b["sources"] == []


def test_collection_and_reviewed_only(filled: Database, tmp_path: Path) -> None:
    assert [r["id"] for r in jsonl_of(filled, tmp_path, collection="other")] == ["b-2"]
    assert [r["id"] for r in jsonl_of(filled, tmp_path, reviewed_only=True)] == ["art/1 😀"]
    assert jsonl_of(filled, tmp_path, collection="news", reviewed_only=True)[0]["status"] == (
        "reviewed"
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_cancel_leaves_no_file_behind(filled: Database, tmp_path: Path, fmt: str) -> None:
    token = CancelToken()
    out = tmp_path / "out" / f"x{FORMATS[fmt].suffix}"
    out.parent.mkdir()

    def progress(done: int, total: int, message: str) -> None:
        if done == 0:  # cancel while the first article is being written
            token.cancel()

    with pytest.raises(Cancelled):
        exporting.export(filled, fmt, out, progress=progress, cancel=token)
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_exports_from_the_command_line(tmp_path: Path, fmt: str) -> None:
    db_path = tmp_path / "db.sqlite3"
    db = Database.open(db_path)
    fill(db, sample_articles(), "news")
    db.close()
    out = tmp_path / f"out{FORMATS[fmt].suffix}"
    args = ["--db", db_path, "export", "--format", fmt, "-o", out, "--collection", "news"]
    args += ["--labels", "PERSON", "--human-only"]
    assert main([str(a) for a in args]) == 0
    assert out.stat().st_size > 0
    if fmt == "jsonl":
        records = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
        assert [e["text"] for r in records for e in r["entities"]] == ["𝔘lrich Haas"]


def test_cli_reviewed_only_with_no_match_writes_an_empty_export(tmp_path: Path) -> None:
    db_path = tmp_path / "db.sqlite3"
    Database.open(db_path).close()
    out = tmp_path / "o.jsonl"
    assert (
        main(
            ["--db", str(db_path), "export", "--format", "jsonl", "-o", str(out), "--reviewed-only"]
        )
        == 0
    )
    assert out.read_text("utf-8") == ""


@pytest.mark.parametrize("fmt", ["brat", "labelstudio", "prodigy", "doccano", "conll", "spacy"])
def test_command_line_imports_each_export(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(tmp_path / "src.sqlite3")
    fill(db, sample_articles())
    out = tmp_path / f"set{FORMATS[fmt].suffix}"
    exporting.export(db, fmt, out)
    db.close()
    assert main(["--db", str(tmp_path / "dst.sqlite3"), "import", str(out)]) == 0
    assert "imported 2 article(s)" in capsys.readouterr().out
    # importing again skips both: the ids (or texts) are already there
    assert main(["--db", str(tmp_path / "dst.sqlite3"), "import", str(out)]) == 0
    assert "imported 0 article(s), skipped 2" in capsys.readouterr().out


def test_command_line_import_of_a_bad_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"data": {"text": ""}}]', encoding="utf-8")
    assert main(["--db", str(tmp_path / "x.sqlite3"), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0
    assert 'bad.json: task 1: "data.text" is missing or empty' in err
