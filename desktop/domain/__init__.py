"""Plain data: articles, entities, quotes, sources and spans. Imports nothing of Quotedesk."""

from desktop.domain.model import (
    SOURCE_TYPES,
    Article,
    ArticleStatus,
    Attribution,
    Entity,
    Origin,
    Quote,
    QuoteKind,
    Source,
    Span,
)

__all__ = [
    "SOURCE_TYPES",
    "Article",
    "ArticleStatus",
    "Attribution",
    "Entity",
    "Origin",
    "Quote",
    "QuoteKind",
    "Source",
    "Span",
]
