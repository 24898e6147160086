"""The command line: its error paths in-process, the whole path in a real subprocess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from tests.conftest import SEED_TEXT


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_import_missing_file_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run("--db", tmp_path / "x.db", "import", tmp_path / "missing.txt")
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "missing.txt: no such file or folder" in err
    assert "Traceback" not in err


def test_import_malformed_jsonl_names_file_and_line_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Fine."}\n{"id": "broken", "text": \n', encoding="utf-8")
    code = run("--db", tmp_path / "x.db", "import", bad)
    out = capsys.readouterr()
    assert code == 1
    assert "bad.jsonl, line 2: not valid JSON" in out.err
    assert "imported 0 article(s)" in out.out


def test_import_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "x.txt"
    f.write_bytes(b"\xff\xfe\x00\xd8 broken")
    assert run("--db", tmp_path / "x.db", "import", f) == 1
    assert "x.txt" in capsys.readouterr().err


def test_unknown_export_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        run("--db", tmp_path / "x.db", "export", "--format", "docx", "-o", tmp_path / "o")
    assert exit_.value.code == 2


def test_export_to_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        "--db", tmp_path / "x.db", "export", "--format", "jsonl", "-o", tmp_path / "no" / "o.jsonl"
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


def test_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_text("hello")
    assert run("--db", bogus, "analyze") == 1
    assert "not a Quotedesk database" in capsys.readouterr().err
    assert bogus.read_text() == "hello"


def test_import_twice_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "x.db"
    assert run("--db", db, "import", SEED_TEXT) == 0
    assert run("--db", db, "import", SEED_TEXT) == 0
    assert "imported 0 article(s), skipped 1" in capsys.readouterr().out


def quotedesk(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_import_analyze_export_reimport_gives_same_file(tmp_path: Path) -> None:
    for args in (
        ("--db", "x.db", "import", SEED_TEXT),
        ("--db", "x.db", "analyze"),
        ("--db", "x.db", "export", "--format", "jsonl", "-o", "out.jsonl"),
        ("--db", "y.db", "import", "out.jsonl"),
        ("--db", "y.db", "export", "--format", "jsonl", "-o", "again.jsonl"),
    ):
        done = quotedesk(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    out = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert out == (tmp_path / "again.jsonl").read_text(encoding="utf-8")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["text"] == SEED_TEXT.read_text(encoding="utf-8")
    assert record["model"]["name"]
    labels = {(e["text"], e["label"]) for e in record["entities"]}
    assert ("Adrienne Watson", "PERSON") in labels
    assert all(e["origin"] == "model" for e in record["entities"])
    assert record["quotes"], "the quote engine found nothing"


@pytest.mark.slow
def test_human_entities_survive_forced_analysis(tmp_path: Path) -> None:
    text = "Maria Lopez runs Acme Widgets in Toronto. She said sales grew."
    human = [
        {"start": 0, "end": 11, "label": "ORG", "text": "Maria Lopez", "origin": "human"},
        {"start": 17, "end": 29, "label": "PRODUCT", "text": "Acme Widgets", "origin": "human"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "h1", "text": text, "entities": human}) + "\n")
    for args in (
        ("--db", "x.db", "import", src),
        ("--db", "x.db", "analyze", "--force"),
        ("--db", "x.db", "analyze", "--force"),
        ("--db", "x.db", "export", "--format", "jsonl", "-o", "out.jsonl"),
    ):
        done = quotedesk(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "out.jsonl").read_text())
    ents = record["entities"]
    assert [e for e in ents if e["origin"] == "human"] == human
    assert any(e["text"] == "Toronto" and e["origin"] == "model" for e in ents)


@pytest.mark.slow
def test_ctrl_c_during_import_leaves_whole_articles_and_resumes(tmp_path: Path) -> None:
    import signal
    import sqlite3
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(1500):
        (folder / f"a{i:04d}.txt").write_text(
            f"Headline {i}\n\nThe mayor said item {i} was fine.\n"
        )
    db = tmp_path / "x.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--db", str(db), "import", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def imported() -> int:
        try:
            con = sqlite3.connect(db, timeout=5)
            try:
                return con.execute("SELECT count(*) FROM article").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + 120
    while imported() < 20 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err
    partial = imported()
    assert 0 < partial < 1500
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    again = quotedesk("--db", db, "import", folder, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"skipped {partial} already present" in again.stdout
    assert imported() == 1500


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format=conll", "-o", "x.conll", "--labels=--"],
        ["export", "--format=jsonl", "-o", "x.jsonl", "--collection=--"],
        ["analyze", "--collection=--"],
        ["train", "--collection", "C", "--name=--"],
    ],
)
def test_a_dash_dash_value_is_one_line_not_no_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """argparse drops a '--' value, so `--labels=--` read as "no filter" and exported all."""
    assert main(["--db", str(tmp_path / "d.sqlite3"), *argv]) == 1
    err = capsys.readouterr().err
    assert "'--' is not a value an option can take" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.glob("x.*"))
