"""Automatic backups, restore from the command line, and damaged databases at open."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop import cli
from desktop.domain import Article
from desktop.store import Database, StoreError, backups
from desktop.store import repository as repo
from desktop.store.errors import NotADatabaseError
from tests.reliability.disks import TinyDisk, mount_tiny_disk


def add(db: Database, external_id: str) -> None:
    with db.transaction() as s:
        coll = repo.collection(s)
        repo.add_article(s, coll, Article(external_id=external_id, text=f"Text of {external_id}."))


def ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT external_id FROM article")}
    finally:
        conn.close()


def age(backup: Path, hours: float) -> Path:
    """Rename a backup as if it had been made ``hours`` ago."""
    stamp = (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y%m%dT%H%M%S%f")
    older = backup.with_name(f"{stamp}-daily.sqlite3")
    backup.rename(older)
    return older


def test_a_new_database_gets_no_backup_and_a_reopened_one_gets_a_daily_copy(
    db_path: Path,
) -> None:
    db = Database.open(db_path)
    add(db, "a")
    db.close()
    assert backups.list_backups(db_path) == []
    db = Database.open(db_path)
    db.close()
    found = backups.list_backups(db_path)
    assert [b.reason for b in found] == ["daily"]
    assert ids(found[0].path) == {"a"}
    # a single self-contained file, no -wal beside it
    assert not Path(f"{found[0].path}-wal").exists()
    # not due again within the day
    Database.open(db_path).close()
    assert len(backups.list_backups(db_path)) == 1


def test_the_daily_copy_is_made_again_after_a_day_and_only_the_last_n_are_kept(
    db_path: Path,
) -> None:
    db = Database.open(db_path)
    add(db, "a")
    for n in range(backups.BACKUPS_KEPT + 2):
        made = db.backup_if_due()
        assert made is not None, n
        assert db.backup_if_due() is None  # the newest is fresh
        age(made, 25 + n)
    db.close()
    assert len(backups.list_backups(db_path)) == backups.BACKUPS_KEPT


def test_restore_saves_the_current_state_and_brings_back_the_copy(db: Database) -> None:
    add(db, "kept")
    copy = db.backup("test")
    add(db, "later")
    saved = db.restore(copy)
    assert ids(db.path) == {"kept"}
    assert saved is not None and ids(saved) == {"kept", "later"}
    add(db, "after-restore")  # the open handle still works
    assert ids(db.path) == {"kept", "after-restore"}
    # the saved copy is not offered as a backup, so "latest" stays the real backup
    latest = backups.latest_backup(db.path)
    assert latest is not None and latest.path == copy and latest.verified


def test_restore_replaces_a_damaged_file_and_keeps_its_bytes(db_path: Path) -> None:
    db = Database.open(db_path)
    add(db, "a")
    copy = db.backup("test")
    db.close()
    garbage = b"this is not a database at all\n" * 100
    db_path.write_bytes(garbage)
    saved = backups.restore(copy, db_path)
    assert saved is not None and saved.read_bytes() == garbage
    assert ids(db_path) == {"a"}
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_damaged_backup_is_refused_and_nothing_changes(db: Database, tmp_path: Path) -> None:
    add(db, "a")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    with pytest.raises(StoreError):
        db.restore(bad)
    assert ids(db.path) == {"a"}
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    with pytest.raises(StoreError, match="not a SQLite database"):
        backups.restore(text, db.path)
    assert ids(db.path) == {"a"}


def test_cli_lists_and_restores_backups(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database.open(db_path)
    add(db, "a")
    copy = db.backup("manual")
    add(db, "b")
    db.close()
    assert cli.main(["--db", str(db_path), "backups"]) == 0
    out = capsys.readouterr().out
    assert copy.name in out and "manual" in out
    assert cli.main(["--db", str(db_path), "restore", copy.name]) == 0
    out = capsys.readouterr().out
    assert f"restored {copy.name}" in out and "saved as" in out
    assert ids(db_path) == {"a"}
    assert cli.main(["--db", str(db_path), "restore", "no-such-backup"]) == 1
    assert "quotedesk backups" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 a zip, not a database" * 10,
        b"SQLite format 3\x00" + b"\xff" * 8000,  # the header, then garbage
    ],
    ids=["foreign", "damaged"],
)
def test_cli_on_a_bad_database_names_the_latest_backup_and_the_command(
    db_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(db_path)
    add(db, "a")
    copy = db.backup("manual")
    db.close()
    db_path.write_bytes(content)
    for side in ("-wal", "-shm"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    code = cli.main(["--db", str(db_path), "import", str(db_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert copy.name in err and "restore latest" in err
    assert cli.main(["--db", str(db_path), "restore", "latest"]) == 0
    assert ids(db_path) == {"a"}


def test_a_bad_database_without_backups_is_a_clear_error(db_path: Path) -> None:
    db_path.write_bytes(b"\x00" * 5000)
    with pytest.raises(NotADatabaseError, match="not a Quotedesk database"):
        Database.open(db_path)
    assert db_path.read_bytes() == b"\x00" * 5000


def test_copies_cut_short_by_a_crash_are_cleaned_up_later(db: Database) -> None:
    add(db, "a")
    folder = backups.backup_folder(db.path)
    folder.mkdir()
    old, fresh = folder / "1-daily.partial", folder / "2-daily.partial"
    for partial in (old, fresh):
        partial.write_bytes(b"half a copy")
    two_hours_ago = datetime.now(UTC).timestamp() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    db.backup("manual")
    assert not old.exists() and fresh.exists()  # a fresh one may still be being written


# --- a restore is atomic: on a full disk nothing is left half-written ----------------------


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TinyDisk]:
    yield from mount_tiny_disk(tmp_path / "disk")


def leftovers(db_path: Path) -> list[str]:
    """Files a restore may leave behind when it fails: anything but the database itself,
    its -wal/-shm and the backups that were there before."""
    found = [p for p in db_path.parent.rglob("*") if p.is_file()]
    names = [str(p.relative_to(db_path.parent)) for p in found]
    return sorted(
        n for n in names if n.endswith((".partial", ".restoring", "-journal")) or "before-" in n
    )


def free_up_to(disk: TinyDisk, room: int) -> None:
    """Leave ``room`` bytes free on a full disk by shortening the filler."""
    size = disk.filler.stat().st_size
    os.truncate(disk.filler, max(0, size - room))


@pytest.mark.parametrize("current", ["sound", "damaged"])
@pytest.mark.parametrize("room", ["none", "for-the-safety-copy-only"])
def test_a_restore_on_a_full_disk_leaves_no_file_and_the_database_as_it_was(
    disk: TinyDisk, current: str, room: str
) -> None:
    db_path = disk.path / "q.sqlite3"
    db = Database.open(db_path)
    for n in range(40):
        add(db, f"a{n}")
    copy = db.backup("manual")
    add(db, "after-the-backup")
    db.close()
    if current == "damaged":
        data = bytearray(db_path.read_bytes())
        data[4096 * 3 : 4096 * 4] = bytes(4096)
        db_path.write_bytes(data)
    before = db_path.read_bytes()
    disk.fill()
    if room != "none":
        free_up_to(disk, len(before) + 8192)
    with pytest.raises(StoreError, match="full") as caught:
        backups.restore(copy, db_path)
    assert "q.sqlite3" in str(caught.value) and "left as it was" in str(caught.value)
    assert db_path.read_bytes() == before
    assert leftovers(db_path) == []
    disk.free()
    saved = backups.restore(copy, db_path)
    assert saved is not None and saved.read_bytes()[:16] == b"SQLite format 3\x00"
    assert ids(db_path) == {f"a{n}" for n in range(40)}
    if current == "sound":
        assert ids(saved) == {f"a{n}" for n in range(40)} | {"after-the-backup"}
    else:
        assert saved.read_bytes() == before
