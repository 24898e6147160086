"""``quotedesk agreement``, ``assign``, ``team`` and ``export --layer`` on a real database.

Sentences are made up for these tests.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from desktop.cli import main
from tests.unit.test_team import TEXT, record, write


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    db = tmp_path / "team.sqlite3"
    first = record("ann", ("Tova Rink", "PER"), ("Lisbon", "LOC"))
    second = record("bob", ("Tova Rink", "PER"), ("Harbour Board", "ORG"))
    said = TEXT.index("the ferry")
    second["quotes"] = first["quotes"] = [{"start": said, "end": len(TEXT) - 1, "kind": "indirect"}]
    assert (
        run("--db", db, "import", write(tmp_path / "t.jsonl", first, second), "--collection", "c")
        == 0
    )
    return db


def test_agreement_json_has_the_promised_keys(
    team_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run("--db", team_db, "agreement", "--collection", "c", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    keys = {"annotator_a", "annotator_b", "layer", "label", "articles", "f1", "kappa", "alpha"}
    assert all(keys <= set(r) for r in rows)
    by = {(r["layer"], r["label"]): r for r in rows}
    assert {layer for layer, _ in by} == {"entities", "quotes", "speakers", "sources"}
    assert by[("quotes", None)]["f1"] == 1.0 and by[("quotes", None)]["articles"] == 1
    everything = by[("entities", None)]
    assert (everything["annotator_a"], everything["annotator_b"]) == ("ann", "bob")
    assert everything["f1"] == 0.5  # one of two entities each, exactly alike
    assert by[("entities", "PER")]["f1"] == 1.0
    assert by[("entities", "ORG")]["f1"] == 0.0


def test_agreement_csv_and_an_unknown_collection(
    team_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run("--db", team_db, "agreement", "--format", "csv") == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["layer"] for r in table} == {"entities", "quotes", "speakers", "sources"}
    assert run("--db", team_db, "agreement", "--collection", "nope") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err and "'c'" in err and "Traceback" not in err


def test_assign_team_and_export_a_layer(
    team_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--db", team_db, "team", "--collection", "c", "--mode", "parallel") == 0
    assert run("--db", team_db, "assign", "--collection", "c", "--round-robin", "ann,cy") == 0
    assert (
        run("--db", team_db, "assign", "--collection", "c", "--to", "dee", "--ids", "ferry-1") == 0
    )
    capsys.readouterr()
    assert run("--db", team_db, "team", "--collection", "c") == 0
    shown = capsys.readouterr().out
    assert "parallel annotation" in shown and "dee: 1 article(s)" in shown
    assert "ann: 1 article(s)" in shown  # imported layers are assignments too
    out = tmp_path / "bob.jsonl"
    assert (
        run(
            "--db", team_db, "export", "--format", "jsonl", "-o", out, "--layer", "annotator", "bob"
        )
        == 0
    )
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["annotator"] == "bob" and {e["label"] for e in got["entities"]} == {"PER", "ORG"}
    for bad in (["--layer", "annotator"], ["--layer", "people"], ["--layer", "model", "x"]):
        assert run("--db", team_db, "export", "--format", "jsonl", "-o", out, *bad) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert run("--db", team_db, "assign", "--collection", "c", "--to", "dee", "--ids", "zzz") == 1
    assert "no article 'zzz'" in capsys.readouterr().err
    assert run("--db", team_db, "assign", "--collection", "c", "--to=-x") == 1
