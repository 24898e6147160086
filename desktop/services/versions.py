"""A layer's version of an article as a domain Article, and back.

A layer (``store.layers``) keeps its entities, sources and quotes in the project's JSONL
form; ``annotations_of`` writes that form and ``version_article`` reads it onto the stored
article. ``model_version`` is what a parallel annotator starts from; ``named`` names an
annotator's record's unnamed human annotations as theirs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop.domain import Article, ArticleStatus, Origin
from desktop.formats.jsonl import article_from_record, article_record

_KEYS = ("entities", "sources", "quotes")


def annotations_of(article: Article) -> dict[str, Any]:
    """An article's entities, sources and quotes in the JSONL form a layer stores; what is
    rejected is left out (a layer is its annotator's alone: nothing comes back into it)."""
    live = replace(
        article,
        entities=[e for e in article.entities if not e.rejected],
        quotes=[q for q in article.quotes if not q.rejected],
    )
    record = article_record(live)
    return {key: record[key] for key in _KEYS}


def version_article(
    base: Article, annotations: dict[str, Any], annotator: str | None, status: str
) -> Article:
    """``base`` (the article as stored) with a layer's annotations in place of its own."""
    record = {"id": base.external_id, "text": base.text, **annotations}
    made = article_from_record(record)
    return replace(
        base,
        entities=made.entities,
        sources=made.sources,
        quotes=made.quotes,
        status=ArticleStatus(status),
        annotator=annotator,
        status_by=None,  # a layer's status is its own (the layer row says who saved it)
        status_at=None,
    )


def model_version(article: Article) -> Article:
    """What the model made of the article (with ``include_rejected``: a person's
    rejection in the shared layer is not the model's), a parallel annotator's start."""
    sources = [s for s in article.sources if s.origin == Origin.MODEL]
    keys = {s.key for s in sources}
    quotes = [
        replace(q, rejected=False, source_key=q.source_key if q.source_key in keys else None)
        for q in article.quotes
        if q.origin == Origin.MODEL
    ]
    entities = [replace(e, rejected=False) for e in article.entities if e.origin == Origin.MODEL]
    return replace(article, entities=entities, sources=sources, quotes=quotes)


def named(article: Article, who: str) -> Article:
    """``article`` with each of a person's annotations that names nobody named ``who``
    (an annotator's record: its human annotations are theirs)."""

    def mine(items: list[Any]) -> list[Any]:
        return [
            replace(a, annotator=who) if a.origin == Origin.HUMAN and a.annotator is None else a
            for a in items
        ]

    return replace(
        article,
        entities=mine(article.entities),
        sources=mine(article.sources),
        quotes=mine(article.quotes),
    )
