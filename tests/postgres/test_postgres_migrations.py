"""Every migration runs on PostgreSQL: up from each older revision (keeping the rows and
filling what a migration fills), and down to nothing and up again."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from desktop.services import library
from desktop.store import Database
from desktop.store.browse import BrowseQuery
from desktop.store.database import _alembic_config, head_revision
from desktop.store.location import ServerLocation, parse_location


def older_revisions() -> list[str]:
    """Every revision before the head, oldest first (new migrations join by themselves)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return sorted(r.revision for r in script.walk_revisions() if r.revision != head_revision())


OLDER = older_revisions()


def engine_for(url: str):  # type: ignore[no-untyped-def]
    where = parse_location(url)
    assert isinstance(where, ServerLocation)
    return create_engine(where.url)


def migrate(url: str, revision: str, down: bool = False) -> None:
    engine = engine_for(url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


@pytest.fixture
def empty_url(postgres_cluster: object) -> str:
    name = postgres_cluster.fresh(template=None)  # type: ignore[attr-defined]
    return postgres_cluster.url(name)  # type: ignore[attr-defined]


@pytest.mark.parametrize("revision", OLDER)
def test_a_database_at_an_older_revision_is_brought_up_keeping_its_rows(
    empty_url: str, revision: str
) -> None:
    migrate(empty_url, revision)
    engine = engine_for(empty_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO collection (id, name, created_at) VALUES (1, 'old', now())"))
        conn.execute(
            text(
                "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, "
                "meta, status, created_at, updated_at, revision) VALUES (1, 1, 'old-1', "
                "'Harbour news', 'The mayor said the harbour would reopen.', 'h', "
                "CAST(:meta AS json), 'unreviewed', now(), now(), 1)"
            ),
            {"meta": '{"published": "2024-05-01"}'},
        )
        conf = revision >= "0004"
        columns = ', "start", "end", kind, origin, rejected' + (", confidence" if conf else "")
        values = "1, 1, 0, 8, 'indirect', 'model', false" + (", 0.4" if conf else "")
        conn.execute(text(f"INSERT INTO quote (id, article_id{columns}) VALUES ({values})"))  # noqa: S608
    engine.dispose()
    db = Database.open(empty_url)
    try:
        assert db.current_revision() == head_revision()
        rows, total = library.browse_page(db, BrowseQuery(search="harb"), 0, 10)
        assert total == 1 and rows[0].external_id == "old-1"
        if revision < "0002":  # 0002 fills it from the metadata; later, imports do
            assert rows[0].published == "2024-05-01"
        if revision >= "0004":
            assert rows[0].lowest_confidence == pytest.approx(0.4)
    finally:
        db.close()


def test_migrations_go_down_to_nothing_and_up_again(empty_url: str) -> None:
    Database.open(empty_url).close()
    migrate(empty_url, "base", down=True)
    engine = engine_for(empty_url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        functions = (
            conn.execute(
                text(
                    "SELECT proname FROM pg_proc p WHERE pronamespace = 'public'::regnamespace "
                    "AND NOT EXISTS (SELECT 1 FROM pg_depend d "
                    "WHERE d.objid = p.oid AND d.deptype = 'e')"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert functions == []  # the unaccent extension's own functions stay with it
    db = Database.open(empty_url)  # up again from nothing
    try:
        assert db.current_revision() == head_revision()
    finally:
        db.close()
