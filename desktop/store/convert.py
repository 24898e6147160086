"""Conversions between table rows and domain dataclasses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

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

_ORIGINS = {str(o): o for o in Origin}
_KINDS = {str(k): k for k in QuoteKind}


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
            confidence=q.confidence,
            reason=q.reason or "",
            source_confidence=q.source_confidence,
            source_reason=q.source_reason or "",
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
        confidence=q.confidence,
        reason=q.reason,
        source_confidence=q.source_confidence,
        source_reason=q.source_reason,
    )


def read_article(session: Session, row: ArticleRow, include_rejected: bool = True) -> Article:
    """The article with its annotations, read as plain columns (an article with a thousand
    entities takes a few milliseconds); rejected entities and quotes only when asked."""
    aid, text = row.id, row.text
    entities = [
        Entity(start, end, label, text[start:end], _ORIGINS[origin], rejected)
        for start, end, label, origin, rejected in session.execute(
            select(
                EntityRow.start,
                EntityRow.end,
                EntityRow.label,
                EntityRow.origin,
                EntityRow.rejected,
            )
            .where(EntityRow.article_id == aid)
            .order_by(EntityRow.start, EntityRow.end)
        )
    ]
    mentions: dict[int, list[Span]] = {}
    for sid, start, end in session.execute(
        select(MentionRow.source_id, MentionRow.start, MentionRow.end)
        .join(SourceRow)
        .where(SourceRow.article_id == aid)
        .order_by(MentionRow.start)
    ):
        mentions.setdefault(sid, []).append(Span(start, end, text[start:end]))
    keys: dict[int, str] = {}
    sources = []
    for sid, key, name, type_, description, origin in session.execute(
        select(
            SourceRow.id,
            SourceRow.key,
            SourceRow.name,
            SourceRow.type,
            SourceRow.description,
            SourceRow.origin,
        )
        .where(SourceRow.article_id == aid, SourceRow.rejected.is_(False))
        .order_by(SourceRow.id)
    ):
        keys[sid] = key
        sources.append(
            Source(key, name, type_, description, mentions.get(sid, []), _ORIGINS[origin])
        )

    def span(start: int | None, end: int | None) -> Span | None:
        return None if start is None or end is None else Span(start, end, text[start:end])

    quotes = [
        Quote(
            q.start,
            q.end,
            text[q.start : q.end],
            _KINDS[q.kind],
            span(q.cue_start, q.cue_end),
            span(q.speaker_start, q.speaker_end),
            keys.get(q.source_id) if q.source_id is not None else None,
            _ORIGINS[q.origin],
            q.rejected,
            q.confidence,
            q.reason or "",
            q.source_confidence,
            q.source_reason or "",
        )
        for q in session.execute(
            select(
                QuoteRow.start,
                QuoteRow.end,
                QuoteRow.kind,
                QuoteRow.cue_start,
                QuoteRow.cue_end,
                QuoteRow.speaker_start,
                QuoteRow.speaker_end,
                QuoteRow.source_id,
                QuoteRow.origin,
                QuoteRow.rejected,
                QuoteRow.confidence,
                QuoteRow.reason,
                QuoteRow.source_confidence,
                QuoteRow.source_reason,
            )
            .where(QuoteRow.article_id == aid)
            .order_by(QuoteRow.start, QuoteRow.end)
        )
    ]
    if not include_rejected:
        entities = [e for e in entities if not e.rejected]
        quotes = [q for q in quotes if not q.rejected]
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
