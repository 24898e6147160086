"""article.lowest_confidence: each article's least certain quote, kept by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The browser lists articles by their least certain model attribution, a page of 200 at a
time, sorted in SQL: computed per article at every page it would read every quote of the
collection. So the figure is stored on the article (indexed) and kept by triggers on
``quote``, whatever writes it (analysis, an edit, an undo, another process):

- a quote's certainty is the lower of its ``confidence`` and ``source_confidence`` (the one
  given when only one is), 1.0 for a person's quote (a correction makes it certain), NULL
  for a model quote without confidences; rejected quotes do not count;
- an article's ``lowest_confidence`` is the lowest certainty of its quotes (NULL: none).

A partial index on (article_id, certainty) answers the minimum of one article in one
lookup, so a delete or an update recomputes it cheaply; an insert only lowers it. The
existing articles are filled in here. SQLite and PostgreSQL get the same rule, index and
triggers in their own SQL (PostgreSQL's: ``LEAST`` and ``IS DISTINCT FROM``, boolean
``rejected``, trigger functions in PL/pgSQL: ``POSTGRES_UP``); any other database gets the
column alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def certainty(row: str = "") -> str:
    """The SQL for a quote's certainty: of the trigger's ``row`` ("new"), or unqualified
    (the index, and a query on ``quote``: index expressions take no table names)."""
    at = f"{row}." if row else ""
    c, s = f"{at}confidence", f"{at}source_confidence"
    return (
        f"CASE WHEN {at}origin = 'human' THEN 1.0 "
        f"ELSE min(coalesce({c}, {s}), coalesce({s}, {c})) END"
    )


def lowest(article_id: str) -> str:
    """The SQL for the lowest certainty of an article's quotes (one index lookup)."""
    where = f"quote.article_id = {article_id} AND rejected = 0"
    return f"(SELECT min({certainty()}) FROM quote WHERE {where})"  # noqa: S608 - fixed SQL


def _recompute(article_id: str) -> str:
    """Set an article's figure again; a row whose figure stays is not written (an UPDATE
    rewrites the whole row, text included)."""
    figure = lowest(article_id)
    changed = f"lowest_confidence IS NOT {figure}"
    return f"UPDATE article SET lowest_confidence = {figure} WHERE id = {article_id} AND {changed};"  # noqa: S608


_NEW = certainty("new")
_LOWERS = f"{_NEW} IS NOT NULL AND (lowest_confidence IS NULL OR lowest_confidence > {_NEW})"
_SET_NEW = f"SET lowest_confidence = {_NEW}"
TRIGGERS = {
    # an insert can only lower the figure
    "quote_lowest_insert": "AFTER INSERT ON quote WHEN new.rejected = 0 BEGIN "
    + f"UPDATE article {_SET_NEW} WHERE id = new.article_id AND {_LOWERS}; END",
    "quote_lowest_delete": "AFTER DELETE ON quote WHEN old.rejected = 0 BEGIN "
    + f"{_recompute('old.article_id')} END",
    "quote_lowest_update": "AFTER UPDATE OF origin, rejected, confidence, source_confidence, "
    + f"article_id ON quote BEGIN {_recompute('new.article_id')} "
    + f"{_recompute('old.article_id')} END",
}
INDEX = "ix_quote_certainty"


def pg_certainty(row: str = "") -> str:
    """PostgreSQL's spelling of ``certainty`` (``LEAST`` for SQLite's two-argument min)."""
    at = f"{row}." if row else ""
    c, s = f"{at}confidence", f"{at}source_confidence"
    return (
        f"CASE WHEN {at}origin = 'human' THEN 1.0 "
        f"ELSE LEAST(coalesce({c}, {s}), coalesce({s}, {c})) END"
    )


def _pg_recompute(article_id: str) -> str:
    where = f"quote.article_id = {article_id} AND NOT rejected"
    figure = f"(SELECT min({pg_certainty()}) FROM quote WHERE {where})"  # noqa: S608
    changed = f"lowest_confidence IS DISTINCT FROM {figure}"
    return f"UPDATE article SET lowest_confidence = {figure} WHERE id = {article_id} AND {changed};"  # noqa: S608


def _pg_trigger(name: str, when: str, condition: str, body: str) -> list[str]:
    """A PL/pgSQL trigger function and its row trigger."""
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
        "RETURN NULL; END $$",
        f"CREATE TRIGGER {name} {when} ON quote FOR EACH ROW {condition} EXECUTE FUNCTION {name}()",
    ]


_PG_NEW = pg_certainty("NEW")
_PG_LOWERS = (
    f"{_PG_NEW} IS NOT NULL AND (lowest_confidence IS NULL OR lowest_confidence > {_PG_NEW})"
)
POSTGRES_UP = [
    f"CREATE INDEX {INDEX} ON quote (article_id, ({pg_certainty()})) WHERE NOT rejected",
    *_pg_trigger(
        "quote_lowest_insert",
        "AFTER INSERT",
        "WHEN (NOT NEW.rejected)",
        f"UPDATE article SET lowest_confidence = {_PG_NEW} "  # noqa: S608 - fixed SQL
        f"WHERE id = NEW.article_id AND {_PG_LOWERS};",
    ),
    *_pg_trigger(
        "quote_lowest_delete",
        "AFTER DELETE",
        "WHEN (NOT OLD.rejected)",
        _pg_recompute("OLD.article_id"),
    ),
    *_pg_trigger(
        "quote_lowest_update",
        "AFTER UPDATE OF origin, rejected, confidence, source_confidence, article_id",
        "",
        _pg_recompute("NEW.article_id") + " " + _pg_recompute("OLD.article_id"),
    ),
    "UPDATE article SET lowest_confidence = (SELECT min("  # noqa: S608
    + pg_certainty()
    + ") FROM quote WHERE quote.article_id = article.id AND NOT rejected)",
]
POSTGRES_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {name} ON quote" for name in TRIGGERS),
    *(f"DROP FUNCTION IF EXISTS {name}()" for name in TRIGGERS),
    f"DROP INDEX IF EXISTS {INDEX}",
]


def upgrade() -> None:
    # plain ADD COLUMN and CREATE INDEX: the article table (and its search triggers) stays
    op.add_column("article", sa.Column("lowest_confidence", sa.Float(), nullable=True))
    op.create_index("ix_article_lowest_confidence", "article", ["lowest_confidence"])
    # within one collection (the browser's usual filter) the page is read in order too
    op.create_index(
        "ix_article_collection_lowest", "article", ["collection_id", "lowest_confidence"]
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in POSTGRES_UP:
            op.execute(statement)
    if dialect != "sqlite":
        return
    op.execute(f"CREATE INDEX {INDEX} ON quote (article_id, {certainty()}) WHERE rejected = 0")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"UPDATE article SET lowest_confidence = {lowest('article.id')}")  # noqa: S608


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWN:
            op.execute(statement)
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.drop_index("ix_article_collection_lowest", "article")
    op.drop_index("ix_article_lowest_confidence", "article")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would lose the search triggers
    op.drop_column("article", "lowest_confidence")
