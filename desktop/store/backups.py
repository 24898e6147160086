"""Rolling backups of a Quotedesk database, and putting one back.

Copies are made with SQLite's online backup API, so they are consistent even while another
window writes, and land in ``<database>.backups/`` beside the file, named
``<UTC time>-<reason>.sqlite3``. They are made before every migration and once a day while
the database is in use (at open, and by the window's timer); the last ``BACKUPS_KEPT`` are
kept. Restoring first saves the current file in ``<database>.backups/before-restore/`` (the
last ``BACKUPS_KEPT`` of those are kept too), so a restore can itself be undone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.store.errors import StoreError

BACKUPS_KEPT = 5
DAILY = timedelta(hours=24)
SQLITE_HEADER = b"SQLite format 3\x00"
_STAMP = "%Y%m%dT%H%M%S%f"


@dataclass(frozen=True)
class Backup:
    """One backup copy: where it is, when it was made and why."""

    path: Path
    created: datetime
    reason: str
    size: int

    def describe(self) -> str:
        when = self.created.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{when}  {self.reason}  ({self.size / 1024:,.0f} KiB)"


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.name}.backups"


def safety_folder(db_path: Path) -> Path:
    return backup_folder(db_path) / "before-restore"


def _parse(path: Path) -> Backup | None:
    stamp, _, reason = path.stem.partition("-")
    try:
        created = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return Backup(path, created, reason or "backup", size)


def list_backups(db_path: Path) -> list[Backup]:
    """The backups of ``db_path``, newest first."""
    folder = backup_folder(Path(db_path))
    if not folder.is_dir():
        return []
    found = [b for p in folder.glob("*.sqlite3") if (b := _parse(p)) is not None]
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def latest_backup(db_path: Path) -> Backup | None:
    found = list_backups(db_path)
    return found[0] if found else None


def _read_only_uri(path: Path) -> str:
    """A ``file:`` URI opening ``path`` read-only; ``#``, ``?`` and ``%`` in the path are
    escaped, so that no part of a folder name is taken as a URI parameter."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def _copy_online(source: Path, target: Path) -> None:
    """Copy one SQLite database into another file with the online backup API."""
    src = sqlite3.connect(_read_only_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


def _prune(folder: Path, keep: int) -> None:
    for old in sorted(folder.glob("*.sqlite3"))[:-keep]:
        old.unlink(missing_ok=True)
    # copies cut short by a crash; an hour old, so never one another process is writing
    stale = datetime.now(UTC).timestamp() - 3600
    for partial in folder.glob("*.partial"):
        try:
            if partial.stat().st_mtime < stale:
                partial.unlink()
        except OSError:
            pass


def make_backup(db_path: Path, reason: str = "manual", keep: int = BACKUPS_KEPT) -> Path:
    """A consistent copy of the database; the oldest copies beyond ``keep`` are removed."""
    db_path = Path(db_path)
    folder = backup_folder(db_path)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder / f"{stamp}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    try:
        _copy_online(db_path, partial)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"Could not back up {db_path} into {folder}: {exc}") from exc
    _prune(folder, keep)
    return target


def backup_if_due(db_path: Path, max_age: timedelta = DAILY) -> Path | None:
    """Make a ``daily`` backup when the newest one is older than ``max_age`` (or none
    exists); None when none was due."""
    newest = latest_backup(db_path)
    if newest is not None and datetime.now(UTC) - newest.created < max_age:
        return None
    return make_backup(db_path, "daily")


def check_backup(backup: Path) -> None:
    """Refuse a file that is not a sound SQLite database."""
    try:
        with Path(backup).open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"Cannot read the backup {backup}: {exc.strerror}") from exc
    if header != SQLITE_HEADER:
        raise StoreError(f"{backup} is not a SQLite database; nothing was restored.")
    try:
        conn = sqlite3.connect(_read_only_uri(backup), uri=True)
        try:
            status = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(
            f"The backup {backup} cannot be read ({exc}); nothing was restored."
        ) from exc
    if status != [("ok",)]:
        raise StoreError(f"The backup {backup} is damaged; nothing was restored.")


def _is_sound(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return False
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return False


def _save_current(db_path: Path, sound: bool) -> Path | None:
    """Keep the file about to be replaced: an online copy when it is a sound database, its
    bytes as they are (with any -wal file) when it is not."""
    if not db_path.exists():
        return None
    folder = safety_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{datetime.now(UTC).strftime(_STAMP)}-before-restore.sqlite3"
    if sound:
        _copy_online(db_path, target)
    else:
        shutil.copyfile(db_path, target)
        side = Path(f"{db_path}-wal")
        if side.exists():
            shutil.copyfile(side, Path(f"{target}-wal"))
    _prune(folder, BACKUPS_KEPT)
    return target


def restore(backup: Path, db_path: Path) -> Path | None:
    """Put ``backup`` in place of ``db_path`` after saving the current file; returns where
    the current file was saved (None when there was none).

    A sound database is overwritten through SQLite's online backup API, in one transaction,
    so connections that stay open (another window) see the restored data, never a mix. A
    damaged or foreign file is replaced: the copy is made beside it and renamed over it.
    Either way a failure leaves the current file as it was.
    """
    backup, db_path = Path(backup), Path(db_path)
    check_backup(backup)
    sound = _is_sound(db_path)
    try:
        saved = _save_current(db_path, sound)
        if sound:
            src = sqlite3.connect(_read_only_uri(backup), uri=True)
            dst = sqlite3.connect(db_path, timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            partial = db_path.with_name(db_path.name + ".restoring")
            partial.unlink(missing_ok=True)
            _copy_online(backup, partial)
            for suffix in ("-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            os.replace(partial, db_path)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"Could not restore {backup} over {db_path}: {exc}") from exc
    return saved


def find_backup(db_path: Path, name: str) -> Path:
    """A backup named on the command line: a path, a file name in the backups folder, or
    ``latest``."""
    if name == "latest":
        newest = latest_backup(db_path)
        if newest is None:
            raise StoreError(f"{db_path} has no backups in {backup_folder(db_path)}.")
        return newest.path
    given = Path(name).expanduser()
    if given.is_file():
        return given
    inside = backup_folder(db_path) / name
    if inside.is_file():
        return inside
    raise StoreError(f"No backup {name!r}; `quotedesk backups` lists them.")
