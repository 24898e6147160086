"""A full disk and a read-only disk: a clear error, nothing saved is damaged, work goes on.

The disk is a real tmpfs of 4 MiB (see ``disks.py``), filled to the last byte or remounted
read-only while the database is in use.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import cli
from desktop.services import importing
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store.errors import DiskFullError, ReadOnlyDatabaseError
from tests.reliability.disks import TinyDisk, mount_tiny_disk, truncate_wal


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TinyDisk]:
    yield from mount_tiny_disk(tmp_path / "disk")


def write_articles(path: Path, first: int, count: int) -> Path:
    lines = [
        json.dumps(
            {
                "id": f"a{i}",
                "text": f"Article {i} says that Ann Lee met Bo Chan. " * 5,
                "entities": [{"start": 22, "end": 29, "label": "PERSON"}],
            }
        )
        for i in range(first, first + count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(db_path: Path) -> tuple[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db_path)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute(
            "SELECT article.external_id, article.revision, count(entity.id) FROM article "
            "LEFT JOIN entity ON entity.article_id = article.id GROUP BY article.id "
            "ORDER BY article.id"
        ).fetchall()
        return status, rows
    finally:
        conn.close()


def test_a_full_disk_stops_an_import_cleanly_and_the_import_resumes(
    disk: TinyDisk, tmp_path: Path
) -> None:
    db_path = disk.path / "q.sqlite3"
    db = Database.open(db_path)
    try:
        first = importing.import_paths(db, [write_articles(tmp_path / "1.jsonl", 0, 20)])
        assert first.added == 20
        truncate_wal(db_path)
        before = snapshot(db_path)
        disk.fill()
        with pytest.raises(DiskFullError, match="full; free some space"):
            importing.import_paths(db, [write_articles(tmp_path / "2.jsonl", 20, 20)])
        with pytest.raises(DiskFullError):
            Editor(db).add_entity(1, None, 0, 7, "ORG")
        disk.free()
        status, rows = snapshot(db_path)
        assert status == "ok"
        assert rows == before[1]  # nothing already saved was touched
        again = importing.import_paths(db, [tmp_path / "2.jsonl"])
        assert again.added == 20 and not again.errors
        Editor(db).add_entity(1, None, 0, 7, "ORG")
    finally:
        db.close()
    status, rows = snapshot(db_path)
    assert status == "ok" and len(rows) == 40


def test_the_cli_says_the_disk_is_full_in_one_line(
    disk: TinyDisk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = disk.path / "q.sqlite3"
    assert (
        cli.main(["--db", str(db_path), "import", str(write_articles(tmp_path / "1.jsonl", 0, 5))])
        == 0
    )
    truncate_wal(db_path)
    disk.fill()
    code = cli.main(
        ["--db", str(db_path), "import", str(write_articles(tmp_path / "2.jsonl", 5, 5))]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "is full" in err and "Traceback" not in err
    disk.free()
    assert snapshot(db_path)[0] == "ok"


def test_a_read_only_disk_gives_a_clear_error_and_nothing_changes(
    disk: TinyDisk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = disk.path / "q.sqlite3"
    db = Database.open(db_path)
    try:
        importing.import_paths(db, [write_articles(tmp_path / "1.jsonl", 0, 5)])
        before = snapshot(db_path)
        db.engine.dispose()  # a remount needs every file closed, as after a restart
        disk.read_only(True)
        with pytest.raises(ReadOnlyDatabaseError, match="read-only disk"):
            Editor(db).add_entity(1, None, 0, 7, "ORG")
        with pytest.raises(ReadOnlyDatabaseError):
            importing.import_paths(db, [write_articles(tmp_path / "2.jsonl", 5, 5)])
        code = cli.main(["--db", str(db_path), "import", str(tmp_path / "2.jsonl")])
        err = capsys.readouterr().err
        assert code == 1 and "read-only" in err and err.count("\n") == 1
        db.engine.dispose()
        disk.read_only(False)
        assert snapshot(db_path) == before
        Editor(db).add_entity(1, None, 0, 7, "ORG")  # writable again: work goes on
    finally:
        db.close()
