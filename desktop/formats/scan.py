"""Which files an import reads: each file named, and the readable files inside each folder
named, with every other thing it meets refused in one line.

- Only regular files are read; a FIFO, socket or device is refused (``files.open_regular``
  checks again on the open descriptor, so a file swapped after the scan is refused too).
- A link named directly is followed wherever it points: the user chose it. A link met
  inside a folder is followed only when its target is inside that folder too; a link out
  of the folder, a dangling link and a loop of links are refused. Links to folders are not
  descended into (their files are found under the folder itself), so loops cannot hang.
- Links are handed on as their target's path, which readers open with ``O_NOFOLLOW``.
- Hidden files and folders (names starting with ".") and files of unknown type inside a
  folder are passed over silently, as before.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.formats.errors import FormatError
from desktop.formats.files import link_error, not_regular, os_error


@dataclass
class Scan:
    """The files to read, in order, and one refusal per thing that will not be read."""

    files: list[Path] = field(default_factory=list)
    refused: list[FormatError] = field(default_factory=list)
    # a link's target -> the link, whose name (suffix) says which reader reads the target
    named_as: dict[Path, Path] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, path: Path, link: Path | None = None) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in self._seen:
            self._seen.add(key)
            self.files.append(path)
            if link is not None and link.suffix.lower() != path.suffix.lower():
                self.named_as[path] = link

    def reader_name(self, path: Path) -> Path:
        """The name that picks the reader of ``path``: the link's, when it came by a link."""
        return self.named_as.get(path, path)


def scan(paths: Iterable[Path], suffixes: Iterable[str]) -> Scan:
    """Scan ``paths``; FormatError for a name that does not exist at all (a typo stops the
    import before anything is written)."""
    known = {s.lower() for s in suffixes}
    found = Scan()
    for path in paths:
        try:
            info = os.stat(path)  # follows a link: a link named directly is the user's choice
        except OSError as exc:
            if not os.path.lexists(path):
                raise FormatError(path, "no such file or folder") from exc
            found.refused.append(link_error(path, exc))
            continue
        link = os.path.islink(path)
        if stat.S_ISDIR(info.st_mode):
            _walk(Path(os.path.realpath(path)), path, known, found)
        elif stat.S_ISREG(info.st_mode):
            found.add(Path(os.path.realpath(path)) if link else path, path if link else None)
        else:
            found.refused.append(not_regular(path, info.st_mode))
    return found


def _inside(target: str, root: Path) -> bool:
    return Path(target).is_relative_to(root)


def _walk(root: Path, shown: Path, known: set[str], found: Scan) -> None:
    """Add the files under ``root`` (a real folder: links resolved), naming entries by the
    folder the user gave (``shown``) in refusals."""
    files: list[tuple[Path, Path | None]] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            where = _shown(folder, root, shown)
            found.refused.append(FormatError(where, f"cannot read the folder ({reason})"))
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            wanted = Path(entry.name).suffix.lower() in known
            where = _shown(Path(entry.path), root, shown)
            try:
                if entry.is_symlink():
                    _link(entry.path, where, root, shown, wanted, files, found)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                elif wanted:
                    mode = entry.stat(follow_symlinks=False).st_mode
                    if stat.S_ISREG(mode):
                        files.append((where, None))
                    else:
                        found.refused.append(not_regular(where, mode))
            except OSError as exc:  # removed while scanned, or unreadable
                if wanted:
                    found.refused.append(os_error(where, exc))
    for path, link in sorted(files, key=lambda pair: pair[0]):
        found.add(path, link)


def _link(
    link: str,
    where: Path,
    root: Path,
    shown: Path,
    wanted: bool,
    files: list[tuple[Path, Path | None]],
    found: Scan,
) -> None:
    """A link inside the folder: its target when that is a regular file inside too."""
    try:
        target = os.path.realpath(link, strict=True)
    except OSError as exc:
        if wanted:
            found.refused.append(link_error(where, exc))
        return
    mode = os.stat(target).st_mode
    if not _inside(target, root):
        if wanted or stat.S_ISDIR(mode):
            found.refused.append(
                FormatError(
                    where,
                    f"a link to {target}, outside the folder: not followed (name it on its "
                    "own to import it)",
                )
            )
        return
    if stat.S_ISDIR(mode) or not wanted:
        return  # a folder inside: its files are found where they are
    if stat.S_ISREG(mode):
        files.append((_shown(Path(target), root, shown), where))
    else:
        found.refused.append(not_regular(where, mode))


def _shown(path: Path, root: Path, shown: Path) -> Path:
    """``path`` (under the real folder ``root``) as it lies under the folder named."""
    try:
        return shown / path.relative_to(root)
    except ValueError:
        return path
