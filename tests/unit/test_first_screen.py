"""The window's first screen read with ``sqlite3`` (``store.first_screen``, issue 16) equals
what the full store reads, as a class: Hypothesis over generated databases (articles with
entities, quotes, sources and their mentions, rejected ones, odd characters, empty texts,
titles left to the text's first line, several collections, more articles than a page).

Compared: the browser's first page and its total (``library.browse_page``), the collection
names, the article the window picks (``--open``'s, else the last shown, else the first) as
the window loads it (``team_editing.shown_version`` with rejected annotations), whether it
is analyzed, its collection and labels. And what is unusual gives None (the full path)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, ArticleStatus, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.domain.labels import LabelDef, labels_from_json, labels_to_json
from desktop.services import labels, library, team_editing
from desktop.services.first_screen import first_screen
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.listing import BrowseQuery
from desktop.store.models import ArticleRow, CollectionRow, SourceRow, utcnow

ODD = st.sampled_from(["é", "\u2028", "\r\n", "\n", "😀", "“", "”", '"', "\x00", "'", "ß", " "])
TEXTS = st.lists(st.sampled_from(["Ann", "said", "the", "Kim", "."]) | ODD, max_size=30).map(
    "".join
)


@st.composite
def articles(draw: st.DrawFn, n: int) -> Article:
    text = draw(TEXTS)
    size = len(text)

    def span() -> tuple[int, int]:
        if size == 0:
            return 0, 0
        start = draw(st.integers(0, size - 1))
        return start, draw(st.integers(start + 1, size))

    def origin() -> Origin:
        return draw(st.sampled_from(list(Origin)))

    entities = []
    for _ in range(draw(st.integers(0, 4)) if size else 0):
        s, e = span()
        label = draw(st.sampled_from(["PERSON", "ORG", "GPE", "DATE"]))
        entities.append(Entity(s, e, label, text[s:e], origin(), draw(st.booleans())))
    sources = []
    for k in range(draw(st.integers(0, 3)) if size else 0):
        mentions = [
            Span(s, e, text[s:e]) for s, e in (span() for _ in range(draw(st.integers(0, 2))))
        ]
        name = draw(st.sampled_from(["Ann Lee", "Kim", "the paper", "Zoë “Z” Ødegaard"]))
        kind = draw(st.sampled_from(["PERSON", "ORG", "OTHER"]))
        sources.append(Source(f"s{k + 1}", name, kind, draw(st.sampled_from(["", "spokeswoman"])),
                              mentions, origin()))  # fmt: skip
    quotes = []
    for _ in range(draw(st.integers(0, 3)) if size else 0):
        s, e = span()
        cue = Span(*(c := span()), text[c[0] : c[1]]) if draw(st.booleans()) else None
        key = draw(st.sampled_from([None] + [src.key for src in sources]))
        quotes.append(
            Quote(
                s,
                e,
                text[s:e],
                draw(st.sampled_from(list(QuoteKind))),
                cue,
                None,
                key,
                origin(),
                draw(st.booleans()),
                draw(st.none() | st.floats(0, 1)),
                draw(st.sampled_from(["", "a “reason”"])),
            )  # fmt: skip
        )
    return Article(
        external_id=draw(st.sampled_from([f"a{n}", f"ID {n} é", f"{n}"])),
        text=text,
        title=draw(st.sampled_from(["", "A title", "Ünïcode — title\u2028two"])),
        meta=draw(st.sampled_from([{}, {"url": "https://example.org/x"}, {"n": [1, 2]}])),
        status=draw(st.sampled_from(list(ArticleStatus))),
        entities=entities,
        sources=sources,
        quotes=quotes,
    )


@st.composite
def databases(draw: st.DrawFn) -> list[tuple[str, Article, bool]]:
    count = draw(st.integers(1, 7))
    collection = st.sampled_from(["default", "Sample", "Zoë's “news”"])
    return [(draw(collection), draw(articles(n)), draw(st.booleans())) for n in range(count)]


def fill(path: Path, rows: list[tuple[str, Article, bool]], label_defs: list[LabelDef]) -> Database:
    db = Database.open(path)
    with db.transaction() as session:
        for name, article, analyzed in rows:
            cid = repo.collection(session, name)
            aid = repo.add_article(session, cid, article)
            if aid is not None and analyzed:
                row = session.get(ArticleRow, aid)
                assert row is not None
                row.analyzed_at, row.model_name, row.model_version = utcnow(), "m", "1"
                # and a source a person rejected (an edit does that; the window never shows it)
                first = session.query(SourceRow).filter_by(article_id=aid, key="s1").first()
                if first is not None:
                    first.rejected = True
        if label_defs:
            for collection in session.query(CollectionRow):
                collection.labels = labels_to_json(label_defs)
    return db


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=databases(),
    limit=st.integers(1, 8),
    pick=st.integers(0, 8),
    ask=st.sampled_from(["open", "last", "none"]),
    label_defs=st.sampled_from(
        [[], [LabelDef("PERSON", "#ff0000", "1"), LabelDef("ÉVÉNEMENT", "", "")]]
    ),
)
def test_the_first_screen_read_light_equals_the_full_read(
    tmp_path_factory: object, rows: list[tuple[str, Article, bool]], limit: int, pick: int,
    ask: str, label_defs: list[LabelDef],
) -> None:  # fmt: skip
    path = tmp_path_factory.mktemp("fs") / "q.sqlite3"  # type: ignore[attr-defined]
    db = fill(path, rows, label_defs)
    try:
        page, total = library.browse_page(db, BrowseQuery(), 0, limit)
        ids = [r.external_id for r in page]
        wanted = rows[pick % len(rows)][1].external_id
        open_id = wanted if ask == "open" else None
        last = wanted if ask == "last" else ""
        light = first_screen(str(path), open_id, last, limit)
        if open_id is not None:
            found = library.find_article(db, open_id)
            expected_id = found if found in {r.id for r in page} else None
        else:
            expected_id = page[ids.index(last) if last in ids else 0].id
        if expected_id is None or (
            open_id is not None and not library.is_analyzed(db, expected_id)
        ):
            assert light is None  # not on the first page, or to analyze: the full path
            return
        assert light is not None
        stored = light.stored
        assert stored.page == page
        assert stored.total == total
        assert stored.collections == library.collection_names(db)
        assert stored.article_id == expected_id
        shown = team_editing.shown_version(team_editing.LayerEditor(db), expected_id)
        assert stored.article == shown
        assert stored.article.status_at == shown.status_at
        assert stored.analyzed == library.is_analyzed(db, expected_id)
        assert (stored.collection, light.labels) == labels.article_labels(db, expected_id)
        pick = page[ids.index(last) if last in ids else 0].id  # the list's own, on its way
        if pick == expected_id:
            assert stored.picked is None
        else:
            assert stored.picked is not None and stored.picked.id == pick
            editor = team_editing.LayerEditor(db)
            assert stored.picked.article == team_editing.shown_version(editor, pick)
            assert stored.picked.analyzed == library.is_analyzed(db, pick)
            named = (stored.picked.collection, labels_from_json(stored.picked.labels))
            assert named == labels.article_labels(db, pick)
    finally:
        db.close()


def analyzed_database(path: Path) -> Database:
    article = Article("x", "Ann said so.", entities=[Entity(0, 3, "PERSON", "Ann")])
    return fill(path, [("default", article, True)], [])


def test_an_ordinary_database_is_read_light(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    analyzed_database(path).close()
    light = first_screen(str(path), "x", "", 200)
    assert light is not None and light.stored.analyzed


def test_what_is_unusual_goes_the_full_way(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    analyzed_database(path).close()
    assert first_screen(str(tmp_path / "new.sqlite3"), None, "", 200) is None  # a new file
    assert first_screen("postgresql://me@localhost/db", None, "", 200) is None
    assert first_screen(str(path), "no-such-id", "", 200) is None

    def altered(sql: str) -> Path:
        copy = tmp_path / f"c{abs(hash(sql))}.sqlite3"
        copy.write_bytes(path.read_bytes())
        with sqlite3.connect(copy) as conn:
            conn.execute(sql)
        conn.close()
        return copy

    newer = altered("UPDATE alembic_version SET version_num = '0099'")
    older = altered("UPDATE alembic_version SET version_num = '0011'")
    unstamped = altered("PRAGMA user_version = 0")
    team = altered(
        "INSERT INTO annotator (name, role, created_at) VALUES ('ann', 'annotator', '2026-01-01')"
    )
    parallel = altered("UPDATE collection SET annotation_mode = 'parallel'")
    for unusual in (newer, older, unstamped, team, parallel):
        assert first_screen(str(unusual), "x", "", 200) is None, unusual
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(path.read_bytes()[:4096] + b"\xff" * 8192)
    assert first_screen(str(damaged), "x", "", 200) is None
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    assert first_screen(str(foreign), "x", "", 200) is None


def test_a_locked_database_goes_the_full_way(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    analyzed_database(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        assert first_screen(str(path), "x", "", 200) is None
    finally:
        holder.close()
    assert first_screen(str(path), "x", "", 200) is not None


def test_the_window_says_what_the_analysis_says() -> None:
    """The first screen's "Nothing to analyze" is the status line ``commands.analyze_ids``
    makes of an analysis with nothing to do; its annotator variable is the team's."""
    from desktop.services import analysis, team
    from desktop.services.first_screen import ANNOTATOR_ENV, NOTHING_TO_ANALYZE

    summary = analysis.AnalysisReport().summary()
    assert NOTHING_TO_ANALYZE == summary[:1].upper() + summary[1:]
    assert ANNOTATOR_ENV == team.ANNOTATOR_ENV


def test_a_restore_needs_no_open_store(tmp_path: Path) -> None:
    """The window's restore offer works on a store that could not open (damaged since the
    first screen was read): the backup goes in place, and the store then opens on it."""
    from desktop.services.first_screen import DatabaseOnDemand
    from desktop.store import backups

    path = tmp_path / "q.sqlite3"
    fill(path, [("default", Article("x", "Ann Lee said so."), True)], []).close()
    backup = backups.make_backup(path)
    path.write_bytes(b"not a database at all, " * 200)  # damaged after the first screen
    on_demand = DatabaseOnDemand(path)
    saved = on_demand.restore(backup)
    assert saved is not None and saved.exists()
    assert not on_demand.opened
    db = on_demand.open()
    try:
        assert [s.external_id for s in library.browse_page(db, BrowseQuery(), 0, 10)[0]] == ["x"]
    finally:
        db.close()
