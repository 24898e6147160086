"""Plain-text articles: the whole file is the text; a short first line is the title."""

from __future__ import annotations

from pathlib import Path

from desktop.domain import Article
from desktop.domain.offsets import content_id
from desktop.formats.errors import FormatError, check_article_size
from desktop.formats.files import display_file_name, read_prose

TITLE_MAX_CHARS = 150


def guess_title(text: str) -> str:
    """The first line, when it reads like a headline: short, and not a finished sentence
    running into more prose on the same paragraph."""
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first) > TITLE_MAX_CHARS:
        return ""
    if first.endswith((".", ",", ";", ":")) and not first.endswith("..."):
        return ""
    return first


def read_txt(path: Path) -> Article:
    """The article of a text file in any encoding charset-normalizer can tell; a guessed
    encoding is kept in ``meta["encoding"]`` and reported by the import."""
    decoded = read_prose(path)
    text = decoded.text
    if not text.strip():
        raise FormatError(path, "the file is empty")
    check_article_size(path, text)
    meta = {"file": display_file_name(path)}
    if decoded.guessed:
        meta["encoding"] = decoded.encoding
    return Article(
        external_id=content_id(text),
        text=text,
        title=guess_title(text),
        meta=meta,
    )
