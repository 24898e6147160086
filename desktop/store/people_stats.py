"""The statistics, counted in SQL: quotes, distinct sources and articles of the filtered
articles, grouped by record, type, gender, outlet, month or ISO week.

Every quote of the filtered articles counts once (rejected ones never), in one group: a
quote whose source is linked to a record counts for the record (its type, its gender); one
whose source is linked to none counts for the source's name; one with no source counts
under "(no source)". A distinct source is a record, or an unlinked source's name within its
article.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, false, func, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop.domain.people import UNKNOWN, ArticleFilter, GenderOrigin, StatRow
from desktop.store.models import ArticleRow, PersonRow, QuoteRow, SourceLinkRow, SourceRow
from desktop.store.people_queries import LINKED, article_conditions

A, S, Q, L, P = ArticleRow, SourceRow, QuoteRow, SourceLinkRow, PersonRow
NO_SOURCE = "(no source)"
NO_OUTLET = "(unknown outlet)"
UNDATED = "undated"


def _distinct_sources() -> list[ColumnElement[Any]]:
    """Distinct sources as two integer counts, added up by the caller: records, and
    article sources linked to none (an article's sources have different names)."""
    return [
        func.count(func.distinct(P.id)),
        func.count(func.distinct(case((P.id.is_(None), S.id), else_=None))),
    ]


def _monday(session: Session) -> ColumnElement[Any]:
    """The Monday of the publication date's week: one to one with its ISO week, and much
    cheaper to compute per row than the week's label (made from it in ``iso_week``)."""
    day = func.substr(A.published, 1, 10)
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.date_trunc("week", func.to_date(day, "YYYY-MM-DD")), "YYYY-MM-DD")
    return func.date(day, "weekday 0", "-6 days")


def iso_week(monday: str) -> str:
    """ "2026-W48" for the Monday of that week (None/garbage: undated)."""
    try:
        year, week, _ = date.fromisoformat(monday).isocalendar()
    except (TypeError, ValueError):
        return UNDATED
    return f"{year}-W{week:02d}"


def _group(session: Session, by: str) -> list[Any]:
    if by == "source":
        return [P.id, case((P.id.is_(None), func.lower(S.name)), else_=None)]
    if by == "type":
        return [
            case(
                (P.type.is_not(None), P.type),
                (S.id.is_(None), NO_SOURCE),
                (S.type.in_(("PERSON", "ORG")), S.type),
                else_="OTHER",
            )
        ]
    if by == "gender":
        return [P.gender, P.gender_origin]
    if by == "outlet":
        return [func.coalesce(A.outlet, NO_OUTLET)]
    if by == "month":
        return [func.coalesce(func.substr(A.published, 1, 7), UNDATED)]
    if by == "week":
        return [func.coalesce(_monday(session), UNDATED)]
    raise ValueError(by)


def _narrowed(filter: ArticleFilter) -> bool:
    """Whether the filter picks articles by more than their collection."""
    return bool(
        filter.outlet or filter.date_from or filter.date_to or filter.status or filter.search
    )


def _select(
    session: Session, group: list[Any], more: list[Any], filter: ArticleFilter, tallied: bool = True
) -> Any:
    """Quotes counted per group. A narrow filter starts from its articles (their indexes)
    and reads their quotes; a whole collection reads the tallies of migration 0010 instead
    (a source's live quotes, an article's live quotes without a source: one row per source
    with quotes, not one per quote). Both give the same numbers; ``tallied=False`` counts
    the quotes of a whole collection too (the tests' fresh count)."""
    conditions = article_conditions(session, filter)
    source_id: Any
    article_id: Any
    n: Any
    if _narrowed(filter) or not tallied:
        source_id, article_id, n = Q.source_id, Q.article_id, func.count(Q.id)
        stmt = select().select_from(Q).where(Q.rejected == false())
    else:
        sourced = select(
            S.id.label("sid"), S.article_id.label("aid"), S.quote_count.label("n")
        ).where(S.quote_count > 0)
        unsourced = select(
            null().label("sid"), A.id.label("aid"), A.unsourced_quotes.label("n")
        ).where(A.unsourced_quotes > 0)
        per = union_all(sourced, unsourced).subquery()
        source_id, article_id, n = per.c.sid, per.c.aid, func.sum(per.c.n)
        stmt = select().select_from(per)
    counts = [n, *_distinct_sources(), func.count(func.distinct(article_id))]
    return (
        stmt.add_columns(*group, *more, *counts)
        .join(A, A.id == article_id)
        .outerjoin(S, S.id == source_id)
        .outerjoin(L, LINKED)
        .outerjoin(P, P.id == L.person_id)
        .where(*conditions)
    )


def stats(session: Session, by: str, filter: ArticleFilter, tallied: bool = True) -> list[StatRow]:
    group = _group(session, by)
    # a record's name, and an unlinked source's (as first written), beside its group
    names = [func.max(P.name), func.min(S.name)] if by == "source" else []
    stmt = _select(session, group, names, filter, tallied).group_by(*group)
    rows: list[StatRow] = []
    for found in session.execute(stmt):
        *keys, quotes, records, unlinked, articles = found
        rows.append(_row(by, keys, int(quotes), records + unlinked, articles))
    if by in ("month", "week"):
        rows.sort(key=lambda r: (r.key == UNDATED, r.key))
    else:
        rows.sort(key=lambda r: (-r.quotes, r.key.casefold(), r.key))
    return rows


def _row(by: str, keys: list[Any], quotes: int, sources: int, articles: int) -> StatRow:
    if by == "source":
        pid, _, person_name, source_name = keys  # group, then the two names
        name = person_name if pid is not None else (source_name or NO_SOURCE)
        return StatRow(name, quotes, None, articles, record_id=pid)
    if by == "gender":
        gender, origin = keys
        guessed = origin == str(GenderOrigin.GUESSED)
        label = UNKNOWN if gender is None else (f"{gender} (guessed)" if guessed else gender)
        return StatRow(label, quotes, sources, articles, gender=gender or UNKNOWN, guessed=guessed)
    if by == "week":
        return StatRow(iso_week(keys[0]), quotes, sources, articles)
    return StatRow(str(keys[0]), quotes, sources, articles)


def totals(session: Session, filter: ArticleFilter, tallied: bool = True) -> StatRow:
    stmt = _select(session, [], [], filter, tallied)
    quotes, records, unlinked, articles = session.execute(stmt).one()
    return StatRow("all", int(quotes or 0), records + unlinked, articles)
