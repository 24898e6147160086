"""kept counts: each article's live quotes and sources (issue 16)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

The article browser sorted by quotes or by sources counted every article's quotes (or
sources) before it could show a first page: 115-505 ms at 100,000 articles. The counts are
kept instead, by triggers whatever writes the rows (analysis, re-analysis, an edit, an
undo, an import, another process), as migration 0010 keeps a source's quotes:

- ``article.quote_count``: the article's quotes that are not rejected;
- ``article.source_count``: the article's sources that are not rejected.

An insert or a delete adds or takes one; an update of ``article_id`` or ``rejected`` takes
one from the old row's article and adds one to the new row's. Existing rows are counted
here. Each count has an index ``(count, id)``: the browser's keyset order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the article column counting its live rows)
COUNTED = (("quote", "quote_count"), ("source", "source_count"))
INDEXES = {f"ix_article_{column}": column for _, column in COUNTED}


def _names(table: str) -> tuple[str, str, str]:
    return (f"{table}_count_insert", f"{table}_count_delete", f"{table}_count_update")


def _change(column: str, row: str, sign: str, live: str) -> str:
    """Add (``sign`` "+") or take one from ``row``'s article count when ``live``."""
    return (
        f"UPDATE article SET {column} = {column} {sign} 1 "  # noqa: S608 - fixed SQL
        f"WHERE id = {row}.article_id AND {live};"
    )


def _sqlite(table: str, column: str) -> dict[str, str]:
    insert, delete, update = _names(table)
    moved = "old.article_id IS NOT new.article_id OR old.rejected IS NOT new.rejected"
    return {
        insert: f"AFTER INSERT ON {table} WHEN new.rejected = 0 BEGIN "
        + _change(column, "new", "+", "new.rejected = 0")
        + " END",
        delete: f"AFTER DELETE ON {table} WHEN old.rejected = 0 BEGIN "
        + _change(column, "old", "-", "old.rejected = 0")
        + " END",
        update: f"AFTER UPDATE OF article_id, rejected ON {table} WHEN {moved} BEGIN "
        + _change(column, "old", "-", "old.rejected = 0")
        + " "
        + _change(column, "new", "+", "new.rejected = 0")
        + " END",
    }


def _postgres(table: str, column: str) -> dict[str, tuple[str, str, str]]:
    insert, delete, update = _names(table)
    moved = (
        "OLD.article_id IS DISTINCT FROM NEW.article_id OR "
        "OLD.rejected IS DISTINCT FROM NEW.rejected"
    )
    return {
        insert: ("AFTER INSERT", "WHEN (NOT NEW.rejected)", _change(column, "NEW", "+", "TRUE")),
        delete: ("AFTER DELETE", "WHEN (NOT OLD.rejected)", _change(column, "OLD", "-", "TRUE")),
        update: (
            "AFTER UPDATE OF article_id, rejected",
            f"WHEN ({moved})",
            _change(column, "OLD", "-", "NOT OLD.rejected")
            + " "
            + _change(column, "NEW", "+", "NOT NEW.rejected"),
        ),
    }


def upgrade() -> None:
    zero = sa.text("0")
    dialect = op.get_bind().dialect.name
    live = "NOT rejected" if dialect == "postgresql" else "rejected = 0"
    for table, column in COUNTED:
        # plain ADD COLUMN: the article table (and its search triggers) stays
        op.add_column(
            "article", sa.Column(column, sa.Integer(), nullable=False, server_default=zero)
        )
        if dialect == "postgresql":
            for name, (when, condition, body) in _postgres(table, column).items():
                op.execute(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"{body} RETURN NULL; END $$"
                )
                op.execute(
                    f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW {condition} "
                    f"EXECUTE FUNCTION {name}()"
                )
        elif dialect == "sqlite":
            for name, body in _sqlite(table, column).items():
                op.execute(f"CREATE TRIGGER {name} {body}")
        # only the articles that have such rows are written (a row holds the whole text)
        op.execute(
            f"UPDATE article SET {column} = (SELECT count(*) FROM {table} "  # noqa: S608
            f"WHERE {table}.article_id = article.id AND {live}) "
            f"WHERE id IN (SELECT article_id FROM {table} WHERE {live})"
        )
    for index, column in INDEXES.items():
        op.create_index(index, "article", [column, "id"])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for index in INDEXES:
        op.drop_index(index, "article")
    for table, column in COUNTED:
        for name in _names(table):
            if dialect == "postgresql":
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
            elif dialect == "sqlite":
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
        # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would lose the search triggers
        op.drop_column("article", column)
