"""annotation authors: who made each human annotation, who set the article's status and when

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Issue 14: every annotation and review status carries its annotator. ``entity``,
``source`` and ``quote`` gain ``annotator``: the person who made or last changed a human
row (NULL for the model's rows, and for human rows made before this migration or imported
without a name). ``article`` gains ``status_by`` and ``status_at``: who set its review
status last, and when (NULL until somebody does). Plain ADD COLUMN on both engines: no
table is recreated, so the search, confidence and tally triggers stay.

On PostgreSQL, the team's grants now hold across migrations: ``quotedesk_grant_team()``
grants the ``quotedesk_annotators`` group every table and sequence of the schema and sets
the migrating role's default privileges so that tables it creates later are granted too;
``quotedesk_add_person`` calls it, and the store calls it at the end of every upgrade
when the group exists (``store/team_roles.py``).
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANNOTATED = ("entity", "source", "quote")

GRANT_TEAM = """CREATE OR REPLACE FUNCTION quotedesk_grant_team() RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quotedesk_annotators') THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO quotedesk_annotators', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I'
                   ' TO quotedesk_annotators', current_schema());
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I'
                   ' TO quotedesk_annotators', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE,'
                   ' DELETE ON TABLES TO quotedesk_annotators', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT'
                   ' ON SEQUENCES TO quotedesk_annotators', current_schema());
END $$"""

ADD_PERSON = """CREATE OR REPLACE FUNCTION quotedesk_add_person(person text, curator boolean)
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quotedesk_annotators') THEN
        CREATE ROLE quotedesk_annotators NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quotedesk_curator') THEN
        CREATE ROLE quotedesk_curator NOLOGIN;
    END IF;
    PERFORM quotedesk_grant_team();
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = person) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', person);
    END IF;
    EXECUTE format('GRANT quotedesk_annotators TO %I', person);
    IF curator THEN
        EXECUTE format('GRANT quotedesk_curator TO %I', person);
    ELSE
        EXECUTE format('REVOKE quotedesk_curator FROM %I', person);
    END IF;
END $$"""


def _old_add_person() -> str:
    """Migration 0007's ``quotedesk_add_person``, put back by the downgrade."""
    old = importlib.import_module("desktop.store.migrations.versions.0007_annotator_layers")
    made: str = next(s for s in old.RLS_UP if "quotedesk_add_person" in s)
    return made.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN on both engines (no batch copy: the triggers stay)
    for table in ANNOTATED:
        op.add_column(table, sa.Column("annotator", sa.String(length=200), nullable=True))
    op.add_column("article", sa.Column("status_by", sa.String(length=200), nullable=True))
    op.add_column("article", sa.Column("status_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GRANT_TEAM)
        op.execute(ADD_PERSON)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_old_add_person())
        op.execute("DROP FUNCTION IF EXISTS quotedesk_grant_team()")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would lose the tables' triggers
    op.drop_column("article", "status_at")
    op.drop_column("article", "status_by")
    for table in reversed(ANNOTATED):
        op.drop_column(table, "annotator")
