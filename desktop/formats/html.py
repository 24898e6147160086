"""HTML articles: the body is extracted with trafilatura (no scripts run, nothing fetched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.domain import Article
from desktop.domain.offsets import content_id
from desktop.formats.errors import FormatError, check_article_size, missing_library
from desktop.formats.files import display_file_name, read_prose

# a parsed page takes many times its size in memory; real news pages are a few MiB
MAX_HTML_BYTES = 20 * 1024 * 1024


def _extract(path: Path, markup: str) -> Any:
    """trafilatura's reading of the page; a library missing from the installation (lxml's
    cleaner moved to ``lxml_html_clean``) is one line for this file, not a traceback."""
    try:
        import trafilatura

        return trafilatura.bare_extraction(
            markup,
            include_comments=False,
            include_tables=False,
            include_images=False,
            with_metadata=True,
        )
    except ImportError as exc:
        raise FormatError(path, f"cannot read HTML: {missing_library(exc)}") from exc


def read_html(path: Path) -> Article:
    decoded = read_prose(path, MAX_HTML_BYTES, "the HTML page")
    doc = _extract(path, decoded.text)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise FormatError(path, "no article text could be found in this HTML page")
    check_article_size(path, text)
    meta = {"file": display_file_name(path)}
    if decoded.guessed:
        meta["encoding"] = decoded.encoding
    for key in ("url", "date", "author", "sitename"):
        value = getattr(doc, key, None)
        if value:
            meta["published" if key == "date" else key] = str(value)
    return Article(
        external_id=content_id(text),
        text=text,
        title=str(getattr(doc, "title", "") or ""),
        meta=meta,
    )
