"""Which reader handles which file, and which writer each export format uses.

``FORMATS`` describes the formats this package implements; ``desktop.services.formats``
adds the spaCy DocBin (which lives in ``desktop.nlp``) and is what callers use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from desktop.domain import Article
from desktop.domain.names import clip_title
from desktop.formats.brat import read_brat, write_brat
from desktop.formats.checks import check_article
from desktop.formats.conll import read_conll, write_conll
from desktop.formats.csvtable import write_csv
from desktop.formats.doccano import DOCCANO_NOTE, read_doccano, write_doccano
from desktop.formats.errors import FormatError
from desktop.formats.html import read_html
from desktop.formats.jsonl import read_jsonl, write_jsonl
from desktop.formats.jsonlines import first_record
from desktop.formats.labelstudio import (
    LABELSTUDIO_NOTE,
    ConfigCollector,
    read_labelstudio,
    write_labelstudio,
)
from desktop.formats.prodigy import PRODIGY_NOTE, read_prodigy, write_prodigy
from desktop.formats.scan import scan
from desktop.formats.text import read_txt

Reader = Callable[[Path], Iterator[Article]]
Writer = Callable[[Iterator[Article], IO[Any]], int]


class Companion(Protocol):
    """A small file written beside an export (Label Studio's labelling config): it sees
    every exported article, then says where it goes and what it holds."""

    def see(self, article: Article) -> None: ...

    def path(self, out: Path) -> Path: ...

    def text(self) -> str: ...


@dataclass(frozen=True)
class Format:
    """An annotated-set format: how to write it, and how to read it back when it can be."""

    name: str
    title: str
    suffix: str
    write: Writer
    read: Reader | None = None
    binary: bool = False
    companion: Callable[[], Companion] | None = None
    note: str = ""  # what a user must know to open the export in its tool (the dialog shows it)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "Quotedesk JSONL", ".jsonl", write_jsonl, read_jsonl),
        Format("conll", "CoNLL-2003 (IOB2 entities)", ".conll", write_conll, read_conll),
        Format(
            "prodigy",
            "Prodigy JSONL",
            ".jsonl",
            write_prodigy,
            read_prodigy,
            note=PRODIGY_NOTE,
        ),
        Format(
            "doccano",
            "doccano JSONL",
            ".jsonl",
            write_doccano,
            read_doccano,
            note=DOCCANO_NOTE,
        ),
        Format(
            "labelstudio",
            "Label Studio JSON",
            ".json",
            write_labelstudio,
            read_labelstudio,
            companion=ConfigCollector,
            note=LABELSTUDIO_NOTE,
        ),
        Format("brat", "brat standoff (zip)", ".zip", write_brat, read_brat, binary=True),
        Format("csv", "CSV, one row per quote", ".csv", write_csv),
    )
}


def sniff_json_lines(path: Path) -> str:
    """Which JSON Lines dialect a file speaks, judged by the keys of its first record."""
    record = first_record(path)
    if not isinstance(record, dict):
        return "jsonl"
    if {"_input_hash", "_task_hash", "tokens", "answer", "spans"} & record.keys():
        return "prodigy"
    entities = record.get("entities")
    if isinstance(entities, list) and entities and isinstance(entities[0], dict):
        if "start_offset" in entities[0]:
            return "doccano"
    relations = record.get("relations")
    if isinstance(relations, list) and relations and isinstance(relations[0], dict):
        if "from_id" in relations[0]:
            return "doccano"
    if isinstance(record.get("label"), list) or "quotedesk" in record:
        return "doccano"
    return "jsonl"


def read_json_lines(path: Path) -> Iterator[Article]:
    """Quotedesk, Prodigy or doccano JSONL, told apart by ``sniff_json_lines``."""
    read = FORMATS[sniff_json_lines(path)].read
    assert read is not None
    return read(path)


def _one(read: Callable[[Path], Article]) -> Reader:
    """A reader of one-article files (text, HTML), whose title is guessed: cut to fit."""

    def reader(path: Path) -> Iterator[Article]:
        article = read(path)
        article.title = clip_title(article.title)
        check_article(path, article)
        yield article

    return reader


READERS: dict[str, Reader] = {
    ".txt": _one(read_txt),
    ".html": _one(read_html),
    ".htm": _one(read_html),
    ".jsonl": read_json_lines,
    ".json": read_labelstudio,
    ".conll": read_conll,
    ".zip": read_brat,
}

WRITERS: dict[str, tuple[Writer, str]] = {
    # name: (writer, file suffix)
    name: (f.write, f.suffix)
    for name, f in FORMATS.items()
}


def reader_for(path: Path, readers: dict[str, Reader] | None = None) -> Reader:
    readers = READERS if readers is None else readers
    try:
        return readers[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(readers))
        raise FormatError(path, f"unknown file type (Quotedesk reads {known})") from None


def writer_for(name: str) -> Writer:
    try:
        return WRITERS[name][0]
    except KeyError:
        raise ValueError(
            f"unknown export format {name!r} (choose from {', '.join(sorted(WRITERS))})"
        ) from None


def expand(paths: Iterable[Path], suffixes: Iterable[str] | None = None) -> list[Path]:
    """Files to import: each file given, and the readable files inside each folder given
    (``scan.scan``, which also says what it refused)."""
    return scan(paths, READERS if suffixes is None else suffixes).files
