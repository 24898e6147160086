"""collection model: the trained pipeline a collection is analyzed with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Issue 15. ``collection.model`` names the pipeline that analysis uses for the collection's
articles when no ``--model`` is given (NULL: the model preference, else the best installed).
Plain ADD COLUMN, the same on SQLite and PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("collection", sa.Column("model", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collection") as batch:
        batch.drop_column("model")
