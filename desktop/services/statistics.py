"""Who gets a voice, in numbers: the statistics the window's charts, ``quotedesk stats`` and
the report all read, so that they always agree.

``stats(db, by, filter)`` counts the quotes of the filtered articles (rejected ones left
out) grouped by the record of their source (``source``), its type, its gender (guessed
genders apart), the article's outlet, or the month or ISO week of publication.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.people import ArticleFilter, StatRow
from desktop.store import people_stats
from desktop.store.database import Database

GROUPINGS = ("source", "type", "gender", "outlet", "month", "week")


def stats(db: Database, by: str, filter: ArticleFilter | None = None) -> list[StatRow]:
    """The rows for one grouping, most quotes first (by month and week: in time order,
    undated articles last under the key "undated"). ``by="source"``: one row per record,
    and per name for sources linked to no record."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}: one of {', '.join(GROUPINGS)}")
    with db.session() as session:
        return people_stats.stats(session, by, filter or ArticleFilter())


def totals(db: Database, filter: ArticleFilter | None = None) -> StatRow:
    """All quotes, distinct sources and articles with a quote under the filter (key
    "all")."""
    with db.session() as session:
        return people_stats.totals(session, filter or ArticleFilter())


def row_dict(row: StatRow) -> dict[str, Any]:
    """A row as the JSON and CSV of ``quotedesk stats`` write it: ``key``, ``quotes``,
    ``sources`` (when it applies), ``articles``, and the record id or gender parts where
    they apply."""
    out: dict[str, Any] = {"key": row.key, "quotes": row.quotes}
    if row.sources is not None:
        out["sources"] = row.sources
    out["articles"] = row.articles
    if row.record_id is not None:
        out["record_id"] = row.record_id
    if row.gender is not None or row.guessed:
        out["gender"] = row.gender
        out["guessed"] = row.guessed
    return out
