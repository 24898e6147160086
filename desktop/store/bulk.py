"""Writing an article's annotations with plain INSERTs (executemany), for speed.

Used where whole sets of rows are written at once: importing an article and restoring a
snapshot on undo. The ORM's unit of work costs about ten times more per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from desktop.domain import Entity, Quote, Source
from desktop.store.models import EntityRow, MentionRow, QuoteRow, SourceRow

# the plain tables: inserting into them skips the ORM's bulk machinery
ENTITY = EntityRow.__table__
SOURCE = SourceRow.__table__
MENTION = MentionRow.__table__
QUOTE = QuoteRow.__table__


def insert_entities(session: Session, article_id: int, entities: Iterable[Entity]) -> None:
    rows = [
        {
            "article_id": article_id,
            "start": e.start,
            "end": e.end,
            "label": e.label,
            "origin": str(e.origin),
            "rejected": e.rejected,
        }
        for e in entities
    ]
    if rows:
        session.execute(insert(ENTITY), rows)


def insert_sources_and_quotes(
    session: Session, article_id: int, sources: list[Source], quotes: list[Quote]
) -> None:
    """Sources with their mentions, then the quotes linked to them by key."""
    ids: dict[str, int] = {}
    if sources:
        made = session.execute(
            insert(SOURCE)
            .values(
                [
                    {
                        "article_id": article_id,
                        "key": s.key,
                        "name": s.name,
                        "type": s.type,
                        "description": s.description,
                        "origin": str(s.origin),
                        "rejected": False,
                    }
                    for s in sources
                ]
            )
            .returning(SOURCE.c.id, SOURCE.c.key)
        )
        ids = {key: sid for sid, key in made}
    mentions = [
        {"source_id": ids[s.key], "start": m.start, "end": m.end}
        for s in sources
        for m in s.mentions
    ]
    if mentions:
        session.execute(insert(MENTION), mentions)
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
        }
        for q in quotes
    ]
    if rows:
        session.execute(insert(QUOTE), rows)
