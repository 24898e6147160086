"""The article browser's queries: filtered, sorted pages of article summaries and search.

Pages are small and counted on demand, so that a collection of 100,000 articles opens at
once and scrolls without loading every row. A next page is found from the last row shown
(``BrowseQuery.after``, keyset paging: ``store.keyset``), never by walking the rows before it.
A search starts at its second letter (``MIN_PREFIX``): a prefix of one letter would match
most of the index.
"""

from __future__ import annotations

import re

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    false,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from desktop.store import keyset, models
from desktop.store.changes import ChangeCounter as ChangeCounter  # its old home: re-exported
from desktop.store.listing import MIN_PREFIX as MIN_PREFIX  # re-exported: their old home
from desktop.store.listing import ArticleSummary as ArticleSummary
from desktop.store.listing import BrowseQuery as BrowseQuery
from desktop.store.listing import _terms
from desktop.store.listing import typed_words as typed_words
from desktop.store.listing import waits_for_more as waits_for_more
from desktop.store.models import ArticleRow, CollectionRow, EntityRow

# The FTS5 index made by migration 0002 (with prefix indexes since 0003); kept out of the
# ORM metadata on purpose.
_FTS = Table("article_fts", MetaData(), Column("rowid", Integer), Column("article_fts", String))
# PostgreSQL's twin (migration 0002): a generated tsvector column with a GIN index, made to
# find what FTS5 finds; not in the ORM metadata either (nothing writes it)
_PG_VECTOR: ColumnElement[str] = literal_column("article.search_vector")
_PG_CONFIG: ColumnElement[str] = literal_column("'quotedesk'::regconfig")

# "confidence": the least certain quote first (``article.lowest_confidence``, kept by the
# triggers of migration 0005 and indexed); articles without one come last either way
SORT_KEYS = ("id", "title", "published", "status", "quotes", "sources", "confidence")
COUNTS = ("quotes", "sources")  # descending: read run by run (keyset.descending_runs)


def _count(table: type[EntityRow]) -> ColumnElement[int]:
    return (
        select(func.count())
        .where(table.article_id == ArticleRow.id, table.rejected.is_(False))
        .correlate(ArticleRow)
        .scalar_subquery()
    )


def fts_query(text: str) -> str:
    """Turn what the analyst typed into a safe FTS5 query: every word must appear, the
    last one as a prefix (so results come while typing) from its second letter. Quotes and
    operators are dropped."""
    words, prefix = _terms(text)
    if not words:
        return ""
    terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"' + ("*" if prefix else "")]
    return " ".join(terms)


def pg_query(text: str) -> str:
    """The tsquery that finds on PostgreSQL what ``fts_query`` finds with FTS5: each word
    split where FTS5's tokenizer splits it (``_`` and other non-letters) into a phrase
    (``<->``), the words joined by ``&``, the last word's last token a prefix (``:*``). A
    word without a token is left out, as FTS5 leaves out an empty phrase ("" for nothing
    left). Tokens hold letters and digits only, so nothing typed can be an operator."""
    words, prefix = _terms(text)
    phrases = [re.findall(r"[^\W_]+", word, flags=re.UNICODE) for word in words]
    parts = [" <-> ".join(f"'{t}'" for t in tokens) for tokens in phrases if tokens]
    if not parts:
        return ""
    if phrases[-1] and prefix:
        parts[-1] += ":*"
    return " & ".join(f"({p})" for p in parts)


def _pg_match(text: str) -> ColumnElement[bool] | None:
    """The condition on PostgreSQL's search vector (the query lowered like the vector)."""
    query = pg_query(text)
    if not query:
        return false() if fts_query(text) else None
    return _PG_VECTOR.op("@@")(func.to_tsquery(_PG_CONFIG, query.lower()))


def _fts_match(session: Session, text: str) -> ColumnElement[bool] | None:
    """The FTS5 ``MATCH`` condition for what was typed (None: no search, or no FTS index)."""
    query = fts_query(text)
    if not query or session.get_bind().dialect.name != "sqlite":
        return None
    return _FTS.c.article_fts.op("MATCH")(query)


def _search_clause(session: Session, text: str) -> ColumnElement[bool] | None:
    if not fts_query(text):
        return None
    if session.get_bind().dialect.name == "postgresql":
        return _pg_match(text)
    match = _fts_match(session, text)
    if match is not None:
        return ArticleRow.id.in_(select(_FTS.c.rowid).where(match))
    like = f"%{text.strip()}%"
    return ArticleRow.title.ilike(like) | ArticleRow.text.ilike(like)


def _filtered(session: Session, query: BrowseQuery, columns: list) -> Select:  # type: ignore[type-arg]
    stmt = select(*columns).select_from(ArticleRow).join(CollectionRow)
    if query.collection:
        stmt = stmt.where(CollectionRow.name == query.collection)
    if query.status:
        stmt = stmt.where(ArticleRow.status == query.status)
    if query.assigned_to:
        stmt = stmt.where(_assigned(query.assigned_to))
    clause = _search_clause(session, query.search)
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt


def _assigned(name: str) -> ColumnElement[bool]:
    """Articles with a layer of annotator ``name`` (the curated layer's annotator is "")."""
    layer = models.LayerRow
    return ArticleRow.id.in_(select(layer.article_id).where(layer.annotator == name))


def count(session: Session, query: BrowseQuery) -> int:
    """How many articles the query lists.

    Counting never reads the article rows themselves (a few kilobytes each, text included):
    a search with no other filter is counted in the full-text index alone, which holds one
    row per article (the triggers of migration 0002 keep it so), and the filters are
    checked against the collection and status indexes.
    """
    match = _fts_match(session, query.search)
    if match is not None and not (query.collection or query.status or query.assigned_to):
        return session.scalar(select(func.count()).select_from(_FTS).where(match)) or 0
    stmt = select(func.count()).select_from(ArticleRow)
    if query.collection:
        collection_id = select(CollectionRow.id).where(CollectionRow.name == query.collection)
        stmt = stmt.where(ArticleRow.collection_id == collection_id.scalar_subquery())
    if query.status:
        stmt = stmt.where(ArticleRow.status == query.status)
    if query.assigned_to:
        stmt = stmt.where(_assigned(query.assigned_to))
    clause = _search_clause(session, query.search)
    if clause is not None:
        stmt = stmt.where(clause)
    return session.scalar(stmt) or 0


def _fts_window(
    session: Session, query: BrowseQuery, offset: int, limit: int
) -> ColumnElement[bool] | None:
    """For a search listed in id order with no other filter: the ids of the wanted page,
    read from the full-text index in rowid order, which stops after ``offset + limit``
    matches (or starts right after ``query.after``) instead of collecting (and sorting)
    all of them first."""
    match = _fts_match(session, query.search)
    narrowed = query.collection or query.status or query.assigned_to
    if match is None or narrowed or query.sort in SORT_KEYS[1:]:
        return None
    rowid = _FTS.c.rowid
    ids = select(rowid).where(match).order_by(rowid.desc() if query.descending else rowid)
    if query.after is not None:
        ids = ids.where(rowid < query.after if query.descending else rowid > query.after)
        return ArticleRow.id.in_(ids.limit(limit))
    return ArticleRow.id.in_(ids.offset(offset).limit(limit))


def _order(session: Session, query: BrowseQuery) -> keyset.Order:
    """The list's order: its sort key, direction and where NULL keys go; ties by id."""
    dialect = session.get_bind().dialect.name
    title = func.left(ArticleRow.title, 500) if dialect == "postgresql" else ArticleRow.title
    key: ColumnElement[object] = {  # type: ignore[assignment]
        "id": ArticleRow.id,
        "title": func.lower(title),  # PostgreSQL: the indexed prefix (migration 0009)
        "published": ArticleRow.published,
        "status": ArticleRow.status,
        "quotes": ArticleRow.quote_count,  # kept by triggers (0011), indexed (count, id)
        "sources": ArticleRow.source_count,
        "confidence": ArticleRow.lowest_confidence,
    }.get(query.sort, ArticleRow.id)
    first = keyset.nulls_first(dialect, query.descending, query.sort == "confidence")
    return keyset.Order(key, ArticleRow.id, query.descending, first)


def _summaries(session: Session, stmt: Select) -> list[ArticleSummary]:  # type: ignore[type-arg]
    return [
        ArticleSummary(
            id=r.id,
            external_id=r.external_id,
            title=r.title or r.head.split("\n", 1)[0],
            status=r.status,
            collection=r.name,
            analyzed=r.analyzed_at is not None,
            entities=r.entities,
            quotes=r.quotes,
            sources=r.sources,
            published=r.published or "",
            lowest_confidence=r.lowest_confidence,
        )
        for r in session.execute(stmt)
    ]


def page(session: Session, query: BrowseQuery, offset: int, limit: int) -> list[ArticleSummary]:
    """Rows ``offset`` to ``offset + limit`` of the filtered, sorted list.

    With ``query.after`` (the id of the last row the caller has), the rows that follow that
    article in the list: the same rows as by ``offset`` while nothing changed, found from
    that row's sort key (``offset`` is then not used). An ``after`` article that is gone
    falls back to ``offset``."""
    columns = [
        ArticleRow.id,
        ArticleRow.external_id,
        ArticleRow.title,
        ArticleRow.status,
        CollectionRow.name,
        ArticleRow.analyzed_at,
        func.substr(ArticleRow.text, 1, 120).label("head"),
        ArticleRow.published,
        _count(EntityRow).label("entities"),
        ArticleRow.quote_count.label("quotes"),
        ArticleRow.source_count.label("sources"),
        ArticleRow.lowest_confidence,
    ]
    window = _fts_window(session, query, offset, limit)
    if window is not None:
        stmt = select(*columns).select_from(ArticleRow).join(CollectionRow).where(window)
        stmt = stmt.order_by(ArticleRow.id.desc() if query.descending else ArticleRow.id)
        return _summaries(session, stmt)
    order = _order(session, query)
    ordered = order.key.desc() if query.descending else order.key.asc()
    if query.sort == "confidence":
        ordered = ordered.nulls_last()
    base = _filtered(session, query, columns).order_by(ordered, ArticleRow.id)
    found = None
    if query.after is not None:
        found = session.execute(select(order.key).where(ArticleRow.id == query.after)).first()
    if query.sort in COUNTS and query.descending and (found is not None or not offset):
        return keyset.descending_runs(
            order, found[0] if found else session.scalar(select(func.max(order.key))),
            query.after if found else None, limit,
            lambda run, n: _summaries(session, base.where(run).limit(n)),
            lambda v: session.scalar(select(func.max(order.key)).where(order.key < v)),
        )  # fmt: skip
    if query.after is not None:
        if found is not None:
            rows: list[ArticleSummary] = []
            for block in keyset.after(order, found[0], query.after):
                if len(rows) >= limit:
                    break
                rows += _summaries(session, base.where(block).limit(limit - len(rows)))
            return rows
    return _summaries(session, base.offset(offset).limit(limit))
