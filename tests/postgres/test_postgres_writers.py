"""Two writers on one database: the second is told, never silently overwrites the first.

SQLite gets this from ``BEGIN IMMEDIATE``; PostgreSQL from the advisory lock every write
transaction takes first (``store/postgres.py``). Each test runs on both engines (``db``),
with a second ``Database`` on the same database: another connection, as another window
or another machine has.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop.domain import Article
from desktop.services import importing, library
from desktop.services.editing import Editor
from desktop.store import Database, StoreError, postgres
from desktop.store import annotations as ann
from desktop.store import repository as repo
from desktop.store.browse import ChangeCounter
from desktop.store.errors import ConflictError, DatabaseLockedError
from desktop.store.models import EditRow

TEXT = "Mara Quell said the bridge would reopen in May. Officials agreed."


def add(db: Database, external_id: str = "w1") -> int:
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s), Article(external_id, TEXT))
    assert aid is not None
    return aid


def revision(db: Database, aid: int) -> int:
    return library.load_article(db, aid).revision


def test_a_second_writer_is_told_not_overwriting(db: Database) -> None:
    aid = add(db)
    seen = revision(db, aid)  # both windows opened the article at this revision
    other = Database.open(db.location)
    first_in = threading.Event()
    try:

        def first_writer() -> None:
            with db.transaction() as s:
                row = ann.load_for_edit(s, aid, seen)
                ann.add_entity(s, row, 0, 10, "PERSON")
                row.revision += 1
                s.flush()
                first_in.set()
                time.sleep(0.5)  # the second writer tries meanwhile

        thread = threading.Thread(target=first_writer)
        thread.start()
        assert first_in.wait(10)
        started = time.monotonic()
        with pytest.raises(ConflictError, match="changed in another window"):
            Editor(other, "second").add_entity(aid, seen, 35, 41, "ORG")
        waited = time.monotonic() - started
        thread.join()
    finally:
        other.close()
    assert waited > 0.2  # it waited for the first writer's commit, then saw its revision
    after = library.load_article(db, aid)
    assert after.revision == seen + 1
    assert [(e.start, e.end, e.label) for e in after.entities] == [(0, 10, "PERSON")]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EditRow)) == 0


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(st.sampled_from(["a", "b"]), min_size=2, max_size=8))
def test_edits_from_two_connections_in_any_order_are_all_kept_or_refused(
    db: Database, edits: list[str]
) -> None:
    """Racing writers, each editing from the revision it last saw: every edit is either
    in the article and the history, or was refused with ConflictError; none is lost."""
    aid = add(db, f"race-{len(edits)}-{''.join(edits)}")
    other = Database.open(db.location)
    try:
        editors = {"a": Editor(db, "a"), "b": Editor(other, "b")}
        seen = {"a": revision(db, aid), "b": revision(other, aid)}
        outcomes: list[tuple[str, int, bool]] = []
        lock = threading.Lock()

        def edit(who: str, n: int) -> None:
            start = 5 * (n % 12)
            try:
                result = editors[who].add_entity(aid, seen[who], start, start + 3, "MISC")
                with lock:
                    seen[who] = result.after.revision
                    outcomes.append((who, start, True))
            except ConflictError:
                with lock:
                    seen[who] = revision(db, aid)
                    outcomes.append((who, start, False))

        threads = [threading.Thread(target=edit, args=(w, n)) for n, w in enumerate(edits)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        other.close()
    kept = sorted(start for _, start, ok in outcomes if ok)
    article = library.load_article(db, aid)
    assert sorted({e.start for e in article.entities}) == sorted(set(kept))
    with db.session() as s:
        history = s.scalar(
            select(func.count()).select_from(EditRow).where(EditRow.article_id == aid)
        )
    assert history == len(kept)  # every saved edit is in the history, no refused one
    assert article.revision == 1 + len(kept)


def test_a_writer_held_up_too_long_is_told_the_database_is_busy(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "TIMEOUT_SQL", "SET LOCAL lock_timeout = '200ms'")
    db, other = Database.open(pg_url), Database.open(pg_url)
    try:
        aid = add(db)
        with db.transaction():
            with pytest.raises(DatabaseLockedError, match="busy") as caught:
                Editor(other).add_entity(aid, 1, 0, 4, "PERSON")
        assert "\n" not in str(caught.value)
        assert library.load_article(db, aid).entities == []
    finally:
        db.close()
        other.close()


def test_the_server_change_counter_sees_another_connections_edits(pg_url: str) -> None:
    db, other = Database.open(pg_url), Database.open(pg_url)
    try:
        aid = add(db)
        counter = ChangeCounter(db.engine, None)
        assert counter.changed() is False
        assert counter.changed() is False
        Editor(other).add_entity(aid, revision(other, aid), 0, 4, "PERSON")
        assert counter.changed() is True
        assert counter.changed() is False
        with other.session() as s:  # a read is no change
            repo.article_ids(s, None)
        assert counter.changed() is False
        add(other, "w2")
        assert counter.changed() is True
        counter.close()
    finally:
        db.close()
        other.close()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=st.integers(0, 3), after=st.integers(0, 3), at=st.integers(0, 20))
def test_a_nul_postgresql_cannot_store_is_one_line_and_the_other_articles_go_in(
    pg_url: str, tmp_path: Path, before: int, after: int, at: int
) -> None:
    """NUL in an article's text (titles and ids with one are refused as names on both
    engines): that article is one line, every other one of the file goes in."""
    db = Database.open(pg_url)
    tag = f"{before}-{after}-{at}"
    try:
        body = "Text of the bad one, which PostgreSQL cannot hold."
        bad = {"id": f"bad-{tag}", "text": body[:at] + "\x00" + body[at:]}
        good = [{"id": f"ok-{tag}-{n}", "text": f"Story {n} with nothing odd."} for n in
                range(before + after)]  # fmt: skip
        records = [*good[:before], bad, *good[before:]]
        source = tmp_path / f"nul-{tag}.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
        report = importing.import_paths(db, [source], collection=f"c-{tag}")
        assert report.added == before + after, report
        assert len(report.errors) == 1 and "\n" not in report.errors[0]
        assert "U+0000" in report.errors[0] and repr(bad["id"]) in report.errors[0]
        assert not report.bugs
        assert all(library.find_article(db, g["id"]) is not None for g in good)
        assert library.find_article(db, bad["id"]) is None
    finally:
        db.close()


def test_a_server_database_is_refused_in_one_line_when_its_read_fails(pg_url: str) -> None:
    db = Database.open(pg_url)
    try:
        with pytest.raises(StoreError, match="NUL") as caught:
            library.find_article(db, "a\x00b")
        assert "\n" not in str(caught.value)
    finally:
        db.close()
