"""Every import and export format in one place: ``desktop.formats`` plus the spaCy DocBin.

The DocBin lives in ``desktop.nlp`` (only nlp imports spaCy) and the rest in
``desktop.formats``, which may not know about each other; this module, which may import
both, is the one registry the command line, the window and the services use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from desktop.domain import Article
from desktop.formats import registry
from desktop.formats.checks import check_article
from desktop.formats.errors import MAX_FILE_BYTES, FormatError
from desktop.formats.registry import Format, Reader
from desktop.nlp import docbin


def _write_spacy(articles: Iterator[Article], fh: object) -> int:
    return docbin.write_docbin(articles, fh)  # type: ignore[arg-type]


def read_spacy(path: Path) -> Iterator[Article]:
    """The DocBin reader, with its errors turned into FormatError naming the file."""
    try:
        for n, article in enumerate(docbin.read_docbin(path, MAX_FILE_BYTES), start=1):
            check_article(path, article, n)
            yield article
    except docbin.DocBinError as exc:
        raise FormatError(path, str(exc)) from exc


SPACY = Format("spacy", "spaCy DocBin", ".spacy", _write_spacy, read_spacy, binary=True)

FORMATS: dict[str, Format] = {**registry.FORMATS, SPACY.name: SPACY}
READERS: dict[str, Reader] = {**registry.READERS, ".spacy": read_spacy}
# formats that carry text and annotations, so an export can be imported again
IMPORTABLE = [name for name, f in FORMATS.items() if f.read is not None]


def export_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(
            f"unknown export format {name!r} (choose from {', '.join(sorted(FORMATS))})"
        ) from None


def reader_for(path: Path, fmt: str | None = None) -> Reader:
    """The reader for ``path``: the named format's, or the one its suffix calls for."""
    if fmt is None:
        return registry.reader_for(path, READERS)
    read = FORMATS[fmt].read if fmt in FORMATS else None
    if read is None:
        raise FormatError(
            path, f"cannot import the {fmt!r} format (choose from {', '.join(IMPORTABLE)})"
        )
    return read


def expand(paths: Iterable[Path]) -> list[Path]:
    return registry.expand(paths, READERS)
