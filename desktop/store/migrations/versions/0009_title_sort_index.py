"""browse: indexes for the title sort and the descending sorts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Issue 16. The browser sorts by a key and then by id ascending (every row one place, so keyset
paging can start after any row). Measured at 100,000 articles (benchmarks/browse.py):

- ``lower(title)`` had no index: the first page read and sorted every article row (0.5 s).
  ``ix_article_title_sort (lower(title), id)`` answers it, and every next page.
- ``status`` and ``lowest_confidence`` descending: their one-column indexes read backwards
  give equal keys in descending id order, so the engine sorted each run of equal keys
  again (three statuses; four articles in five have no confidence): 0.95 s and 1.4 s for the
  first page. ``(status DESC, id)`` and ``(lowest_confidence DESC, id)`` list them in the
  order asked. SQLite puts NULL last in a descending index, as the query's ``NULLS LAST``
  says; PostgreSQL must be told (``DESC NULLS LAST``): the only statement that differs.

Ascending ``status`` and ``lowest_confidence`` and ``published`` either way are served by the
indexes they have (SQLite's index entries end with the rowid, the tie-breaker).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONFIDENCE_DESC = {  # PostgreSQL puts NULL first in a descending index unless told
    "sqlite": "CREATE INDEX IF NOT EXISTS ix_article_confidence_desc "
    "ON article (lowest_confidence DESC, id)",
    "postgresql": "CREATE INDEX IF NOT EXISTS ix_article_confidence_desc "
    "ON article (lowest_confidence DESC NULLS LAST, id)",
}


# PostgreSQL's B-tree takes at most about 2.7 kB per entry, less than a 1,000-character
# title can be (or a longer one stored before titles were bounded): its title sort runs on
# the first 500 characters (browse.py sorts by the same expression)
TITLE_SORT = {
    "postgresql": "CREATE INDEX IF NOT EXISTS ix_article_title_sort "
    "ON article (lower(left(title, 500)), id)",
    "sqlite": "CREATE INDEX IF NOT EXISTS ix_article_title_sort ON article (lower(title), id)",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(TITLE_SORT["postgresql" if dialect == "postgresql" else "sqlite"])
    op.execute("CREATE INDEX IF NOT EXISTS ix_article_status_desc ON article (status DESC, id)")
    op.execute(CONFIDENCE_DESC["postgresql" if dialect == "postgresql" else "sqlite"])


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_article_confidence_desc")
    op.execute("DROP INDEX IF EXISTS ix_article_status_desc")
    op.execute("DROP INDEX IF EXISTS ix_article_title_sort")
