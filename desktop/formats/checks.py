"""The checks every importer runs on each article it reads, before anything is written.

An article is accepted only when every export format can carry it and read it back: its
names pass ``desktop.domain.names`` and what it holds besides its text and spans (title,
meta, source names and descriptions) fits the budget that brat's ``.json`` sidecar is read
with (``flat.info_limit``).
"""

from __future__ import annotations

from pathlib import Path

from desktop.domain import Article
from desktop.domain.names import InvalidName, check_article_names
from desktop.formats.errors import FormatError, check_article_size


def info_problem(article: Article) -> str | None:
    """Why the article's extra data is too large for its text, or None when it fits."""
    # imported here: flat imports jsonl, which runs these checks
    from desktop.formats.flat import flatten, info_json, info_limit

    flat = flatten(article)
    size = len(info_json(flat.info).encode("utf-8", "surrogatepass"))
    text_bytes = len(article.text.encode("utf-8", "surrogatepass"))
    limit = info_limit(text_bytes, len(flat.marks) + len(flat.links))
    if size <= limit:
        return None
    return (
        f"the article carries {size:,} bytes besides its text and spans (title, meta, "
        f"sources), more than the {limit:,} allowed for a text of its length"
    )


def check_article(path: Path | str, article: Article, line: int | None = None) -> None:
    """Raise FormatError (naming the file and line) unless ``article`` may be imported."""
    check_article_size(path, article.text, line)
    try:
        check_article_names(article)
    except InvalidName as exc:
        raise FormatError(path, str(exc), line) from None
    problem = info_problem(article)
    if problem is not None:
        raise FormatError(path, problem, line)
