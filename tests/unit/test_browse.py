"""The browser's queries (paging, filters, sort, full-text search) and migration 0002."""

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from desktop.domain import (
    Article,
    ArticleStatus,
    Attribution,
    Origin,
    Quote,
    QuoteKind,
    Source,
    Span,
)
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
        # a last word of one letter is searched whole (MIN_PREFIX), alone it waits
        ("NEAR(a b) OR c*", '"NEAR" "a" "b" "OR" "c"'),
        ("t", ""),
        ("number 7", '"number" "7"'),
        ("ab_c", ""),
        ("ab_cd", '"ab_cd"*'),
        ("th", '"th"*'),
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


# --- the least certain quote of each article (migration 0005) ---------------------------

CONF_TEXT = "Ann Lee said yes. Bo Chan said no. Cy Dee said maybe. Di Eve said so. End."
SLOTS = [(13, 16), (31, 33), (47, 52), (67, 69)]  # "yes", "no", "maybe", "so"
CONFIDENCES = st.none() | st.floats(0.0, 1.0)


def conf_quote(slot: int, conf: float | None, src: float | None) -> Quote:
    start, end = SLOTS[slot]
    return Quote(
        start, end, CONF_TEXT[start:end], QuoteKind.INDIRECT, source_key="s1",
        confidence=conf, source_confidence=src,
    )  # fmt: skip


def conf_attribution(quotes: list[Quote]) -> Attribution:
    return Attribution(quotes, [Source("s1", "Ann Lee", "PERSON", "", [Span(0, 7, "Ann Lee")])])


def expected_lowest(quotes: list[Quote]) -> float | None:
    """Written apart from the triggers: a person's quote is certain, a model quote as
    certain as the lower of its confidences, rejected quotes left out."""
    values = []
    for q in quotes:
        if q.rejected:
            continue
        if q.origin == Origin.HUMAN:
            values.append(1.0)
            continue
        known = [c for c in (q.confidence, q.source_confidence) if c is not None]
        if known:
            values.append(min(known))
    return min(values) if values else None


def stored_lowest(db: Database, aid: int) -> float | None:
    with db.session() as s:
        (value,) = s.execute(
            select(repo.ArticleRow.lowest_confidence).where(repo.ArticleRow.id == aid)
        ).one()
        return value


ANALYSIS = st.lists(
    st.tuples(st.integers(0, 3), CONFIDENCES, CONFIDENCES), max_size=4, unique_by=lambda t: t[0]
)
EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("analyze"), ANALYSIS),
        st.tuples(st.sampled_from(["kind", "delete", "add", "split", "undo"]), st.integers(0, 3)),
    ),
    max_size=6,
)


def test_the_stored_lowest_confidence_follows_analysis_edits_and_undo(db: Database) -> None:
    """Whatever analyses, edits and undos happen, ``article.lowest_confidence`` is the
    lowest certainty of the quotes the article holds, and the window's own twin of the
    rule (``ui.confidence.lowest_confidence``) agrees with it."""
    from desktop.services.editing import Editor
    from desktop.store.errors import StoreError
    from desktop.ui.confidence import lowest_confidence

    editor = Editor(db, user="tester")
    made = iter(range(10**6))

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(first=ANALYSIS, edits=EDITS)
    def check(first: list[tuple[int, float | None, float | None]], edits: list) -> None:  # type: ignore[type-arg]
        with db.transaction() as s:
            aid = repo.add_article(s, repo.collection(s, "c"), Article(f"x{next(made)}", CONF_TEXT))
            assert aid is not None
            repo.apply_model_analysis(
                s, aid, [], conf_attribution([conf_quote(*q) for q in first]), "m", "1"
            )
        history = []
        for action, arg in [("start", None), *edits]:
            with db.session() as s:
                article = repo.load_article(s, aid, include_rejected=True)
            live = {(q.start, q.end) for q in article.quotes if not q.rejected}
            try:
                if action == "analyze":
                    with db.transaction() as s:
                        quotes = [conf_quote(*q) for q in arg]
                        repo.apply_model_analysis(s, aid, [], conf_attribution(quotes), "m", "1")
                elif action == "kind" and SLOTS[arg] in live:
                    edit = editor.update_quote(
                        aid, article.revision, SLOTS[arg], kind=QuoteKind.DIRECT
                    )
                    history.append(edit.before)
                elif action == "delete" and SLOTS[arg] in live:
                    history.append(editor.delete_quote(aid, article.revision, SLOTS[arg]).before)
                elif action == "add" and SLOTS[arg] not in live:
                    edit = editor.add_quote(aid, article.revision, *SLOTS[arg], QuoteKind.INDIRECT)
                    history.append(edit.before)
                elif action == "split" and SLOTS[arg] in live:
                    # a move: only the quote's origin changes, its confidences stay
                    edit = editor.split_source(aid, article.revision, "s1", [SLOTS[arg]], "Someone")
                    history.append(edit.before)
                elif action == "undo" and history:
                    editor.restore(aid, article.revision, history.pop(), "undo")
            except StoreError:  # an edit the rules refuse (an overlapping quote): no change
                pass
            with db.session() as s:
                after = repo.load_article(s, aid, include_rejected=True)
            wanted = expected_lowest(after.quotes)
            assert stored_lowest(db, aid) == pytest.approx(wanted), (action, after.quotes)
            assert lowest_confidence(after.quotes) == pytest.approx(wanted)

    check()


def conf_articles(
    db: Database, figures: list[list[tuple[float | None, float | None]]]
) -> list[int]:
    ids = []
    with db.transaction() as s:
        coll = repo.collection(s, "c")
        for n, quotes in enumerate(figures):
            aid = repo.add_article(s, coll, Article(f"k{n}", CONF_TEXT, title=f"K {n}"))
            assert aid is not None
            att = conf_attribution([conf_quote(i, c, sc) for i, (c, sc) in enumerate(quotes)])
            repo.apply_model_analysis(s, aid, [], att, "m", "1")
            ids.append(aid)
    return ids


def test_least_certain_first_lists_the_doubtful_articles_first_and_the_unmeasured_last(
    db: Database,
) -> None:
    ids = conf_articles(
        db,
        [
            [(0.9, 0.95)],  # 0.9
            [],  # no quote: no figure
            [(0.99, 0.4), (0.8, None)],  # 0.4
            [(None, None)],  # analyzed before confidences: no figure
            [(0.7, 0.75), (0.6, 0.97)],  # 0.6
        ],
    )
    with db.session() as s:
        up = browse.page(s, BrowseQuery(sort="confidence"), 0, 10)
        down = browse.page(s, BrowseQuery(sort="confidence", descending=True), 0, 10)
    assert [r.id for r in up] == [ids[2], ids[4], ids[0], ids[1], ids[3]]
    assert [r.lowest_confidence for r in up] == [0.4, 0.6, 0.9, None, None]
    assert [r.id for r in down] == [ids[0], ids[4], ids[2], ids[1], ids[3]]


def test_a_persons_correction_makes_that_quote_certain(db: Database) -> None:
    from desktop.services.editing import Editor

    (aid,) = conf_articles(db, [[(0.3, 0.9), (0.8, 0.85)]])
    assert stored_lowest(db, aid) == 0.3
    with db.session() as s:
        revision = repo.load_article(s, aid).revision
    Editor(db, user="tester").update_quote(aid, revision, SLOTS[0], kind=QuoteKind.DIRECT)
    assert stored_lowest(db, aid) == 0.8


def test_sorting_by_confidence_reads_the_index_not_every_quote(db: Database) -> None:
    """Cheap at 100,000 articles: the page is read from the index on the stored figure
    (no sort of every article, no quote read), with or without a collection."""
    conf_articles(db, [[(0.5, 0.6)], [(0.9, None)]])
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for query in (
            BrowseQuery(sort="confidence"),
            BrowseQuery(sort="confidence", collection="c"),
        ):
            seen.clear()
            with db.session() as s:
                browse.page(s, query, 0, 200)
            ((statement, parameters),) = [(q, p) for q, p in seen if "ORDER BY" in q]
            with db.engine.connect() as conn:
                plan = [r[-1] for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters)]  # fmt: skip
            assert any(p.startswith(("SCAN article", "SEARCH article")) and "_lowest" in p
                       for p in plan), plan  # fmt: skip
            assert not any("TEMP B-TREE FOR ORDER BY" in p for p in plan), plan
            assert not any(p.startswith("SCAN quote") for p in plan), plan
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


def test_a_database_at_revision_0004_gets_its_lowest_confidences_filled_in(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO collection (id, name, created_at) VALUES (1, 'old', '2024-01-01')")
    for aid in (1, 2, 3):
        con.execute(
            "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, meta, "
            "status, created_at, updated_at, revision) VALUES (?, 1, ?, '', 'Some text here.', "
            "'h', '{}', 'unreviewed', '2024-01-01', '2024-01-01', 1)",
            (aid, f"a{aid}"),
        )
    rows = [  # article, origin, rejected, confidence, source_confidence
        (1, "model", 0, 0.8, 0.55), (1, "model", 0, 0.9, None), (1, "model", 1, 0.1, 0.1),
        (2, "human", 0, None, None), (2, "model", 0, None, None),
    ]  # fmt: skip
    for n, (aid, origin, rejected, c, sc) in enumerate(rows):
        con.execute(
            'INSERT INTO quote (article_id, start, "end", kind, origin, rejected, confidence, '
            "source_confidence) VALUES (?, ?, ?, 'indirect', ?, ?, ?, ?)",
            (aid, n, n + 1, origin, rejected, c, sc),
        )
    con.commit()
    con.close()
    db = Database.open(path)
    try:
        assert [stored_lowest(db, aid) for aid in (1, 2, 3)] == [0.55, 1.0, None]
    finally:
        db.close()


def test_migration_0005_goes_down_and_up_keeping_the_search_triggers(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    path = tmp_path / "updown.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    for target in ("head", "0004", "head"):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.upgrade if target == "head" else command.downgrade)(cfg, target)
        con = sqlite3.connect(path)
        triggers = {
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        columns = {r[1] for r in con.execute("PRAGMA table_info(article)")}
        con.close()
        assert {"article_fts_insert", "article_fts_delete", "article_fts_update"} <= triggers
        assert ("lowest_confidence" in columns) == (target == "head")
        assert ("quote_lowest_insert" in triggers) == (target == "head")
    engine.dispose()
