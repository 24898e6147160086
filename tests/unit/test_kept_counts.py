"""The counts migration 0011 keeps by triggers (``article.quote_count`` and
``source_count``, the ``source_tally`` rows, each record's quotes, articles, outlets and
dates) equal a fresh count from the rows after any sequence of edits: the edits of
test_people_tallies (analyses, quote edits, rejections, deletions, source changes, article
undos, record merges, splits and undos) and re-analyses, links and unlinks, new records,
record deletions, source rejections, renames and retypes, outlet and date changes, and
imports. On both engines (the ``db`` fixture). Also: the migration counts an 0010
database's rows, and the browser's sorts by quotes and sources follow the counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, false, func, select
from sqlalchemy.orm import Session

from desktop.domain import Attribution
from desktop.domain.people import ArticleFilter, PersonType
from desktop.formats.jsonl import article_record
from desktop.services import importing
from desktop.store import Database, browse, people, people_queries, people_stats
from desktop.store import repository as repo
from desktop.store.annotations import EditError
from desktop.store.browse import BrowseQuery
from desktop.store.database import _alembic_config
from desktop.store.errors import StoreError
from desktop.store.models import ArticleRow, PersonRow, QuoteRow, SourceLinkRow, SourceRow
from desktop.store.people_stats import TALLY
from tests.unit import test_people_tallies as tallies
from tests.unit.test_people_linking import STORIES, story
from tests.unit.test_people_records import load_stories

A, S, Q, L, P = ArticleRow, SourceRow, QuoteRow, SourceLinkRow, PersonRow
MORE_OPS = (
    "reanalyze",
    "link",
    "unlink",
    "new_record",
    "delete_record",
    "set_gender",
    "guess_genders",
    "retype_record",
    "reject_source",
    "rename_source",
    "retype_source",
    "set_outlet",
    "set_published",
    "import",
)
op_lists = st.lists(
    st.tuples(st.sampled_from(tallies.OPS + MORE_OPS), st.integers(0, 50), st.integers(0, 50)),
    max_size=12,
)


def _live_quotes(session: Any) -> tuple[dict[int, int], dict[int, int]]:
    """Live quotes per source and per article, counted."""
    live = Q.rejected.is_(False)
    per_source = dict(
        session.execute(
            select(Q.source_id, func.count()).where(live, Q.source_id.is_not(None))
            .group_by(Q.source_id)
        ).all()
    )  # fmt: skip
    per_article = dict(
        session.execute(select(Q.article_id, func.count()).where(live).group_by(Q.article_id)).all()
    )
    return per_source, per_article


def _live_sources(session: Session) -> dict[int, int]:
    """Each article's live sources, counted from the rows."""
    stmt = select(S.article_id, func.count()).where(S.rejected.is_(False)).group_by(S.article_id)
    return {aid: n for aid, n in session.execute(stmt)}


def kept_mismatches(db: Database) -> list[str]:
    """Every kept count of migration 0011 that differs from a fresh count of the rows."""
    with db.session() as s:
        per_source, per_article = _live_quotes(s)
        live_sources = _live_sources(s)
        bad = [
            f"article {aid}: quotes {q} != {per_article.get(aid, 0)} or sources {n} != "
            f"{live_sources.get(aid, 0)}"
            for aid, q, n in s.execute(select(A.id, A.quote_count, A.source_count))
            if (q, n) != (per_article.get(aid, 0), live_sources.get(aid, 0))
        ]
        # the tally rows: each source with its article, link, record and live quotes
        fresh = {
            r[0]: (*r[1:6], per_source.get(r[0], 0), *r[6:])
            for r in s.execute(
                select(S.id, S.article_id, A.collection_id, S.key, L.person_id, S.rejected,
                       S.type, S.name, A.outlet, A.published, P.type, P.gender, P.gender_origin)
                .join(A, A.id == S.article_id)
                .outerjoin(L, and_(L.article_id == S.article_id, L.source_key == S.key))
                .outerjoin(P, P.id == L.person_id)
            )
        }  # fmt: skip
        T = TALLY.c
        kept = {
            r[0]: tuple(r[1:])
            for r in s.execute(
                select(T.id, T.article_id, T.collection_id, T.key, T.person_id, T.rejected,
                       T.quotes, T.type, T.name, T.outlet, T.published, T.person_type, T.gender,
                       T.gender_origin)
            )
        }  # fmt: skip
        bad += [
            f"tally {sid}: {kept.get(sid)} != {fresh.get(sid)}"
            for sid in sorted(set(fresh) | set(kept))
            if kept.get(sid) != fresh.get(sid)
        ]
        # each record's totals over its live linked sources
        counted: dict[int, list[Any]] = {}
        for pid, sid, aid, outlet, published in s.execute(
            select(L.person_id, S.id, S.article_id, A.outlet, A.published)
            .join(S, and_(L.article_id == S.article_id, L.source_key == S.key))
            .join(A, A.id == S.article_id)
            .where(L.person_id.is_not(None), S.rejected == false())
        ):
            c = counted.setdefault(pid, [0, set(), set(), []])
            c[0] += per_source.get(sid, 0)
            c[1].add(aid)
            if outlet is not None:
                c[2].add(outlet)
            if published is not None:
                c[3].append(published)
        for pid, quotes, articles, outlets, first, last in s.execute(
            select(P.id, P.quote_count, P.article_count, P.outlet_count, P.first_published,
                   P.last_published)
        ):  # fmt: skip
            c = counted.get(pid, [0, set(), set(), []])
            want = (c[0], len(c[1]), len(c[2]), min(c[3], default=None), max(c[3], default=None))
            if (quotes, articles, outlets, first, last) != want:
                bad.append(f"record {pid}: {(quotes, articles, outlets, first, last)} != {want}")
    return bad


class Edits(tallies.Session):
    """The edits of test_people_tallies and more: re-analysis, links, record deletions,
    source and article attribute changes, imports."""

    def __init__(self, db: Database, workdir: Path) -> None:
        super().__init__(db)
        self.workdir = workdir

    def run(self, op: str, i: int, j: int) -> None:
        if op not in MORE_OPS:
            try:
                super().run(op, i, j)
            except EditError:
                pass  # e.g. a merge of a source rejected here: refused, nothing changed
            return
        if op == "import":
            self.import_file(i, j)
            return
        ids = self.articles()
        if not ids:
            return
        aid = ids[i % len(ids)]
        if op in ("link", "unlink", "new_record", "delete_record", "set_gender", "guess_genders",
                  "retype_record"):  # fmt: skip
            self.link_op(op, aid, j)
            return
        if op == "reanalyze":
            self.reanalyze(aid, j)
            return
        with self.db.transaction() as s:
            row = s.get_one(ArticleRow, aid)
            srcs = sorted(row.sources, key=lambda x: x.key)
            src = srcs[j % len(srcs)] if srcs else None
            if op == "set_outlet":
                row.outlet = (None, "Harbour Times", "Bay Post")[j % 3]
            elif op == "set_published":
                row.published = (None, "2026-10-30", "2026-12-24T09:00:00")[j % 3]
            elif src is None:
                return
            elif op == "reject_source":
                src.rejected = not src.rejected
            elif op == "rename_source":
                src.name = ("Amara Osei", "Okafor", "Nobody Known")[j % 3]
            elif op == "retype_source":
                src.type = ("PERSON", "ORG", "OTHER")[j % 3]

    def reanalyze(self, aid: int, j: int) -> None:
        """A model analysis of the story again, with one source (and its quotes) left out
        or all kept: the diff writes of store/reanalysis.py, then the linking rules."""
        with self.db.session() as s:
            external_id, text = s.execute(select(A.external_id, A.text).where(A.id == aid)).one()
        found = [known for known in STORIES if external_id.startswith(known[0])]
        if not found or not text.startswith(found[0][1]):
            return
        told = story(*found[0])
        drop = f"s{j % (len(told.sources) + 1)}"  # "s0": none left out
        att = Attribution(
            quotes=[q for q in told.quotes if q.source_key != drop],
            sources=[x for x in told.sources if x.key != drop],
        )
        with self.db.transaction() as s:
            repo.apply_model_analysis(s, aid, [], att, "m", str(j))
            people.link_article(s, aid)

    def link_op(self, op: str, aid: int, j: int) -> None:
        with self.db.session() as s:
            keys = sorted(s.scalars(select(S.key).where(S.article_id == aid)))
            records = list(s.scalars(select(P.id).order_by(P.id)))
        try:
            if op == "delete_record" and records:
                with self.db.transaction() as s:
                    s.delete(s.get_one(PersonRow, records[j % len(records)]))
                return
            if not keys:
                return
            if op == "guess_genders":
                self.record_edits.append(self.editor.guess_genders("harbour"))
            elif op == "set_gender" and records:
                gender = (None, "female", "male")[j % 3]
                self.record_edits.append(self.editor.set_gender(records[j % len(records)], gender))
            elif op == "retype_record" and records:
                kind = (PersonType.PERSON, PersonType.ORG)[j % 2]
                self.record_edits.append(self.editor.update(records[j % len(records)], type_=kind))
            key = keys[j % len(keys)]
            if op == "link" and records:
                self.record_edits.append(self.editor.link(aid, key, records[j % len(records)]))
            elif op == "unlink":
                self.record_edits.append(self.editor.unlink(aid, key))
            elif op == "new_record":
                self.record_edits.append(self.editor.new_record(aid, key, f"Fresh Name {j}"))
        except StoreError:
            pass  # a refused edit changes nothing; the counts are checked all the same

    def import_file(self, i: int, j: int) -> None:
        """A JSONL file of one of the stories under a new id, with a source and a quote."""
        external_id, text, cast = STORIES[i % len(STORIES)]
        told = story(f"{external_id}-imp{i}-{j}", text, cast)
        record = article_record(told)
        path = self.workdir / f"import-{i}-{j}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        importing.import_paths(self.db, [path], collection="harbour")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=op_lists)
def test_kept_counts_equal_a_fresh_count_after_any_edits(
    db: Database, tmp_path: Path, ops: list[Any]
) -> None:
    with db.session() as s:
        empty = s.scalar(select(func.count()).select_from(ArticleRow)) == 0
    if empty:
        load_stories(db)
    edits = Edits(db, tmp_path)
    for op, i, j in ops:
        edits.run(op, i, j)
        assert kept_mismatches(db) == [], (op, i, j)
        assert tallies.fresh_mismatches(db) == [], (op, i, j)
    kept, counted = tallies.read_both(db)
    assert kept == counted


def test_the_checks_see_a_wrong_count(db: Database) -> None:
    """The fresh counts above do fail when a kept count is wrong (written past the
    triggers, which only the tests do)."""
    load_stories(db)
    assert kept_mismatches(db) == []
    with db.transaction() as s:
        pid = s.scalars(select(P.id).where(P.article_count > 0)).first()
        s.execute(P.__table__.update().where(P.id == pid).values(outlet_count=P.outlet_count + 1))
        s.execute(TALLY.update().where(TALLY.c.person_id == pid).values(person_id=None))
    bad = kept_mismatches(db)
    assert any(b.startswith(f"record {pid}:") for b in bad)
    assert any(b.startswith("tally ") for b in bad)


def test_the_migration_counts_the_rows_of_an_0010_database(db: Database) -> None:
    """Down to 0010 (the kept counts and their table dropped) with rows in every state,
    then up to the head: every count is filled from the rows there are."""
    load_stories(db)
    edits = Edits(db, Path("."))
    for op, i, j in [("reject_source", 0, 1), ("toggle_reject", 1, 0), ("unlink", 2, 0),
                     ("set_outlet", 3, 2), ("unsource_quote", 0, 2)]:  # fmt: skip
        edits.run(op, i, j)
    with db.session() as s:
        before = s.execute(
            select(P.id, P.quote_count, P.article_count, P.outlet_count).order_by(P.id)
        ).all()
    config = _alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert kept_mismatches(db) == []
    with db.session() as s:
        after = s.execute(
            select(P.id, P.quote_count, P.article_count, P.outlet_count).order_by(P.id)
        ).all()
        assert s.scalar(select(func.sum(P.quote_count))) > 0
        assert s.scalar(select(func.count()).select_from(TALLY)) > 0
    assert after == before


def test_the_browser_sorts_by_the_kept_counts(db: Database) -> None:
    """Sorted by quotes or sources, either way, the browser lists the articles in the order
    of their counted live quotes or sources (ties by id), and shows those counts."""
    load_stories(db)
    edits = Edits(db, Path("."))
    for op, i, j in [("toggle_reject", 0, 0), ("delete_quote", 1, 1), ("reject_source", 2, 0)]:
        edits.run(op, i, j)
    with db.session() as s:
        _, per_article = _live_quotes(s)
        live_sources = _live_sources(s)
        ids = list(s.scalars(select(A.id)))
        for sort, counts in (("quotes", per_article), ("sources", live_sources)):
            for descending in (False, True):
                page = browse.page(s, BrowseQuery(sort=sort, descending=descending), 0, 50)
                want = sorted(ids, key=lambda a: (-counts.get(a, 0) if descending else
                                                  counts.get(a, 0), a))  # fmt: skip
                assert [r.id for r in page] == want
                assert all(getattr(r, sort) == counts.get(r.id, 0) for r in page)
                # keyset paging from each row gives the rest of the same order
                for k, r in enumerate(page[:-1]):
                    q = BrowseQuery(sort=sort, descending=descending, after=r.id)
                    assert [x.id for x in browse.page(s, q, 0, 50)] == want[k + 1 :]
    assert len(set(per_article.values())) > 1  # the orders above are not all ties


def test_two_sources_of_one_record_in_an_article_move_together(db: Database) -> None:
    """One statement that moves several tally rows of one record (an article's outlet and
    date changed under two sources linked to the same record): PostgreSQL runs the row
    triggers after the whole statement, SQLite after each row; both recount the same."""
    ids = load_stories(db)
    aid = ids["harbour-1"]
    editor = tallies.sources.RecordEditor(db, "tester")
    with db.session() as s:
        pid = s.scalars(select(P.id).order_by(P.id)).first()
        keys = sorted(s.scalars(select(S.key).where(S.article_id == aid)))
    for key in keys[:3]:
        editor.link(aid, key, pid)
    for outlet, published in (("Bay Post", "2026-12-24"), (None, None), ("Harbour Times", "2025")):
        with db.transaction() as s:
            row = s.get_one(ArticleRow, aid)
            row.outlet, row.published = outlet, published
        assert kept_mismatches(db) == [], (outlet, published)
    with db.session() as s:
        assert s.scalar(select(P.article_count).where(P.id == pid)) >= 1


def test_the_statistics_and_the_index_read_the_kept_counts(db: Database) -> None:
    """A whole collection's figures come from the kept counts (a count written past the
    triggers shows there), a narrow filter's from the rows."""
    load_stories(db)
    whole, narrow = ArticleFilter(collection="harbour"), ArticleFilter(outlet="Harbour Times")
    with db.session() as s:
        before = people_stats.totals(s, whole)
        narrow_before = people_stats.totals(s, narrow)
    with db.transaction() as s:
        s.execute(TALLY.update().values(quotes=TALLY.c.quotes + 1))
    with db.session() as s:
        assert people_stats.totals(s, whole).quotes > before.quotes
        assert people_stats.totals(s, narrow) == narrow_before
        page = people_queries.record_page(s, whole, "", "quotes", True, 0, 50)
    with db.transaction() as s:
        s.execute(P.__table__.update().values(quote_count=P.quote_count + 5))
    with db.session() as s:
        bumped = people_queries.record_page(s, whole, "", "quotes", True, 0, 50)
    assert [r.quotes for r in bumped.rows] == [r.quotes + 5 for r in page.rows]
