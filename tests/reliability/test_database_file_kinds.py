"""What SQLite cannot keep safe is refused at open, untouched: a path that is not a regular
file, a database with several hard links, and a -wal with data beside a missing database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from desktop.domain import Article
from desktop.store import Database, StoreError
from desktop.store import repository as repo


def make(path: Path, n: int = 3) -> None:
    db = Database.open(path)
    with db.transaction() as s:
        for i in range(n):
            repo.add_article(s, repo.collection(s), Article(f"a{i}", f"Story {i}."))
    db.close()


def test_a_database_with_two_hard_links_is_refused_by_either_name(tmp_path: Path) -> None:
    first = tmp_path / "q.sqlite3"
    make(first)
    second = tmp_path / "hard.sqlite3"
    os.link(first, second)
    before = first.read_bytes()
    for name in (first, second):
        with pytest.raises(StoreError, match="2 hard links"):
            Database.open(name)
    assert first.read_bytes() == before
    assert not Path(f"{first}-wal").exists() and not Path(f"{second}-wal").exists()
    second.unlink()
    Database.open(first).close()  # one name again: it opens


def test_a_fifo_is_not_a_database(tmp_path: Path) -> None:
    fifo = tmp_path / "ff.sqlite3"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="not a regular file"):
        Database.open(fifo)


def test_a_wal_beside_a_missing_database_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "lost.sqlite3"
    make(path)
    # committed changes still in the -wal (never checkpointed), then the database file lost
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE article SET title = 'changed'")
    conn.commit()
    wal = Path(f"{path}-wal")
    saved = wal.read_bytes()
    assert saved  # closing the connection would checkpoint it into the file: copy it first
    conn.close()
    path.unlink()
    wal.write_bytes(saved)
    with pytest.raises(StoreError, match="holds saved changes"):
        Database.open(path)
    assert wal.read_bytes() == saved and not path.exists()
