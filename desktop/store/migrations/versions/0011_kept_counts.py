"""kept counts: each article's quotes and sources, each record's totals (issues 16, 12)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

At 100,000 articles the browser sorted by quotes or sources counted each article's rows
first (115-505 ms a page), and the sources index and the whole-collection statistics joined
every source to its link, its record and its article (0.6-1.4 s). The counts are kept
instead, by triggers whatever writes the rows (analysis, re-analysis, an edit, an undo, a
merge, an import, a restore, another process), as migration 0010 keeps a source's quotes:

- ``article.quote_count`` and ``article.source_count``: its quotes and sources that are not
  rejected; indexed ``(count, id)``, the browser's keyset order (descending, read run by run
  of equal counts: ``keyset.descending_runs``; a second ``(count DESC, id)`` index each made
  every article write two pages longer, which a 4 MB disk's WAL did not hold).
- ``source_tally``: one narrow row per source with what the statistics group by (its
  article, collection, outlet and date, its key, name, type, rejected, live quotes, the
  record its link names and that record's type, gender and gender origin), so that they
  read one table instead of four. Triggers on ``source``, ``source_link``, ``article`` and
  ``person`` keep it; nothing else writes it.
- ``person.quote_count``, ``article_count``, ``outlet_count``, ``first_published``,
  ``last_published``: what the sources index shows of a record (over its sources that are
  not rejected), kept by triggers on ``source_tally``. Quotes move by deltas (a quote added
  is one update); the distinct counts and dates are recounted for the one record whose
  rows changed, from indexes on ``(person_id, rejected, ...)``: a recount sees the table as
  it is, so PostgreSQL's triggers (run after their whole statement) agree with SQLite's.

Existing rows are counted here. SQLite and PostgreSQL (PL/pgSQL functions, boolean
``rejected``) get the same triggers from one text (``_render``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the article column counting its live rows)
COUNTED = (("quote", "quote_count"), ("source", "source_count"))
TALLY = "source_tally"
TALLY_INDEXES = {
    "ix_source_tally_article": ["article_id"],
    "ix_source_tally_collection": ["collection_id"],
    "ix_source_tally_person_article": ["person_id", "rejected", "article_id"],
    "ix_source_tally_person_outlet": ["person_id", "rejected", "outlet"],
    "ix_source_tally_person_published": ["person_id", "rejected", "published"],
}
PERSON_COUNTS = ("quote_count", "article_count", "outlet_count")
PERSON_DATES = ("first_published", "last_published")


def _render(sql: str, dialect: str) -> str:
    """One trigger text for both engines: ``LIVE(x)`` is "x.rejected is false", ``<>?``
    "is distinct from", ``=?`` "is not distinct from"."""
    pg = dialect == "postgresql"
    out = sql.replace("<>?", "IS DISTINCT FROM" if pg else "IS NOT")
    out = out.replace("=?", "IS NOT DISTINCT FROM" if pg else "IS")
    for row in ("new", "old", "t", "s"):
        out = out.replace(f"LIVE({row})", f"NOT {row}.rejected" if pg else f"{row}.rejected = 0")
    return out


# --- issue 16: the article's own counts ------------------------------------------------


def _article_count(table: str, column: str) -> list[tuple[str, str, str, str, str]]:
    """(name, event, table, condition, body) of the triggers counting ``table``'s live rows
    in ``article.<column>``."""

    def change(row: str, sign: str) -> str:
        return (
            f"UPDATE article SET {column} = {column} {sign} 1 "  # noqa: S608 - fixed SQL
            f"WHERE id = {row}.article_id AND LIVE({row});"
        )

    moved = "old.article_id <>? new.article_id OR old.rejected <>? new.rejected"
    return [
        (f"{table}_count_insert", "AFTER INSERT", table, "LIVE(new)", change("new", "+")),
        (f"{table}_count_delete", "AFTER DELETE", table, "LIVE(old)", change("old", "-")),
        (
            f"{table}_count_update",
            "AFTER UPDATE OF article_id, rejected",
            table,
            moved,
            change("old", "-") + " " + change("new", "+"),
        ),
    ]


# --- issue 12: source_tally and the records' totals ------------------------------------

_LINKED = (
    "(SELECT l.person_id FROM source_link l WHERE l.article_id = new.article_id "
    "AND l.source_key = new.key)"
)
_OF_ARTICLE = "(SELECT a.{} FROM article a WHERE a.id = new.article_id)"
# the record's attributes the statistics group by, copied beside its sources' tally rows
_PERSON_COPIES = {"person_type": "type", "gender": "gender", "gender_origin": "gender_origin"}
_OF_LINKED = (
    "(SELECT p.{} FROM source_link l JOIN person p ON p.id = l.person_id "
    "WHERE l.article_id = new.article_id AND l.source_key = new.key)"
)
_OF_PERSON = "(SELECT p.{} FROM person p WHERE p.id = new.person_id)"
_ARTICLE_COPIES = ("collection_id", "outlet", "published")
_SOURCE_CHANGED = " OR ".join(
    f"old.{c} <>? new.{c}" for c in ("article_id", "key", "rejected", "type", "name")
)
# the columns whose change moves a tally row between records, articles, outlets or dates
_PLACE = ("person_id", "rejected", "article_id", "outlet", "published")
_PLACE_SAME = " AND ".join(f"old.{c} =? new.{c}" for c in _PLACE)
_PLACE_MOVED = " OR ".join(f"old.{c} <>? new.{c}" for c in _PLACE)


def _recount(person: str, guard: str = "") -> str:
    """Recount a record's distinct articles and outlets and its dates from its live tally
    rows (index range scans)."""
    rows = f"FROM source_tally t WHERE t.person_id = {person} AND LIVE(t)"
    return (
        f"UPDATE person SET article_count = (SELECT count(DISTINCT t.article_id) {rows}), "  # noqa: S608
        f"outlet_count = (SELECT count(DISTINCT t.outlet) {rows}), "
        f"first_published = (SELECT min(t.published) {rows}), "
        f"last_published = (SELECT max(t.published) {rows}) "
        f"WHERE id = {person}{guard};"
    )


def _quotes(row: str, sign: str) -> str:
    return (
        f"UPDATE person SET quote_count = quote_count {sign} {row}.quotes "  # noqa: S608
        f"WHERE id = {row}.person_id AND LIVE({row});"
    )


def _tally_triggers() -> list[tuple[str, str, str, str, str]]:
    copies = ", ".join(_PERSON_COPIES)
    linked = ", ".join(_OF_LINKED.format(c) for c in _PERSON_COPIES.values())
    insert = (  # fixed SQL, as every statement here
        "INSERT INTO source_tally (id, article_id, collection_id, key, person_id, rejected, "  # noqa: S608
        f"quotes, type, name, outlet, published, {copies}) SELECT new.id, new.article_id, "
        f"a.collection_id, new.key, {_LINKED}, new.rejected, new.quote_count, new.type, "
        f"new.name, a.outlet, a.published, {linked} FROM article a WHERE a.id = new.article_id;"
    )
    of_article = ", ".join(f"{c} = {_OF_ARTICLE.format(c)}" for c in _ARTICLE_COPIES)
    of_linked = ", ".join(f"{c} = {_OF_LINKED.format(p)}" for c, p in _PERSON_COPIES.items())
    rederive = (
        "UPDATE source_tally SET article_id = new.article_id, key = new.key, "  # noqa: S608
        "rejected = new.rejected, quotes = new.quote_count, type = new.type, "
        f"name = new.name, person_id = {_LINKED}, {of_article}, {of_linked} WHERE id = new.id;"
    )
    unset = ", ".join(f"{c} = NULL" for c in _PERSON_COPIES)
    link_old = (
        f"UPDATE source_tally SET person_id = NULL, {unset} WHERE article_id = old.article_id "  # noqa: S608
        "AND key = old.source_key"
    )
    of_person = ", ".join(f"{c} = {_OF_PERSON.format(p)}" for c, p in _PERSON_COPIES.items())
    link_new = (
        f"UPDATE source_tally SET person_id = new.person_id, {of_person} "  # noqa: S608
        "WHERE article_id = new.article_id AND key = new.source_key;"
    )
    person_set = ", ".join(f"{c} = new.{p}" for c, p in _PERSON_COPIES.items())
    person_changed = " OR ".join(f"old.{p} <>? new.{p}" for p in _PERSON_COPIES.values())
    person_copy = f"UPDATE source_tally SET {person_set} WHERE person_id = new.id;"  # noqa: S608
    same_link = "old.article_id = new.article_id AND old.source_key = new.source_key"
    return [
        ("source_tally_add", "AFTER INSERT", "source", "TRUE", insert),
        ("source_tally_drop", "AFTER DELETE", "source", "TRUE",
         "DELETE FROM source_tally WHERE id = old.id;"),
        ("source_tally_quotes", "AFTER UPDATE OF quote_count", "source",
         "old.quote_count <>? new.quote_count",
         "UPDATE source_tally SET quotes = new.quote_count WHERE id = new.id;"),
        ("source_tally_source", "AFTER UPDATE OF article_id, key, rejected, type, name",
         "source", _SOURCE_CHANGED, rederive),
        ("source_tally_link_add", "AFTER INSERT", "source_link", "TRUE", link_new),
        ("source_tally_link_drop", "AFTER DELETE", "source_link", "TRUE", link_old + ";"),
        ("source_tally_link_move", "AFTER UPDATE OF article_id, source_key, person_id",
         "source_link", "TRUE", f"{link_old} AND NOT ({same_link}); {link_new}"),
        ("source_tally_article", "AFTER UPDATE OF collection_id, outlet, published", "article",
         "old.collection_id <>? new.collection_id OR old.outlet <>? new.outlet "
         "OR old.published <>? new.published",
         "UPDATE source_tally SET collection_id = new.collection_id, outlet = new.outlet, "
         "published = new.published WHERE article_id = new.id;"),
        ("source_tally_person", "AFTER UPDATE OF type, gender, gender_origin", "person",
         person_changed, person_copy),
        # the records' totals, from the tally rows
        ("record_totals_add", "AFTER INSERT", TALLY, "new.person_id IS NOT NULL AND LIVE(new)",
         _quotes("new", "+") + " " + _recount("new.person_id")),
        ("record_totals_drop", "AFTER DELETE", TALLY, "old.person_id IS NOT NULL AND LIVE(old)",
         _quotes("old", "-") + " " + _recount("old.person_id")),
        ("record_totals_quotes", "AFTER UPDATE OF quotes", TALLY,
         f"{_PLACE_SAME} AND old.quotes <>? new.quotes",
         "UPDATE person SET quote_count = quote_count + new.quotes - old.quotes "
         "WHERE id = new.person_id AND LIVE(new);"),
        ("record_totals_move", "AFTER UPDATE", TALLY, _PLACE_MOVED,
         " ".join((_quotes("old", "-"), _quotes("new", "+"),
                   _recount("old.person_id", " AND old.person_id <>? new.person_id"),
                   _recount("new.person_id")))),
    ]  # fmt: skip


def _triggers() -> list[tuple[str, str, str, str, str]]:
    out = [t for table, column in COUNTED for t in _article_count(table, column)]
    return out + _tally_triggers()


def _create_trigger(dialect: str, name: str, event: str, table: str, when: str, body: str) -> None:
    body, when = _render(body, dialect), _render(when, dialect)
    if dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
            "RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW WHEN ({when}) "
            f"EXECUTE FUNCTION {name}()"
        )
    else:
        condition = "" if when == "TRUE" else f" WHEN {when}"
        op.execute(f"CREATE TRIGGER {name} {event} ON {table}{condition} BEGIN {body} END")


def _fill(dialect: str) -> list[str]:
    """Count the existing rows (the articles written are only those with such rows: an
    article row holds its whole text)."""
    out = []
    for table, column in COUNTED:
        out.append(
            f"UPDATE article SET {column} = (SELECT count(*) FROM {table} s "  # noqa: S608
            f"WHERE s.article_id = article.id AND LIVE(s)) "
            f"WHERE id IN (SELECT article_id FROM {table} s WHERE LIVE(s))"
        )
    out.append(
        "INSERT INTO source_tally (id, article_id, collection_id, key, person_id, rejected, "
        "quotes, type, name, outlet, published, person_type, gender, gender_origin) "
        "SELECT s.id, s.article_id, a.collection_id, s.key, l.person_id, s.rejected, "
        "s.quote_count, s.type, s.name, a.outlet, a.published, p.type, p.gender, "
        "p.gender_origin FROM source s JOIN article a ON a.id = s.article_id "
        "LEFT JOIN source_link l ON l.article_id = s.article_id AND l.source_key = s.key "
        "LEFT JOIN person p ON p.id = l.person_id"
    )
    rows = "FROM source_tally t WHERE t.person_id = person.id AND LIVE(t)"
    out.append(
        f"UPDATE person SET quote_count = (SELECT coalesce(sum(t.quotes), 0) {rows}), "  # noqa: S608
        f"article_count = (SELECT count(DISTINCT t.article_id) {rows}), "
        f"outlet_count = (SELECT count(DISTINCT t.outlet) {rows}), "
        f"first_published = (SELECT min(t.published) {rows}), "
        f"last_published = (SELECT max(t.published) {rows}) "
        "WHERE id IN (SELECT person_id FROM source_tally)"
    )
    return [_render(s, dialect) for s in out]


def upgrade() -> None:
    zero = sa.text("0")
    dialect = op.get_bind().dialect.name
    # plain ADD COLUMN: the article table (and its search triggers) stays
    for _, column in COUNTED:
        op.add_column(
            "article", sa.Column(column, sa.Integer(), nullable=False, server_default=zero)
        )
    for column in PERSON_COUNTS:
        op.add_column(
            "person", sa.Column(column, sa.Integer(), nullable=False, server_default=zero)
        )
    for column in PERSON_DATES:
        op.add_column("person", sa.Column(column, sa.String(length=40), nullable=True))
    op.create_table(
        TALLY,
        sa.Column("id", sa.Integer(), nullable=False),  # the source's id
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("rejected", sa.Boolean(), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("published", sa.String(length=40), nullable=True),
        sa.Column("person_type", sa.String(length=10), nullable=True),  # the record's
        sa.Column("gender", sa.String(length=30), nullable=True),
        sa.Column("gender_origin", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_tally")),
    )
    for index, columns in TALLY_INDEXES.items():  # before the fill: it reads them
        op.create_index(index, TALLY, columns)
    for statement in _fill(dialect):
        op.execute(statement)
    for _, column in COUNTED:
        op.create_index(f"ix_article_{column}", "article", [column, "id"])
    if dialect in ("sqlite", "postgresql"):
        for name, event, table, when, body in _triggers():
            _create_trigger(dialect, name, event, table, when, body)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, _, table, _, _ in reversed(_triggers()):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for _, column in COUNTED:
        op.drop_index(f"ix_article_{column}", "article")
    op.drop_table(TALLY)
    # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would lose the search triggers
    for column in (*PERSON_DATES, *PERSON_COUNTS):
        op.drop_column("person", column)
    for _, column in COUNTED:
        op.drop_column("article", column)
