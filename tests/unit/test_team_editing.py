"""Editing one's own layer in a parallel collection, with the editor the window uses.

A made-up article on a real database: the same edits applied to the shared layer of a
shared collection and to an annotator's layer of a parallel one come out alike, and the
parallel collection's shared rows never change.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.domain import Article, ArticleStatus, Entity
from desktop.services import team
from desktop.services.team_editing import LayerEditor, article_for
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.errors import ConflictError
from desktop.store.models import ArticleRow, EditRow, utcnow
from tests.unit.test_team import TEXT, WORDS


def _article() -> Article:
    tova, board = WORDS["Tova Rink"], WORDS["Harbour Board"]
    return Article(
        "ferry-1",
        TEXT,
        entities=[Entity(*tova, "PERSON", "Tova Rink"), Entity(*board, "ORG", "Harbour Board")],
    )


def _add_analyzed(db: Database, collection: str) -> int:
    """The article, as if the model had made its entities (analyzed now)."""
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s, collection), _article())
        assert aid is not None
        s.get_one(ArticleRow, aid).analyzed_at = utcnow()
    return aid


def _setup(db: Database) -> tuple[int, int]:
    """The article in a parallel collection (assigned to ann and bob) and a shared one."""
    ids = [_add_analyzed(db, name) for name in ("par", "sha")]
    team.set_mode(db, "par", "parallel", 2)
    team.assign(db, [ids[0]], "ann", "lead")
    team.assign(db, [ids[0]], "bob", "lead")
    return ids[0], ids[1]


def _live(art: Article) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label) for e in art.entities if not e.rejected}


def _shared(db: Database, aid: int) -> Article:
    with db.session() as s:
        return repo.load_article(s, aid, include_rejected=True)


def test_an_annotators_edits_stay_in_their_layer(db: Database) -> None:
    par, _ = _setup(db)
    shared_before = _shared(db, par)
    ann = LayerEditor(db, "ann")
    shown = article_for(db, par, "ann")
    assert shown.annotator == "ann" and _live(shown) == _live(shared_before)
    lisbon = WORDS["Lisbon"]
    result = ann.add_entity(par, shown.revision, *lisbon, "LOC")
    assert (*lisbon, "LOC") in _live(result.after)
    assert result.after.status == ArticleStatus.IN_REVIEW
    board = next(e for e in result.after.entities if e.label == "ORG")
    gone = ann.delete_entity(par, result.after.revision, (board.start, board.end, board.label))
    assert (board.start, board.end, "ORG") not in _live(gone.after)
    assert _live(article_for(db, par, "ann")) == _live(gone.after)  # saved as shown
    assert _live(article_for(db, par, "bob")) == _live(shared_before)  # bob's is apart
    after = _shared(db, par)
    assert _live(after) == _live(shared_before) and after.revision == shared_before.revision
    with pytest.raises(ConflictError):  # an edit from an old read of the layer
        ann.add_entity(par, result.after.revision, *WORDS["Harbour Board"], "ORG")
    undone = ann.restore(par, gone.after.revision, result.after, "undo")
    assert _live(undone.after) == _live(result.after)
    with db.session() as s:
        rows = s.execute(select(EditRow.action, EditRow.layer, EditRow.user)).all()
    assert ("add entity", "annotator:ann", "ann") in rows
    assert ("delete entity", "annotator:ann", "ann") in rows


def test_outside_parallel_work_the_editor_edits_the_shared_layer(db: Database) -> None:
    par, sha = _setup(db)
    cy = LayerEditor(db, "cy")  # not assigned to the parallel article: its shared layer
    shown = article_for(db, sha, "cy")
    assert shown.annotator is None
    cy.add_entity(sha, shown.revision, *WORDS["Lisbon"], "LOC")
    assert (*WORDS["Lisbon"], "LOC") in _live(_shared(db, sha))
    assert article_for(db, par, "cy").annotator is None


words = st.sampled_from(sorted(WORDS))
edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "delete", "relabel"]), words, st.sampled_from(["PER", "LOC"])
    ),
    max_size=6,
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits)
def test_layer_edits_come_out_as_shared_edits_do(
    db: Database, ops: list[tuple[str, str, str]]
) -> None:
    with db.transaction() as s:  # each example on its own pair of collections
        n = len(repo.collection_names(s))
    par_name, sha_name = f"par{n}", f"sha{n}"
    par, sha = _add_analyzed(db, par_name), _add_analyzed(db, sha_name)
    team.set_mode(db, par_name, "parallel", 1)
    team.assign(db, [par], "ann", "lead")
    shared_before = _shared(db, par)
    editor = LayerEditor(db, "ann")
    for aid in (par, sha):
        for op, word, label in ops:
            now = article_for(db, aid, "ann")
            start, end = WORDS[word]
            found = [e for e in now.entities if (e.start, e.end) == (start, end) and not e.rejected]
            try:
                if op == "add":
                    editor.add_entity(aid, now.revision, start, end, label)
                elif found and op == "delete":
                    editor.delete_entity(aid, now.revision, (start, end, found[0].label))
                elif found:
                    editor.relabel_entity(aid, now.revision, (start, end, found[0].label), label)
            except Exception as exc:  # an edit the shared layer refuses must be refused alike
                assert type(exc).__name__ in {"EditError"}, exc
    assert _live(article_for(db, par, "ann")) == _live(article_for(db, sha, "ann"))
    assert _live(_shared(db, par)) == _live(shared_before)


def test_a_layer_waits_for_the_models_output(db: Database) -> None:
    """Assigned before analysis: the shared (unanalyzed) article is shown; analysis done,
    the layer begins from what the model made."""
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s, "late"), _article())
    assert aid is not None
    team.set_mode(db, "late", "parallel", 1)
    team.assign(db, [aid], "ann", "lead")
    assert article_for(db, aid, "ann").annotator is None
    assert team.versions_of(db, aid) == {}
    with db.transaction() as s:
        s.get_one(ArticleRow, aid).analyzed_at = utcnow()
    begun = article_for(db, aid, "ann")
    assert begun.annotator == "ann" and len(begun.entities) == 2


def test_an_edit_before_the_layer_began_begins_it_and_asks_again(db: Database) -> None:
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s, "early"), _article())
    assert aid is not None
    team.set_mode(db, "early", "parallel", 1)
    team.assign(db, [aid], "ann", "lead")
    shown = article_for(db, aid, "ann")
    with pytest.raises(ConflictError, match="started"):
        LayerEditor(db, "ann").add_entity(aid, shown.revision, *WORDS["Lisbon"], "LOC")
    assert article_for(db, aid, "ann").annotator == "ann"
    assert len(_shared(db, aid).entities) == 2  # the shared rows are as they were


def test_a_layer_edit_writes_no_shared_row(db: Database) -> None:
    """Every statement the database runs during a layer edit is counted: the layer and its
    history row are written, the shared annotation tables are not even read for it."""
    from sqlalchemy import event

    par, _ = _setup(db)
    editor = LayerEditor(db, "ann")
    shown = editor.article_for(par)
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        editor.add_entity(par, shown.revision, *WORDS["Lisbon"], "LOC")
        editor.delete_entity(par, shown.revision + 1, (*WORDS["Tova Rink"], "PERSON"))
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    writes = [s for s in seen if s.startswith(("insert", "update", "delete"))]
    assert writes and all(
        s.startswith(
            ("insert into annotation_layer", "update annotation_layer", "insert into edit")
        )
        for s in writes
    ), writes
    touched = {t for s in seen for t in ("entity", "quote", "mention") if f" {t} " in f"{s} "}
    assert not touched, [s for s in seen if any(f" {t} " in f"{s} " for t in touched)]
    assert _live(_shared(db, par)) == {
        (*WORDS["Tova Rink"], "PERSON"),
        (*WORDS["Harbour Board"], "ORG"),
    }
