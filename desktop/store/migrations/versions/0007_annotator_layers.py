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
the search and confidence triggers stay. On PostgreSQL only, row-level security on
``annotation_layer`` (``RLS_UP``): the server, not only the window, keeps an annotator's
login role to their own layer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# PostgreSQL only: the server itself keeps each annotator to their own layer (row-level
# security on annotation_layer). A login role whose name is an annotator's may read its own
# layers and the curated ones and write only its own; members of quotedesk_curator read and
# write every layer. The table's owner (who migrates) is not bound by the policies.
# quotedesk_add_person(name, curator) makes such a login role (see store/team_roles.py).
RLS_UP = (
    """CREATE FUNCTION quotedesk_is_curator() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quotedesk_curator'
                       AND pg_has_role(current_user, oid, 'MEMBER'))
    $$""",
    """CREATE FUNCTION quotedesk_may_write(kind text, annotator text) RETURNS boolean
        LANGUAGE sql STABLE AS $$
        SELECT quotedesk_is_curator() OR (kind = 'annotator' AND annotator = current_user)
    $$""",
    """CREATE FUNCTION quotedesk_may_see(kind text, annotator text) RETURNS boolean
        LANGUAGE sql STABLE AS $$
        SELECT kind = 'curated' OR annotator = current_user OR quotedesk_is_curator()
    $$""",
    "ALTER TABLE annotation_layer ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY layer_read ON annotation_layer FOR SELECT"
    " USING (quotedesk_may_see(kind, annotator))",
    "CREATE POLICY layer_insert ON annotation_layer FOR INSERT"
    " WITH CHECK (quotedesk_may_write(kind, annotator))",
    "CREATE POLICY layer_update ON annotation_layer FOR UPDATE"
    " USING (quotedesk_may_write(kind, annotator))"
    " WITH CHECK (quotedesk_may_write(kind, annotator))",
    "CREATE POLICY layer_delete ON annotation_layer FOR DELETE"
    " USING (quotedesk_may_write(kind, annotator))",
    """CREATE FUNCTION quotedesk_add_person(person text, curator boolean) RETURNS void
        LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quotedesk_annotators') THEN
            CREATE ROLE quotedesk_annotators NOLOGIN;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quotedesk_curator') THEN
            CREATE ROLE quotedesk_curator NOLOGIN;
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO quotedesk_annotators', current_schema());
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I'
                       ' TO quotedesk_annotators', current_schema());
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I'
                       ' TO quotedesk_annotators', current_schema());
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', person);
        END IF;
        EXECUTE format('GRANT quotedesk_annotators TO %I', person);
        IF curator THEN
            EXECUTE format('GRANT quotedesk_curator TO %I', person);
        ELSE
            EXECUTE format('REVOKE quotedesk_curator FROM %I', person);
        END IF;
    END $$""",
)
RLS_DOWN = (
    "DROP FUNCTION IF EXISTS quotedesk_add_person(text, boolean)",
    "DROP POLICY IF EXISTS layer_delete ON annotation_layer",
    "DROP POLICY IF EXISTS layer_update ON annotation_layer",
    "DROP POLICY IF EXISTS layer_insert ON annotation_layer",
    "DROP POLICY IF EXISTS layer_read ON annotation_layer",
    "ALTER TABLE annotation_layer DISABLE ROW LEVEL SECURITY",
    "DROP FUNCTION IF EXISTS quotedesk_may_see(text, text)",
    "DROP FUNCTION IF EXISTS quotedesk_may_write(text, text)",
    "DROP FUNCTION IF EXISTS quotedesk_is_curator()",
)


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
    if op.get_bind().dialect.name == "postgresql":
        for statement in RLS_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in RLS_DOWN:
            op.execute(statement)
    with op.batch_alter_table("edit") as batch:
        batch.drop_column("layer")
    with op.batch_alter_table("collection") as batch:
        batch.drop_column("annotators_per_article")
        batch.drop_column("annotation_mode")
    op.drop_index(op.f("ix_annotation_layer_annotator"), table_name="annotation_layer")
    op.drop_index(op.f("ix_annotation_layer_article_id"), table_name="annotation_layer")
    op.drop_table("annotation_layer")
    op.drop_table("annotator")
