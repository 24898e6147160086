"""Reading records across articles: the sources index, the concordance, the ambiguous
sources, and the article filter they and the statistics share.

A quote counts for a record when its source is linked to the record (``source_link`` by
article id and source key) and neither the quote nor the source is rejected.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, false, func, or_, select
from sqlalchemy.orm import Session

from desktop.domain.people import (
    AmbiguousSource,
    ArticleFilter,
    LinkedSource,
    Person,
    RecordPage,
    RecordSummary,
)
from desktop.store.browse import _search_clause
from desktop.store.models import (
    ArticleRow,
    CollectionRow,
    PersonRow,
    QuoteRow,
    SourceLinkRow,
    SourceRow,
)
from desktop.store.people import get_person, to_person

__all__ = ["get_person"]

A, S, Q, L, P = ArticleRow, SourceRow, QuoteRow, SourceLinkRow, PersonRow
# a link's source: the same article and key
LINKED = and_(L.article_id == S.article_id, L.source_key == S.key)


def collection_id(session: Session, name: str) -> int | None:
    return session.scalar(select(CollectionRow.id).where(CollectionRow.name == name))


def _day_after(iso: str) -> str:
    return (date.fromisoformat(iso[:10]) + timedelta(days=1)).isoformat()


def article_conditions(session: Session, f: ArticleFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``article`` for a filter (dates inclusive, ISO)."""
    out: list[ColumnElement[bool]] = []
    if f.collection:
        cid = collection_id(session, f.collection)
        out.append(A.collection_id == (cid if cid is not None else -1))
    if f.outlet:
        out.append(A.outlet == f.outlet)
    if f.date_from:
        out.append(A.published >= f.date_from[:10])
    if f.date_to:
        out.append(A.published < _day_after(f.date_to))
    if f.status:
        out.append(A.status == f.status)
    clause = _search_clause(session, f.search) if f.search.strip() else None
    if clause is not None:
        out.append(clause)
    return out


def _name_search(text: str) -> ColumnElement[bool] | None:
    text = text.strip()
    if not text:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = f"%{escaped}%"
    # aliases are a JSON list: searched as its text, which holds every alias
    return or_(
        P.name.ilike(like, escape="\\"), func.lower(cast(P.aliases, Text)).contains(text.lower())
    )


def narrowed(f: ArticleFilter) -> bool:
    """Whether the filter picks articles by more than their collection."""
    return bool(f.outlet or f.date_from or f.date_to or f.status or f.search.strip())


def _sortable(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _counted_records(session: Session, f: ArticleFilter) -> Any:
    """Each record's quotes, articles, outlets, first and last date over the filtered
    articles' live linked sources, counted from the rows."""
    # grouped by an expression, not the indexed column: SQLite would otherwise read the
    # links in person order (one random lookup each) to save a sort
    pid = func.coalesce(L.person_id, 0)
    live = and_(Q.source_id == S.id, Q.rejected == false())
    return (
        select(
            pid.label("pid"),
            func.count(Q.id).label("quotes"),
            func.count(func.distinct(L.article_id)).label("articles"),
            func.count(func.distinct(A.outlet)).label("outlets"),
            func.min(A.published).label("first"),
            func.max(A.published).label("last"),
        )
        .select_from(L)
        .join(S, LINKED)
        .outerjoin(Q, live)
        .join(A, A.id == L.article_id)
        # (the unlinked, group 0, drop out at the join with the records)
        .where(S.rejected.is_(False), *article_conditions(session, f))
        .group_by(pid)
    )


def record_page(
    session: Session,
    f: ArticleFilter,
    search: str,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
    tallied: bool = True,
) -> RecordPage:
    """A page of the index: records with a linked source in the filtered articles.

    A whole collection reads each record's totals, kept by the triggers of migration 0011
    (one narrow row per record); a narrow filter (or ``tallied=False``: the tests' fresh
    count) counts them from its articles' links, sources and quotes, one row per record."""
    stmt: Any
    if narrowed(f) or not tallied:
        counted = _counted_records(session, f).subquery()
        c = counted.c
        stmt = select(P.id, P.name, P.type, P.gender, c.quotes, c.articles, c.outlets,
                      c.first, c.last).join(counted, c.pid == P.id)  # fmt: skip
    else:
        stmt = select(P.id, P.name, P.type, P.gender, P.quote_count, P.article_count,
                      P.outlet_count, P.first_published, P.last_published)  # fmt: skip
        stmt = stmt.where(P.article_count > 0)
        if f.collection:
            cid = collection_id(session, f.collection)
            stmt = stmt.where(P.collection_id == (cid if cid is not None else -1))
    named = _name_search(search)
    if named is not None:
        stmt = stmt.where(named)
    # every record's counts in one pass (the count of the page needs them all anyway),
    # sorted here; only the page's records are read whole
    found = list(session.execute(stmt))
    column = {"name": 1, "type": 2, "gender": 3, "quotes": 4, "articles": 5, "outlets": 6,
              "first": 7, "last": 8}[sort]  # fmt: skip
    found.sort(key=lambda r: (r[1].casefold(), r[0]))
    known = [r for r in found if r[column] is not None]
    known.sort(key=lambda r: _sortable(r[column]), reverse=descending)
    found = known + [r for r in found if r[column] is None]  # the unknown last either way
    page = found[offset : offset + limit]
    people = {p.id: p for p in session.scalars(select(P).where(P.id.in_([r[0] for r in page])))}
    rows = [
        RecordSummary(
            to_person(people[r[0]]),
            int(r[4]),
            r[5],
            r[6],
            r[7][:10] if r[7] else None,
            r[8][:10] if r[8] else None,
        )  # fmt: skip
        for r in page
    ]
    total = len(found)
    return RecordPage(rows, total)


def linked_sources(session: Session, person_id: int) -> list[LinkedSource]:
    stmt = (
        select(
            A.id, A.external_id, A.title, S.key, S.name, func.count(Q.id), L.origin, L.confidence
        )
        .select_from(L)
        .join(S, LINKED)
        .join(A, A.id == L.article_id)
        .outerjoin(Q, and_(Q.source_id == S.id, Q.rejected.is_(False)))
        .where(L.person_id == person_id, S.rejected.is_(False))
        .group_by(A.id, S.id, L.id)
        .order_by(A.id, S.key)
    )
    return [LinkedSource(*row) for row in session.execute(stmt)]


def ambiguous_sources(session: Session, f: ArticleFilter) -> list[AmbiguousSource]:
    """Sources the rules left unlinked between several records, with those records."""
    stmt = (
        select(A.id, A.external_id, A.title, S.key, S.name, L.candidates)
        .select_from(L)
        .join(S, LINKED)
        .join(A, A.id == L.article_id)
        .where(L.rule == "ambiguous", L.person_id.is_(None), S.rejected.is_(False))
        .where(*article_conditions(session, f))
        .order_by(A.id, S.key)
    )
    out = []
    for aid, ext, title, key, name, candidates in session.execute(stmt):
        people: list[Person] = [
            to_person(p) for p in session.scalars(select(P).where(P.id.in_(list(candidates or []))))
        ]
        names = ", ".join(p.name for p in people)
        out.append(AmbiguousSource(aid, ext, title, key, name, tuple(people), f"could be: {names}"))
    return out


def outlets(session: Session, collection: str | None) -> list[str]:
    stmt = select(A.outlet).where(A.outlet.is_not(None)).distinct().order_by(A.outlet)
    if collection:
        stmt = stmt.where(A.collection_id == (collection_id(session, collection) or -1))
    return [o for o in session.scalars(stmt) if o]


def articles_with_sources(session: Session, collection: str | None) -> list[int]:
    """The ids of the articles (of a collection, or all) that have a source."""
    stmt = select(S.article_id).where(S.rejected.is_(False)).distinct().order_by(S.article_id)
    if collection:
        cid = collection_id(session, collection)
        stmt = stmt.join(A, A.id == S.article_id).where(A.collection_id == (cid or -1))
    return list(session.scalars(stmt))
