"""Putting a new analysis of an article in place of its old model annotations.

Plain SQLAlchemy Core statements (one read per table, executemany writes), no ORM unit of
work, and only the difference is written: a model annotation the new analysis finds again,
unchanged, keeps its row; the others are deleted and the new ones inserted. What a person
made or rejected is never read for writing: it is only what the new analysis must not
override (a rejected span stays out, a span a person annotated over is not added). The
statements are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, bindparam, delete, select, update
from sqlalchemy.orm import Session

from desktop.domain import Attribution, Entity, Origin, Quote, Source
from desktop.store.bulk import ENTITY, MENTION, QUOTE, SOURCE
from desktop.store.models import ArticleRow, Base, utcnow

HUMAN = str(Origin.HUMAN)
ARTICLE = Base.metadata.tables[ArticleRow.__tablename__]
_AID: BindParameter[int] = bindparam("aid")
_IDS: BindParameter[list[Any]] = bindparam("ids", expanding=True)

# statements built once (see bulk.py)
_ENTITIES = select(
    ENTITY.c.id, ENTITY.c.start, ENTITY.c.end, ENTITY.c.label, ENTITY.c.origin, ENTITY.c.rejected
).where(ENTITY.c.article_id == _AID)
_QUOTE_FIELDS = (
    "start",
    "end",
    "kind",
    "cue_start",
    "cue_end",
    "speaker_start",
    "speaker_end",
    "source_id",
    "confidence",
    "reason",
    "source_confidence",
    "source_reason",
)
_QUOTES = select(
    QUOTE.c.id, QUOTE.c.origin, QUOTE.c.rejected, *(QUOTE.c[f] for f in _QUOTE_FIELDS)
).where(QUOTE.c.article_id == _AID)
_SOURCES = (
    select(
        SOURCE.c.id,
        SOURCE.c.key,
        SOURCE.c.name,
        SOURCE.c.type,
        SOURCE.c.description,
        SOURCE.c.origin,
        SOURCE.c.rejected,
    )
    .where(SOURCE.c.article_id == _AID)
    .order_by(SOURCE.c.id)
)
_MENTIONS = (
    select(MENTION.c.source_id, MENTION.c.start, MENTION.c.end)
    .join_from(MENTION, SOURCE, MENTION.c.source_id == SOURCE.c.id)
    .where(SOURCE.c.article_id == _AID)
    .order_by(MENTION.c.source_id, MENTION.c.start, MENTION.c.id)
)
_SOURCE_IDS = select(SOURCE.c.key, SOURCE.c.id).where(
    SOURCE.c.article_id == _AID, SOURCE.c.key.in_(_IDS)
)
_DELETE_ENTITIES = delete(ENTITY).where(ENTITY.c.id.in_(_IDS))
_DELETE_QUOTES = delete(QUOTE).where(QUOTE.c.id.in_(_IDS))
_DELETE_MENTIONS = delete(MENTION).where(MENTION.c.source_id.in_(_IDS))
_DELETE_SOURCES = delete(SOURCE).where(SOURCE.c.id.in_(_IDS))


@dataclass
class AnalysisChange:
    """What re-analysis did in one article. ``added`` and ``removed`` count model
    annotations as the analyst sees them (all of the new analysis, all of the old);
    ``unchanged`` says how many of them were found again and kept their rows, so that
    only ``added - unchanged`` rows were written."""

    added: int = 0
    removed: int = 0
    kept_human: int = 0
    unchanged: int = 0


def _touched(row: Any) -> bool:
    return bool(row.origin == HUMAN or row.rejected)


def _overlaps(start: int, end: int, others: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in others)


def free_key(taken: set[str]) -> str:
    """The first ``s1``, ``s2``, ... not in ``taken``."""
    n = 1
    while f"s{n}" in taken:
        n += 1
    return f"s{n}"


def replace_model_analysis(
    session: Session,
    article_id: int,
    entities: Sequence[Entity],
    attribution: Attribution,
    model_name: str,
    model_version: str,
) -> AnalysisChange:
    """Replace the article's model annotations with a new analysis.

    Human annotations and rejected model annotations stay as they are. A new model
    annotation is dropped when a person rejected the same span or annotated over it."""
    session.flush()
    change = AnalysisChange()
    _entities(session, article_id, entities, change)
    _quotes_and_sources(session, article_id, attribution, change)
    session.execute(
        update(ARTICLE)
        .where(ARTICLE.c.id == article_id)
        .values(
            model_name=model_name,
            model_version=model_version,
            analyzed_at=utcnow(),
            revision=ARTICLE.c.revision + 1,
        )
    )
    _expire(session, article_id)
    return change


def _entities(
    session: Session, aid: int, entities: Sequence[Entity], change: AnalysisChange
) -> None:
    old = session.execute(_ENTITIES, {"aid": aid}).all()
    kept = [e for e in old if _touched(e)]
    change.removed += len(old) - len(kept)
    change.kept_human += len(kept)
    rejected = {(e.start, e.end, e.label) for e in kept if e.rejected}
    human = [(e.start, e.end) for e in kept if not e.rejected]
    new = [
        e
        for e in entities
        if (e.start, e.end, e.label) not in rejected and not _overlaps(e.start, e.end, human)
    ]
    change.added += len(new)
    have: dict[tuple[Any, ...], list[int]] = {}
    for row in old:
        if not _touched(row):
            key = (row.start, row.end, row.label, row.origin, row.rejected)
            have.setdefault(key, []).append(row.id)
    missing = []
    for e in new:
        ids = have.get((e.start, e.end, e.label, str(e.origin), e.rejected))
        if ids:
            ids.pop()
            change.unchanged += 1
        else:
            missing.append(e)
    surplus = [i for ids in have.values() for i in ids]
    if surplus:
        session.execute(_DELETE_ENTITIES, {"ids": surplus})
    if missing:
        session.execute(
            ENTITY.insert(),
            [
                {
                    "article_id": aid,
                    "start": e.start,
                    "end": e.end,
                    "label": e.label,
                    "origin": str(e.origin),
                    "rejected": e.rejected,
                }
                for e in missing
            ],
        )


def _source_signature(
    key: str,
    name: str,
    type_: str,
    description: str,
    origin: str,
    mentions: Sequence[tuple[int, int]],
) -> tuple[Any, ...]:
    return (key, name, type_, description, origin, tuple(sorted(mentions)))


def _quote_values(q: Quote, source_id: int | None) -> tuple[Any, ...]:
    return (
        q.start,
        q.end,
        str(q.kind),
        q.cue.start if q.cue else None,
        q.cue.end if q.cue else None,
        q.speaker.start if q.speaker else None,
        q.speaker.end if q.speaker else None,
        source_id,
        q.confidence,
        q.reason,
        q.source_confidence,
        q.source_reason,
        str(q.origin),
        q.rejected,
    )


def _quotes_and_sources(
    session: Session, aid: int, attribution: Attribution, change: AnalysisChange
) -> None:
    old_quotes = session.execute(_QUOTES, {"aid": aid}).all()
    old_sources = session.execute(_SOURCES, {"aid": aid}).all()
    mentions: dict[int, list[tuple[int, int]]] = {}
    for source_id, start, end in session.execute(_MENTIONS, {"aid": aid}):
        mentions.setdefault(source_id, []).append((start, end))

    kept_quotes = [q for q in old_quotes if _touched(q)]
    used = {q.source_id for q in kept_quotes}
    kept_sources = [s for s in old_sources if _touched(s) or s.id in used]
    kept_ids = {s.id for s in kept_sources}
    change.removed += len(old_quotes) - len(kept_quotes) + len(old_sources) - len(kept_sources)
    change.kept_human += len(kept_quotes)
    rejected_quotes = {(q.start, q.end) for q in kept_quotes if q.rejected}
    human_quotes = [(q.start, q.end) for q in kept_quotes if not q.rejected]

    # each new source goes under a kept one of the same name, or gets the next free key
    by_name = {s.name.casefold(): s.id for s in kept_sources if not s.rejected}
    taken = {s.key for s in kept_sources}
    kept_for: dict[str, int] = {}
    keyed: dict[str, tuple[str, Source]] = {}
    for src in attribution.sources:
        existing = by_name.get(src.name.casefold())
        if existing is not None:
            kept_for[src.key] = existing
            continue
        key = free_key(taken)
        taken.add(key)
        keyed[src.key] = (key, src)
    new_quotes = [
        q
        for q in attribution.quotes
        if (q.start, q.end) not in rejected_quotes and not _overlaps(q.start, q.end, human_quotes)
    ]
    # only sources that some new quote hangs on are kept
    wanted = {q.source_key for q in new_quotes if q.source_key in keyed}
    new_sources = [keyed[k] for k in keyed if k in wanted]
    change.added += len(new_quotes) + len(new_sources)

    # a model source found again as it was (same key, name, mentions) keeps its row
    reusable: dict[tuple[Any, ...], int] = {}
    for s in old_sources:
        if s.id not in kept_ids:
            reusable[
                _source_signature(
                    s.key, s.name, s.type, s.description, s.origin, mentions.get(s.id, [])
                )
            ] = s.id
    source_ids: dict[str, int] = dict(kept_for)
    inserting: list[tuple[str, Source]] = []
    for key, src in new_sources:
        signature = _source_signature(
            key,
            src.name,
            src.type,
            src.description,
            str(src.origin),
            [(m.start, m.end) for m in src.mentions],
        )
        reused = reusable.pop(signature, None)
        if reused is None:
            inserting.append((key, src))
        else:
            source_ids[src.key] = reused
            change.unchanged += 1
    surplus_sources = list(reusable.values())

    # quotes found again with the same fields and the same source keep their rows
    have: dict[tuple[Any, ...], list[int]] = {}
    for old_quote in old_quotes:
        if not _touched(old_quote):
            values = tuple(getattr(old_quote, f) for f in _QUOTE_FIELDS)
            have.setdefault((*values, old_quote.origin, old_quote.rejected), []).append(
                old_quote.id
            )
    missing: list[Quote] = []
    for q in new_quotes:
        ids = have.get(_quote_values(q, source_ids.get(q.source_key or "")))
        if ids:
            ids.pop()
            change.unchanged += 1
        else:
            missing.append(q)
    surplus_quotes = [i for ids in have.values() for i in ids]

    if surplus_quotes:
        session.execute(_DELETE_QUOTES, {"ids": surplus_quotes})
    if surplus_sources:
        session.execute(_DELETE_MENTIONS, {"ids": surplus_sources})
        session.execute(_DELETE_SOURCES, {"ids": surplus_sources})
    if inserting:
        source_ids.update(_insert_sources(session, aid, inserting))
    if missing:
        session.execute(
            QUOTE.insert(),
            [_quote_row(aid, q, source_ids.get(q.source_key or "")) for q in missing],
        )


def _insert_sources(
    session: Session, aid: int, sources: list[tuple[str, Source]]
) -> dict[str, int]:
    """Insert the sources under their new keys, with their mentions: engine key -> row id."""
    session.execute(
        SOURCE.insert(),
        [
            {
                "article_id": aid,
                "key": key,
                "name": s.name,
                "type": s.type,
                "description": s.description,
                "origin": str(s.origin),
                "rejected": False,
            }
            for key, s in sources
        ],
    )
    made = dict(session.execute(_SOURCE_IDS, {"aid": aid, "ids": [k for k, _ in sources]}).all())
    rows = [
        {"source_id": made[key], "start": m.start, "end": m.end}
        for key, s in sources
        for m in s.mentions
    ]
    if rows:
        session.execute(MENTION.insert(), rows)
    return {s.key: made[key] for key, s in sources}


def _quote_row(aid: int, q: Quote, source_id: int | None) -> dict[str, Any]:
    values = _quote_values(q, source_id)
    row = dict(zip(_QUOTE_FIELDS, values, strict=False))
    row.update(article_id=aid, origin=str(q.origin), rejected=q.rejected)
    return row


def _expire(session: Session, aid: int) -> None:
    """Objects of this article the session holds are stale now: reload them on access."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, ArticleRow) and obj.id == aid:
            session.expire(obj)
        elif getattr(obj, "article_id", None) == aid:
            session.expire(obj)
