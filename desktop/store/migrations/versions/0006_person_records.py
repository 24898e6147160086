"""person records: collection-wide source records, their name forms, links, article outlet

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Issue 12. Three new tables: ``person`` (a collection-wide record: name, aliases, type,
role, gender with its origin, free attributes), ``person_name`` (the normalised name forms
a record answers to, for the linking rules' indexed lookup) and ``source_link`` (an
article's source, named by article id and source key, linked to a record, with an origin,
a confidence and the rule that made it). ``article`` gains ``outlet`` (indexed), filled
here from each article's metadata as imports fill it (``desktop.domain.outlets``). Plain
CREATE TABLE / ADD COLUMN, the same on SQLite and PostgreSQL: the article table and its
search and confidence triggers stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.domain.outlets import outlet_of

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("gender", sa.String(length=30), nullable=True),
        sa.Column("gender_origin", sa.String(length=10), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collection.id"],
            name=op.f("fk_person_collection_id_collection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("collection_id", "key", name=op.f("uq_person_collection_id")),
    )
    op.create_index(op.f("ix_person_collection_id"), "person", ["collection_id"])
    op.create_table(
        "person_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_name_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_name")),
    )
    op.create_index("ix_person_name_lookup", "person_name", ["collection_id", "form"])
    op.create_index(op.f("ix_person_name_person_id"), "person_name", ["person_id"])
    op.create_table(
        "source_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=50), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("rule", sa.String(length=50), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_source_link_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_source_link_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_link")),
        sa.UniqueConstraint("article_id", "source_key", name=op.f("uq_source_link_article_id")),
    )
    op.create_index(op.f("ix_source_link_person_id"), "source_link", ["person_id"])
    # the statistics count a collection's quotes per source from this index alone
    op.create_index(
        "ix_quote_live_source",
        "quote",
        ["source_id", "article_id"],
        sqlite_where=sa.text("rejected = 0"),
        postgresql_where=sa.text("NOT rejected"),
    )
    op.add_column("article", sa.Column("outlet", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_article_outlet"), "article", ["outlet"])
    # what the counts read of an article, without its row (whose text comes first): a
    # lookup by id is answered from this index alone
    op.create_index(
        "ix_article_facets", "article", ["id", "collection_id", "published", "outlet", "status"]
    )
    _fill_outlets()


def _fill_outlets() -> None:
    """Each existing article's outlet, from its metadata (read in batches by id)."""
    conn = op.get_bind()
    article = sa.table(
        "article",
        sa.column("id", sa.Integer()),
        sa.column("meta", sa.JSON()),
        sa.column("outlet", sa.String()),
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(article.c.id, article.c.meta)
            .where(article.c.id > last)
            .order_by(article.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        found = [
            {"aid": aid, "outlet": outlet}
            for aid, meta in rows
            if isinstance(meta, dict) and (outlet := outlet_of(meta)) is not None
        ]
        if found:
            conn.execute(
                article.update()
                .where(article.c.id == sa.bindparam("aid"))
                .values(outlet=sa.bindparam("outlet")),
                found,
            )


def downgrade() -> None:
    op.drop_index("ix_article_facets", "article")
    op.drop_index(op.f("ix_article_outlet"), "article")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would lose the article triggers
    op.drop_column("article", "outlet")
    op.drop_index("ix_quote_live_source", "quote")
    op.drop_index(op.f("ix_source_link_person_id"), "source_link")
    op.drop_table("source_link")
    op.drop_index(op.f("ix_person_name_person_id"), "person_name")
    op.drop_index("ix_person_name_lookup", "person_name")
    op.drop_table("person_name")
    op.drop_index(op.f("ix_person_collection_id"), "person")
    op.drop_table("person")
