"""search: prefix indexes on the full-text index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Search as you type ends every query with a prefix ("gover" -> "gover"*). Without a prefix
index FTS5 merges the document lists of every term that starts with it, which for a short or
common prefix ("th", "the", "go") means most of the index: about 0.3 s to 2 s over 100,000
articles. Prefix indexes of 2 and 3 characters answer those from one list (about 25 ms);
longer prefixes match few terms and are fast without one. The index is rebuilt with the
option (FTS5 cannot add it in place); the table keeps its name, columns, tokenizer and
triggers, so queries do not change. On PostgreSQL the GIN index of 0002 answers a prefix
(``'gover':*``) from its own sorted keys, and on other databases there is no full-text index
(search uses LIKE): there this revision does nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = ("insert", "delete", "update")


def _fts(prefix: str) -> list[str]:
    """The statements that make the full-text index and its triggers, then fill it."""
    options = f", prefix='{prefix}'" if prefix else ""
    return [
        "CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='article', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2'{options})",
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


def _replace_index(prefix: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS article_fts_{name}")
    op.execute("DROP TABLE IF EXISTS article_fts")
    for statement in _fts(prefix):
        op.execute(statement)


def upgrade() -> None:
    _replace_index("2 3")


def downgrade() -> None:
    _replace_index("")
