"""The quote tallies of migration 0010 (``source.quote_count``, ``article.unsourced_quotes``)
equal a fresh count after any sequence of analyses, quote edits, rejections, deletions,
source changes, article undos and record merges, splits and undos; and the statistics and
the sources index that read them give what counting the quotes gives. On both engines."""

from __future__ import annotations

import itertools
from typing import Any

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop.domain import QuoteKind
from desktop.domain.people import ArticleFilter
from desktop.services import sources
from desktop.store import Database, people, people_queries, people_stats
from desktop.store import annotations as ann
from desktop.store import repository as repo
from desktop.store.database import _alembic_config
from desktop.store.errors import StoreError
from desktop.store.models import ArticleRow, PersonRow, QuoteRow, SourceRow
from tests.unit.test_people_linking import STORIES, story
from tests.unit.test_people_records import load_stories

FRESH = itertools.count(1)
GROUPINGS = ("source", "type", "gender", "outlet", "month", "week")
OPS = (
    "delete_quote",
    "toggle_reject",
    "move_quote",
    "unsource_quote",
    "add_quote",
    "merge_sources",
    "delete_source",
    "undo_article",
    "delete_article",
    "analyze",
    "merge_records",
    "split_record",
    "undo_record",
)
op_lists = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)), max_size=12
)


def fresh_mismatches(db: Database) -> list[str]:
    """Sources and articles whose tally differs from a count of their live quotes."""
    live = QuoteRow.rejected.is_(False)
    with db.session() as s:
        counted = dict(
            s.execute(
                select(QuoteRow.source_id, func.count())
                .where(live, QuoteRow.source_id.is_not(None))
                .group_by(QuoteRow.source_id)
            ).all()
        )
        unsourced = dict(
            s.execute(
                select(QuoteRow.article_id, func.count())
                .where(live, QuoteRow.source_id.is_(None))
                .group_by(QuoteRow.article_id)
            ).all()
        )
        bad = [
            f"source {sid}: {n} != {counted.get(sid, 0)}"
            for sid, n in s.execute(select(SourceRow.id, SourceRow.quote_count))
            if n != counted.get(sid, 0)
        ]
        bad += [
            f"article {aid}: {n} != {unsourced.get(aid, 0)}"
            for aid, n in s.execute(select(ArticleRow.id, ArticleRow.unsourced_quotes))
            if n != unsourced.get(aid, 0)
        ]
    return bad


def read_both(db: Database) -> tuple[Any, Any]:
    """Every whole-collection figure the tallies answer, read from them and counted."""
    f = ArticleFilter()
    out = []
    with db.session() as s:
        for tallied in (True, False):
            stats = {by: people_stats.stats(s, by, f, tallied) for by in GROUPINGS}
            total = people_stats.totals(s, f, tallied)
            page = {
                key: people_queries.record_page(s, f, "", key, True, 0, 10_000, tallied)
                for key in ("quotes", "name")
            }
            out.append((stats, total, page))
    return out[0], out[1]


class Session:
    """One sequence of edits on the test database (what it did, for the failure text)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.editor = sources.RecordEditor(db, "tester")
        self.record_edits: list[Any] = []
        self.article_states: list[tuple[int, Any]] = []

    def articles(self) -> list[int]:
        with self.db.session() as s:
            return list(s.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))

    def run(self, op: str, i: int, j: int) -> None:
        if op in ("merge_records", "split_record", "undo_record"):
            self.record_op(op, i, j)
            return
        if op == "analyze":
            n = next(FRESH)  # a text of its own: an article already held is not added again
            external_id, text, cast = STORIES[i % len(STORIES)]
            with self.db.transaction() as s:
                coll = repo.collection(s, "harbour")
                new = story(f"{external_id}-x{n}", f"{text} More on day {n}.", cast)
                aid = repo.add_article(s, coll, new)
                assert aid is not None
                people.link_article(s, aid)
            return
        ids = self.articles()
        if not ids:
            return
        aid = ids[i % len(ids)]
        with self.db.transaction() as s:
            row = ann.load_for_edit(s, aid, None)
            if op == "undo_article":
                for where, state in reversed(self.article_states):
                    if where == aid:
                        ann.restore(s, row, state)
                        break
                return
            self.article_states.append((aid, ann.snapshot(s, row)))
            self.article_op(s, op, row, j)

    def article_op(self, s: Any, op: str, row: ArticleRow, j: int) -> None:
        every = sorted(row.quotes, key=lambda q: (q.start, q.end, q.id))
        # the editor finds live quotes; a rejection is toggled on any
        quotes = every if op == "toggle_reject" else [q for q in every if not q.rejected]
        srcs = sorted(row.sources, key=lambda x: x.key)
        quote = quotes[j % len(quotes)] if quotes else None
        src = srcs[j % len(srcs)] if srcs else None
        if op == "delete_article":
            s.delete(row)
        elif op == "add_quote":
            end = 1 + j % max(1, len(row.text) - 1)
            try:
                new = ann.add_quote(row, 0, end, QuoteKind.DIRECT)
            except StoreError:
                return
            new.source = src
        elif quote is None:
            return
        elif op == "delete_quote":
            ann.delete_quote(row, quote.start, quote.end)
        elif op == "toggle_reject":
            quote.rejected = not quote.rejected
        elif op == "move_quote" and src is not None:
            quote.source = src
        elif op == "unsource_quote":
            quote.source = None
        elif op == "merge_sources" and len(srcs) > 1:
            ann.merge_sources(row, srcs[0].key, srcs[1 + j % (len(srcs) - 1)].key)
        elif op == "delete_source" and src is not None:
            row.sources.remove(src)  # its quotes' source_id: SET NULL by the database

    def record_op(self, op: str, i: int, j: int) -> None:
        with self.db.session() as s:
            records = list(s.scalars(select(PersonRow.id).order_by(PersonRow.id)))
        try:
            if op == "undo_record" and self.record_edits:
                self.editor.undo(self.record_edits.pop())
            elif op == "merge_records" and len(records) > 1:
                keep = records[i % len(records)]
                drop = records[j % len(records)]
                if keep != drop:
                    self.record_edits.append(self.editor.merge(keep, drop))
            elif op == "split_record" and records:
                pid = records[i % len(records)]
                linked = sources.linked_sources(self.db, pid)
                if len(linked) > 1:
                    first = [(linked[0].article_id, linked[0].source_key)]
                    self.record_edits.append(self.editor.split(pid, first, f"Split Off {j}"))
        except StoreError:
            pass  # a refused edit changes nothing; the tallies are checked all the same


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=op_lists)
def test_tallies_equal_a_fresh_count_after_any_edits(db: Database, ops: list[Any]) -> None:
    with db.session() as s:
        empty = s.scalar(select(func.count()).select_from(ArticleRow)) == 0
    if empty:
        load_stories(db)
    session = Session(db)
    for op, i, j in ops:
        session.run(op, i, j)
        assert fresh_mismatches(db) == [], (op, i, j)
    tallied, counted = read_both(db)
    assert tallied == counted


def test_migration_fills_the_tallies_of_existing_rows(db: Database) -> None:
    """Down to 0009 and up again (to the head: the statistics read migration 0011's
    tallies too): the tallies are counted from the quotes there are."""
    load_stories(db)
    with db.transaction() as s:
        # a rejected quote and one without a source, so that both tallies are tested
        quotes = list(s.scalars(select(QuoteRow).order_by(QuoteRow.id)))
        quotes[0].rejected = True
        quotes[1].source = None
    before = read_both(db)[0]
    config = _alembic_config()
    for target in ("0009", "head"):
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if target == "0009" else command.upgrade)(config, target)
    assert fresh_mismatches(db) == []
    assert read_both(db)[0] == before
    sql = (
        "SELECT indexname FROM pg_indexes WHERE tablename = 'article'"
        if db.engine.dialect.name == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'index'"
    )
    with db.engine.connect() as conn:
        assert "ix_article_unsourced_quotes" in set(conn.exec_driver_sql(sql).scalars())
    with db.session() as s:
        assert s.scalar(select(func.sum(SourceRow.quote_count))) > 0
        assert s.scalar(select(func.sum(ArticleRow.unsourced_quotes))) == 1
