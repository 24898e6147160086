"""Damaged databases, foreign SQLite files and foreign -wal files (issue 18, items 3 and 4).

A damaged file is refused before anything is written and offered a restore; a backup is
never a copy of a damaged file; the newest good backup is never pruned; another program's
SQLite file is left byte for byte as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.store import Database, backups, database
from desktop.store.errors import (
    DamagedDatabaseError,
    ForeignDatabaseError,
    ForeignWalError,
    NotADatabaseError,
)
from desktop.store.integrity import APPLICATION_ID
from tests.reliability import damagekit as dk


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dk.Samples:
    return dk.Samples.build(tmp_path_factory.mktemp("samples"))


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def state(path: Path) -> tuple[bytes, int, list[str]]:
    st_ = path.stat()
    return path.read_bytes(), st_.st_mtime_ns, side_files(path)


def zero_a_page(path: Path, page: int) -> None:
    """Overwrite one page (not page 1) of a database file with zeros, in place."""
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    with path.open("r+b") as fh:
        fh.seek(page * size)
        fh.write(bytes(size))


def aged(backup: Path, hours: float) -> Path:
    """Rename a backup as if it had been made ``hours`` ago (its mark kept)."""
    stamp = (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y%m%dT%H%M%S%f")
    _old, _, rest = backup.name.partition("-")
    older = backup.with_name(f"{stamp}-{rest}")
    backup.rename(older)
    return older


# --- the class: any damage ---------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_any_damaged_database_is_refused_with_a_restore_or_opens_sound(
    samples: dk.Samples, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    damage = data.draw(dk.damages(samples))
    folder = tmp_path_factory.getbasetemp() / "damaged-case"
    assert dk.check_damaged(folder, samples, damage) in ("refused", "opened")


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_any_damage_under_an_open_database_is_never_copied_as_good(
    samples: dk.Samples, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    damage = data.draw(dk.damages(samples))
    folder = tmp_path_factory.getbasetemp() / "damaged-open-case"
    assert dk.check_damaged_while_open(folder, samples, damage) in ("refused", "copied", "skipped")


@pytest.mark.parametrize(
    "kind",
    [
        "zero-page",
        "foreign-wal",
        "older-wal-beside-its-shm",
        "header-size",
        "write-version",
        "name-not-utf8",
        "format",
    ],
)
def test_each_kind_of_damage_is_refused_and_restore_latest_repairs_it(
    samples: dk.Samples, tmp_path: Path, kind: str
) -> None:
    db_bytes, wal, shm = bytearray(samples.pristine), None, None
    if kind == "older-wal-beside-its-shm":  # the -shm indexes another -wal (salts differ)
        db_bytes, wal, shm = bytearray(samples.newer), samples.older_wal, samples.newer_shm
    elif kind == "zero-page":
        db_bytes[4096 * 5 : 4096 * 6] = bytes(4096)
    elif kind == "foreign-wal":
        wal = samples.foreign_wal
    elif kind == "format":  # found by the fuzzer: "unsupported file format" escaped
        db_bytes[47] ^= 1
    elif kind == "write-version":  # found by the fuzzer: SQLite opened it read-only
        db_bytes[18] = 3
    elif kind == "name-not-utf8":  # found by the fuzzer: a UnicodeDecodeError escaped
        at = db_bytes.index(b"tablecollectioncollection")
        db_bytes[at + 7] = 0xB2  # in the name column of sqlite_master
    else:
        db_bytes[28:32] = (1 << 30).to_bytes(4, "big")  # page count in the header
        db_bytes[16:18] = (1024).to_bytes(2, "big")  # page size
    damage = dk.Damage(kind, bytes(db_bytes), wal, shm=shm)
    assert dk.check_damaged(tmp_path / "case", samples, damage) == "refused"
    later = dk.check_damaged_while_open(tmp_path / "open-case", samples, damage)
    assert later == ("skipped" if wal else "refused")


# --- a foreign -wal ----------------------------------------------------------------------


def test_a_wal_of_another_database_is_refused_and_both_files_kept(
    samples: dk.Samples, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.sqlite3"
    path.write_bytes(samples.pristine)
    wal = Path(f"{path}-wal")
    wal.write_bytes(samples.whole_foreign_wal)
    # SQLite itself replays it: the other database's articles, and quick_check passes
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert {r[0] for r in conn.execute("SELECT external_id FROM article")} != samples.ids
    conn.close()
    Path(f"{path}-shm").unlink()
    before = state(path), wal.read_bytes()
    with pytest.raises(ForeignWalError, match="does not belong to it"):
        Database.open(path)
    assert (state(path), wal.read_bytes()) == before
    # a -wal holding only some pages of another database is refused the same way
    wal.write_bytes(samples.foreign_wal)
    with pytest.raises(ForeignWalError):
        Database.open(path)
    wal.write_bytes(samples.whole_foreign_wal)
    assert cli.main(["--db", str(path), "analyze"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "q.sqlite3-wal" in err
    assert (state(path), wal.read_bytes()) == before
    # moved away as the message says, the database opens as it was last saved
    wal.rename(tmp_path / "elsewhere-wal")
    db = Database.open(path)
    db.close()
    assert dk.article_ids(path) == samples.ids


def test_a_wal_left_by_a_crash_of_the_same_database_is_replayed(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    db = Database.open(path)
    dk.add_articles(db, 0, 3)
    db.close()
    copy = tmp_path / "crashed.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE article SET title = 'saved before the crash'")
    conn.execute("INSERT INTO collection (name, created_at) VALUES ('more', '2026-01-01')")
    shutil.copyfile(path, copy)  # the files as a kill -9 leaves them
    shutil.copyfile(f"{path}-wal", f"{copy}-wal")
    shutil.copyfile(f"{path}-shm", f"{copy}-shm")  # its own -shm: the salts agree
    conn.close()
    db = Database.open(copy)
    with db.session() as s:
        titles = {r[0] for r in s.connection().exec_driver_sql("SELECT title FROM article")}
    db.close()
    assert titles == {"saved before the crash"}


# --- item 4: another program's SQLite file -----------------------------------------------

TABLE_NAMES = ["article", "collection", "entity", "edit", "alembic_version", "notes", "users"]


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    tables=st.lists(
        st.sampled_from(TABLE_NAMES) | st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    revision=st.sampled_from(["abc123def", "", "head", "x0003"]),
    wal_mode=st.booleans(),
    rows=st.integers(0, 30),
)
def test_any_sqlite_file_of_another_program_is_left_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory,
    tables: list[str],
    revision: str,
    wal_mode: bool,
    rows: int,
) -> None:
    folder = tmp_path_factory.mktemp("foreign")
    path = folder / "theirs.db"
    conn = sqlite3.connect(path)
    if wal_mode:
        conn.execute("PRAGMA journal_mode=WAL")
    for name in tables:
        if name == "alembic_version":
            conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
            continue
        conn.execute(f'CREATE TABLE "{name}" (id INTEGER PRIMARY KEY, body TEXT)')
        conn.executemany(
            f'INSERT INTO "{name}" (body) VALUES (?)',  # noqa: S608 - names the test drew
            [(f"row {i} " * 20,) for i in range(rows)],
        )
    conn.commit()
    conn.close()
    before = state(path)
    with pytest.raises(ForeignDatabaseError, match="another program"):
        Database.open(path)
    assert state(path) == before  # bytes, mtime, and no -wal/-shm left beside it


def test_a_foreign_file_is_one_line_on_the_command_line_and_in_no_way_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE article (id INTEGER PRIMARY KEY, headline TEXT)")  # a collision
    conn.execute("INSERT INTO article (headline) VALUES ('theirs')")
    conn.commit()
    conn.close()
    journal = path.read_bytes()[18:20]
    before = state(path)
    assert cli.main(["--db", str(path), "import", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "another program" in err
    assert "Traceback" not in err
    assert state(path) == before and path.read_bytes()[18:20] == journal


@pytest.mark.parametrize("how", ["missing", "zero-bytes", "sqlite-without-tables"])
def test_a_new_or_empty_file_becomes_a_quotedesk_database(tmp_path: Path, how: str) -> None:
    path = tmp_path / "new.sqlite3"
    if how == "zero-bytes":
        path.write_bytes(b"")
    elif how == "sqlite-without-tables":
        conn = sqlite3.connect(path)
        conn.execute("VACUUM")  # a one-page SQLite file with no table
        conn.close()
        assert path.stat().st_size > 0
    db = Database.open(path)
    dk.add_articles(db, 0, 1)
    db.close()
    assert dk.article_ids(path) == {"a0"}
    conn = sqlite3.connect(path)
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    stamp = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert app_id == APPLICATION_ID and stamp > 0
    assert database.APPLICATION_ID_PRAGMA.endswith(f"={APPLICATION_ID}")


# --- damage found after opening, backups and pruning ---------------------------------------


def test_a_database_damaged_while_open_is_never_backed_up_and_keeps_its_good_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.sqlite3"
    db = Database.open(path)
    dk.add_articles(db, 0, 30)
    good = db.backup("daily")
    db.close()
    db = Database.open(path)  # the WAL is checkpointed into the file at close
    db.engine.dispose()
    zero_a_page(path, 6)
    for n in range(backups.BACKUPS_KEPT + 2):  # a week of daily looks
        with pytest.raises(DamagedDatabaseError, match="no backup was made"):
            db.backup("daily")
        with pytest.raises(DamagedDatabaseError):
            db.check()
        good = aged(good, 24 * (n + 1))
        with pytest.raises(DamagedDatabaseError):
            db.check_and_backup()
    db.close()
    found = backups.list_backups(path)
    assert [b.path for b in found] == [good] and found[0].verified
    assert not list(backups.backup_folder(path).glob("*.partial"))
    assert cli.main(["--db", str(path), "backups"]) == 0
    out = capsys.readouterr().out
    assert "verified sound" in out and "restore latest" in out
    assert cli.main(["--db", str(path), "restore", "latest"]) == 0
    assert len(dk.article_ids(path)) == 30 and dk.quick_check_ok(path)


def test_the_check_of_a_big_database_waits_for_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "q.sqlite3"
    db = Database.open(path)
    dk.add_articles(db, 0, 30)
    db.close()
    zero_a_page(path, 6)
    monkeypatch.setattr(database, "CHEAP_CHECK_BYTES", 0)  # as if the file were huge
    with pytest.raises(DamagedDatabaseError):
        Database.open(path)  # the command line checks whatever the size
    db = Database.open(path, daily_backup=False)  # the window: opens at once...
    assert not db.checked
    with pytest.raises(DamagedDatabaseError):  # ...and its look after the first paint finds it
        db.check_and_backup()
    db.close()
    monkeypatch.setattr(database, "CHEAP_CHECK_BYTES", 1 << 30)
    with pytest.raises(DamagedDatabaseError):
        Database.open(path, daily_backup=False)  # small enough to check at open


def legacy(folder: Path, hours: float, data: bytes, verified: bool) -> Path:
    stamp = (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-daily{backups.VERIFIED if verified else ''}.sqlite3"
    path.write_bytes(data)
    return path


def test_pruning_keeps_the_newest_good_backup_and_latest_skips_damaged_ones(
    samples: dk.Samples, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.sqlite3"
    path.write_bytes(samples.pristine)
    folder = backups.backup_folder(path)
    folder.mkdir()
    damaged = bytearray(samples.pristine)
    damaged[4096 * 4 : 4096 * 5] = bytes(4096)
    good = legacy(folder, 200, samples.pristine, verified=True)
    # newer copies: unverified ones (an older Quotedesk), and a verified one rotted since
    for hours in (150, 120, 100, 80, 60):
        legacy(folder, hours, bytes(damaged), verified=False)
    rotted = legacy(folder, 40, bytes(damaged), verified=True)
    assert backups.latest_good(path).path == good  # type: ignore[union-attr]
    assert backups.find_backup(path, "latest") == good
    assert cli.main(["--db", str(path), "backups"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines if "restore latest" in line] == [good.name]
    assert any(rotted.name in line and "verified sound" in line for line in lines)
    backups._prune(folder, backups.BACKUPS_KEPT)
    names = {p.name for p in folder.glob("*.sqlite3")}
    assert rotted.name in names and len(names) == backups.BACKUPS_KEPT
    # the rotted copy is now the newest verified one, and it is kept; the good one is older
    # than the five kept, so pruning may remove it only because a verified copy is newer
    rotted.unlink()
    good = legacy(folder, 300, samples.pristine, verified=True)
    backups._prune(folder, backups.BACKUPS_KEPT)
    assert good.exists()


def test_restore_latest_with_no_sound_backup_says_so(
    samples: dk.Samples, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.sqlite3"
    damaged = bytearray(samples.pristine)
    damaged[4096 * 4 : 4096 * 5] = bytes(4096)
    path.write_bytes(damaged)
    folder = backups.backup_folder(path)
    folder.mkdir()
    legacy(folder, 10, bytes(damaged), verified=True)
    before = state(path)
    assert cli.main(["--db", str(path), "restore", "latest"]) == 1
    assert "None of the 1 backups" in capsys.readouterr().err
    assert state(path)[0] == before[0]
    with pytest.raises(NotADatabaseError):
        Database.open(path)
    os.utime(path)


def test_a_stored_text_that_is_not_utf8_is_one_line_not_a_traceback(
    samples: dk.Samples, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damage SQLite's check cannot see (a byte inside a text) is still named, not raised."""
    data = bytearray(samples.pristine)
    data[data.index(b"Article 7: Ann Lee") + 3] = 0xFF
    path = tmp_path / "q.sqlite3"
    path.write_bytes(data)
    out = tmp_path / "out.jsonl"
    assert cli.main(["--db", str(path), "export", "--format", "jsonl", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "not valid UTF-8" in err and "restore" in err
