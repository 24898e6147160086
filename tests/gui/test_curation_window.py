"""The Team menu's views in a real window: assignments, agreement, curation (offscreen).

Three annotators' versions of a made-up article are imported as records with
``"annotator"``. ``QUOTEDESK_SAVE_SCREENSHOTS=1`` refreshes the pictures in docs/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.services import exporting, team
from desktop.services.importing import import_paths
from desktop.store import Database
from tests.conftest import REPO

pytestmark = pytest.mark.gui

TEXT = (
    "Harbour ferries will run again from May, the port authority of Velmora said on Tuesday.\n\n"
    '"We owe the islands a proper service," said Tova Rink, who chairs the Harbour Board. '
    "She said the first boat would leave Quay 4 at dawn.\n\n"
    "Ivo Brenn, a fisherman in Casteldune, said nobody had asked the crews. "
    '"They decided it in Lisbon," he said.'
)


def _at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def _ent(word: str, label: str, nth: int = 0) -> dict[str, Any]:
    s, e = _at(word, nth)
    return {"start": s, "end": e, "label": label}


def _quote(content: str, speaker: str, source: str, kind: str = "direct") -> dict[str, Any]:
    s, e = _at(content)
    sp = _at(speaker)
    return {"start": s, "end": e, "kind": kind, "speaker": {"start": sp[0], "end": sp[1]},
            "source": {"id": source}}  # fmt: skip


def _sources(*names: str) -> list[dict[str, Any]]:
    return [{"id": n, "name": n, "type": "PERSON"} for n in names]


def records() -> list[dict[str, Any]]:
    common = {"id": "velmora-ferries", "title": "Ferries to run again from May", "text": TEXT}
    owe = "We owe the islands a proper service,"
    boat = "the first boat would leave Quay 4 at dawn"
    crews = "nobody had asked the crews"
    lisbon = "They decided it in Lisbon,"
    return [
        {**common, "annotator": "ann",
         "entities": [_ent("Velmora", "LOC"), _ent("Tova Rink", "PER"),
                      _ent("Harbour Board", "ORG"), _ent("Ivo Brenn", "PER"),
                      _ent("Casteldune", "LOC"), _ent("Lisbon", "LOC")],
         "sources": _sources("Tova Rink", "Ivo Brenn"),
         "quotes": [_quote(owe, "Tova Rink", "Tova Rink"),
                    _quote(boat, "She", "Tova Rink", "indirect"),
                    _quote(crews, "Ivo Brenn", "Ivo Brenn", "indirect"),
                    _quote(lisbon, "he", "Ivo Brenn")]},
        {**common, "annotator": "bob",
         "entities": [_ent("Velmora", "ORG"), _ent("Tova Rink", "PER"),
                      _ent("Harbour Board", "ORG"), _ent("Ivo Brenn", "PER"),
                      _ent("Lisbon", "LOC")],
         "sources": _sources("Tova Rink", "Ivo Brenn"),
         "quotes": [_quote(owe, "Tova Rink", "Tova Rink"),
                    _quote(crews, "Ivo Brenn", "Ivo Brenn", "indirect"),
                    _quote(lisbon, "he", "Ivo Brenn")]},
        {**common, "annotator": "cy",
         "entities": [_ent("Velmora", "LOC"), _ent("Tova Rink", "PER"),
                      _ent("Ivo Brenn", "PER"), _ent("Casteldune", "LOC"),
                      _ent("Lisbon", "GPE")],
         "sources": _sources("Tova Rink", "Ivo Brenn", "Harbour Board"),
         "quotes": [_quote(owe, "Tova Rink", "Tova Rink"),
                    _quote(boat, "She", "Harbour Board", "indirect"),
                    _quote(crews, "Ivo Brenn", "Ivo Brenn", "indirect"),
                    _quote(lisbon, "he", "Ivo Brenn")]},
    ]  # fmt: skip


@pytest.fixture
def team_window(make_window: Any, db: Database, tmp_path: Path, monkeypatch: Any) -> Any:
    monkeypatch.setenv(team.ANNOTATOR_ENV, "ann")
    f = tmp_path / "team.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    report = import_paths(db, [f], "Velmora desk")
    assert (report.added, report.layers, report.errors) == (1, 3, [])
    window = make_window(add_sample=False, synchronous=True)
    window.browser.set_collections(["Velmora desk"], "Velmora desk")
    return window


def _save_shot(widget: Any, tmp_path: Path, name: str, width: int = 1100) -> Path:
    widget.resize(width, 600)
    shot = tmp_path / name
    assert widget.grab().save(str(shot))
    assert shot.stat().st_size > 10_000  # a real picture, not an empty grab
    if os.environ.get("QUOTEDESK_SAVE_SCREENSHOTS"):  # to refresh docs/NAME
        (REPO / "docs" / name).write_bytes(shot.read_bytes())
    return shot


def test_the_team_menu_sits_before_settings(team_window: Any) -> None:
    titles = [a.text() for a in team_window.menuBar().actions()]
    assert "&Team" in titles
    if "&Settings" in titles:
        assert titles.index("&Team") < titles.index("&Settings")


def test_curation_view_marks_disagreements_and_saves_the_curated_layer(
    team_window: Any, db: Database, qtmodeltester: Any, tmp_path: Path
) -> None:
    team_window.show_article(team.article_ids(db, "Velmora desk", ["velmora-ferries"])[0])
    view = team_window.team_menu.open_curation()
    assert view is not None
    model = view.model
    qtmodeltester.check(model)
    assert model.annotators == ["ann", "bob", "cy"]
    units = model.curation.units
    assert model.rowCount() == len(units)
    disagree = [i for i, u in enumerate(units) if not u.agreed]
    assert disagree and len(disagree) == model.curation.disagreements
    assert "disagree" in view.summary.text()
    assert len(view.text.extraSelections()) == len(units)
    # Velmora: ann and cy say LOC, bob ORG: the majority is LOC; take bob's instead
    velmora = next(
        i for i, u in enumerate(units) if u.kind == "entity" and u.start == _at("Velmora")[0]
    )
    bob_column = 2 + model.annotators.index("bob")
    cell = model.index(velmora, bob_column)
    view.table.setCurrentIndex(cell)
    assert view.text.textCursor().selectedText() == "Velmora"
    view.table.doubleClicked.emit(cell)
    assert "ORG" in model.index(velmora, model.curated_column).data()
    assert model.index(velmora, bob_column).data().startswith("✓")
    # the first boat: ann says Tova Rink said it, cy the Harbour Board, bob nothing
    boat = next(i for i, u in enumerate(units) if u.start == _at("the first boat")[0])
    assert len(units[boat].choices) == 3
    view.table.setCurrentIndex(model.index(boat, 0))
    view._take_none()
    assert model.index(boat, model.curated_column).data() == "—"
    assert model.index(boat, bob_column).data() == "✓ —"  # bob marked nothing there
    view.table.setCurrentIndex(model.index(velmora, 0))
    _save_shot(view, tmp_path, "curation-view.png", 1280)
    view.save()
    assert view.saved and "Saved the curated layer" in view.message.text()
    out = tmp_path / "curated.jsonl"
    exporting.export(db, "jsonl", out)
    got = json.loads(out.read_text(encoding="utf-8"))
    labels = {(TEXT[e["start"] : e["end"]], e["label"]) for e in got["entities"]}
    assert ("Velmora", "ORG") in labels and ("Lisbon", "LOC") in labels
    assert got["status"] == "reviewed"
    qtmodeltester.check(model)  # read back after the save


def test_agreement_view_lists_pairs_and_filters_by_layer(
    team_window: Any, qtmodeltester: Any, tmp_path: Path
) -> None:
    view = team_window.team_menu.open_agreement()
    qtmodeltester.check(view.model)
    rows = view.model.rows
    assert {(r.annotator_a, r.annotator_b) for r in rows} == {
        ("ann", "bob"), ("ann", "cy"), ("bob", "cy"),
    }  # fmt: skip
    assert "3 pair(s)" in view.summary.text()
    assert "α over all annotators: entities 0." in view.summary.text()
    shown = [(view.proxy.index(r, 0).data(), view.proxy.index(r, 2).data()) for r in range(4)]
    assert shown == [
        ("ann", "quotes"),
        ("ann", "speakers"),
        ("ann", "sources"),
        ("ann", "entities"),
    ]
    view.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # F1, best first
    f1s = [float(view.proxy.index(r, 5).data()) for r in range(view.proxy.rowCount())]
    assert f1s == sorted(f1s, reverse=True)
    view.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    view.layer.setCurrentText("quotes")
    assert view.proxy.rowCount() == 3
    assert {view.proxy.index(r, 2).data() for r in range(3)} == {"quotes"}
    view.layer.setCurrentText("all layers")
    assert view.proxy.rowCount() == len(rows)
    _save_shot(view, tmp_path, "agreement-view.png")


def test_assignment_view_sets_the_mode_deals_out_and_shows_mine(
    team_window: Any, db: Database, qtmodeltester: Any, tmp_path: Path
) -> None:
    with db.transaction() as s:  # two more articles, nobody's yet
        from desktop.domain import Article
        from desktop.store import repository as repo

        coll = repo.collection(s, "Velmora desk")
        for n in range(2):
            repo.add_article(s, coll, Article(f"extra-{n}", f"A made-up note number {n}."))
    view = team_window.team_menu.open_assignments()
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 3
    view.mode.setCurrentIndex(view.mode.findData("parallel"))
    view.per_article.setValue(2)
    view._set_mode()
    assert team.project_state(db, "Velmora desk").mode == "parallel"
    view.names.setText("dee, ann")
    view._deal()
    state = team.project_state(db, "Velmora desk")
    # the imported article had ann already: it needs one more (dee); the others both
    assert state.unassigned == 0 and state.load["dee"] == 3 and state.load["ann"] == 3
    view.mine.setChecked(True)  # "assigned to me": the connection's annotator is ann
    mine = {view.model.index(r, 0).data() for r in range(view.model.rowCount())}
    assert mine == {"velmora-ferries", "extra-0", "extra-1"}
    view.mine.setChecked(False)
    _save_shot(view, tmp_path, "assignment-view.png")
    opened: list[int] = []
    view.open_article = opened.append
    view.table.doubleClicked.emit(view.model.index(0, 0))
    assert opened == [view.model.rows[0].article_id]


def test_curating_without_an_article_says_so(team_window: Any) -> None:
    team_window._current = None
    assert team_window.team_menu.open_curation() is None
    assert "Pick an article" in team_window.statusBar().currentMessage()


def test_curating_an_article_nobody_annotated_says_so_in_the_view(
    team_window: Any, db: Database
) -> None:
    with db.transaction() as s:
        from desktop.domain import Article
        from desktop.store import repository as repo

        aid = repo.add_article(s, repo.collection(s, "Velmora desk"), Article("lone", "Alone."))
    team_window._current = aid
    view = team_window.team_menu.open_curation()
    assert "nobody has annotated" in view.message.text()
    assert not view.save_button.isEnabled()
    assert view.model.rowCount() == 0


def test_in_parallel_work_the_window_edits_the_annotators_own_layer(
    make_window: Any, db: Database, monkeypatch: Any, qtbot: Any
) -> None:
    from desktop.domain import Article, Entity
    from desktop.store import repository as repo
    from desktop.store.models import ArticleRow, utcnow

    monkeypatch.setenv(team.ANNOTATOR_ENV, "ann")
    velmora = _at("Velmora")
    with db.transaction() as s:
        coll = repo.collection(s, "Parallel desk")
        aid = repo.add_article(s, coll, Article("p1", TEXT, entities=[Entity(*velmora, "GPE", "")]))
        assert aid is not None
        s.get_one(ArticleRow, aid).analyzed_at = utcnow()  # as if the model had made it
    team.set_mode(db, "Parallel desk", "parallel", 2)
    team.assign(db, [aid], "ann", "lead")
    window = make_window(add_sample=False, synchronous=True)
    window.show_article(aid)
    assert window.shown.annotator == "ann"  # their layer, begun from the model's output
    label = window.team_menu.layer_label
    assert not label.isHidden() and label.text() == "Your layer (ann)"
    lisbon = _at("Lisbon")
    window.pane.view.label_requested.emit(lisbon[0], lisbon[1], "LOC")
    assert (lisbon[0], lisbon[1], "LOC") in {
        (e.start, e.end, e.label) for e in window.shown.entities
    }
    window.edits.stack.undo()
    assert (lisbon[0], lisbon[1], "LOC") not in {
        (e.start, e.end, e.label) for e in window.shown.entities
    }
    window.edits.stack.redo()
    mine = team.versions_of(db, aid)["ann"]
    assert {(e.start, e.end, e.label) for e in mine.entities} == {
        (*velmora, "GPE"),
        (*lisbon, "LOC"),
    }
    with db.session() as s:  # nobody's edit reached the shared layer
        shared = repo.load_article(s, aid, include_rejected=True)
    assert [(e.start, e.end, e.label) for e in shared.entities] == [(*velmora, "GPE")]


def test_a_curation_saved_meanwhile_is_told_and_nothing_is_lost(
    team_window: Any, db: Database
) -> None:
    from desktop.services import curation
    from desktop.store import StoreError

    aid = team.article_ids(db, "Velmora desk", ["velmora-ferries"])[0]
    team_window.show_article(aid)
    view = team_window.team_menu.open_curation()
    other = curation.open_curation(db, aid)  # another curator, in another window
    curation.save_curation(db, other, other.picks, "lead", reviewed=False)
    view.save()
    assert "meanwhile" in view.message.text() and view.save_button.isEnabled()
    assert team.curated(db, aid).status == "in_review"  # the other's save stands
    failures: list[str] = []
    team_window.failed.connect(failures.append)
    view._failed(StoreError("The database is locked by another program."))
    assert failures == ["The database is locked by another program."]


def test_a_curator_edits_the_curated_version_in_the_window(team_window: Any, db: Database) -> None:
    from desktop.services import curation

    aid = team.article_ids(db, "Velmora desk", ["velmora-ferries"])[0]
    cur = curation.open_curation(db, aid)
    curation.save_curation(db, cur, cur.picks, "ann", reviewed=False)
    team_window.show_article(aid)
    shared_labels = {e.label for e in team_window.shown.entities}
    assert shared_labels == set()  # the shared layer of an imported team article is empty
    team_window.team_menu.curated_action.trigger()  # checked: the curated versions
    assert team_window.team_menu.curated_action.isChecked()
    curated = {(e.start, e.end, e.label) for e in team_window.shown.entities}
    assert (*_at("Velmora"), "LOC") in curated
    assert team_window.team_menu.layer_label.text() == "Curated version"
    casteldune = _at("Casteldune")
    team_window.pane.view.label_requested.emit(casteldune[0], casteldune[1], "GPE")
    saved = team.curated(db, aid)
    assert saved is not None
    assert (*casteldune, "GPE") in {(e.start, e.end, e.label) for e in saved.entities}
    team_window.edits.stack.undo()
    saved = team.curated(db, aid)
    assert (*casteldune, "GPE") not in {(e.start, e.end, e.label) for e in saved.entities}
    team_window.team_menu.curated_action.trigger()  # back to the shared layer
    assert team_window.edits.stack.count() == 0  # no undo across layers
    assert {e.label for e in team_window.shown.entities} == shared_labels
    assert team_window.team_menu.layer_label.isHidden()  # the shared layer: nothing to say
