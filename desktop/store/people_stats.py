"""The statistics, counted in SQL: quotes, distinct sources and articles of the filtered
articles, grouped by record, type, gender, outlet, month or ISO week.

Every quote of the filtered articles counts once (rejected ones never), in one group: a
quote whose source is linked to a record counts for the record (its type, its gender); one
whose source is linked to none counts for the source's name; one with no source counts
under "(no source)". A distinct source is a record, or an unlinked source's name within its
article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    false,
    func,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop.domain.people import UNKNOWN, ArticleFilter, GenderOrigin, StatRow
from desktop.store.models import ArticleRow, PersonRow, QuoteRow, SourceLinkRow, SourceRow
from desktop.store.people_queries import LINKED, article_conditions, collection_id

A, S, Q, L, P = ArticleRow, SourceRow, QuoteRow, SourceLinkRow, PersonRow
NO_SOURCE = "(no source)"
NO_OUTLET = "(unknown outlet)"
UNDATED = "undated"

# One row per source with what the statistics group by, kept by the triggers of migration
# 0011 (nothing here writes it): kept out of the ORM metadata on purpose.
TALLY = Table(
    "source_tally",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer),
    Column("collection_id", Integer),
    Column("key", String(50)),
    Column("person_id", Integer),
    Column("rejected", Boolean),
    Column("quotes", Integer),
    Column("type", String(20)),
    Column("name", Text),
    Column("outlet", String(200)),
    Column("published", String(40)),
    Column("person_type", String(10)),
    Column("gender", String(30)),
    Column("gender_origin", String(10)),
)


@dataclass(frozen=True)
class _Rows:
    """Where a count reads a quote's source and article: the rows themselves, or the
    tally rows that copy them."""

    source_id: Any
    source_name: Any
    source_type: Any
    outlet: Any
    published: Any
    person_id: Any
    person_type: Any
    gender: Any
    gender_origin: Any
    # an unlinked source is counted by its id: a tally row is one source, counted once
    unlinked: Any


_FROM_ROWS = _Rows(
    S.id, S.name, S.type, A.outlet, A.published, P.id, P.type, P.gender, P.gender_origin,
    func.distinct(case((P.id.is_(None), S.id), else_=None)),
)  # fmt: skip


def _monday(session: Session, published: Any) -> ColumnElement[Any]:
    """The Monday of the publication date's week: one to one with its ISO week, and much
    cheaper to compute per row than the week's label (made from it in ``iso_week``)."""
    day = func.substr(published, 1, 10)
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


def _group(session: Session, by: str, rows: _Rows) -> list[Any]:
    if by == "source":
        pid = rows.person_id
        return [pid, case((pid.is_(None), func.lower(rows.source_name)), else_=None)]
    if by == "type":
        return [
            case(
                (rows.person_type.is_not(None), rows.person_type),
                (rows.source_id.is_(None), NO_SOURCE),
                (rows.source_type.in_(("PERSON", "ORG")), rows.source_type),
                else_="OTHER",
            )
        ]
    if by == "gender":
        return [rows.gender, rows.gender_origin]
    if by == "outlet":
        return [func.coalesce(rows.outlet, NO_OUTLET)]
    if by == "month":
        return [func.coalesce(func.substr(rows.published, 1, 7), UNDATED)]
    if by == "week":
        return [func.coalesce(_monday(session, rows.published), UNDATED)]
    raise ValueError(by)


def _narrowed(filter: ArticleFilter) -> bool:
    """Whether the filter picks articles by more than their collection."""
    return bool(
        filter.outlet or filter.date_from or filter.date_to or filter.status or filter.search
    )


def _counted(
    session: Session, by: str, rows: _Rows, n: Any, article_id: Any
) -> tuple[list[Any], list[Any]]:
    """The group's key columns, and what is selected: those keys, then (by source) a
    record's name and an unlinked source's (as first written), then the counts: quotes,
    records, unlinked sources, articles."""
    group = _group(session, by, rows) if by else []
    names = [func.max(P.name), func.min(rows.source_name)] if by == "source" else []
    # distinct sources as two counts, added up by the caller: records, and article sources
    # linked to none (an article's sources have different names)
    distinct = [func.count(func.distinct(rows.person_id)), func.count(rows.unlinked)]
    return group, [*group, *names, n, *distinct, func.count(func.distinct(article_id))]


def _from_rows(session: Session, by: str, filter: ArticleFilter) -> Any:
    """Quotes counted per group from the quotes of the filtered articles (a narrow filter
    starts from its articles' indexes; also the tests' fresh count)."""
    group, columns = _counted(session, by, _FROM_ROWS, func.count(Q.id), Q.article_id)
    stmt = (
        select(*columns)
        .select_from(Q)
        .join(A, A.id == Q.article_id)
        .outerjoin(S, S.id == Q.source_id)
        .outerjoin(L, LINKED)
        .outerjoin(P, P.id == L.person_id)
        .where(Q.rejected == false(), *article_conditions(session, filter))
    )
    return stmt.group_by(*group) if group else stmt


def _from_tallies(session: Session, by: str, filter: ArticleFilter) -> Any:
    """Quotes counted per group from the kept tallies of a whole collection (or of every
    collection): the tally rows of its sources with quotes (migration 0011: the source's
    article, outlet, date, record and the record's type and gender copied beside its live
    quotes) and its articles' live quotes without a source (migration 0010's partial
    index). One narrow table read once, joined to nothing (by source: the records' names,
    joined to the groups)."""
    T = TALLY.c
    sourced = select(
        T.id.label("sid"), T.article_id.label("aid"), T.quotes.label("n"),
        T.name.label("name"), T.type.label("type"), T.outlet.label("outlet"),
        T.published.label("published"), T.person_id.label("pid"),
        T.person_type.label("ptype"), T.gender.label("gender"),
        T.gender_origin.label("origin"),
    ).where(T.quotes > 0)  # fmt: skip
    none = [null().label(n) for n in ("pid", "ptype", "gender", "origin")]
    unsourced = select(
        null().label("sid"), A.id.label("aid"), A.unsourced_quotes.label("n"),
        null().label("name"), null().label("type"), A.outlet.label("outlet"),
        A.published.label("published"), *none,
    ).where(A.unsourced_quotes > 0)  # fmt: skip
    if filter.collection:
        cid = collection_id(session, filter.collection)
        sourced = sourced.where(T.collection_id == (cid if cid is not None else -1))
        unsourced = unsourced.where(A.collection_id == (cid if cid is not None else -1))
    per = union_all(sourced, unsourced).subquery()
    c = per.c
    unlinked = case((c.pid.is_(None), c.sid), else_=None)
    rows = _Rows(c.sid, c.name, c.type, c.outlet, c.published, c.pid, c.ptype, c.gender,
                 c.origin, unlinked)  # fmt: skip
    if by != "source":
        group, columns = _counted(session, by, rows, func.sum(c.n), c.aid)
        stmt = select(*columns).select_from(per)
        return stmt.group_by(*group) if group else stmt
    group = _group(session, by, rows)
    counts = [func.sum(c.n), func.count(func.distinct(c.pid)), func.count(unlinked),
              func.count(func.distinct(c.aid))]  # fmt: skip
    g = (
        select(*(k.label(f"k{i}") for i, k in enumerate(group)), func.min(c.name).label("sname"),
               *(n.label(f"n{i}") for i, n in enumerate(counts)))
        .select_from(per).group_by(*group).subquery()
    )  # fmt: skip
    return select(g.c.k0, g.c.k1, P.name, g.c.sname, g.c.n0, g.c.n1, g.c.n2, g.c.n3).outerjoin_from(
        g, P, P.id == g.c.k0
    )


def _select(session: Session, by: str, filter: ArticleFilter, tallied: bool) -> Any:
    """The counting statement (``by`` "": one row of totals): from the tallies for a whole
    collection, from the quotes for a narrow filter or ``tallied=False``. Both give the
    same numbers."""
    if _narrowed(filter) or not tallied:
        return _from_rows(session, by, filter)
    return _from_tallies(session, by, filter)


def stats(session: Session, by: str, filter: ArticleFilter, tallied: bool = True) -> list[StatRow]:
    stmt = _select(session, by, filter, tallied)
    rows: list[StatRow] = []
    for found in session.execute(stmt):
        *keys, quotes, records, unlinked, articles = found
        rows.append(_row(by, keys, int(quotes), records + unlinked, articles))
    if by in ("month", "week"):
        rows.sort(key=lambda r: (r.key == UNDATED, r.key))
    else:
        rows.sort(key=_ranked)
    return rows


def _ranked(r: StatRow) -> tuple[Any, ...]:
    """Most quoted first, then by name; rows alike so far (two sources of one name) in an
    order of their own, never the engine's, so that the kept and the counted figures, and
    SQLite and PostgreSQL, list them alike."""
    return (-r.quotes, r.key.casefold(), r.key, r.record_id is not None, r.record_id or 0,
            -r.articles, r.sources or 0, r.gender or "", r.guessed)  # fmt: skip


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
    stmt = _select(session, "", filter, tallied)
    quotes, records, unlinked, articles = session.execute(stmt).one()
    return StatRow("all", int(quotes or 0), records + unlinked, articles)
