"""Conversions between table rows and domain dataclasses."""

from __future__ import annotations

from desktop.domain import (
    Article,
    ArticleStatus,
    Entity,
    Origin,
    Quote,
    QuoteKind,
    Source,
    Span,
)
from desktop.store.models import ArticleRow, EntityRow, MentionRow, QuoteRow, SourceRow


def _span(text: str, start: int | None, end: int | None) -> Span | None:
    if start is None or end is None:
        return None
    return Span(start, end, text[start:end])


def article_from_row(row: ArticleRow, include_rejected: bool = False) -> Article:
    """The domain article with its annotations (rejected ones only when asked)."""
    text = row.text

    def keep(a: EntityRow | QuoteRow | SourceRow) -> bool:
        return include_rejected or not a.rejected

    entities = [
        Entity(e.start, e.end, e.label, text[e.start : e.end], Origin(e.origin), e.rejected)
        for e in sorted(row.entities, key=lambda e: (e.start, e.end))
        if keep(e)
    ]
    sources = [source_from_row(s) for s in sorted(row.sources, key=lambda s: s.id) if keep(s)]
    keys = {s.id: s.key for s in row.sources}
    quotes = [
        Quote(
            start=q.start,
            end=q.end,
            text=text[q.start : q.end],
            kind=QuoteKind(q.kind),
            cue=_span(text, q.cue_start, q.cue_end),
            speaker=_span(text, q.speaker_start, q.speaker_end),
            source_key=keys.get(q.source_id) if q.source_id is not None else None,
            origin=Origin(q.origin),
            rejected=q.rejected,
        )
        for q in sorted(row.quotes, key=lambda q: (q.start, q.end))
        if keep(q)
    ]
    return Article(
        external_id=row.external_id,
        text=text,
        title=row.title,
        meta=dict(row.meta or {}),
        status=ArticleStatus(row.status),
        entities=entities,
        sources=sources,
        quotes=quotes,
        model_name=row.model_name,
        model_version=row.model_version,
        revision=row.revision,
    )


def source_from_row(row: SourceRow) -> Source:
    text = row.article.text
    return Source(
        key=row.key,
        name=row.name,
        type=row.type,
        description=row.description,
        mentions=[Span(m.start, m.end, text[m.start : m.end]) for m in row.mentions],
        origin=Origin(row.origin),
    )


def entity_row(e: Entity) -> EntityRow:
    return EntityRow(
        start=e.start, end=e.end, label=e.label, origin=str(e.origin), rejected=e.rejected
    )


def source_row(s: Source) -> SourceRow:
    return SourceRow(
        key=s.key,
        name=s.name,
        type=s.type,
        description=s.description,
        origin=str(s.origin),
        mentions=[MentionRow(start=m.start, end=m.end) for m in s.mentions],
    )


def quote_row(q: Quote, source: SourceRow | None) -> QuoteRow:
    return QuoteRow(
        start=q.start,
        end=q.end,
        kind=str(q.kind),
        cue_start=q.cue.start if q.cue else None,
        cue_end=q.cue.end if q.cue else None,
        speaker_start=q.speaker.start if q.speaker else None,
        speaker_end=q.speaker.end if q.speaker else None,
        source=source,
        origin=str(q.origin),
        rejected=q.rejected,
    )
