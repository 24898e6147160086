"""quote confidence: the engine's calibrated confidences and reasons on each quote

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Four columns on ``quote``: ``confidence`` (that it is a quote) and ``reason`` (why), and
``source_confidence`` (that its source is right) and ``source_reason`` (why). Existing rows
get no confidence (NULL) and empty reasons, as a person's quotes have: the next analysis
fills them for the model's quotes. Plain ADD COLUMNs, so the table and its indexes stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("confidence", "reason", "source_confidence", "source_reason")


def upgrade() -> None:
    with op.batch_alter_table("quote") as batch:
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("source_confidence", sa.Float(), nullable=True))
        batch.add_column(sa.Column("source_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("quote") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
