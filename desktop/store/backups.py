"""Rolling backups of a Quotedesk database, and putting one back.

Copies are made with SQLite's online backup API, so they are consistent even while another
window writes, and land in ``<database>.backups/`` beside the file, named
``<UTC time>-<reason>.verified.sqlite3``: every copy passes SQLite's quick_check before it
gets its name, and a damaged database is not copied at all (``DamagedDatabaseError``). Older
copies without the mark are listed as not verified. They are made before every migration
and once a day while the database is in use (at open, and by the window's timer); the last
``BACKUPS_KEPT`` are kept, and never at the cost of the newest verified one.

Restoring checks the copy again, saves the current file in
``<database>.backups/before-restore/`` (the last ``BACKUPS_KEPT`` of those are kept too),
so a restore can itself be undone; every file is written under a temporary name and
renamed, and a failure removes them and leaves the database as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.store import integrity
from desktop.store.errors import (
    DamagedDatabaseError,
    DiskFullError,
    NotADatabaseError,
    StoreError,
    translate,
)

BACKUPS_KEPT = 5
VERIFIED = ".verified"  # in the name of a copy that passed quick_check when it was made
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
    verified: bool = False

    def describe(self) -> str:
        when = self.created.astimezone().strftime("%Y-%m-%d %H:%M")
        state = "verified sound" if self.verified else "not verified"
        return f"{when}  {self.reason}  ({self.size / 1024:,.0f} KiB, {state})"


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.name}.backups"


def safety_folder(db_path: Path) -> Path:
    return backup_folder(db_path) / "before-restore"


def _parse(path: Path) -> Backup | None:
    stamp, _, reason = path.stem.partition("-")
    verified = reason.endswith(VERIFIED)
    reason = reason.removesuffix(VERIFIED)
    try:
        created = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return Backup(path, created, reason or "backup", size, verified)


def list_backups(db_path: Path) -> list[Backup]:
    """The backups of ``db_path``, newest first."""
    folder = backup_folder(Path(db_path))
    if not folder.is_dir():
        return []
    found = [b for p in folder.glob("*.sqlite3") if (b := _parse(p)) is not None]
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def latest_backup(db_path: Path) -> Backup | None:
    """The newest backup, sound or not (the age of the daily copy is counted from it)."""
    found = list_backups(db_path)
    return found[0] if found else None


def latest_good(db_path: Path) -> Backup | None:
    """The newest backup that passes quick_check now: the verified ones first, then (for
    copies made before backups were verified) the others."""
    found = list_backups(db_path)
    for b in sorted(found, key=lambda b: not b.verified):  # stable: newest first in each
        if _is_sound(b.path):
            return b
    return None


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
    """Keep the newest ``keep`` copies, and the newest verified one whatever its age."""
    names = sorted(folder.glob("*.sqlite3"))
    good = [p for p in names if p.stem.endswith(VERIFIED)]
    for old in names[:-keep]:
        if not (good and old == good[-1]):
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
    target = folder / f"{stamp}-{reason}{VERIFIED}.sqlite3"
    partial = folder / f"{stamp}-{reason}.partial"
    damaged = DamagedDatabaseError(
        f"{db_path} is damaged (SQLite's integrity check failed); no backup was made and "
        "the earlier ones are kept. Restore a backup."
    )
    try:
        _copy_online(db_path, partial)
        sound = _is_sound(partial)
        if sound:
            os.replace(partial, target)
    except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
        partial.unlink(missing_ok=True)
        if _damage_in(exc, db_path):
            raise damaged from exc
        raise _failed(f"Could not back up {db_path} into {folder}", exc, folder) from exc
    if not sound:
        partial.unlink(missing_ok=True)
        raise damaged
    _prune(folder, keep)
    return target


def _damage_in(exc: BaseException, db_path: Path) -> bool:
    """Whether a copy failed because the database is damaged: SQLite says so, or its
    header asks for a file format no SQLite 3 writes (then the copy is read-only)."""
    if isinstance(exc, UnicodeDecodeError):  # SQLite's message quotes a damaged name
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if isinstance(translate(exc, str(db_path)), NotADatabaseError):
        return True
    try:
        with db_path.open("rb") as fh:
            versions = fh.read(20)[18:20]
    except OSError:
        return False
    return any(v not in (1, 2) for v in versions)


def _failed(what: str, exc: BaseException, where: Path) -> StoreError:
    """A one-line error for a failed copy: a full disk said as such."""
    text = str(exc).lower()
    full = getattr(exc, "errno", None) == errno.ENOSPC or "full" in text
    if full or _free_bytes(where) < 256 * 1024:
        return DiskFullError(f"{what}: the disk holding {where} is full; free some space.")
    return StoreError(f"{what}: {exc}")


def _free_bytes(folder: Path) -> int:
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return 1 << 40
    return st.f_bavail * st.f_frsize


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
        raise DamagedDatabaseError(f"The backup {backup} is damaged; nothing was restored.")


def _is_sound(path: Path) -> bool:
    """Whether a self-contained copy (no -wal) is a SQLite file that passes quick_check."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return False
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            return integrity.quick_check(conn)
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return False


def _current_is_sound(db_path: Path) -> bool:
    """Whether the database about to be replaced is a sound Quotedesk database (its -wal
    its own): then it is read through SQLite, else kept byte for byte."""
    try:
        found = integrity.inspect_file(db_path, head="9999", check=True)
    except StoreError:
        return False
    return found.kind == "quotedesk"


def _save_current(db_path: Path, sound: bool, made: list[Path]) -> Path | None:
    """Keep the file about to be replaced, under a temporary name and then renamed: an
    online copy when it is a sound database, its bytes as they are (with any -wal file)
    when it is not. Every file written is listed in ``made``."""
    if not db_path.exists():
        return None
    folder = safety_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{datetime.now(UTC).strftime(_STAMP)}-before-restore.sqlite3"
    partial = folder / f"{target.name}.partial"
    made.extend([partial, Path(f"{partial}-journal")])
    wal = integrity.side_file(db_path, "-wal")
    if sound:
        _copy_online(db_path, partial)
    else:
        shutil.copyfile(db_path, partial)
        if wal.exists():
            wal_partial = folder / f"{target.name}-wal.partial"
            made.append(wal_partial)
            shutil.copyfile(wal, wal_partial)
            made.append(integrity.side_file(target, "-wal"))
            os.replace(wal_partial, integrity.side_file(target, "-wal"))
    made.append(target)
    os.replace(partial, target)
    return target


def _overwrite_online(backup: Path, db_path: Path) -> None:
    """Write the backup into the open database in one SQLite transaction: connections that
    stay open see the restored data, and a failure (a full disk) rolls it all back."""
    src = sqlite3.connect(_read_only_uri(backup), uri=True)
    try:
        dst = sqlite3.connect(db_path, timeout=30)
        try:
            src.backup(dst)
            # into the file at once: a -wal whose page 1 holds another identity (a backup
            # of another database) would look foreign after a crash
            dst.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            dst.close()
    finally:
        src.close()


def _replace_file(backup: Path, db_path: Path, made: list[Path]) -> None:
    """Copy the backup beside a damaged or foreign file and rename it over that file; its
    -wal and -shm (already saved) are set aside first and put back if the rename fails."""
    partial = db_path.with_name(db_path.name + ".restoring")
    made.extend([partial, Path(f"{partial}-journal")])
    partial.unlink(missing_ok=True)
    _copy_online(backup, partial)
    aside: list[tuple[Path, Path]] = []
    try:
        for suffix in ("-wal", "-shm"):
            side = integrity.side_file(db_path, suffix)
            if side.exists():
                moved = side.with_name(side.name + ".restoring")
                os.replace(side, moved)
                aside.append((moved, side))
        os.replace(partial, db_path)
    except OSError:
        for moved, side in aside:
            os.replace(moved, side)
        raise
    for moved, _side in aside:
        moved.unlink(missing_ok=True)


def restore(backup: Path, db_path: Path) -> Path | None:
    """Put ``backup`` in place of ``db_path`` after saving the current file; returns where
    the current file was saved (None when there was none).

    A sound database is overwritten through SQLite's online backup API, in one transaction,
    so connections that stay open (another window) see the restored data, never a mix. A
    damaged or foreign file is replaced: the copy is made beside it and renamed over it.
    Either way a failure (a full disk) removes every file the restore wrote and leaves the
    current file as it was.
    """
    backup, db_path = Path(backup), Path(db_path)
    check_backup(backup)
    sound = _current_is_sound(db_path)
    made: list[Path] = []
    try:
        saved = _save_current(db_path, sound, made)
        if sound:
            _overwrite_online(backup, db_path)
        else:
            _replace_file(backup, db_path, made)
    except (sqlite3.Error, OSError) as exc:
        for path in reversed(made):
            path.unlink(missing_ok=True)
        what = f"Could not restore {backup.name} over {db_path}, which was left as it was"
        raise _failed(what, exc, db_path.parent) from exc
    if saved is not None:
        _prune(safety_folder(db_path), BACKUPS_KEPT)
    return saved


def find_backup(db_path: Path, name: str) -> Path:
    """A backup named on the command line: a path, a file name in the backups folder, or
    ``latest``."""
    if name == "latest":
        good = latest_good(db_path)
        if good is None:
            count = len(list_backups(db_path))
            where = backup_folder(db_path)
            if count:
                raise StoreError(f"None of the {count} backups in {where} is sound.")
            raise StoreError(f"{db_path} has no backups in {where}.")
        return good.path
    given = Path(name).expanduser()
    if given.is_file():
        return given
    inside = backup_folder(db_path) / name
    if inside.is_file():
        return inside
    raise StoreError(f"No backup {name!r}; `quotedesk backups` lists them.")
