"""Looking at a database file before Quotedesk writes to it, without changing it.

``inspect_file`` tells a new or empty file (Quotedesk may create its tables there) from a
Quotedesk database and refuses everything else unchanged: another program's SQLite file
(``ForeignDatabaseError``), a newer schema, a damaged file (``DamagedDatabaseError``) and a
``-wal`` file that belongs to another database (``ForeignWalError``). It runs before any
PRAGMA that writes, on a read-only connection; where even a read-only connection would
leave ``-wal``/``-shm`` files behind, it uses SQLite's ``immutable`` mode instead.

A ``-wal`` beside a database is replayed by SQLite whatever database wrote it: a WAL copied
from another database silently replaces the content, and SQLite's checks pass. Quotedesk
stamps each of its databases with an identity on page 1 (``application_id`` and a random
``user_version``); page 1 is rewritten whenever a transaction grows or shrinks the file, so
a WAL with content almost always holds a copy of it, and a copy from another database shows
another identity.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from desktop.store.errors import (
    DamagedDatabaseError,
    ForeignDatabaseError,
    ForeignWalError,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
    translate,
)

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x51444B31  # "QDK1" at offset 68 of every Quotedesk database
QUOTEDESK_TABLES = frozenset({"alembic_version", "collection", "article"})
_REVISION = re.compile(r"\d{4}")  # Quotedesk names its revisions 0001, 0002, ...
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_HEADER = 32
_FRAME_HEADER = 24

Kind = Literal["new", "empty", "quotedesk"]

# resolved paths of the databases this process has open (``Database.open`` to ``close``)
_open_here: dict[str, int] = {}
_open_lock = threading.Lock()
_LOCK_DEVICE = re.compile(r"\b([0-9a-f]+):([0-9a-f]+):(\d+)\b")


def mark_open(path: Path, opened: bool) -> None:
    """Count a ``Database`` of this process on ``path`` (``opened``) or its end."""
    key = str(Path(path).resolve())
    with _open_lock:
        count = _open_here.get(key, 0) + (1 if opened else -1)
        if count > 0:
            _open_here[key] = count
        else:
            _open_here.pop(key, None)


def in_use(path: Path) -> bool:
    """Whether a connection of this or another process has ``path`` open.

    In WAL mode every process connected to a database holds a POSIX read lock on its
    ``-shm`` file for as long as it is connected; Linux lists those in ``/proc/locks``, read
    without opening the ``-shm`` (closing a descriptor of it would drop this process's own
    SQLite locks). A live database's ``-wal`` and ``-shm`` change under a reader's eyes, so
    they are judged only when nobody uses them. Elsewhere only this process's own use is
    known.
    """
    with _open_lock:
        if str(Path(path).resolve()) in _open_here:
            return True
    try:
        st = os.stat(side_file(path, "-shm"))
        listed = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    for line in listed.splitlines():
        found = _LOCK_DEVICE.search(line)
        if found and int(found[3]) == st.st_ino and (
            int(found[1], 16),
            int(found[2], 16),
        ) == (os.major(st.st_dev), os.minor(st.st_dev)):
            return True
    return False


@dataclass(frozen=True)
class Inspection:
    """What ``inspect_file`` found: ``new`` (no file, or 0 bytes), ``empty`` (SQLite without
    any table) or ``quotedesk`` at ``revision``; ``checked`` when quick_check ran."""

    kind: Kind
    revision: str | None = None
    checked: bool = False


def side_file(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def _uri(path: Path, immutable: bool) -> str:
    # as_uri escapes "#", "?" and "%", so no part of a folder name is taken as a parameter
    return Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")


def read_only(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot change ``path``; ``immutable`` also ignores any -wal and
    creates no -wal/-shm file (only safe while no other process writes)."""
    return sqlite3.connect(_uri(path, immutable), uri=True)


def _page_one(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(100)


def page_size(header: bytes) -> int:
    size = struct.unpack(">H", header[16:18])[0]
    return 65536 if size == 1 else size


def identity(page: bytes) -> tuple[int, int]:
    """(application_id, user_version) from the first 100 bytes of page 1."""
    return struct.unpack(">I", page[68:72])[0], struct.unpack(">I", page[60:64])[0]


def quick_check(conn: sqlite3.Connection) -> bool:
    """SQLite's structural check (every page, every b-tree; not the index contents)."""
    try:
        return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False


def wal_stranger(path: Path) -> str | None:
    """Why the -wal beside ``path`` does not belong to it, or None when it may.

    Only the frames SQLite would replay count (their salts match the WAL header): a page
    size other than the database's, or a copy of page 1 with another identity.
    """
    wal = side_file(path, "-wal")
    try:
        with wal.open("rb") as fh:
            head = fh.read(_WAL_HEADER)
            if len(head) < _WAL_HEADER:
                return None  # empty or cut short: SQLite ignores it
            magic, _version, size, _seq, salt1, salt2 = struct.unpack(">6I", head[:24])
            if magic not in _WAL_MAGIC:
                return None  # not a WAL SQLite would read
            mine = _page_one(path)
            if size != page_size(mine):
                return f"its pages are {size} bytes, the database's {page_size(mine)}"
            if _indexed_salts(path) not in (None, head[16:24]):
                return "it is not the -wal the database's -shm file indexes"
            own_id = identity(mine)
            offset = _WAL_HEADER
            while True:
                fh.seek(offset)
                frame = fh.read(_FRAME_HEADER + 100)
                if len(frame) < _FRAME_HEADER + 100:
                    return None
                page_no, _after, f1, f2 = struct.unpack(">4I", frame[:16])
                if (f1, f2) != (salt1, salt2):
                    return None  # the frames SQLite replays end here
                if page_no == 1 and own_id[0] == APPLICATION_ID and own_id[1]:
                    if identity(frame[_FRAME_HEADER:]) != own_id:
                        return "it was written by another database"
                offset += _FRAME_HEADER + size
    except OSError:
        return None


def _indexed_salts(path: Path) -> bytes | None:
    """The salts of the WAL the -shm file beside ``path`` indexes, when it indexes frames.

    SQLite keeps the -shm in step with the -wal it writes (a crash leaves both), so a -shm
    that indexes frames under other salts than the -wal's header sits beside another -wal
    than its own: one copied in from elsewhere, or an older one put back.
    """
    try:
        with side_file(path, "-shm").open("rb") as fh:
            data = fh.read(48)
    except OSError:
        return None
    if len(data) < 48:
        return None
    for order in ("<", ">"):  # the wal-index header is in the machine's byte order
        version, _, _, init, _, _, frames = struct.unpack(order + "3I2BHI", data[:20])
        if version == 3007000:
            return data[32:40] if init == 1 and frames > 0 else None
    return None


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _looking(path: Path) -> tuple[bool, bool]:
    """Whether to read ``path`` in immutable mode, and whether a -wal is there."""
    has_wal = side_file(path, "-wal").exists()
    wal_mode = _page_one(path)[18:20] == b"\x02\x02"
    # a read-only connection to a WAL-mode file with no -wal creates -wal and -shm
    return wal_mode and not has_wal, has_wal


def inspect_file(path: Path, head: str, check: bool) -> Inspection:
    """Classify ``path`` without changing it (see the module docstring); ``check`` runs
    SQLite's quick_check too. Raises a StoreError saying why the file is refused."""
    if not path.exists() or path.stat().st_size == 0:
        return Inspection("new")
    live = in_use(path)
    # side files a look of ours may create, to take away again; never those of a live user
    created = [] if live else [s for s in ("-wal", "-shm") if not side_file(path, s).exists()]
    try:
        return _inspect(path, head, check, live)
    except sqlite3.Error as exc:
        _remove_created(path, created)
        found = translate(exc, str(path))
        raise (found or DamagedDatabaseError(damaged_message(path))) from exc
    except UnicodeDecodeError as exc:  # a table name that is not UTF-8: a damaged page 1
        _remove_created(path, created)
        raise DamagedDatabaseError(damaged_message(path)) from exc
    except StoreError:
        _remove_created(path, created)
        raise


def damaged_message(path: Path) -> str:
    return f"{path} is not a Quotedesk database, or it is damaged; it was left as it is."


def _remove_created(path: Path, created: list[str]) -> None:
    """Take away the -wal/-shm files a read-only look made beside a refused file."""
    for suffix in created:
        extra = side_file(path, suffix)
        try:
            if extra.exists() and extra.stat().st_size <= 32768:
                extra.unlink()
        except OSError:
            pass


def _inspect(path: Path, head: str, check: bool, live: bool) -> Inspection:
    versions = _page_one(path)[18:20]
    if any(v not in (1, 2) for v in versions):
        # SQLite reads a file whose write version is over 2 read-only, and refuses one
        # whose read version is: neither is a file Quotedesk (or any SQLite 3) wrote
        raise DamagedDatabaseError(damaged_message(path))
    immutable, has_wal = _looking(path)
    # a -wal in live use is SQLite's own: only one nobody uses can be a stranger
    judge_wal = has_wal and not live
    if judge_wal and (why := wal_stranger(path)) is not None:
        raise ForeignWalError(_foreign_wal_message(path, why))
    try:
        return _classify(path, head, check, immutable and not live, judge_wal)
    except sqlite3.DatabaseError:
        # the file alone may be sound and only the -wal unfit: keep both, say which
        if judge_wal and _sound_alone(path):
            raise ForeignWalError(_foreign_wal_message(path, "the two do not fit")) from None
        raise


def _classify(path: Path, head: str, check: bool, immutable: bool, has_wal: bool) -> Inspection:
    conn = read_only(path, immutable)
    try:
        tables = _tables(conn)
        if not tables:
            return Inspection("empty")
        revision = _revision(conn)
        ours = QUOTEDESK_TABLES <= tables and revision is not None
        if not ours or not _REVISION.match(revision or ""):
            raise ForeignDatabaseError(
                f"{path} is a SQLite database of another program, not Quotedesk's; it was "
                "left untouched. Choose another file, or a new name to start a database."
            )
        assert revision is not None
        if revision > head:
            raise NewerSchemaError(
                f"{path} was written by a newer version of Quotedesk (schema {revision}); "
                "update Quotedesk to open it. The file was not changed."
            )
        if check and not quick_check(conn):
            if has_wal and _sound_alone(path):
                raise ForeignWalError(_foreign_wal_message(path, "the two do not fit"))
            raise DamagedDatabaseError(
                f"{path} is damaged (SQLite's integrity check failed); it was left as it is."
            )
        return Inspection("quotedesk", revision, checked=check)
    finally:
        conn.close()


def _sound_alone(path: Path) -> bool:
    """Whether the database file without its -wal is a Quotedesk database that passes
    quick_check."""
    try:
        conn = read_only(path, immutable=True)
        try:
            return QUOTEDESK_TABLES <= _tables(conn) and quick_check(conn)
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return False


def _foreign_wal_message(path: Path, why: str) -> str:
    wal = side_file(path, "-wal")
    return (
        f"{wal.name} beside {path} does not belong to it ({why}); nothing was changed. "
        f"Move {wal.name} (and {path.name}-shm) to another folder to open the database as "
        "it was last saved, or restore a backup."
    )


def check_file_kind(path: Path) -> None:
    """Refuse, untouched, what SQLite cannot keep safe: a path that is not a regular file (a
    FIFO would hang or read garbage), a file with several hard links (SQLite names its -wal
    and -shm after the name it was opened by: two names of one file get two -wal files and
    two writers damage it), and a -wal with data beside a missing or empty database (making
    a new database there would throw that data away)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise StoreError(f"Cannot open the database {path}: {exc.strerror}.") from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path} is not a regular file, so it cannot be a database.")
    if st is not None and st.st_nlink > 1:
        raise StoreError(
            f"{path} has {st.st_nlink} hard links: SQLite cannot keep two names of one file "
            "consistent. Open it by one name only (remove the other links), or copy it."
        )
    wal = Path(f"{path}-wal")
    if (st is None or st.st_size == 0) and wal.exists() and wal.stat().st_size > 0:
        raise StoreError(
            f"{wal.name} holds saved changes but {path.name} is missing or empty; nothing was "
            f"changed. Put the database back beside it, or move {wal.name} away to start anew."
        )


def check_sqlite_header(path: Path) -> None:
    """Refuse, untouched, a file that exists but is not SQLite."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise NotADatabaseError(f"{path} is not a Quotedesk database; it was left untouched.")
