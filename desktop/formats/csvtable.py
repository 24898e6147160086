"""CSV: one row per quote, for spreadsheets (export only).

UTF-8 with a byte-order mark so that spreadsheet programs pick the right encoding, and every
cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return) is prefixed with an apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from desktop.domain import Article

COLUMNS = [
    "article_id",
    "title",
    "source",
    "source_type",
    "description",
    "kind",
    "quote",
    "speaker",
    "quote_start",
    "quote_end",
    "speaker_start",
    "speaker_end",
    "cue",
    "origin",
    "record",  # the source's collection-wide record (its key), when it has one
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell as text, never as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def quote_rows(article: Article) -> Iterator[list[Any]]:
    sources = {s.key: s for s in article.sources}
    for q in article.quotes:
        source = sources.get(q.source_key or "")
        yield [
            article.external_id,
            article.title,
            source.name if source else "",
            source.type if source else "",
            source.description if source else "",
            str(q.kind),
            q.text,
            q.speaker.text if q.speaker else "",
            q.start,
            q.end,
            q.speaker.start if q.speaker else "",
            q.speaker.end if q.speaker else "",
            q.cue.text if q.cue else "",
            str(q.origin),
            source.record.record.key if source and source.record and source.record.record else "",
        ]


def write_csv(articles: Iterator[Article], fh: IO[str]) -> int:
    """Rows end in CRLF, as RFC 4180 says; returns the number of articles."""
    fh.write("\ufeff")
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    n = 0
    for article in articles:
        writer.writerows([neutralise(cell) for cell in row] for row in quote_rows(article))
        n += 1
    return n
