"""Errors raised by importers and exporters: they name the file and line at fault."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.domain import Article
from desktop.domain.names import one_line

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ARTICLE_CHARS = 2_000_000


class FormatError(Exception):
    """A file that cannot be read as the format it claims to be."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = one_line(message)  # a hostile name or line inside stays one line
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(one_line(f"{where}: ", 2000) + self.reason)


def check_article_size(path: Path | str, text: str, line: int | None = None) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise FormatError(
            path, f"the article is longer than {MAX_ARTICLE_CHARS:,} characters", line
        )


def unencodable(value: Any, where: str = "") -> str | None:
    """Where the first string inside ``value`` (a string, or lists and dicts of them, keys
    included, at any depth) cannot be written as UTF-8, e.g. ``meta.tags[2]``; None when
    every string can. Only a lone surrogate (JSON's ``"\\ud800"``) cannot: it is no
    character, and a database or a file that receives one fails."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return at or "the value"
        elif isinstance(item, dict):
            for key, inner in item.items():
                name = f"{at}.{key}" if at else str(key)
                if isinstance(key, str) and unencodable(key) is not None:
                    return f"{at}{' ' if at else ''}key {key!a}"
                stack.append((inner, name))
        elif isinstance(item, list | tuple):
            stack.extend((inner, f"{at}[{i}]") for i, inner in enumerate(item))
    return None


def surrogate_error(path: Path | str, where: str, line: int | None = None) -> FormatError:
    return FormatError(
        path,
        f"{where} holds a lone surrogate (an escape such as \\ud800 that is half of a "
        "character, which no file or database can store): remove it",
        line,
    )


def _encodes(value: str) -> bool:
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def article_unencodable(article: Article) -> str | None:
    """Where in an imported article a string cannot be written as UTF-8 (``unencodable``).

    Span texts are slices of the article's text, so the text stands for them."""
    for value, where in (
        (article.text, "the text"),
        (article.title, "the title"),
        (article.external_id, "the id"),
    ):
        if not _encodes(value):
            return where
    found = unencodable(article.meta, "meta") if article.meta else None
    if found is not None:
        return found
    for label in {e.label for e in article.entities}:
        if not _encodes(label):
            return f"the entity label {label!a}"
    for source in article.sources:
        if not all(map(_encodes, (source.key, source.name, source.type, source.description))):
            return f"source {source.key!a}"
    for quote in article.quotes:
        if quote.source_key is not None and not _encodes(quote.source_key):
            return f"a quote's source {quote.source_key!a}"
    return None


def missing_library(exc: ImportError) -> str:
    """What to say when a library a reader needs is missing: its name and the pip line
    (lxml's own error names the package only in its text)."""
    name = exc.name
    if name is None:
        name = next((n for n in _KNOWN_LIBRARIES if n in str(exc)), None)
    if name is None:
        return f"a library it needs cannot be loaded ({' '.join(str(exc).split())})"
    package = name.split(".")[0].replace("_", "-")
    return f"the library {name} is not installed (install it with: pip install {package})"


_KNOWN_LIBRARIES = ("lxml_html_clean", "trafilatura", "charset_normalizer", "lxml")
