"""The browser's queries (paging, filters, sort, full-text search) and migration 0002."""

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from desktop.domain import Article, ArticleStatus, Attribution, Quote, QuoteKind, Source, Span
from desktop.store import Database, browse
from desktop.store import repository as repo
from desktop.store.browse import BrowseQuery, fts_query
from desktop.store.database import _alembic_config, head_revision


def fill(db: Database) -> list[int]:
    ids = []
    with db.transaction() as s:
        news = repo.collection(s, "news")
        other = repo.collection(s, "other")
        for i in range(30):
            text = f"Story {i}: the mayor of Montréal spoke." if i % 3 == 0 else f"Plain story {i}."
            a = Article(
                external_id=f"a{i:02d}",
                text=text,
                title=f"Title {i:02d}",
                meta={"published": f"2024-02-{i % 28 + 1:02d}"},
                status=ArticleStatus.REVIEWED if i % 5 == 0 else ArticleStatus.UNREVIEWED,
            )
            new_id = repo.add_article(s, news if i < 20 else other, a)
            assert new_id is not None
            ids.append(new_id)
    return ids


def test_paging_and_total(db: Database) -> None:
    fill(db)
    with db.session() as s:
        q = BrowseQuery()
        assert browse.count(s, q) == 30
        first = browse.page(s, q, 0, 10)
        second = browse.page(s, q, 10, 10)
    assert [r.external_id for r in first] == [f"a{i:02d}" for i in range(10)]
    assert [r.external_id for r in second] == [f"a{i:02d}" for i in range(10, 20)]


def test_filters_by_collection_status_and_search(db: Database) -> None:
    fill(db)
    with db.session() as s:
        assert browse.count(s, BrowseQuery(collection="other")) == 10
        assert browse.count(s, BrowseQuery(status="reviewed")) == 6
        # accent-insensitive, prefix match on the last word typed
        found = browse.page(s, BrowseQuery(search="montre"), 0, 50)
        assert {r.external_id for r in found} == {f"a{i:02d}" for i in range(0, 30, 3)}
        both = BrowseQuery(collection="news", status="reviewed", search="mayor")
        assert {r.external_id for r in browse.page(s, both, 0, 50)} == {"a00", "a15"}


def test_sort_by_date_descending_and_by_quotes(db: Database) -> None:
    ids = fill(db)
    att = Attribution(
        quotes=[Quote(0, 5, "Story", QuoteKind.DIRECT, None, None, "s1")] * 2,
        sources=[Source("s1", "Mayor", "PERSON", "", [Span(0, 5, "Story")])],
    )
    with db.transaction() as s:
        repo.apply_model_analysis(s, ids[7], [], att, "m", "1")
    with db.session() as s:
        by_date = browse.page(s, BrowseQuery(sort="published", descending=True), 0, 3)
        by_quotes = browse.page(s, BrowseQuery(sort="quotes", descending=True), 0, 1)
    assert [r.published for r in by_date] == ["2024-02-28", "2024-02-27", "2024-02-26"]
    assert by_quotes[0].id == ids[7] and by_quotes[0].quotes == 2 and by_quotes[0].sources == 1


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("mayor", '"mayor"*'),
        ("the mayor", '"the" "mayor"*'),
        ('"; DROP TABLE article; --', '"DROP" "TABLE" "article"*'),
        ("NEAR(a b) OR c*", '"NEAR" "a" "b" "OR" "c"*'),
        ("   ", ""),
    ],
)
def test_fts_query_is_always_a_safe_phrase_list(typed: str, expected: str) -> None:
    assert fts_query(typed) == expected


def test_hostile_search_text_finds_nothing_and_breaks_nothing(db: Database) -> None:
    fill(db)
    with db.session() as s:
        for typed in ['"', "'", "*", "AND", "title:x", ")(", "a\x00b", "👍"]:
            browse.count(s, BrowseQuery(search=typed))
        assert browse.count(s, BrowseQuery()) == 30


def test_search_index_follows_edits(db: Database) -> None:
    ids = fill(db)
    with db.transaction() as s:
        row = s.get(repo.ArticleRow, ids[1])
        assert row is not None
        row.title = "Zanzibar summit"
    with db.session() as s:
        assert [r.id for r in browse.page(s, BrowseQuery(search="zanzibar"), 0, 5)] == [ids[1]]


def test_database_from_revision_0001_is_upgraded_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO collection (id, name, created_at) VALUES (1, 'old', '2024-01-01')")
    con.execute(
        "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, meta, "
        "status, created_at, updated_at, revision) VALUES (1, 1, 'x', 'Old title', "
        "'Old text about Kyiv', 'h', '{\"published\": \"2023-05-01\"}', 'reviewed', "
        "'2024-01-01', '2024-01-01', 1)"
    )
    con.commit()
    con.close()

    db = Database.open(path)
    try:
        assert db.current_revision() == head_revision()
        with db.session() as s:
            (row,) = browse.page(s, BrowseQuery(search="kyiv"), 0, 5)
        assert (row.external_id, row.title, row.status, row.published) == (
            "x",
            "Old title",
            "reviewed",
            "2023-05-01",
        )
        backups = list((tmp_path / "old.sqlite3.backups").glob("*before-migration-0001*"))
        assert len(backups) == 1
    finally:
        db.close()


def test_change_counter_sees_commits_from_another_connection_and_reads_no_table(
    db: Database, db_path: Path
) -> None:
    counter = browse.ChangeCounter(db.engine, db.path)
    assert counter.changed() is False  # the starting point
    assert counter.changed() is False  # nothing happened since
    other = Database.open(db_path)
    try:
        with other.transaction() as s:
            repo.add_article(s, repo.collection(s, "elsewhere"), Article("x1", "Made elsewhere."))
        assert counter.changed() is True
        assert counter.changed() is False
        with other.session() as s:  # a read is not a change
            assert browse.count(s, BrowseQuery()) == 1
        assert counter.changed() is False
    finally:
        other.close()
    # what the counter runs: one PRAGMA, no table read
    statements: list[str] = []
    counter._raw.set_trace_callback(statements.append)  # type: ignore[union-attr]  # noqa: SLF001
    counter.changed()
    assert statements == ["PRAGMA data_version"]
    # the engine disposed (a restore, a disk going read-only): no file of the database is
    # held open any more, and the next look cannot know what happened meanwhile
    db.engine.dispose()
    assert counter._raw is None  # noqa: SLF001
    assert counter.changed() is True
    assert counter.changed() is False
    counter.close()
    assert counter.changed() is False  # closed for good, and says so quietly


def test_change_counter_reports_a_vanished_file_and_never_makes_it_again(tmp_path: Path) -> None:
    from desktop.store import StoreError

    path = tmp_path / "gone.sqlite3"
    db = Database.open(path)
    counter = browse.ChangeCounter(db.engine, db.path)
    counter.changed()
    db.close()
    for name in ("gone.sqlite3", "gone.sqlite3-wal", "gone.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    with pytest.raises(StoreError, match="gone"):
        counter.changed()
    assert not path.exists()
    counter.close()
