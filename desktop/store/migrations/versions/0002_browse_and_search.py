"""browse and search: publication date, status index, full-text index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

The full-text index is SQLite's FTS5, kept in sync with the article table by triggers. On
PostgreSQL it is a generated ``tsvector`` column with a GIN index (``POSTGRES_SEARCH``),
built to find what FTS5's ``unicode61 remove_diacritics 2`` tokenizer finds: the text is
lowered and every run of characters that are neither letters nor digits becomes a space
(with the ICU collation where the server has it, whatever the database's locale), the
words lose their accents (the ``unaccent`` extension, in the ``quotedesk`` text search
configuration) and title and text are two values of one JSON array, so that a phrase never
runs from the title into the text. On other databases search falls back to LIKE
(``store/browse.py``).
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


PG_CONFIG = "quotedesk"
PG_VECTOR = "quotedesk_search_vector"
# every token type of the default parser that can hold a letter
PG_WORD_TOKENS = (
    "asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
    "hword_numpart, sfloat, version, email, host, url, url_path, file"
)


def pg_normal(column: str, collate: str) -> str:
    """The SQL that makes a column's text what the tokenizer sees (see the docstring)."""
    return f"regexp_replace(lower({column}{collate}), '[^[:alnum:]]+', ' ', 'g')"


# a tsvector holds at most 1 MB (PostgreSQL's limit): past it, each distinct word once without
# positions (phrases are then not found in that article), and past that the title and the
# first of them
PG_VECTOR_BODY = """
DECLARE
    t text := {title};
    b text := {body};
    words text;
BEGIN
    RETURN to_tsvector('{config}'::regconfig, json_build_array(t, b));
EXCEPTION WHEN program_limit_exceeded THEN
    words := t || ' ' || (SELECT string_agg(DISTINCT w, ' ') FROM regexp_split_to_table(b, ' ') w);
    BEGIN
        RETURN strip(to_tsvector('{config}'::regconfig, words));
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN strip(to_tsvector('{config}'::regconfig, left(words, 400000)));
    END;
END
"""


def postgres_search(collate: str) -> list[str]:
    """The statements that make PostgreSQL's search column and index. The column calls a
    function of ours declared IMMUTABLE, as a generated column must be: json_build_array is
    only STABLE in general (any type's output could change), never for two texts."""
    body = PG_VECTOR_BODY.format(
        title=pg_normal("title", collate), body=pg_normal("body", collate), config=PG_CONFIG
    )
    return [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = simple)",
        f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} ALTER MAPPING FOR {PG_WORD_TOKENS} "
        "WITH unaccent, simple",
        f"CREATE FUNCTION {PG_VECTOR}(title text, body text) RETURNS tsvector "
        f"LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $${body}$$",
        f"ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"({PG_VECTOR}(title, text)) STORED",
        "CREATE INDEX ix_article_search ON article USING gin (search_vector)",
    ]


POSTGRES_UNSEARCH = [
    "DROP INDEX IF EXISTS ix_article_search",
    "ALTER TABLE article DROP COLUMN IF EXISTS search_vector",
    f"DROP FUNCTION IF EXISTS {PG_VECTOR}(text, text)",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}",
]
PG_PUBLISHED = (
    "UPDATE article SET published = substr(coalesce(meta->>'published', meta->>'date'), 1, 40)"
)
PG_ICU = "SELECT count(*) FROM pg_collation WHERE collname = 'und-x-icu'"


def _postgres_upgrade() -> None:
    op.execute(PG_PUBLISHED)
    bind = op.get_bind()
    icu = bind.exec_driver_sql(PG_ICU).scalar()
    # the driver's own execute: text() would read the ":alnum:" of the pattern as a parameter
    for statement in postgres_search(' COLLATE "und-x-icu"' if icu else ""):
        bind.exec_driver_sql(statement)


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
    elif op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS article_fts_{name}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    elif op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UNSEARCH:
            op.execute(statement)
    with op.batch_alter_table("article") as batch:
        batch.drop_index("ix_article_status")
        batch.drop_index("ix_article_published")
        batch.drop_column("published")
