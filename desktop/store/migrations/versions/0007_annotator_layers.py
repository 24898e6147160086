"""annotator layers: annotators, their versions of articles, the curated layer, project mode

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Issue 14. ``annotator`` lists the people working in the database (role ``annotator`` or
``curator``). ``annotation_layer`` holds one row per article and layer: an annotator's own
version (which is also the article's assignment to them) or the curated version, its
annotations in the project's JSONL form, its review status, a revision and who saved it.
``collection`` gains ``annotation_mode`` (``shared``, the default, or ``parallel``) and
``annotators_per_article``; ``edit`` gains ``layer`` (NULL: the shared layer). Plain
CREATE TABLE / ADD COLUMN, the same on SQLite and PostgreSQL: no table is recreated, so
the search and confidence triggers stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annotator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotator")),
        sa.UniqueConstraint("name", name=op.f("uq_annotator_name")),
    )
    op.create_table(
        "annotation_layer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("annotator", sa.String(length=200), nullable=False),
        sa.Column("annotations", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.String(length=200), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_annotation_layer_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation_layer")),
        sa.UniqueConstraint(
            "article_id", "kind", "annotator", name=op.f("uq_annotation_layer_article_id")
        ),
    )
    op.create_index(op.f("ix_annotation_layer_article_id"), "annotation_layer", ["article_id"])
    op.create_index(op.f("ix_annotation_layer_annotator"), "annotation_layer", ["annotator"])
    with op.batch_alter_table("collection") as batch:
        batch.add_column(
            sa.Column(
                "annotation_mode", sa.String(length=10), nullable=False, server_default="shared"
            )
        )
        batch.add_column(
            sa.Column("annotators_per_article", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("edit") as batch:
        batch.add_column(sa.Column("layer", sa.String(length=220), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("edit") as batch:
        batch.drop_column("layer")
    with op.batch_alter_table("collection") as batch:
        batch.drop_column("annotators_per_article")
        batch.drop_column("annotation_mode")
    op.drop_index(op.f("ix_annotation_layer_annotator"), table_name="annotation_layer")
    op.drop_index(op.f("ix_annotation_layer_article_id"), table_name="annotation_layer")
    op.drop_table("annotation_layer")
    op.drop_table("annotator")
