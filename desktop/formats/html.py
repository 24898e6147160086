"""HTML articles: the body is extracted with trafilatura (no scripts run, nothing fetched)."""

from __future__ import annotations

from pathlib import Path

from desktop.domain import Article
from desktop.domain.offsets import content_id
from desktop.formats.errors import FormatError, check_article_size, read_text_file


def read_html(path: Path) -> Article:
    import trafilatura

    markup = read_text_file(path)
    doc = trafilatura.bare_extraction(
        markup,
        include_comments=False,
        include_tables=False,
        include_images=False,
        with_metadata=True,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise FormatError(path, "no article text could be found in this HTML page")
    check_article_size(path, text)
    meta = {"file": path.name}
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
