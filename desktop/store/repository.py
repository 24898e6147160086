"""Queries and writes over articles and their annotations, in domain terms.

Every function takes an open ``Session`` from ``Database.transaction()`` or
``Database.session()``; the caller decides the transaction boundary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.orm import Session, selectinload

from desktop.domain import Article, Attribution, Entity, Origin, Quote
from desktop.domain.offsets import content_id
from desktop.domain.outlets import outlet_of
from desktop.store import bulk
from desktop.store.convert import entity_row, quote_row, read_articles, source_row
from desktop.store.models import (
    ArticleRow,
    Base,
    CollectionRow,
    EntityRow,
    QuoteRow,
    SourceRow,
    utcnow,
)

DEFAULT_COLLECTION = "default"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the article list."""

    id: int
    external_id: str
    title: str
    status: str
    collection: str
    analyzed: bool
    entities: int
    quotes: int
    sources: int
    published: str = ""
    lowest_confidence: float | None = None  # its least certain quote (migration 0005)


@dataclass
class AnalysisChange:
    """How many model annotations re-analysis added and removed in one article."""

    added: int = 0
    removed: int = 0
    kept_human: int = 0


def collection(session: Session, name: str = DEFAULT_COLLECTION, create: bool = True) -> int:
    """The id of the named collection, created when absent and ``create`` is set."""
    found = session.scalar(select(CollectionRow.id).where(CollectionRow.name == name))
    if found is not None:
        return found
    if not create:
        raise KeyError(name)
    row = CollectionRow(name=name)
    session.add(row)
    session.flush()
    return row.id


def collection_names(session: Session) -> list[str]:
    return list(session.scalars(select(CollectionRow.name).order_by(CollectionRow.name)))


class Placed(StrEnum):
    """What ``place_article`` did with a record."""

    ADDED = "added"
    ADDED_SAME_TEXT = "added, same text as another id"  # its own id: a different record
    PRESENT = "already present"  # same id, same text
    PRESENT_BY_TEXT = "already present by text"  # no id of its own, the text is there
    CONFLICT = "id taken by a different text"  # refused: never silently skipped


@dataclass(frozen=True)
class Placement:
    """The outcome for one record: the new row's id when added, else the existing
    article it matched (``existing_id``, its external id; for CONFLICT, its text)."""

    outcome: Placed
    article_id: int | None = None
    existing_id: str | None = None
    existing_text: str | None = None


# built once (see bulk.py); two lookups, each on its own index (an OR would scan)
_SAME_ID = (
    select(ArticleRow.id, ArticleRow.text_hash)
    .where(ArticleRow.collection_id == bindparam("c"), ArticleRow.external_id == bindparam("e"))
    .limit(1)
)
# by the hash alone: with the collection in the WHERE clause too, SQLite picks the
# collection index and reads every article of the collection (import became quadratic)
_SAME_TEXT = select(ArticleRow.collection_id, ArticleRow.external_id).where(
    ArticleRow.text_hash == bindparam("h")
)
_ARTICLE = Base.metadata.tables[ArticleRow.__tablename__]
_INSERT_ARTICLE = insert(_ARTICLE).returning(_ARTICLE.c.id)


def add_article(session: Session, collection_id: int, article: Article) -> int | None:
    """Insert the article with its annotations; None when ``place_article`` did not add it."""
    return place_article(session, collection_id, article).article_id


def place_article(session: Session, collection_id: int, article: Article) -> Placement:
    """Insert the article with its annotations unless the collection already has it.

    The external id names a record, so it decides:

    - same id and same text: already present, skipped (imports are idempotent);
    - same id, different text: refused (CONFLICT), the stored article stays as it is. A
      second text under one id is a conflict only the user can settle (which one is right?);
      importing it under a made-up id would break the id the other tools know it by;
    - a record without an id of its own (its id is ``content_id(text)``) whose text is
      there under another id: already present, skipped;
    - a record with its own, different id whose text is there: a different record (the same
      wire story from two outlets), added and counted as such.
    """
    digest = text_hash(article.text)
    key = {"c": collection_id, "e": article.external_id, "h": digest}
    same_id = session.execute(_SAME_ID, key).first()
    if same_id is not None:
        if same_id.text_hash == digest:  # SHA-256: equal hashes are equal texts
            return Placement(Placed.PRESENT, existing_id=article.external_id)
        stored = session.get_one(ArticleRow, same_id.id).text  # read only for a conflict
        return Placement(Placed.CONFLICT, existing_id=article.external_id, existing_text=stored)
    same_text = [e for c, e in session.execute(_SAME_TEXT, key) if c == collection_id]
    if same_text and article.external_id == content_id(article.text):
        return Placement(Placed.PRESENT_BY_TEXT, existing_id=same_text[0])
    article_id = session.execute(
        _INSERT_ARTICLE,
        {
            "collection_id": collection_id,
            "external_id": article.external_id,
            "title": article.title,
            "text": article.text,
            "text_hash": digest,
            "meta": article.meta,
            "published": published_date(article.meta),
            "outlet": outlet_of(article.meta),
            "status": str(article.status),
            "model_name": article.model_name,
            "model_version": article.model_version,
        },
    ).scalar_one()
    bulk.insert_entities(session, article_id, article.entities)
    bulk.insert_sources_and_quotes(session, article_id, article.sources, article.quotes)
    outcome = Placed.ADDED_SAME_TEXT if same_text else Placed.ADDED
    return Placement(outcome, article_id, same_text[0] if same_text else None)


def published_date(meta: dict[str, object]) -> str | None:
    """The publication date recorded in an article's metadata, if any."""
    value = meta.get("published") or meta.get("date")
    return str(value)[:40] if value else None


def article_ids(
    session: Session,
    collection: str | None = None,
    *,
    unanalyzed_only: bool = False,
    reviewed_only: bool = False,
) -> list[int]:
    query = select(ArticleRow.id).order_by(ArticleRow.id)
    if collection is not None:
        query = query.join(CollectionRow).where(CollectionRow.name == collection)
    if unanalyzed_only:
        query = query.where(ArticleRow.analyzed_at.is_(None))
    if reviewed_only:
        query = query.where(ArticleRow.status == "reviewed")
    return list(session.scalars(query))


def any_article(session: Session) -> bool:
    return session.scalar(select(ArticleRow.id).limit(1)) is not None


def find_article(session: Session, external_id: str) -> int | None:
    """The database id of the article with that external id (first collection that has it)."""
    query = select(ArticleRow.id).where(ArticleRow.external_id == external_id)
    return session.scalar(query.order_by(ArticleRow.id).limit(1))


def _loaded(ids: Sequence[int]) -> Select[ArticleRow]:
    """The article rows as ORM objects with their annotations, for re-analysis to change."""
    return (
        select(ArticleRow)
        .where(ArticleRow.id.in_(ids))
        .options(
            selectinload(ArticleRow.entities),
            selectinload(ArticleRow.quotes),
            selectinload(ArticleRow.sources).selectinload(SourceRow.mentions),
        )
        .order_by(ArticleRow.id)
    )


def load_article(session: Session, article_id: int, include_rejected: bool = False) -> Article:
    """The article for the window and the editor; KeyError when there is none."""
    found = read_articles(session, [article_id], include_rejected)
    if not found:
        raise KeyError(article_id)
    return found[0][1]


def is_analyzed(session: Session, article_id: int) -> bool:
    query = select(ArticleRow.analyzed_at).where(ArticleRow.id == article_id)
    return session.scalar(query) is not None


def iter_articles(
    session: Session, ids: Sequence[int], batch: int = 200
) -> Iterator[tuple[int, Article]]:
    """Stream articles (rejected annotations left out) in batches, so that memory stays flat
    for large sets. Each batch is read whole before any of it is handed out: a garbage
    collection that started while SQLAlchemy was still building a streamed ORM row once
    overflowed the C stack (a segfault when exporting 10,000 articles)."""
    for i in range(0, len(ids), batch):
        yield from read_articles(session, ids[i : i + batch])


def article_text(session: Session, article_id: int) -> str:
    return session.scalars(select(ArticleRow.text).where(ArticleRow.id == article_id)).one()


def apply_model_analysis(
    session: Session,
    article_id: int,
    entities: Sequence[Entity],
    attribution: Attribution,
    model_name: str,
    model_version: str,
) -> AnalysisChange:
    """Replace the article's model annotations with a new analysis.

    Human annotations and rejected model annotations stay as they are. A new model
    annotation is dropped when a person rejected the same span or annotated over it.
    """
    row = session.scalars(_loaded([article_id])).one()
    change = AnalysisChange()

    def touched(a: EntityRow | QuoteRow | SourceRow) -> bool:
        return a.origin == Origin.HUMAN or a.rejected

    # entities
    kept_ents = [e for e in row.entities if touched(e)]
    change.removed += len(row.entities) - len(kept_ents)
    rejected_ents = {(e.start, e.end, e.label) for e in kept_ents if e.rejected}
    human_ents = [(e.start, e.end) for e in kept_ents if not e.rejected]
    new_ents = [
        entity_row(e)
        for e in entities
        if (e.start, e.end, e.label) not in rejected_ents and not _overlaps(e, human_ents)
    ]
    row.entities = kept_ents + new_ents
    change.added += len(new_ents)
    change.kept_human += len(kept_ents)

    # quotes and the sources they hang on
    kept_quotes = [q for q in row.quotes if touched(q)]
    used = {q.source_id for q in kept_quotes}
    kept_sources = [s for s in row.sources if touched(s) or s.id in used]
    change.removed += len(row.quotes) - len(kept_quotes)
    change.removed += len(row.sources) - len(kept_sources)
    change.kept_human += len(kept_quotes)
    rejected_quotes = {(q.start, q.end) for q in kept_quotes if q.rejected}
    human_quotes = [(q.start, q.end) for q in kept_quotes if not q.rejected]

    by_name = {s.name.casefold(): s for s in kept_sources if not s.rejected}
    taken = {s.key for s in kept_sources}
    mapped: dict[str, SourceRow] = {}
    new_sources = []
    for src in attribution.sources:
        existing = by_name.get(src.name.casefold())
        if existing is not None:
            mapped[src.key] = existing
            continue
        new = source_row(src)
        new.key = _free_key(taken)
        taken.add(new.key)
        mapped[src.key] = new
        new_sources.append(new)
    new_quotes = [
        quote_row(q, mapped.get(q.source_key or ""))
        for q in attribution.quotes
        if (q.start, q.end) not in rejected_quotes and not _overlaps(q, human_quotes)
    ]
    # only sources that some new quote hangs on are worth keeping
    referenced = {id(q.source) for q in new_quotes if q.source is not None}
    new_sources = [s for s in new_sources if id(s) in referenced]
    row.quotes = kept_quotes + new_quotes
    row.sources = kept_sources + new_sources
    change.added += len(new_quotes) + len(new_sources)

    row.model_name = model_name
    row.model_version = model_version
    row.analyzed_at = utcnow()
    row.revision += 1
    session.flush()
    return change


def _overlaps(span: Entity | Quote, others: list[tuple[int, int]]) -> bool:
    start, end = span.start, span.end
    return any(start < e and s < end for s, e in others)


def _free_key(taken: set[str]) -> str:
    n = 1
    while f"s{n}" in taken:
        n += 1
    return f"s{n}"
