"""A folder as an export target: the spaCy export written as ``.spacy`` shards.

``-o train/`` (a name ending in ``/``, or a folder that is there) with ``--format spacy``
writes the shards into a hidden ``.train.XXXXXXXX.part`` folder beside it, then puts that
folder in place of ``train/`` by renames, so the folder holds the whole new export or is
left as it was (a cancel, an error, a full disk remove the part folder). A folder that
holds anything but ``.spacy`` files is refused: an export never deletes other files.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from desktop.services.export_target import ExportError, cannot_write

SHARD_SUFFIX = ".spacy"
_FOLDER_ENDS = ("/", "/.", "/..")


@dataclass(frozen=True)
class FolderTarget:
    """``path`` as given; ``dest`` the folder written (a link to a folder is followed)."""

    path: Path
    dest: Path
    exists: bool

    @property
    def replaces_file(self) -> bool:
        """An earlier export (a folder with shards) would be replaced."""
        return self.exists and any(self.dest.iterdir())


def names_folder(out: Path | str) -> bool:
    """Whether ``-o`` names a folder: a name ending in ``/``, or a folder that is there."""
    if isinstance(out, str) and (out in ("", ".", "..") or out.endswith(_FOLDER_ENDS)):
        return True
    return os.path.isdir(out)


def resolve_folder(out: Path | str) -> FolderTarget:
    """The folder an export of shards goes to; ExportError when it cannot be one."""
    path = Path(out)
    if os.path.isdir(path):
        dest = Path(os.path.realpath(path))
        others = [p.name for p in dest.iterdir() if not _is_shard(p)]
        if others:
            raise ExportError(
                f"{out} holds files that are not .spacy shards ({others[0]!r}...); export the "
                "shards to a new or empty folder."
            )
        if not os.access(dest.parent, os.W_OK | os.X_OK):
            raise ExportError(f"Cannot write {out}: no permission to replace it in {dest.parent}.")
        return FolderTarget(path, dest, True)
    if os.path.lexists(path):
        raise ExportError(f"Cannot export shards to {out}: it is there and is not a folder.")
    parent = Path(os.path.realpath(path.parent))
    if not parent.is_dir():
        raise ExportError(f"Cannot write {out}: the folder {path.parent} does not exist.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot write {out}: no permission to write in {path.parent}.")
    return FolderTarget(path, parent / path.name, False)


def _is_shard(p: Path) -> bool:
    return p.suffix == SHARD_SUFFIX and p.is_file() and not p.is_symlink()


class Shards:
    """Opens the shard files inside the part folder (``open(n)``, a context manager)."""

    def __init__(self, folder: Path, name: Callable[[int], str]) -> None:
        self.folder = folder
        self.name = name

    @contextlib.contextmanager
    def open(self, n: int) -> Iterator[IO[bytes]]:
        path = self.folder / self.name(n)
        with open(path, "xb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


@contextlib.contextmanager
def open_folder(target: FolderTarget, name: Callable[[int], str]) -> Iterator[Shards]:
    """Shards to write; in place of ``target.dest`` when the block ends, else removed."""
    dest = target.dest
    part = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
    try:
        os.mkdir(part, 0o777)  # the umask decides, as for any new folder
    except OSError as exc:
        raise ExportError(cannot_write(target.path, exc)) from exc
    try:
        yield Shards(part, name)
        _sync(part)
        if target.exists:
            old = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.old")
            os.rename(dest, old)
            try:
                os.rename(part, dest)
            except OSError:
                os.rename(old, dest)  # put the earlier export back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(part, dest)
        _sync(dest.parent)
    except OSError as exc:
        raise ExportError(cannot_write(target.path, exc)) from exc
    finally:
        if part.exists():
            shutil.rmtree(part, ignore_errors=True)


def _sync(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
