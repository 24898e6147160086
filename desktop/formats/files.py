"""Opening an import file safely: regular files only, never blocking, never past a size cap.

A FIFO would block ``open()`` forever and a device (``/dev/zero``, ``/dev/urandom``) never
ends, so every reader opens through ``open_regular``: ``O_NONBLOCK`` makes opening a FIFO
return at once, and ``fstat`` on the open descriptor (not a ``stat`` of the name, which
could be swapped for something else in between) decides whether it is a regular file.
``O_NOFOLLOW`` refuses a link: the folder scan (``scan.py``) hands readers the vetted
target of every link, so a link found at open time was put there after the scan.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from desktop.formats.decoding import Decoded, decode_json, decode_prose
from desktop.formats.errors import MAX_FILE_BYTES, FormatError

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words a user knows."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def not_regular(path: Path | str, mode: int) -> FormatError:
    return FormatError(path, f"{file_kind(mode)}, not a regular file: only files are imported")


def os_error(path: Path | str, exc: OSError) -> FormatError:
    """The one-line refusal for an ``OSError`` met while opening or reading ``path``."""
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link (put there after the scan)
        return FormatError(path, "a symbolic link where a regular file was expected")
    if exc.errno == errno.ENOENT:
        return FormatError(path, "no such file (it was removed while the import ran)")
    return FormatError(path, f"cannot read the file ({exc.strerror or exc})")


def link_error(path: Path | str, exc: OSError) -> FormatError:
    """The refusal for a link that cannot be followed to a file."""
    if exc.errno == errno.ELOOP:
        return FormatError(path, "a loop of symbolic links: not followed")
    if exc.errno == errno.ENOENT:
        return FormatError(path, "a symbolic link to nothing (its target does not exist)")
    return os_error(path, exc)


def too_large(path: Path | str, max_bytes: int, what: str = "the file") -> FormatError:
    return FormatError(path, f"{what} is larger than {max_bytes // 2**20} MiB")


def display_file_name(path: Path) -> str:
    """``path.name`` as text that can be stored: bytes of a name that is not UTF-8 (which
    Python keeps as lone surrogates) become U+FFFD."""
    return os.fsencode(path.name).decode("utf-8", "replace")


def open_regular(path: Path, max_bytes: int = MAX_FILE_BYTES, what: str = "the file") -> BinaryIO:
    """Open ``path`` for reading when it is a regular file of at most ``max_bytes``;
    FormatError otherwise. The caller closes the file."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise os_error(path, exc) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(path, info.st_mode)
        if info.st_size > max_bytes:
            raise too_large(path, max_bytes, what)
        # O_NONBLOCK stays: a regular file ignores it, and a pseudo-file that claims to be
        # one (/proc/kmsg) then fails at once instead of blocking the import
        return os.fdopen(fd, "rb")
    except BaseException:
        # a Ctrl+C can land after fdopen took the descriptor: closing it again must not
        # replace the KeyboardInterrupt with EBADF (which read as one unreadable file)
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


def read_capped(path: Path, max_bytes: int = MAX_FILE_BYTES, what: str = "the file") -> bytes:
    """The whole content of a regular file, refused when it is (or grows) past ``max_bytes``."""
    with open_regular(path, max_bytes, what) as fh:
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise os_error(path, exc) from exc
    if data is None:  # non-blocking read with nothing to give: a pseudo-file
        raise FormatError(path, "the file has nothing to read now: not a plain file")
    if len(data) > max_bytes:
        raise too_large(path, max_bytes, what)
    return data


def capped_lines(fh: BinaryIO, path: Path, max_bytes: int = MAX_FILE_BYTES) -> Iterator[bytes]:
    """The lines of an open file (split at ``\\n`` only), stopping with FormatError once
    more than ``max_bytes`` have been read (a file that grows while it is imported)."""
    total = 0
    try:
        for raw in fh:
            total += len(raw)
            if total > max_bytes:
                raise too_large(path, max_bytes)
            yield raw
    except OSError as exc:
        raise os_error(path, exc) from exc


def read_prose(path: Path, max_bytes: int = MAX_FILE_BYTES, what: str = "the file") -> Decoded:
    """A plain-text or HTML file decoded (see ``decoding.decode_prose``)."""
    return decode_prose(path, read_capped(path, max_bytes, what))


def read_json_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A JSON document decoded as RFC 8259 says (see ``decoding.decode_json``)."""
    return decode_json(path, read_capped(path, max_bytes))
