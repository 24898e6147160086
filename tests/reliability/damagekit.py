"""Damaged Quotedesk databases, and what opening, backing up and restoring them must do.

``Samples.build`` makes a real Quotedesk database (articles with entities, the search
index, the edit history) plus two -wal files that do not fit it: one written by another
Quotedesk database, one left from an older state of the same file. ``damages`` draws a
damage: bytes flipped in random pages, a page zeroed, the file cut short, garbage
appended, the header changed, a foreign or an older -wal put beside it.

``check_damaged`` lays the damaged file beside one verified backup and holds the promise:

- ``Database.open`` either refuses the file with a ``NotADatabaseError`` (or, when the
  damage hit the schema revision, ``NewerSchemaError``) (the file and its
  -wal byte for byte as they were, a good backup offered, and ``restore latest`` then
  gives a sound database with the backup's articles), or it opens and the file passes
  SQLite's quick_check (read by a connection of its own);
- backups made afterwards are verified copies that pass quick_check, or are refused;
- the good backup is never pruned while no newer good one exists.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from desktop.domain import Article
from desktop.domain.model import Entity
from desktop.store import Database, backups
from desktop.store import repository as repo
from desktop.store.errors import NewerSchemaError, NotADatabaseError

ARTICLES = 40
KINDS = (
    "flip",
    "zero-page",
    "truncate",
    "append",
    "header",
    "foreign-wal",
    "whole-foreign-wal",
    "older-wal",
    "older-wal-beside-its-shm",
)


def add_articles(db: Database, first: int, count: int) -> None:
    for i in range(first, first + count):
        text = f"Article {i}: Ann Lee told Bo Chan that the bridge opens in May. " * 8
        entities = [Entity(14, 21, "PERSON", "Ann Lee"), Entity(27, 34, "PERSON", "Bo Chan")]
        with db.transaction() as s:
            repo.add_article(s, repo.collection(s), Article(f"a{i}", text, entities=entities))


def article_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT external_id FROM article")}
    finally:
        conn.close()


def quick_check_ok(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def _wal_of_changes(db_path: Path, changes: list[str], checkpoint: bool) -> bytes:
    """The -wal a plain SQLite connection leaves after ``changes`` (no checkpoint)."""
    return _side_files_of_changes(db_path, changes, checkpoint)[0]


def _side_files_of_changes(
    db_path: Path, changes: list[str], checkpoint: bool
) -> tuple[bytes, bytes]:
    """The -wal and -shm as a crash right after ``changes`` would leave them."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        for statement in changes:
            conn.execute(statement)
        wal = Path(f"{db_path}-wal").read_bytes()
        shm = Path(f"{db_path}-shm").read_bytes()
        if checkpoint:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return wal, shm
    finally:
        conn.close()


def _whole_in_wal(source: Path, scratch: Path) -> bytes:
    """A -wal holding every page of ``source``: written into an empty WAL-mode file."""
    conn = sqlite3.connect(scratch, isolation_level=None)
    src = sqlite3.connect(source)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        src.backup(conn)
        return Path(f"{scratch}-wal").read_bytes()
    finally:
        src.close()
        conn.close()


@dataclass(frozen=True)
class Samples:
    """A sound database, and the -wal files that do not belong to it."""

    pristine: bytes
    ids: frozenset[str]
    foreign_wal: bytes  # changes written by another Quotedesk database
    whole_foreign_wal: bytes  # another Quotedesk database, every page of it, in a -wal
    newer: bytes  # the pristine file after two later changes, checkpointed
    older_wal: bytes  # the -wal of the first of those changes
    newer_shm: bytes  # the -shm a crash after a third change leaves (the file has it)

    def _repr_pretty_(self, printer: Any, _cycle: bool) -> None:  # Hypothesis prints it
        printer.text(f"Samples({len(self.pristine)} bytes, {len(self.ids)} articles)")

    @classmethod
    def build(cls, folder: Path) -> Samples:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "sample.sqlite3"
        db = Database.open(path)
        add_articles(db, 0, ARTICLES)
        db.close()
        pristine = path.read_bytes()
        other = folder / "other.sqlite3"
        db = Database.open(other)
        add_articles(db, 1000, 10)
        db.close()
        grow = [
            f"INSERT INTO collection (name, labels, created_at) VALUES ('c{i}', NULL, '2026-01-01')"  # noqa: S608
            for i in range(30)
        ]
        foreign_wal = _wal_of_changes(other, grow + ["DELETE FROM edit"], checkpoint=False)
        whole_foreign_wal = _whole_in_wal(other, folder / "whole.sqlite3")
        newer_path = folder / "newer.sqlite3"
        shutil.copyfile(path, newer_path)
        older_wal = _wal_of_changes(
            newer_path, ["UPDATE article SET title = 'first change'"] + grow, checkpoint=True
        )
        _wal_of_changes(
            newer_path,
            [
                "UPDATE article SET title = 'second change'",
                "DELETE FROM collection WHERE name LIKE 'c1%'",
                "DELETE FROM entity WHERE id % 3 = 0",
            ],
            checkpoint=True,
        )
        _wal, newer_shm = _side_files_of_changes(
            newer_path, ["UPDATE article SET title = 'third change'"], checkpoint=True
        )
        Path(f"{newer_path}-wal").unlink(missing_ok=True)
        return cls(
            pristine,
            frozenset(article_ids(path)),
            foreign_wal,
            whole_foreign_wal,
            newer_path.read_bytes(),
            older_wal,
            newer_shm,
        )


class Damage:
    """A damaged file (and -wal); ``detail`` says what was done, for a failure report
    (a plain class: Hypothesis would print a dataclass's hundreds of KB of bytes)."""

    __slots__ = ("db", "detail", "kind", "shm", "wal")

    def __init__(
        self, kind: str, db: bytes, wal: bytes | None, detail: str = "", shm: bytes | None = None
    ) -> None:
        self.kind, self.db, self.wal, self.detail, self.shm = kind, db, wal, detail, shm

    def __repr__(self) -> str:  # the bytes are hundreds of KB: say what was done instead
        return f"Damage({self.kind}: {self.detail})"


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else max(size, 512)


def damages(samples: Samples) -> st.SearchStrategy[Damage]:
    """Any one of ``KINDS`` applied to the sample database, with random parameters."""
    p = samples.pristine
    pages = len(p) // _page_size(p)

    @st.composite
    def build(draw: st.DrawFn) -> Damage:
        kind = draw(st.sampled_from(KINDS))
        data = bytearray(p)
        size = _page_size(p)
        done: list[str] = []
        if kind == "flip":
            for _ in range(draw(st.integers(1, 6))):
                page = draw(st.integers(0, pages - 1))
                at = page * size + draw(st.integers(0, size - 1))
                mask = draw(st.integers(1, 255))
                data[at] ^= mask
                done.append(f"byte {at} ^= {mask:#x}")
        elif kind == "zero-page":
            page = draw(st.integers(0, pages - 1))
            data[page * size : (page + 1) * size] = bytes(size)
            done.append(f"page {page + 1} zeroed")
        elif kind == "truncate":
            at = draw(st.integers(1, len(p) - 1))
            del data[at:]
            done.append(f"cut at {at} of {len(p)}")
        elif kind == "append":
            extra = draw(st.binary(min_size=1, max_size=3 * size))
            data += extra
            done.append(f"{len(extra)} bytes appended")
        elif kind == "header":
            for _ in range(draw(st.integers(1, 4))):
                at, value = draw(st.integers(16, 99)), draw(st.integers(0, 255))
                data[at] = value
                done.append(f"byte {at} = {value}")
        elif kind == "foreign-wal":
            return Damage(kind, p, samples.foreign_wal, "-wal of another database's changes")
        elif kind == "whole-foreign-wal":
            return Damage(kind, p, samples.whole_foreign_wal, "another database in the -wal")
        elif kind == "older-wal":
            return Damage(kind, samples.newer, samples.older_wal, "-wal of an older state")
        else:  # an older -wal put back beside the -shm a crash left
            detail = "-wal of an older state beside the file's own -shm"
            return Damage(kind, samples.newer, samples.older_wal, detail, samples.newer_shm)
        return Damage(kind, bytes(data), None, "; ".join(done))

    return build()


def lay_out(folder: Path, samples: Samples, damage: Damage) -> tuple[Path, Path]:
    """A fresh folder with a verified backup of the sound database, then the damaged
    file (and -wal) at its place; returns the database path and the backup."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / "q.sqlite3"
    path.write_bytes(samples.pristine)
    good = backups.make_backup(path, "daily")
    for suffix in ("-wal", "-shm"):  # what the backup's read-only look left: empty
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(damage.db)
    if damage.wal is not None:
        Path(f"{path}-wal").write_bytes(damage.wal)
    if damage.shm is not None:
        Path(f"{path}-shm").write_bytes(damage.shm)
    return path, good


def _files(path: Path) -> dict[str, bytes | None]:
    """The database and its -wal byte for byte, and whether a -shm is there (SQLite may
    rebuild a -shm's index while it reads; it holds no data)."""
    found: dict[str, bytes | None] = {
        p.name: p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()
    }
    if Path(f"{path}-shm").exists():
        found["-shm"] = None
    return found


def check_damaged(folder: Path, samples: Samples, damage: Damage) -> str:
    """Open, back up and restore one damaged database; "refused" or "opened", or an
    AssertionError naming the promise that broke (see the module docstring)."""
    path, good = lay_out(folder, samples, damage)
    before = _files(path)
    try:
        db = Database.open(path)
    except (NotADatabaseError, NewerSchemaError) as exc:  # a flipped revision reads "newer"
        assert _files(path) == before, f"{damage.kind}: a refused file was changed ({exc})"
        offered = backups.latest_good(path)
        assert offered is not None and offered.path == good, f"{damage.kind}: no good backup"
        backups.restore(backups.find_backup(path, "latest"), path)
        assert quick_check_ok(path), f"{damage.kind}: the restored database is damaged"
        assert article_ids(path) == samples.ids, f"{damage.kind}: the restore lost articles"
        Database.open(path).close()
        return "refused"
    try:
        assert quick_check_ok(path), f"{damage.kind}: a damaged database was opened"
        for _ in range(backups.BACKUPS_KEPT + 2):
            try:
                db.backup("daily")
            except NotADatabaseError:
                pass
        for b in backups.list_backups(path):
            if b.verified:
                assert quick_check_ok(b.path), f"{damage.kind}: a damaged copy marked good"
    finally:
        db.close()
    kept = backups.list_backups(path)
    assert any(b.verified for b in kept), f"{damage.kind}: every good backup was pruned"
    return "opened"


def check_damaged_while_open(folder: Path, samples: Samples, damage: Damage) -> str:
    """The file is damaged under an open database (a failing disk): the window's look
    and a week of daily copies either refuse it or copy a file that passes quick_check,
    and a good backup is there at the end. "refused" or "copied"."""
    if damage.wal is not None:
        return "skipped"  # a -wal cannot be swapped under a database that uses its own
    path, good = lay_out(folder, samples, Damage("none", samples.pristine, None))
    db = Database.open(path)
    refused = False
    try:
        db.engine.dispose()  # the damage lands in the file, not in a cached page
        path.write_bytes(damage.db)
        db.checked = False
        try:
            db.check_and_backup()
        except NotADatabaseError:
            refused = True
        for _ in range(backups.BACKUPS_KEPT + 2):
            try:
                db.backup("daily")
            except NotADatabaseError:
                refused = True
    finally:
        db.close()
    kept = backups.list_backups(path)
    for b in kept:
        assert not b.verified or quick_check_ok(b.path), f"{damage!r}: a damaged copy marked good"
    if refused:
        assert good in [b.path for b in kept], f"{damage!r}: the good backup was pruned"
    latest = backups.latest_good(path)
    assert latest is not None and quick_check_ok(latest.path), f"{damage!r}: no good backup"
    return "refused" if refused else "copied"
