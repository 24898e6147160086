"""Real full and read-only disks for fault tests: a tiny tmpfs mounted for one test.

Mounting needs root (or CAP_SYS_ADMIN); where it is refused the tests skip and say why.
Permissions cannot stand in for a read-only disk here: root ignores them.
"""

from __future__ import annotations

import errno
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class TinyDisk:
    """A tmpfs of a few MiB at ``path`` that a test can fill up or make read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self) -> None:
        """Write until the disk is full, down to the last block."""
        with self.filler.open("ab", buffering=0) as fh:
            for size in (1 << 16, 1 << 12, 1 << 9, 1):
                try:
                    while True:
                        fh.write(b"\0" * size)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
        # later writes must find no room at all: even the WAL has to grow
        assert _free_bytes(self.path) == 0

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self, on: bool) -> None:
        mode = "remount,ro" if on else "remount,rw"
        subprocess.run(["mount", "-o", mode, str(self.path)], check=True, capture_output=True)


def _free_bytes(path: Path) -> int:
    import os

    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def truncate_wal(db_path: Path) -> None:
    """Checkpoint and empty the WAL, so that the next write has to grow it."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def mount_tiny_disk(folder: Path, size: str = "4m") -> Iterator[TinyDisk]:
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "quotedesk-test", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not root'})")
    try:
        yield TinyDisk(folder)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], capture_output=True)
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
