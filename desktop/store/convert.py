"""Conversions between table rows and domain dataclasses.

Reading has one path, ``read_articles``: plain column SELECTs for a batch of article ids,
serving the window and the editor (one article) and the streamed export (batches). Writing
goes through ``entity_row``, ``source_row`` and ``quote_row`` (the ORM, for re-analysis) or
``bulk`` (plain INSERTs, for import and undo).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, select
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
from desktop.store.models import (
    ArticleRow,
    Base,
    EntityRow,
    MentionRow,
    QuoteRow,
    SourceRow,
)

_ORIGINS = {str(o): o for o in Origin}
_KINDS = {str(k): k for k in QuoteKind}
_STATUSES = {str(s): s for s in ArticleStatus}

# Core columns of the plain tables (not the ORM attributes: ORM-enabled SELECTs cost several
# times more per row), and the statements built once, for a batch of ids bound at run time
_TABLES = Base.metadata.tables
_SOURCE = _TABLES[SourceRow.__tablename__]
_MENTION = _TABLES[MentionRow.__tablename__]
_A = _TABLES[ArticleRow.__tablename__].c
_E = _TABLES[EntityRow.__tablename__].c
_S = _SOURCE.c
_M = _MENTION.c
_Q = _TABLES[QuoteRow.__tablename__].c
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)

_ARTICLES: Select[Any] = select(
    _A.id,
    _A.external_id,
    _A.title,
    _A.text,
    _A.meta,
    _A.status,
    _A.model_name,
    _A.model_version,
    _A.revision,
    _A.status_by,
    _A.status_at,
).where(_A.id.in_(_IDS))
_ENTITIES: Select[Any] = (
    select(_E.article_id, _E.start, _E.end, _E.label, _E.origin, _E.rejected, _E.annotator)
    .where(_E.article_id.in_(_IDS))
    .order_by(_E.article_id, _E.start, _E.end, _E.id)
)
_SOURCES: Select[Any] = (
    select(
        _S.article_id, _S.id, _S.key, _S.name, _S.type, _S.description, _S.origin, _S.annotator
    )
    .where(_S.article_id.in_(_IDS), _S.rejected.is_(False))
    .order_by(_S.article_id, _S.id)
)
_MENTIONS: Select[Any] = (
    select(_S.article_id, _M.source_id, _M.start, _M.end)
    .join_from(_MENTION, _SOURCE, _M.source_id == _S.id)
    .where(_S.article_id.in_(_IDS))
    .order_by(_M.source_id, _M.start, _M.id)
)
_QUOTES: Select[Any] = (
    select(
        _Q.article_id,
        _Q.start,
        _Q.end,
        _Q.kind,
        _Q.cue_start,
        _Q.cue_end,
        _Q.speaker_start,
        _Q.speaker_end,
        _Q.source_id,
        _Q.origin,
        _Q.rejected,
        _Q.confidence,
        _Q.reason,
        _Q.source_confidence,
        _Q.source_reason,
        _Q.annotator,
    )
    .where(_Q.article_id.in_(_IDS))
    .order_by(_Q.article_id, _Q.start, _Q.end, _Q.id)
)


def _span(text: str, start: int | None, end: int | None) -> Span | None:
    if start is None or end is None:
        return None
    return Span(start, end, text[start:end])


def read_articles(
    session: Session, ids: Sequence[int], include_rejected: bool = False
) -> list[tuple[int, Article]]:
    """The articles with these ids (in that order; an unknown id is left out), with their
    annotations, read as plain columns: five SELECTs for the whole batch, whatever its size
    (the window reads one article, the export batches of a few hundred). Rejected entities
    and quotes only when asked; rejected sources never."""
    if not ids:
        return []
    bind = {"ids": list(ids)}
    texts: dict[int, str] = {}
    heads: dict[int, Any] = {}
    for read in session.execute(_ARTICLES, bind):
        texts[read.id] = read.text
        heads[read.id] = read

    entities: dict[int, list[Entity]] = {aid: [] for aid in texts}
    for aid, start, end, label, origin, rejected, who in session.execute(_ENTITIES, bind):
        if include_rejected or not rejected:
            text = texts[aid]
            entities[aid].append(
                Entity(start, end, label, text[start:end], _ORIGINS[origin], rejected, who)
            )

    mentions: dict[int, list[Span]] = {}
    for aid, sid, start, end in session.execute(_MENTIONS, bind):
        mentions.setdefault(sid, []).append(Span(start, end, texts[aid][start:end]))
    sources: dict[int, list[Source]] = {aid: [] for aid in texts}
    keys: dict[int, str] = {}
    for aid, sid, key, name, type_, description, origin, who in session.execute(
        _SOURCES, bind
    ):
        keys[sid] = key
        sources[aid].append(
            Source(
                key, name, type_, description, mentions.get(sid, []), _ORIGINS[origin],
                annotator=who,
            )  # fmt: skip
        )

    quotes: dict[int, list[Quote]] = {aid: [] for aid in texts}
    for q in session.execute(_QUOTES, bind):
        if q.rejected and not include_rejected:
            continue
        text = texts[q.article_id]
        quotes[q.article_id].append(
            Quote(
                q.start,
                q.end,
                text[q.start : q.end],
                _KINDS[q.kind],
                _span(text, q.cue_start, q.cue_end),
                _span(text, q.speaker_start, q.speaker_end),
                keys.get(q.source_id) if q.source_id is not None else None,
                _ORIGINS[q.origin],
                q.rejected,
                q.confidence,
                q.reason or "",
                q.source_confidence,
                q.source_reason or "",
                q.annotator,
            )
        )

    out = []
    for aid in ids:
        head = heads.get(aid)
        if head is None:
            continue
        article = Article(
            external_id=head.external_id,
            text=texts[aid],
            title=head.title,
            meta=dict(head.meta or {}),
            status=_STATUSES[head.status],
            entities=entities[aid],
            sources=sources[aid],
            quotes=quotes[aid],
            model_name=head.model_name,
            model_version=head.model_version,
            revision=head.revision,
            status_by=head.status_by,
            status_at=as_utc(head.status_at),
        )
        out.append((aid, article))
    return out


def as_utc(at: datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives it back without its zone)."""
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def entity_row(e: Entity) -> EntityRow:
    return EntityRow(
        start=e.start,
        end=e.end,
        label=e.label,
        origin=str(e.origin),
        rejected=e.rejected,
        annotator=e.annotator,
    )


def source_row(s: Source) -> SourceRow:
    return SourceRow(
        key=s.key,
        name=s.name,
        type=s.type,
        description=s.description,
        origin=str(s.origin),
        annotator=s.annotator,
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
        annotator=q.annotator,
    )
