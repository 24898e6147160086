"""The one way an export reaches the disk: whatever is at ``-o`` is treated as a user expects.

- A regular file is replaced whole: the export is written beside it under a hidden
  ``.NAME.XXXX.part`` name, flushed to disk and renamed onto it, so it is complete or
  untouched. Its mode is kept, and its owner where the system allows.
- A new file gets the mode the umask gives (0644 under umask 022), as with any program.
- A symlink, or a chain of them, is written through: the file it leads to is replaced (or
  created, for a dangling link) and the link stays a link.
- A FIFO, ``/dev/null`` (``/dev/zero``, ``/dev/full``) or a terminal is streamed into, as is
  a path through ``/proc`` (``/dev/stdout``, ``/dev/fd/N``), appended to whatever it names.
  Any other device is refused: writing to one does something (memory, a watchdog).
  A stream cannot be all or nothing: what was written before an error stays written.
- A folder, a block device, a socket, a kernel file under ``/proc`` or ``/sys`` and a new
  file directly in ``/dev`` (a mistyped device) are refused.

Every refusal and every failure (missing folder, read-only disk, no permission, full disk)
is one ``ExportError`` line naming the path, and leaves what was there as it was.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from desktop.domain.names import one_line
from desktop.services.progress import CancelToken

MAX_LINKS = 40  # as the kernel's own limit on a chain of symbolic links
READER_POLL_SECONDS = 0.1  # how often a FIFO without a reader is tried again
PART_STEM_BYTES = 200  # of the target's name in the temporary name (names hold 255 bytes)
_KERNEL_FOLDERS = ("proc", "sys")
_FOLDER_ENDS = ("/", "/.", "/..")
# (major, minor) of /dev/null, /dev/zero, /dev/full, /dev/tty, /dev/console; majors 4 and
# 136-143 are terminals (Linux's devices.txt)
_HARMLESS_DEVICES = {(1, 3), (1, 5), (1, 7), (5, 0), (5, 1)}


class ExportError(Exception):
    """The export cannot be written where asked (one line for the user, whatever the path
    holds: line breaks and controls are written as escapes)."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message, 2000))


class TargetKind(StrEnum):
    NEW = "new"  # nothing there yet: a file is created
    FILE = "file"  # a regular file, replaced whole
    STREAM = "stream"  # a FIFO, a device or a /proc link: written into as it is


@dataclass(frozen=True)
class ExportTarget:
    """Where an export goes, judged before anything is written.

    ``path`` is what the user gave; ``dest`` the file that symlinks lead to (the one created
    or replaced), or ``path`` itself for a stream.
    """

    path: Path
    dest: Path
    kind: TargetKind

    @property
    def replaces_file(self) -> bool:
        """An existing regular file would be replaced."""
        return self.kind is TargetKind.FILE


def resolve_target(path: Path | str) -> ExportTarget:
    """What is at ``path`` and how an export will write it; ExportError when it cannot.

    A path given as text that ends with ``/`` (or ``/.``, ``/..``) names a folder, as it
    does for the kernel, even where no folder is: it is refused, not written as a file.
    """
    if isinstance(path, str) and (path in ("", ".", "..") or path.endswith(_FOLDER_ENDS)):
        if os.path.isdir(path or "."):
            raise ExportError(f"{path or '.'} is a folder; give a file name to export to.")
        raise ExportError(
            f"Cannot write {path}: a name ending in / is a folder's; give a file name."
        )
    path = Path(path)
    dest, via_proc = _follow_links(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _new_file(path, dest)
    except OSError as exc:
        raise ExportError(cannot_write(path, exc)) from exc
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise ExportError(f"{path} is a folder; give a file name to export to.")
    if stat.S_ISREG(mode) and _in_kernel_folder(dest):
        raise ExportError(f"Cannot export to {path}: it is a kernel file, not a file of yours.")
    if stat.S_ISREG(mode) and not via_proc:
        _check_writable(path, dest)
        return ExportTarget(path, dest, TargetKind.FILE)
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or _harmless_device(st):
        return ExportTarget(path, path, TargetKind.STREAM)  # the kernel follows /proc links
    raise ExportError(f"Cannot export to {path}: it is a {_kind_name(mode)}, not a file.")


@contextlib.contextmanager
def open_target(
    target: ExportTarget,
    *,
    binary: bool,
    cancel: CancelToken | None = None,
    waiting: Callable[[str], None] = lambda message: None,
) -> Iterator[IO[Any]]:
    """A file object to write the export to; what it wrote is in place when the block ends.

    When the block raises (an error, a cancel, Ctrl+C), a replaced or new file is left as
    it was and no ``.part`` file remains. An OSError becomes an ExportError naming the path.
    ``waiting`` hears once that a FIFO has no reader yet (the export waits, cancellable).
    """
    try:
        if target.kind is TargetKind.STREAM:
            opened = _streaming(target, binary, cancel, waiting)
        else:
            opened = _replacing(target, binary)
        with opened as fh:
            yield fh
    except OSError as exc:
        raise ExportError(cannot_write(target.path, exc)) from exc


def write_export_file(path: Path | str, data: str | bytes) -> None:
    """Write a small file that goes with an export (a labelling config, a README) the same
    way as the export itself: links written through, mode kept or from the umask, whole."""
    target = resolve_target(path)
    with open_target(target, binary=isinstance(data, bytes)) as fh:
        fh.write(data)


def cannot_write(path: Path, exc: OSError) -> str:
    """One line saying why ``path`` cannot be written, in words a user knows."""
    reason = {
        errno.ENOSPC: "the disk is full; free some space and export again",
        errno.EDQUOT: "the disk quota is used up; free some space and export again",
        errno.EROFS: "the disk is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "no such file or folder",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.ELOOP: "too many levels of symbolic links",
        errno.EPIPE: "the reader went away before the export was complete",
        errno.ENXIO: "no such device (is there a terminal?)",
        errno.ENAMETOOLONG: "the name is too long",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return f"Cannot write {path}: {reason}."


# ----- judging the path


def _follow_links(path: Path) -> tuple[Path, bool]:
    """The path at the end of ``path``'s symlinks, and whether the way led through /proc.

    Followed one link at a time (not ``os.path.realpath``) so that a link into a process's
    file descriptors (``/dev/stdout`` is one) is seen as such.
    """
    # joined to the working folder, not normalised: ``link/../x`` is beside the link's
    # target, as the kernel (and the shell's ``>``) sees it, not beside the link
    current = path if path.is_absolute() else Path(os.getcwd()) / path
    via_proc = False
    for _ in range(MAX_LINKS):
        parent = Path(os.path.realpath(current.parent))
        via_proc = via_proc or parent.parts[1:2] == ("proc",)
        current = parent / current.name
        try:
            link = os.readlink(current)
        except OSError:  # not a link, or nothing there
            return current, via_proc
        current = parent / link  # an absolute link replaces the parent
    raise ExportError(f"Cannot write {path}: too many levels of symbolic links.")


def _new_file(path: Path, dest: Path) -> ExportTarget:
    folder = dest.parent
    given = path.parent  # as the kernel will walk it: ``missing/../x`` has no folder
    if _in_kernel_folder(dest):
        raise ExportError(f"Cannot export to {path}: it is not a file of yours.")
    if folder == Path("/dev"):  # a mistyped device name; /dev/shm and the like are fine
        raise ExportError(f"Cannot export to {path}: there is no such device.")
    if not folder.exists() or not os.path.exists(given):
        raise ExportError(f"Cannot write {path}: the folder {given} does not exist.")
    if not folder.is_dir():
        raise ExportError(f"Cannot write {path}: {folder} is not a folder.")
    return ExportTarget(path, dest, TargetKind.NEW)


def _check_writable(path: Path, dest: Path) -> None:
    """Refuse a file the user may not write, as the shell's ``>`` would (root may)."""
    if not os.access(dest, os.W_OK):
        read_only_disk = os.statvfs(dest).f_flag & os.ST_RDONLY
        what = "disk" if read_only_disk else "file"
        raise ExportError(f"Cannot write {path}: the {what} is read-only.")


def _harmless_device(st: os.stat_result) -> bool:
    """A character device an export may stream into: /dev/null, /dev/zero, /dev/full, a
    terminal. Others (memory, kernel log, watchdog, a modem) do something when written."""
    if not stat.S_ISCHR(st.st_mode):
        return False
    major, minor = os.major(st.st_rdev), os.minor(st.st_rdev)
    return (major, minor) in _HARMLESS_DEVICES or major == 4 or 136 <= major <= 143


def _in_kernel_folder(dest: Path) -> bool:
    return dest.parts[1:2] in {(name,) for name in _KERNEL_FOLDERS}


def _kind_name(mode: int) -> str:
    if stat.S_ISBLK(mode):
        return "block device (a disk)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "device that is neither a terminal nor /dev/null"
    return "special file"


# ----- writing


@contextlib.contextmanager
def _replacing(target: ExportTarget, binary: bool) -> Iterator[IO[Any]]:
    """Write beside ``dest`` under a hidden name, then rename onto it."""
    dest = target.dest
    old = os.stat(dest) if target.kind is TargetKind.FILE else None
    part: Path | None = None
    fh: IO[Any] | None = None
    try:
        while True:
            part = dest.with_name(_part_name(dest.name))
            try:  # 0o666: the umask decides, as for any new file
                fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
                break
            except FileExistsError:
                part = None
        fh = _wrap(fd, binary)
        if old is not None:
            with contextlib.suppress(OSError):  # only root may give a file away
                os.fchown(fd, old.st_uid, old.st_gid)
            os.fchmod(fd, stat.S_IMODE(old.st_mode))
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(part, dest)
        part = None
        _sync_folder(dest.parent)
    finally:
        if fh is not None:
            with contextlib.suppress(OSError):
                fh.close()
        if part is not None:
            with contextlib.suppress(OSError):
                part.unlink()


@contextlib.contextmanager
def _streaming(
    target: ExportTarget,
    binary: bool,
    cancel: CancelToken | None,
    waiting: Callable[[str], None],
) -> Iterator[IO[Any]]:
    """Write straight into a FIFO, a device or what a /proc link names (appending)."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_NOCTTY | os.O_NONBLOCK | os.O_CLOEXEC
    for attempt in itertools.count():
        try:
            fd = os.open(target.path, flags)
            break
        except OSError as exc:
            # ENXIO: a FIFO that nobody reads yet (or a terminal this process has not)
            if exc.errno != errno.ENXIO or not stat.S_ISFIFO(os.stat(target.path).st_mode):
                raise
        if attempt == 0:
            waiting(f"Waiting for a program to read {target.path}")
        if cancel is not None:
            cancel.check()
        time.sleep(READER_POLL_SECONDS)
    os.set_blocking(fd, True)
    with _wrap(fd, binary) as fh:
        yield fh


def _part_name(name: str) -> str:
    """``.NAME.XXXXXXXX.part``, NAME cut so that the whole fits the 255-byte name limit."""
    stem = os.fsdecode(os.fsencode(name)[:PART_STEM_BYTES])
    return f".{stem}.{secrets.token_hex(4)}.part"


def _wrap(fd: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut after it keeps the new file)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
