"""Which reader handles which file, and which writer each export format uses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from desktop.domain import Article
from desktop.formats.errors import FormatError
from desktop.formats.html import read_html
from desktop.formats.jsonl import read_jsonl, write_jsonl
from desktop.formats.text import read_txt

Reader = Callable[[Path], Iterator[Article]]
Writer = Callable[[Iterator[Article], IO[str]], int]


def _one(read: Callable[[Path], Article]) -> Reader:
    def reader(path: Path) -> Iterator[Article]:
        yield read(path)

    return reader


READERS: dict[str, Reader] = {
    ".txt": _one(read_txt),
    ".html": _one(read_html),
    ".htm": _one(read_html),
    ".jsonl": read_jsonl,
}

WRITERS: dict[str, tuple[Writer, str]] = {
    # name: (writer, file suffix)
    "jsonl": (write_jsonl, ".jsonl"),
}


def reader_for(path: Path) -> Reader:
    try:
        return READERS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise FormatError(path, f"unknown file type (Quotedesk reads {known})") from None


def writer_for(name: str) -> Writer:
    try:
        return WRITERS[name][0]
    except KeyError:
        raise ValueError(
            f"unknown export format {name!r} (choose from {', '.join(sorted(WRITERS))})"
        ) from None


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to import: each file given, and the readable files inside each folder given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in READERS and not p.name.startswith(".")
            ]
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise FormatError(path, "no such file or folder")
    return out
