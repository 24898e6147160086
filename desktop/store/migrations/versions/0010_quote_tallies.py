"""quote tallies: each source's live quotes, and each article's live quotes without a source

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Issue 12's whole-collection statistics and the sources index counted every live quote
(about a million at 100,000 articles) at each request. The counts are kept instead, by
triggers on ``quote`` whatever writes it (analysis, an edit, an undo, a merge, another
process), as migration 0005 keeps ``article.lowest_confidence``:

- ``source.quote_count``: the quotes of the source that are not rejected;
- ``article.unsourced_quotes``: the article's quotes with no source that are not rejected.

An insert or a delete adds or takes one; an update of ``source_id``, ``article_id`` or
``rejected`` (a source deleted sets its quotes' ``source_id`` to NULL: an update too) takes
one from the old row's tallies and adds one to the new row's. Existing rows are counted
here. SQLite and PostgreSQL (PL/pgSQL functions, boolean ``rejected``) get the same triggers.

A partial index holds the few articles with such quotes and their tally, so that the
statistics read it alone: the column sits after ``text`` in SQLite's row, and reading it
from every article row follows each long text's overflow pages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMES = ("quote_tally_insert", "quote_tally_delete", "quote_tally_update")
INDEX = "ix_article_unsourced_quotes"


def _change(row: str, sign: str, live: str) -> str:
    """Add (``sign`` "+") or take one from the tallies of ``row`` ("new"/"old") when it is
    live (``live``: that engine's test of ``row.rejected`` being false)."""
    return (
        f"UPDATE source SET quote_count = quote_count {sign} 1 "  # noqa: S608 - fixed SQL
        f"WHERE id = {row}.source_id AND {live}; "
        f"UPDATE article SET unsourced_quotes = unsourced_quotes {sign} 1 "  # noqa: S608
        f"WHERE id = {row}.article_id AND {row}.source_id IS NULL AND {live};"
    )


_MOVED = "old.source_id IS NOT new.source_id OR old.article_id IS NOT new.article_id"
SQLITE = {
    "quote_tally_insert": "AFTER INSERT ON quote WHEN new.rejected = 0 BEGIN "
    + _change("new", "+", "new.rejected = 0")
    + " END",
    "quote_tally_delete": "AFTER DELETE ON quote WHEN old.rejected = 0 BEGIN "
    + _change("old", "-", "old.rejected = 0")
    + " END",
    "quote_tally_update": "AFTER UPDATE OF source_id, article_id, rejected ON quote "
    + f"WHEN {_MOVED} OR old.rejected IS NOT new.rejected BEGIN "
    + _change("old", "-", "old.rejected = 0")
    + " "
    + _change("new", "+", "new.rejected = 0")
    + " END",
}

_PG_MOVED = (
    "OLD.source_id IS DISTINCT FROM NEW.source_id OR OLD.article_id IS DISTINCT FROM "
    "NEW.article_id OR OLD.rejected IS DISTINCT FROM NEW.rejected"
)
POSTGRES = {
    "quote_tally_insert": ("AFTER INSERT", "WHEN (NOT NEW.rejected)", _change("NEW", "+", "TRUE")),
    "quote_tally_delete": ("AFTER DELETE", "WHEN (NOT OLD.rejected)", _change("OLD", "-", "TRUE")),
    "quote_tally_update": (
        "AFTER UPDATE OF source_id, article_id, rejected",
        f"WHEN ({_PG_MOVED})",
        _change("OLD", "-", "NOT OLD.rejected") + " " + _change("NEW", "+", "NOT NEW.rejected"),
    ),
}


def _fill(live: str) -> list[str]:
    """Count the existing rows (only the articles that have a quote without a source are
    written: an article row holds its whole text)."""
    unsourced = f"FROM quote WHERE source_id IS NULL AND {live}"
    return [
        "UPDATE source SET quote_count = (SELECT count(*) FROM quote "  # noqa: S608
        f"WHERE quote.source_id = source.id AND {live})",
        f"UPDATE article SET unsourced_quotes = (SELECT count(*) {unsourced} "  # noqa: S608
        f"AND quote.article_id = article.id) WHERE id IN (SELECT article_id {unsourced})",
    ]


def upgrade() -> None:
    # plain ADD COLUMN: the article table (and its search triggers) stays
    zero = sa.text("0")
    op.add_column(
        "source", sa.Column("quote_count", sa.Integer(), nullable=False, server_default=zero)
    )
    op.add_column(
        "article", sa.Column("unsourced_quotes", sa.Integer(), nullable=False, server_default=zero)
    )
    op.execute(f"CREATE INDEX {INDEX} ON article (unsourced_quotes, id) WHERE unsourced_quotes > 0")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name, (when, condition, body) in POSTGRES.items():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
                "RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} {when} ON quote FOR EACH ROW {condition} "
                f"EXECUTE FUNCTION {name}()"
            )
        for statement in _fill("NOT rejected"):
            op.execute(statement)
    elif dialect == "sqlite":
        for name, body in SQLITE.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        for statement in _fill("rejected = 0"):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in NAMES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON quote")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would lose the search triggers
    op.drop_column("article", "unsourced_quotes")
    op.drop_column("source", "quote_count")
