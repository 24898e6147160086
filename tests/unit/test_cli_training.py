"""`quotedesk train` and `quotedesk models` on a tiny collection of made-up sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from tests.unit.test_training import made_up_article

pytestmark = pytest.mark.slow


def write_collection(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(6):
            a = made_up_article(i)
            ents = [{"start": e.start, "end": e.end, "label": e.label} for e in a.entities]
            out.write(json.dumps({"id": a.external_id, "text": a.text, "entities": ents}) + "\n")
    return path


def test_train_prints_the_table_and_models_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = str(tmp_path / "cli.sqlite3")
    assert (
        main(
            [
                "--db",
                db,
                "import",
                str(write_collection(tmp_path / "t.jsonl")),
                "--collection",
                "Tiny",
            ]
        )
        == 0
    )
    assert main(["--db", db, "models"]) == 0
    assert "no trained models yet" in capsys.readouterr().out
    assert (
        main(
            [
                "--db",
                db,
                "train",
                "--collection",
                "Tiny",
                "--labels",
                "PER,ORG",
                "--max-minutes",
                "0.1",
                "--name",
                "tiny-test",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "5 to train on, 1 held out" in out
    rows = {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if line[:4] in ("PER ", "ORG ", "ALL ")
    }
    assert set(rows) == {"PER", "ORG", "ALL"}
    assert all(0.0 <= float(v) <= 1.0 for vals in rows.values() for v in vals)
    assert main(["--db", db, "models"]) == 0
    assert capsys.readouterr().out.startswith("tiny-test\tTiny\tPER, ORG\t")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--collection", "Nope"], "no collection named 'Nope'"),
        (["train", "--collection", "Tiny", "--labels", "XYZ"], "XYZ not in collection"),
        (["train", "--collection", "Tiny", "--labels", "GPE"], "at least 2 annotated articles"),
        (["train", "--collection", "Tiny", "--name", "../x"], "letters, digits"),
    ],
)
def test_train_mistakes_are_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = str(tmp_path / "cli.sqlite3")
    main(
        ["--db", db, "import", str(write_collection(tmp_path / "t.jsonl")), "--collection", "Tiny"]
    )
    capsys.readouterr()
    assert main(["--db", db, *argv]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("quotedesk: ") and message in err and "\n" not in err
