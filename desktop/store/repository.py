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

from desktop.domain import Article, Attribution, Entity, Quote
from desktop.domain.offsets import content_id
from desktop.domain.outlets import outlet_of
from desktop.store import bulk, people
from desktop.store.convert import read_articles
from desktop.store.listing import ArticleSummary as ArticleSummary  # its old home
from desktop.store.models import (
    ArticleRow,
    Base,
    CollectionRow,
    SourceRow,
)
from desktop.store.reanalysis import AnalysisChange, replace_model_analysis

DEFAULT_COLLECTION = "default"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
            "status_by": article.status_by,
            "status_at": article.status_at,
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
    """Replace the article's model annotations with a new analysis, writing only what
    changed (``reanalysis.replace_model_analysis``).

    Human annotations and rejected model annotations stay as they are. A new model
    annotation is dropped when a person rejected the same span or annotated over it.
    """
    change = replace_model_analysis(
        session, article_id, entities, attribution, model_name, model_version
    )
    # its sources' links to the collection's records, in the same transaction (issue 12)
    people.link_article(session, article_id)
    return change


def _overlaps(span: Entity | Quote, others: list[tuple[int, int]]) -> bool:
    start, end = span.start, span.end
    return any(start < e and s < end for s, e in others)


def _free_key(taken: set[str]) -> str:
    n = 1
    while f"s{n}" in taken:
        n += 1
    return f"s{n}"
