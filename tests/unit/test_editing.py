"""Hand edits through the editing service: saved at once, in history, undoable, safe from
re-analysis and from a second writer."""

import pytest
from sqlalchemy import select

from desktop.domain import (
    Article,
    ArticleStatus,
    Attribution,
    Entity,
    Origin,
    Quote,
    QuoteKind,
    Source,
    Span,
)
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.annotations import EditError
from desktop.store.errors import ConflictError
from desktop.store.models import EditRow

TEXT = 'Ann Lee said: "We will win." Bo Chan, a senator, said the plan failed. Ann added more.'


@pytest.fixture
def article_id(db: Database) -> int:
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s), Article("a", TEXT))
    assert aid is not None
    model = [Entity(0, 7, "PERSON", "Ann Lee"), Entity(29, 36, "ORG", "Bo Chan")]
    att = Attribution(
        quotes=[
            Quote(
                15,
                27,
                "We will win.",
                QuoteKind.DIRECT,
                Span(8, 12, "said"),
                Span(0, 7, "Ann Lee"),
                "s1",
            ),
            Quote(
                54, 69, "the plan failed", QuoteKind.INDIRECT, None, Span(29, 36, "Bo Chan"), "s2"
            ),
        ],
        sources=[
            Source("s1", "Ann Lee", "PERSON", "", [Span(0, 7, "Ann Lee")]),
            Source("s2", "Bo Chan", "PERSON", "senator", [Span(29, 36, "Bo Chan")]),
        ],
    )
    with db.transaction() as s:
        repo.apply_model_analysis(s, aid, model, att, "m", "1")
    return aid


def current(db: Database, aid: int) -> Article:
    with db.session() as s:
        return repo.load_article(s, aid, include_rejected=True)


def history(db: Database) -> list[tuple[str, str]]:
    with db.session() as s:
        return [(e.action, e.user) for e in s.scalars(select(EditRow).order_by(EditRow.id))]


def test_each_edit_is_saved_with_history_and_bumps_revision(db: Database, article_id: int) -> None:
    ed = Editor(db, user="tester")
    rev = current(db, article_id).revision
    result = ed.add_entity(article_id, rev, 71, 74, "PERSON")
    after = current(db, article_id)
    assert after.revision == rev + 1
    assert Entity(71, 74, "PERSON", "Ann", Origin.HUMAN) in after.entities
    assert after.status == ArticleStatus.IN_REVIEW
    assert result.after.entities == after.entities
    assert history(db) == [("add entity", "tester")]


def test_relabel_rejects_the_model_entity_and_survives_reanalysis(
    db: Database, article_id: int
) -> None:
    ed = Editor(db)
    a = current(db, article_id)
    ed.relabel_entity(article_id, a.revision, (29, 36, "ORG"), "PERSON")
    ed.delete_entity(article_id, a.revision + 1, (0, 7, "PERSON"))
    model = [Entity(0, 7, "PERSON", "Ann Lee"), Entity(29, 36, "ORG", "Bo Chan")]
    with db.transaction() as s:
        repo.apply_model_analysis(s, article_id, model, Attribution(), "m", "2")
    got = {(e.start, e.label, e.origin, e.rejected) for e in current(db, article_id).entities}
    assert got == {
        (0, "PERSON", Origin.MODEL, True),
        (29, "ORG", Origin.MODEL, True),
        (29, "PERSON", Origin.HUMAN, False),
    }


def test_new_entity_replaces_what_it_overlaps(db: Database, article_id: int) -> None:
    ed = Editor(db)
    rev = current(db, article_id).revision
    ed.add_entity(article_id, rev, 0, 3, "PERSON")  # "Ann" over the model's "Ann Lee"
    live = [(e.start, e.end) for e in current(db, article_id).entities if not e.rejected]
    assert live == [(0, 3), (29, 36)]


def test_quotes_sources_merge_split_and_status(db: Database, article_id: int) -> None:
    ed = Editor(db)
    rev = lambda: current(db, article_id).revision  # noqa: E731
    ed.add_quote(article_id, rev(), 75, 85, QuoteKind.INDIRECT, speaker=(71, 74), source_key="s1")
    a = current(db, article_id)
    added = next(q for q in a.quotes if q.start == 75)
    assert (added.origin, added.source_key, added.speaker) == (
        Origin.HUMAN,
        "s1",
        Span(71, 74, "Ann"),
    )
    assert Span(71, 74, "Ann") in next(s for s in a.sources if s.key == "s1").mentions

    ed.update_quote(article_id, rev(), (54, 69), kind=QuoteKind.MIXED)
    ed.update_source(article_id, rev(), "s2", name="Bo Chan", description="senator, Ohio")
    ed.merge_sources(article_id, rev(), "s1", "s2")
    a = current(db, article_id)
    assert [s.key for s in a.sources] == ["s1"]
    assert {q.source_key for q in a.quotes} == {"s1"}
    assert Span(29, 36, "Bo Chan") in a.sources[0].mentions

    ed.split_source(article_id, rev(), "s1", [(54, 69)], "Bo Chan")
    a = current(db, article_id)
    bo = next(s for s in a.sources if s.name == "Bo Chan")
    assert next(q for q in a.quotes if q.start == 54).source_key == bo.key
    assert Span(29, 36, "Bo Chan") in bo.mentions
    assert Span(29, 36, "Bo Chan") not in next(s for s in a.sources if s.key == "s1").mentions

    ed.delete_quote(article_id, rev(), (15, 27))
    assert next(q for q in current(db, article_id).quotes if q.start == 15).rejected
    ed.set_status(article_id, rev(), ArticleStatus.REVIEWED)
    assert current(db, article_id).status == ArticleStatus.REVIEWED
    assert [h[0] for h in history(db)] == [
        "add quote",
        "change quote",
        "edit source",
        "merge sources",
        "split source",
        "delete quote",
        "set status",
    ]


def test_restore_undoes_and_redoes_a_merge(db: Database, article_id: int) -> None:
    ed = Editor(db)
    rev = current(db, article_id).revision
    merged = ed.merge_sources(article_id, rev, "s1", "s2")
    undone = ed.restore(article_id, merged.after.revision, merged.before, "undo merge sources")
    a = current(db, article_id)
    assert sorted(s.name for s in a.sources) == ["Ann Lee", "Bo Chan"]
    assert {q.source_key for q in a.quotes} == {"s1", "s2"}
    assert a.quotes == merged.before.quotes and a.entities == merged.before.entities
    ed.restore(article_id, undone.after.revision, merged.after, "redo merge sources")
    assert [s.key for s in current(db, article_id).sources] == ["s1"]
    assert [h[0] for h in history(db)][-2:] == ["undo merge sources", "redo merge sources"]


def test_stale_revision_is_a_conflict_and_changes_nothing(db: Database, article_id: int) -> None:
    ed = Editor(db)
    stale = current(db, article_id).revision
    ed.add_entity(article_id, stale, 71, 74, "PERSON")  # another window's edit
    with pytest.raises(ConflictError, match="another window"):
        ed.delete_entity(article_id, stale, (0, 7, "PERSON"))
    assert not next(e for e in current(db, article_id).entities if e.start == 0).rejected
    assert len(history(db)) == 1


def test_bad_edits_are_refused_clearly(db: Database, article_id: int) -> None:
    ed = Editor(db)
    rev = current(db, article_id).revision
    with pytest.raises(EditError, match="outside the article"):
        ed.add_entity(article_id, rev, 80, 999, "PERSON")
    with pytest.raises(EditError, match="no PERSON entity"):
        ed.delete_entity(article_id, rev, (1, 2, "PERSON"))
    with pytest.raises(EditError, match="into itself"):
        ed.merge_sources(article_id, rev, "s1", "s1")
    with pytest.raises(EditError, match="needs a name"):
        ed.update_source(article_id, rev, "s1", name="  ")
    assert current(db, article_id).revision == rev
    assert history(db) == []
