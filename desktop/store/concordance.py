"""The concordance a page at a time: one record's quotes across the filtered articles.

A record quoted thousands of times must not be read whole to show its first rows, so the
window asks for ``concordance_page(offset, limit)`` as the user scrolls. The order is the
the analyst reads (newest article first, quotes in text order), with
the quote's row id last so that pages never overlap; a quote's words are cut from its
article in SQL (``substr`` counts characters on SQLite and PostgreSQL alike, as Python's
slices count code points), so an article's text never crosses to Python for one quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, desc, distinct, func, select
from sqlalchemy.orm import Session

from desktop.domain.people import ArticleFilter, ConcordanceLine
from desktop.store.models import ArticleRow, QuoteRow, SourceLinkRow, SourceRow
from desktop.store.people_queries import LINKED, article_conditions

A, S, Q, L = ArticleRow, SourceRow, QuoteRow, SourceLinkRow


@dataclass(frozen=True, slots=True)
class ConcordancePage:
    """Some of a record's quotes, and how many quotes and articles the whole filter has."""

    lines: list[ConcordanceLine]
    total: int
    articles: int


def _conditions(session: Session, person_id: int, f: ArticleFilter) -> list[ColumnElement[bool]]:
    return [
        L.person_id == person_id,
        Q.rejected.is_(False),
        S.rejected.is_(False),
        *article_conditions(session, f),
    ]


def concordance_page(
    session: Session, person_id: int, f: ArticleFilter, offset: int, limit: int | None
) -> ConcordancePage:
    """Lines ``offset`` to ``offset + limit`` of the record's concordance under ``f`` (to
    the end when ``limit`` is None)."""
    where = _conditions(session, person_id, f)
    joined = select().select_from(Q).join(S, Q.source_id == S.id).join(L, LINKED)
    joined = joined.join(A, A.id == Q.article_id).where(*where)
    total, articles = session.execute(
        joined.add_columns(func.count(Q.id), func.count(distinct(A.id)))
    ).one()
    words = func.substr(A.text, Q.start + 1, Q.end - Q.start)
    stmt = (
        joined.add_columns(
            Q.id,
            A.id,
            A.external_id,
            A.title,
            A.published,
            A.outlet,
            Q.start,
            Q.end,
            words,
            Q.kind,
            S.key,
            S.name,
        )  # fmt: skip
        .order_by(desc(func.coalesce(A.published, "")), A.id, Q.start, Q.end, Q.id)
        .offset(offset)
        .limit(limit)
    )
    lines = [
        ConcordanceLine(qid, aid, ext, title, pub, outlet, start, end, text or "", kind, key, name)
        for qid, aid, ext, title, pub, outlet, start, end, text, kind, key, name in session.execute(
            stmt
        )
    ]
    return ConcordancePage(lines, int(total), int(articles))
