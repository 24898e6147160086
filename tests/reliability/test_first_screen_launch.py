"""The window's launch with a first screen (issue 16), as real processes: ``quotedesk --db DB
--open ID --screenshot PNG`` on an analyzed article imports no SQLAlchemy, spaCy or Alembic
and paints the same picture as the full path; anything unusual (a newer schema, a damaged
file, a foreign file, a locked database) takes the full path and says exactly what it said
before, one line, exit status 1."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.domain import Article, Entity
from desktop.store import Database, StoreError
from tests.unit.test_first_screen import fill

pytestmark = pytest.mark.gui

QT_NOTES = ("This plugin does not support",)

# the screenshot path with leave_now reporting what was imported, then ending as it does
PROBE = """
import sys
import desktop.ui.app as app
ending = app.leave_now
def leave_now(code, settings):
    heavy = {"sqlalchemy", "spacy", "alembic", "thinc"}
    print(sorted({m.split(".")[0] for m in sys.modules} & heavy), flush=True)
    ending(code, settings)
app.leave_now = leave_now
from desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(args: list[str], home: Path, probe: bool = False) -> subprocess.CompletedProcess[str]:
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(home)}
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    command = (
        [sys.executable, "-c", PROBE, *args] if probe else [sys.executable, "-m", "desktop", *args]
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def errors(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stderr.splitlines() if not line.startswith(QT_NOTES)]


@pytest.fixture
def analyzed(tmp_path: Path) -> Path:
    path = tmp_path / "q.sqlite3"
    article = Article("an-id", "Ann Lee said so.", entities=[Entity(0, 7, "PERSON", "Ann Lee")])
    fill(path, [("default", article, True)], []).close()
    return path


def test_the_screenshot_of_an_analyzed_article_imports_no_store_and_no_model(
    analyzed: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "shot.png"
    done = run(
        ["--db", str(analyzed), "--open", "an-id", "--screenshot", str(shot)],
        tmp_path / "h",
        probe=True,
    )
    assert done.returncode == 0 and not errors(done), done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert shot.stat().st_size > 0


def test_the_probe_sees_the_store_on_the_full_path(tmp_path: Path) -> None:
    """The check can fail: a new database goes the full way, and SQLAlchemy shows up."""
    shot = tmp_path / "shot.png"
    done = run(
        ["--db", str(tmp_path / "new.sqlite3"), "--screenshot", str(shot)],
        tmp_path / "h",
        probe=True,
    )
    assert "sqlalchemy" in done.stdout.strip().splitlines()[-1]


def message_of_full_path(path: Path) -> str:
    """What ``Database.open`` says of ``path`` (the full path's words, printed as the app
    prints them)."""
    with pytest.raises(StoreError) as refused:
        Database.open(path, daily_backup=False).close()
    return f"quotedesk: {refused.value}"


def unusual(analyzed: Path, kind: str) -> Path:
    if kind == "newer schema":
        with sqlite3.connect(analyzed) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '0099'")
        conn.close()
    elif kind == "damaged":
        data = analyzed.read_bytes()
        analyzed.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    elif kind == "foreign":
        analyzed.unlink()
        with sqlite3.connect(analyzed) as conn:
            conn.execute("CREATE TABLE notes (body TEXT)")
        conn.close()
    return analyzed


@pytest.mark.parametrize("kind", ["newer schema", "damaged", "foreign"])
def test_an_unusual_file_says_what_the_full_path_says(
    analyzed: Path, tmp_path: Path, kind: str
) -> None:
    path = unusual(analyzed, kind)
    before = path.read_bytes()
    expected = message_of_full_path(path)
    done = run(
        ["--db", str(path), "--open", "an-id", "--screenshot", str(tmp_path / "s.png")],
        tmp_path / "h",
    )
    assert done.returncode == 1
    assert errors(done) == [expected]
    assert path.read_bytes() == before  # left as it was


HOLD = """
import sqlite3, sys, time
holder = sqlite3.connect(sys.argv[1], isolation_level=None)
holder.execute("PRAGMA locking_mode = EXCLUSIVE")
holder.execute("BEGIN EXCLUSIVE")
holder.execute("UPDATE article SET title = title")
print("held", flush=True)
time.sleep(60)
"""
OPEN = """
import sys
from desktop.store import Database, StoreError
try:
    Database.open(sys.argv[1], daily_backup=False).close()
except StoreError as exc:
    print(f"quotedesk: {exc}")
"""


def test_a_locked_database_says_what_the_full_path_says(analyzed: Path, tmp_path: Path) -> None:
    """Another process holds the database in an exclusive write: the full path's words (as
    ``Database.open`` says them in a process of its own) and nothing else."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(analyzed)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        said = subprocess.run(
            [sys.executable, "-c", OPEN, str(analyzed)], capture_output=True, text=True
        )
        expected = said.stdout.strip()
        assert expected.startswith("quotedesk: ")
        args = ["--db", str(analyzed), "--open", "an-id", "--screenshot", str(tmp_path / "s.png")]
        done = run(args, tmp_path / "h")
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 1
    assert errors(done) == [expected]
