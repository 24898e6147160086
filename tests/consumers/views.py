"""What the consumer tests compare and count: one article's annotations as plain tuples,
and the regions and relations an export should hold."""

from __future__ import annotations

from typing import Any

from desktop.domain import Article
from desktop.formats.flat import flatten


def annotations(article: Article, origin: str | None = None) -> dict[str, Any]:
    """Entities, quotes (with cue, speaker and source name) and sources of ``article``, of
    one origin or all; ids, confidences and reasons left out (the tools have no slot)."""
    names = {s.key: s.name for s in article.sources}

    def keep(o: object) -> bool:
        return origin is None or str(o) == origin

    return {
        "text": article.text,
        "entities": sorted(
            (e.start, e.end, e.label, str(e.origin)) for e in article.entities if keep(e.origin)
        ),
        "quotes": sorted(
            (
                q.start,
                q.end,
                str(q.kind),
                str(q.origin),
                (q.cue.start, q.cue.end) if q.cue else None,
                (q.speaker.start, q.speaker.end) if q.speaker else None,
                names.get(q.source_key or ""),
            )
            for q in article.quotes
            if keep(q.origin)
        ),
    }


def counts(article: Article) -> tuple[int, int]:
    """The regions (spans) and relations an export of ``article`` holds."""
    flat = flatten(article)
    return len(flat.marks), len(flat.links)
