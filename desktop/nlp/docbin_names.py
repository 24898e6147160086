"""Who made each annotation and who set the status (issue 14), in a DocBin's
``Doc._.article``: ``"annotators"`` lists the names of the entities, sources and quotes in
their order (None for the model's), beside ``"status_by"`` and ``"status_at"``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desktop.domain import Article
from desktop.domain.team import check_annotator


def _named(article: Article) -> dict[str, list[Any]]:
    return {"entities": article.entities, "sources": article.sources, "quotes": article.quotes}


def names_dict(article: Article) -> dict[str, Any]:
    """Who made each annotation and set the status (issue 14); nothing when nobody did."""
    names = {kind: [x.annotator for x in items] for kind, items in _named(article).items()}
    if article.status_by is None and not any(any(n) for n in names.values()):
        return {}
    at = article.status_at.isoformat() if article.status_at is not None else None
    return {"annotators": names, "status_by": article.status_by, "status_at": at}


def read_names(article: Article, info: dict[str, Any]) -> None:
    """Put back into ``article`` the names ``names_dict`` kept (``info``: ``Doc._.article``)."""
    names = info.get("annotators") or {}
    for kind, items in _named(article).items():
        for item, who in zip(items, names.get(kind) or [], strict=False):
            item.annotator = check_annotator(who) if who is not None else None
    article.status_by = check_annotator(info["status_by"]) if info.get("status_by") else None
    at = info.get("status_at")
    article.status_at = datetime.fromisoformat(at).astimezone(UTC) if at else None
