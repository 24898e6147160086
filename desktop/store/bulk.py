"""Writing an article's annotations with plain INSERTs (executemany), for speed.

Used where whole sets of rows are written at once: importing an article and restoring a
snapshot on undo. The ORM's unit of work costs about ten times more per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from desktop.domain import Entity, Quote, Source
from desktop.store.models import Base, EntityRow, MentionRow, QuoteRow, SourceRow

# the plain tables: inserting into them skips the ORM's bulk machinery
ENTITY = Base.metadata.tables[EntityRow.__tablename__]
SOURCE = Base.metadata.tables[SourceRow.__tablename__]
MENTION = Base.metadata.tables[MentionRow.__tablename__]
QUOTE = Base.metadata.tables[QuoteRow.__tablename__]

# statements built once: building them costs more than running them for a small article
_INSERT_ENTITY = insert(ENTITY)
_INSERT_SOURCE = insert(SOURCE)
_INSERT_MENTION = insert(MENTION)
_INSERT_QUOTE = insert(QUOTE)
_SOURCE_IDS = select(SOURCE.c.key, SOURCE.c.id).where(SOURCE.c.article_id == bindparam("aid"))


def insert_entities(session: Session, article_id: int, entities: Iterable[Entity]) -> None:
    rows = [
        {
            "article_id": article_id,
            "start": e.start,
            "end": e.end,
            "label": e.label,
            "origin": str(e.origin),
            "rejected": e.rejected,
            "annotator": e.annotator,
        }
        for e in entities
    ]
    if rows:
        session.execute(_INSERT_ENTITY, rows)


def insert_sources_and_quotes(
    session: Session, article_id: int, sources: list[Source], quotes: list[Quote]
) -> None:
    """Sources with their mentions, then the quotes linked to them by key."""
    ids: dict[str, int] = {}
    if sources:
        # executemany and a read back by key: one cached statement each, whatever the count
        session.execute(
            _INSERT_SOURCE,
            [
                {
                    "article_id": article_id,
                    "key": s.key,
                    "name": s.name,
                    "type": s.type,
                    "description": s.description,
                    "origin": str(s.origin),
                    "rejected": False,
                    "annotator": s.annotator,
                }
                for s in sources
            ],
        )
        made = session.execute(_SOURCE_IDS, {"aid": article_id})
        ids = {key: sid for key, sid in made}
    mentions = [
        {"source_id": ids[s.key], "start": m.start, "end": m.end}
        for s in sources
        for m in s.mentions
    ]
    if mentions:
        session.execute(_INSERT_MENTION, mentions)
    rows = [
        {
            "article_id": article_id,
            "start": q.start,
            "end": q.end,
            "kind": str(q.kind),
            "cue_start": q.cue.start if q.cue else None,
            "cue_end": q.cue.end if q.cue else None,
            "speaker_start": q.speaker.start if q.speaker else None,
            "speaker_end": q.speaker.end if q.speaker else None,
            "source_id": ids.get(q.source_key or ""),
            "origin": str(q.origin),
            "rejected": q.rejected,
            "confidence": q.confidence,
            "reason": q.reason,
            "source_confidence": q.source_confidence,
            "source_reason": q.source_reason,
            "annotator": q.annotator,
        }
        for q in quotes
    ]
    if rows:
        session.execute(_INSERT_QUOTE, rows)
