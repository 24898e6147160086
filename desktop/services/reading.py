"""Reading one import file: the whole file is read and checked before anything of it is
written, and whatever goes wrong in a reader becomes one line for that file, never a
traceback that stops the other files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain import Article
from desktop.formats.errors import (
    FormatError,
    article_unencodable,
    missing_library,
    surrogate_error,
)
from desktop.formats.registry import Reader

# the readers that guess an encoding record it in meta["encoding"]; other formats may
# carry a meta "encoding" of their own, which says nothing about this import
GUESSING_SUFFIXES = frozenset({".txt", ".html", ".htm"})


@dataclass
class FileCheck:
    """A file read to the end: how many articles it holds and what was assumed about it."""

    count: int = 0
    notes: list[str] = field(default_factory=list)


def check_file(path: Path, read: Reader) -> FileCheck:
    """Read ``path`` to the end; FormatError (or any exception of the reader) when it cannot
    be imported whole. Every string of every article must be storable as UTF-8, and a file
    must hold at least one article."""
    checked = FileCheck()
    guessed: list[str] = []
    for n, article in enumerate(read(path), start=1):
        where = article_unencodable(article)
        if where is not None:
            raise surrogate_error(path, f"article {n}: {where}")
        encoding = article.meta.get("encoding") if isinstance(article.meta, dict) else None
        if path.suffix.lower() in GUESSING_SUFFIXES and isinstance(encoding, str):
            guessed.append(encoding)
        checked.count = n
    if checked.count == 0:
        raise FormatError(path, f"no records in {path.name}")
    checked.notes.extend(f"{path.name}: read as {enc}" for enc in dict.fromkeys(guessed))
    return checked


def failure_line(path: Path, exc: Exception) -> tuple[str, bool]:
    """The one line that reports ``exc`` for ``path``, and whether it is a bug of ours
    (an exception no reader should let out) rather than a problem with the file."""
    if isinstance(exc, FormatError):
        line, bug = str(exc), False
    elif isinstance(exc, ImportError):
        line, bug = f"{path}: cannot be read: {missing_library(exc)}", False
    elif isinstance(exc, MemoryError):
        line, bug = f"{path}: there is not enough memory to read this file", False
    elif isinstance(exc, RecursionError):
        line, bug = f"{path}: nested too deeply to be read", False
    elif isinstance(exc, OSError):
        line, bug = f"{path}: cannot read the file ({exc.strerror or exc})", False
    else:
        line = (
            f"{path}: could not be imported ({type(exc).__name__}: {exc}); this is a "
            "Quotedesk bug, please report it"
        )
        bug = True
    return " ".join(line.splitlines()), bug


def reread(path: Path, read: Reader, errors: list[str]) -> Iterator[Article]:
    """The articles of a file checked before, read again for writing; when the file changed
    in between and no longer reads, one line goes to ``errors`` and the articles stop."""
    articles = read(path)
    n = 0
    while True:
        try:
            article = next(articles)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - any reader failure is this file's
            line, _ = failure_line(path, exc)
            errors.append(f"{line} (it changed while it was imported: {n:,} article(s) kept)")
            return
        n += 1
        yield article
