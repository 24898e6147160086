"""HTML articles: the body is extracted with trafilatura (no scripts run, nothing fetched)."""

from __future__ import annotations

from pathlib import Path

from desktop.domain import Article
from desktop.domain.offsets import content_id
from desktop.formats.errors import FormatError, check_article_size, read_text_file

# a parsed page takes many times its size in memory; real news pages are a few MiB
MAX_HTML_BYTES = 20 * 1024 * 1024


def read_html(path: Path) -> Article:
    import trafilatura

    try:
        too_big = path.stat().st_size > MAX_HTML_BYTES
    except OSError as exc:
        raise FormatError(path, f"cannot read the file ({exc.strerror})") from exc
    if too_big:
        raise FormatError(path, f"the HTML page is larger than {MAX_HTML_BYTES // 2**20} MiB")
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
