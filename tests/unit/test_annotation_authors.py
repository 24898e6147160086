"""Who made each annotation and who set the review status (migration 0012), on both engines.

The class: any sequence of edits (entities added, relabelled, resized, deleted; quotes
added, re-kinded, deleted; the status set; undo and redo) by several annotators, each
through their own editor, leaves every live human row naming the person whose edit made it
last, every model row naming nobody, and the article's status naming who set it; the JSONL
export carries the names and imports them back. Sentences are made up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain import Article, ArticleStatus, Entity, Origin, QuoteKind
from desktop.formats.jsonl import RecordError, article_from_record, article_record
from desktop.services.editing import Editor, EditResult
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.annotations import EditError
from desktop.store.models import ArticleRow, EditRow, EntityRow, QuoteRow, SourceRow

TEXT = (
    "Mira Okafor thanked the Tidewater Council on Monday. The council said the dock "
    "would reopen in Harlow. Okafor said the repairs were overdue."
)
WORDS = ("Mira Okafor", "Tidewater Council", "Monday", "Harlow", "Okafor", "council")
SPANS = {w: (TEXT.index(w), TEXT.index(w) + len(w)) for w in WORDS}
CLAUSES = ("the dock would reopen in Harlow", "the repairs were overdue")
QUOTE_SPANS = {c: (TEXT.index(c), TEXT.index(c) + len(c)) for c in CLAUSES}
PEOPLE = ("ann", "bob", "chidi")


def _seed(db: Database) -> int:
    """The article as the model left it: two entities, no quotes."""
    start, end = SPANS["Mira Okafor"]
    council = SPANS["Tidewater Council"]
    article = Article(
        "dock-1",
        TEXT,
        entities=[
            Entity(start, end, "PERSON", TEXT[start:end]),
            Entity(*council, "ORG", TEXT[council[0] : council[1]]),
        ],
    )
    with db.transaction() as s:
        made = repo.collection_names(s)
        aid = repo.add_article(s, repo.collection(s, f"c{len(made)}"), article)
    assert aid is not None
    return aid


@dataclass
class Expected:
    """Who the rows should name: live human entities, quotes and sources by what they are."""

    entities: dict[tuple[int, int, str], str] = field(default_factory=dict)
    quotes: dict[tuple[int, int], str] = field(default_factory=dict)
    status_by: str | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Expected:
        return Expected(dict(self.entities), dict(self.quotes), self.status_by, dict(self.sources))


def _stored(db: Database, aid: int) -> tuple[Expected, list[str | None]]:
    """What the rows say: the live human ones by what they are, and the model rows' names."""
    with db.session() as s:
        ents = s.execute(
            select(
                EntityRow.start, EntityRow.end, EntityRow.label, EntityRow.origin,
                EntityRow.rejected, EntityRow.annotator,
            ).where(EntityRow.article_id == aid)
        ).all()  # fmt: skip
        quotes = s.execute(
            select(QuoteRow.start, QuoteRow.end, QuoteRow.origin, QuoteRow.annotator).where(
                QuoteRow.article_id == aid, QuoteRow.rejected.is_(False)
            )
        ).all()
        status_by = s.get_one(ArticleRow, aid).status_by
        sources = s.execute(
            select(SourceRow.key, SourceRow.origin, SourceRow.annotator).where(
                SourceRow.article_id == aid, SourceRow.rejected.is_(False)
            )
        ).all()
    found = Expected(status_by=status_by)
    model_names: list[str | None] = []
    for key, origin, who in sources:
        if origin == "model":
            model_names.append(who)
        else:
            found.sources[key] = who
    for start, end, label, origin, rejected, who in ents:
        if origin == "model":
            model_names.append(who)
        elif not rejected:
            found.entities[(start, end, label)] = who
    for start, end, origin, who in quotes:
        if origin == "model":
            model_names.append(who)
        else:
            found.quotes[(start, end)] = who
    return found, model_names


step = st.tuples(
    st.sampled_from(PEOPLE),
    st.sampled_from(
        [
            "add",
            "relabel",
            "resize",
            "delete",
            "quote",
            "rekind",
            "unquote",
            "status",
            "source",
            "merge",
            "undo",
            "redo",
        ]  # fmt: skip
    ),
    st.sampled_from(WORDS),
    st.sampled_from(["PERSON", "ORG", "LOC"]),
    st.sampled_from(CLAUSES),
)


def _apply(
    editor: Editor, aid: int, now: Article, op: str, word: str, label: str, clause: str
) -> EditResult | None:
    """One edit by ``editor`` on the article as it is now; None when it does not apply."""
    span = SPANS[word]
    live = [e for e in now.entities if not e.rejected]
    here = [e for e in live if (e.start, e.end) == span]
    quoted = [q for q in now.quotes if (q.start, q.end) == QUOTE_SPANS[clause] and not q.rejected]
    rev = now.revision
    if op == "add":
        return editor.add_entity(aid, rev, *span, label)
    if op in ("relabel", "resize", "delete") and here:
        key = (here[0].start, here[0].end, here[0].label)
        if op == "relabel":
            return editor.relabel_entity(aid, rev, key, label)
        if op == "resize":
            return editor.resize_entity(aid, rev, key, span[0], span[1] - 1)
        return editor.delete_entity(aid, rev, key)
    if op == "quote" and not quoted:
        return editor.add_quote(aid, rev, *QUOTE_SPANS[clause], QuoteKind.INDIRECT)
    if op == "rekind" and quoted:
        kind = QuoteKind.MIXED if quoted[0].kind == QuoteKind.INDIRECT else QuoteKind.INDIRECT
        return editor.update_quote(aid, rev, QUOTE_SPANS[clause], kind=kind)
    if op == "unquote" and quoted:
        return editor.delete_quote(aid, rev, QUOTE_SPANS[clause])
    if op == "source" and quoted:
        return editor.new_source_for_quote(aid, rev, QUOTE_SPANS[clause], word, "PERSON")
    keys = sorted(src.key for src in now.sources)
    if op == "merge" and len(keys) > 1:
        return editor.merge_sources(aid, rev, keys[0], keys[-1])
    if op == "status":
        return editor.set_status(aid, rev, ArticleStatus.REVIEWED)
    return None


def _made(now: Article, op: str, word: str, label: str, clause: str) -> tuple[Any, ...]:
    """What the edit makes or changes, by what it is: an entity's or a quote's key."""
    span = SPANS[word]
    if op in ("add", "relabel"):
        return (*span, label)
    if op == "resize":
        old = next(e for e in now.entities if (e.start, e.end) == span and not e.rejected)
        return (span[0], span[1] - 1, old.label)
    if op == "merge":  # the source kept, and the quotes of the one merged into it
        keys = sorted(src.key for src in now.sources)
        drop = keys[-1]
        return keys[0], {(q.start, q.end) for q in now.quotes if q.source_key == drop}
    return QUOTE_SPANS[clause]


def _expect(before: Expected, after: Article, who: str, op: str, made: tuple[Any, ...]) -> Expected:
    """The names after ``who``'s edit: what it made or changed is theirs, what is gone is
    gone, the rest keeps its name; the edit's first change marks the article in review."""
    out = Expected(status_by=before.status_by)
    for e in after.entities:
        if not e.rejected and str(e.origin) == "human":
            key = (e.start, e.end, e.label)
            out.entities[key] = before.entities.get(key, "?")
    for q in after.quotes:
        if not q.rejected and str(q.origin) == "human":
            key2 = (q.start, q.end)
            out.quotes[key2] = before.quotes.get(key2, "?")
    for src in after.sources:
        if str(src.origin) == "human":
            out.sources[src.key] = before.sources.get(src.key, who)  # a new one is theirs
    if op in ("add", "relabel", "resize"):
        out.entities[made] = who  # type: ignore[index]
    if op in ("quote", "rekind", "source"):
        out.quotes[made] = who  # type: ignore[index]
    if op == "merge":  # the kept source, and every quote moved to it
        keep, moved = made
        out.sources[keep] = who
        for key in moved:
            out.quotes[key] = who
    if op == "status" or before.status_by is None:
        out.status_by = who  # set, or the first edit's mark "in review"
    return out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(step, min_size=1, max_size=12))
@example(  # another person's change of a quote makes it theirs
    [("ann", "quote", "Harlow", "LOC", CLAUSES[0]), ("bob", "rekind", "Harlow", "LOC", CLAUSES[0])]
)
@example(  # an undo puts back the names of the state it restores
    [("ann", "add", "Harlow", "GPE", CLAUSES[0]), ("bob", "relabel", "Harlow", "LOC", CLAUSES[0]),
     ("chidi", "undo", "Harlow", "LOC", CLAUSES[0]), ("ann", "redo", "Harlow", "LOC", CLAUSES[0])]
)  # fmt: skip
@example(  # sources: each made by one, merged by another, the merge undone
    [("ann", "quote", "Harlow", "LOC", CLAUSES[0]), ("bob", "source", "Okafor", "LOC", CLAUSES[0]),
     ("chidi", "quote", "Harlow", "LOC", CLAUSES[1]),
     ("ann", "source", "Tidewater Council", "LOC", CLAUSES[1]),
     ("bob", "merge", "Harlow", "LOC", CLAUSES[0]), ("chidi", "undo", "Harlow", "LOC", CLAUSES[0])]
)  # fmt: skip
def test_each_live_human_row_names_who_made_it_last(
    db: Database, steps: list[tuple[str, str, str, str, str]]
) -> None:
    aid = _seed(db)
    editors = {p: Editor(db, p) for p in PEOPLE}
    expected = Expected()
    done: list[tuple[EditResult, Expected, Expected]] = []  # each edit, names before, after
    undone: list[tuple[EditResult, Expected, Expected]] = []
    users: list[str] = []
    for who, op, word, label, clause in steps:
        with db.session() as s:
            now = repo.load_article(s, aid, include_rejected=True)
        if op in ("undo", "redo"):
            stack, other = (done, undone) if op == "undo" else (undone, done)
            if not stack:
                continue
            result, names_before, names_after = stack.pop()
            state = result.before if op == "undo" else result.after
            editors[who].restore(aid, now.revision, state, op)
            expected = names_before if op == "undo" else names_after
            other.append((result, names_before, names_after))
            users.append(who)
        else:
            try:
                result = _apply(editors[who], aid, now, op, word, label, clause)
            except EditError:
                continue
            if result is None:
                continue
            made = _made(now, op, word, label, clause)
            after = _expect(expected, result.after, who, op, made)
            done.append((result, expected, after))
            undone.clear()
            expected = after
            users.append(who)
        found, model_names = _stored(db, aid)
        assert found == expected, (op, who)
        assert model_names == [None] * len(model_names)  # the model's rows name nobody
    with db.session() as s:
        query = select(EditRow.user).where(EditRow.article_id == aid).order_by(EditRow.id)
        history = list(s.scalars(query))
    assert history == users  # and the edit history names each edit's person


def test_the_names_go_out_in_jsonl_and_come_back_exactly(db: Database, tmp_path: Path) -> None:
    """Export a record made by two people, import it into another collection, export
    again: the same record, names and the status's time included."""
    aid = _seed(db)
    ann, bob = Editor(db, "ann"), Editor(db, "bob")
    with db.session() as s:
        rev = repo.load_article(s, aid).revision
    r = ann.add_entity(aid, rev, *SPANS["Harlow"], "GPE")
    r = bob.add_quote(aid, r.after.revision, *QUOTE_SPANS[CLAUSES[0]], QuoteKind.INDIRECT)
    r = bob.new_source_for_quote(aid, r.after.revision, QUOTE_SPANS[CLAUSES[0]], "Council", "ORG")
    r = ann.set_status(aid, r.after.revision, ArticleStatus.REVIEWED)
    with db.session() as s:
        first = article_record(repo.load_article(s, aid))
    assert first["status_by"] == "ann" and first["status_at"].endswith("+00:00")
    assert {e.get("annotator") for e in first["entities"]} == {None, "ann"}
    assert [q["annotator"] for q in first["quotes"]] == ["bob"]
    assert [s["annotator"] for s in first["sources"]] == ["bob"]
    line = json.dumps(first, ensure_ascii=False)
    back = article_from_record(json.loads(line))
    with db.transaction() as s:
        again_id = repo.add_article(s, repo.collection(s, "again"), back)
    assert again_id is not None
    with db.session() as s:
        again = article_record(repo.load_article(s, again_id))
    assert json.dumps(again, ensure_ascii=False) == line


names = st.text(
    st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=30
) | st.sampled_from(PEOPLE)
times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@settings(max_examples=80, deadline=None)
@given(
    entity_by=st.none() | names,
    quote_by=st.none() | names,
    source_by=st.none() | names,
    status_by=st.none() | names,
    status_at=st.none() | times,
)
def test_any_names_a_record_carries_come_back_from_the_record(
    entity_by: str | None,
    quote_by: str | None,
    source_by: str | None,
    status_by: str | None,
    status_at: datetime | None,
) -> None:
    """Record -> article -> record is the identity on the who-fields, whatever the names."""
    start, end = SPANS["Harlow"]
    q0, q1 = QUOTE_SPANS[CLAUSES[1]]
    record: dict[str, Any] = {"id": "x", "text": TEXT, "status": "reviewed"}
    if status_by is not None:
        record["status_by"] = status_by
    if status_at is not None:
        record["status_at"] = status_at.isoformat()
    entity: dict[str, Any] = {"start": start, "end": end, "label": "GPE"}
    source: dict[str, Any] = {"id": "s1", "name": "Okafor", "type": "PERSON"}
    quote: dict[str, Any] = {"start": q0, "end": q1, "kind": "indirect", "source": {"id": "s1"}}
    for item, who in ((entity, entity_by), (source, source_by), (quote, quote_by)):
        if who is not None:
            item["annotator"] = who
    record.update(entities=[entity], sources=[source], quotes=[quote])
    try:
        article = article_from_record(record)
    except RecordError as exc:  # a name the annotator rule refuses: said in one line
        assert "\n" not in str(exc) and "annotator" in str(exc) or "status_by" in str(exc)
        return
    out = article_record(article)
    assert out.get("status_by") == status_by
    assert out.get("status_at") == (status_at.isoformat() if status_at else None)
    assert out["entities"][0].get("annotator") == entity_by
    assert out["sources"][0].get("annotator") == source_by
    assert out["quotes"][0].get("annotator") == quote_by
    assert article_record(article_from_record(json.loads(json.dumps(out)))) == out


@pytest.mark.parametrize("bad", ["yesterday", "2026-12-01T10:00:00", 5])
def test_a_status_time_without_its_zone_is_refused_in_one_line(bad: object) -> None:
    with pytest.raises(RecordError, match="status_at") as caught:
        article_from_record({"text": TEXT, "status_at": bad})
    assert "\n" not in str(caught.value)


offsets = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
)


@given(st.datetimes(), offsets.map(timezone))
@example(datetime(1, 1, 1), timezone(timedelta(hours=5)))  # before year 1 in UTC
@example(datetime(9999, 12, 31, 23), timezone(timedelta(hours=-5)))  # after year 9999
@example(datetime(2000, 1, 1), timezone(timedelta(microseconds=1)))  # Python drops its fraction
def test_any_status_time_with_its_zone_is_read_or_refused_in_one_line(
    at: datetime, zone: timezone
) -> None:
    """Any time with any zone is that moment in UTC, or (when UTC cannot hold it) a
    one-line refusal: never another exception."""
    try:
        read = article_from_record({"text": TEXT, "status_at": at.replace(tzinfo=zone).isoformat()})
    except RecordError as exc:
        assert "status_at" in str(exc) and "\n" not in str(exc)
        return
    assert read.status_at == at.replace(tzinfo=zone)
    assert read.status_at is not None and read.status_at.utcoffset() == timedelta(0)


def test_an_annotators_record_names_them_in_their_layer(db: Database, tmp_path: Path) -> None:
    """A JSONL record with "annotator" fills that person's layer, each of its human
    annotations naming them (one that names someone else keeps that name)."""
    from desktop.services import team
    from desktop.services.importing import import_paths

    start, end = SPANS["Harlow"]
    o0, o1 = SPANS["Monday"]
    lines = [
        {"id": "dock-1", "text": TEXT, "annotator": who, "entities": entities}
        for who, entities in (
            ("ann", [{"start": start, "end": end, "label": "GPE"}]),
            ("bob", [{"start": o0, "end": o1, "label": "DATE", "annotator": "chidi"}]),
        )
    ]
    path = tmp_path / "layers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    assert import_paths(db, [path], "team").layers == 2
    aid = team.article_ids(db, "team", ["dock-1"])[0]
    versions = team.versions_of(db, aid)
    assert [e.annotator for e in versions["ann"].entities] == ["ann"]
    assert [e.annotator for e in versions["bob"].entities] == ["chidi"]


def test_a_curated_annotation_names_whose_reading_was_picked() -> None:
    from desktop.domain.curation import curate, merge, picks_of

    start, end = SPANS["Harlow"]
    o0, o1 = SPANS["Monday"]
    harlow = Entity(start, end, "GPE", TEXT[start:end], Origin.HUMAN)
    monday = Entity(o0, o1, "DATE", TEXT[o0:o1], Origin.HUMAN)
    versions = {
        "bob": Article("d", TEXT, entities=[harlow]),
        "cy": Article("d", TEXT, entities=[harlow, monday]),
    }
    units = merge(TEXT, versions)
    made = curate(Article("d", TEXT), versions, units, picks_of(units, versions["cy"]))
    # Harlow was read alike by both (bob first by name), Monday by cy alone
    assert {(e.label, e.annotator) for e in made.entities} == {("GPE", "bob"), ("DATE", "cy")}


def test_migration_0012_goes_down_and_up_keeping_every_trigger(tmp_path: Path) -> None:
    """SQLite: down to 0011 drops the who-columns in place (no table copied, so the
    search, confidence and tally triggers stay), and up adds them back."""
    import sqlite3

    from alembic import command
    from sqlalchemy import create_engine

    from desktop.store.database import _alembic_config

    path = tmp_path / "updown.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    seen: list[set[str]] = []
    for target in ("head", "0011", "head"):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.upgrade if target == "head" else command.downgrade)(cfg, target)
        con = sqlite3.connect(path)
        seen.append(
            {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        )
        columns = {
            table: {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
            for table in ("entity", "source", "quote", "article")
        }
        con.close()
        up = target == "head"
        for table in ("entity", "source", "quote"):
            assert ("annotator" in columns[table]) == up
        assert ({"status_by", "status_at"} <= columns["article"]) == up
    engine.dispose()
    assert seen[0] and seen[0] == seen[1] == seen[2]
