"""browse and search: publication date, status index, full-text index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The full-text index is SQLite's FTS5, kept in sync with the article table by triggers. On
other databases search falls back to LIKE (see repository.search_clause).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='article', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN "
    "INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER article_fts_update AFTER UPDATE OF title, text ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("published", sa.String(length=40), nullable=True))
        batch.create_index("ix_article_published", ["published"])
        batch.create_index("ix_article_status", ["status"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "UPDATE article SET published = substr(coalesce(json_extract(meta, '$.published'), "
            "json_extract(meta, '$.date')), 1, 40)"
        )
        for statement in FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS article_fts_{name}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    with op.batch_alter_table("article") as batch:
        batch.drop_index("ix_article_status")
        batch.drop_index("ix_article_published")
        batch.drop_column("published")
