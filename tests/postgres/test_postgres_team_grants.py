"""The team's grants hold across migrations (PostgreSQL, a throwaway cluster).

A team set up on an older schema (login roles made by ``quotedesk_add_person``), then a
table made after it (as a later migration makes one), then the app's upgrade: connected as
the annotator, the app edits, and every table and sequence is theirs to use, the later
table included; a table the owner makes after that is granted by default. Sentences are
made up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from desktop.domain import Article, ArticleStatus, Entity, QuoteKind
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store import repository as repo
from tests.postgres.test_postgres_migrations import migrate

TEXT = "Ines Varga opened the Larch Street library on Friday. Varga said it would stay open."
WORDS = {w: (TEXT.index(w), TEXT.index(w) + len(w)) for w in ("Ines Varga", "Friday", "Varga")}
CLAUSE = "it would stay open"


@pytest.fixture
def old_team(postgres_cluster: Any) -> Iterator[tuple[Any, str]]:
    """A database at 0011 with a team (annotator gina, curator hal) and a table made after
    the team's grants, as a migration after 0011 would make one."""
    name = postgres_cluster.fresh(template=None)
    url = postgres_cluster.url(name)
    migrate(url, "0011")
    with psycopg.connect(host=str(postgres_cluster.socket), user="postgres", dbname=name) as c:
        c.execute("SELECT quotedesk_add_person('gina', false)")
        c.execute("SELECT quotedesk_add_person('hal', true)")
        c.execute("CREATE TABLE made_later (id serial PRIMARY KEY, note text)")
    yield postgres_cluster, name
    postgres_cluster.drop(name)


def _as(cluster: Any, name: str, user: str) -> psycopg.Connection[Any]:
    return psycopg.connect(host=str(cluster.socket), user=user, dbname=name, autocommit=True)


def _ungranted(conn: psycopg.Connection[Any]) -> list[str]:
    """The schema's tables and sequences this connection's role may not use."""
    tables = conn.execute(
        "SELECT tablename, ARRAY[has_table_privilege(c.oid, 'SELECT'),"
        " has_table_privilege(c.oid, 'INSERT'), has_table_privilege(c.oid, 'UPDATE'),"
        " has_table_privilege(c.oid, 'DELETE')] FROM pg_tables t JOIN pg_class c"
        " ON c.relname = t.tablename AND c.relnamespace = t.schemaname::regnamespace"
        " WHERE t.schemaname = current_schema()"
    ).fetchall()
    sequences = conn.execute(
        "SELECT c.relname, has_sequence_privilege(c.oid, 'USAGE') FROM pg_class c"
        " WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
    ).fetchall()
    tables = [(t,) for t, may in tables if not all(may)]
    sequences = [(q,) for q, may in sequences if not may]
    return sorted(t for (t,) in tables) + sorted(s for (s,) in sequences)


def test_after_the_apps_upgrade_an_annotator_uses_every_table(old_team: tuple[Any, str]) -> None:
    cluster, name = old_team
    with _as(cluster, name, "gina") as gina:
        assert "made_later" in _ungranted(gina)  # what a migration's new table was before
    owner = Database.open(cluster.url(name))  # the upgrade to the head, as the app runs it
    try:
        start, end = WORDS["Ines Varga"]
        with owner.transaction() as s:
            aid = repo.add_article(
                s, repo.collection(s, "news"),
                Article("lib-1", TEXT, entities=[Entity(start, end, "PERSON", TEXT[start:end])]),
            )  # fmt: skip
        assert aid is not None
    finally:
        owner.close()
    with _as(cluster, name, "gina") as gina:
        assert _ungranted(gina) == []
        gina.execute("INSERT INTO made_later (note) VALUES ('a later table, granted')")
    db = Database.open(cluster.url(name, "gina"))  # the app, logged in as the annotator
    try:
        editor = Editor(db, "gina")
        with db.session() as s:
            rev = repo.load_article(s, aid).revision
        r = editor.add_entity(aid, rev, *WORDS["Friday"], "DATE")
        q = (TEXT.index(CLAUSE), TEXT.index(CLAUSE) + len(CLAUSE))
        r = editor.add_quote(aid, r.after.revision, *q, QuoteKind.INDIRECT)
        r = editor.new_source_for_quote(aid, r.after.revision, q, "Ines Varga", "PERSON")
        r = editor.set_status(aid, r.after.revision, ArticleStatus.REVIEWED)
        with db.session() as s:
            stored = repo.load_article(s, aid)
        assert stored.status_by == "gina" and stored.status == ArticleStatus.REVIEWED
        assert [q.annotator for q in stored.quotes] == ["gina"]
        assert {e.annotator for e in stored.entities} == {None, "gina"}
    finally:
        db.close()


def test_a_table_the_owner_makes_later_is_the_teams_by_default(old_team: tuple[Any, str]) -> None:
    cluster, name = old_team
    Database.open(cluster.url(name)).close()  # upgraded: the default privileges are set
    with _as(cluster, name, "postgres") as owner:
        owner.execute("CREATE TABLE made_after_upgrade (id serial PRIMARY KEY, note text)")
    with _as(cluster, name, "hal") as hal:
        assert _ungranted(hal) == []
        hal.execute("INSERT INTO made_after_upgrade (note) VALUES ('granted by default')")
        assert hal.execute("SELECT count(*) FROM made_after_upgrade").fetchone() == (1,)
