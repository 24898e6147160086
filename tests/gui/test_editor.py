"""The annotation editor driven through its widgets; the database checked after each step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
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
from desktop.store import repository as repo
from desktop.store.models import EditRow
from desktop.ui.source_dialog import SourceDialog
from tests.gui.editing_helpers import answer_next_dialog, drag_select

pytestmark = pytest.mark.gui

TEXT = (
    'Ann Lee said: "We will win the vote." Bo Chan, a senator, said the plan had failed.\n'
    'Later Ann Lee added that talks would go on. Critics called it a "fiasco".\n'
)


def seed(db) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s), Article("ed-1", TEXT, "Editing test"))
    assert aid is not None

    def span(text: str, nth: int = 0) -> Span:
        at = -1
        for _ in range(nth + 1):
            at = TEXT.index(text, at + 1)
        return Span(at, at + len(text), text)

    win, failed = span("We will win the vote."), span("the plan had failed")
    model = [
        Entity(s.start, s.end, "PERSON", s.text) for s in (span("Ann Lee"), span("Ann Lee", 1))
    ]
    bo = span("Bo Chan")
    model.append(Entity(bo.start, bo.end, "ORG", "Bo Chan"))
    att = Attribution(
        quotes=[
            Quote(
                win.start, win.end, win.text, QuoteKind.DIRECT, span("said"), span("Ann Lee"), "s1"
            ),
            Quote(
                failed.start,
                failed.end,
                failed.text,
                QuoteKind.INDIRECT,
                span("said", 1),
                span("Bo Chan"),
                "s2",
            ),
        ],
        sources=[
            Source("s1", "Ann Lee", "PERSON", "", [span("Ann Lee")]),
            Source("s2", "Bo Chan", "PERSON", "senator", [span("Bo Chan")]),
        ],
    )
    with db.transaction() as s:
        repo.apply_model_analysis(s, aid, model, att, "test-model", "1")
    return aid


def saved(db, aid: int) -> Article:  # type: ignore[no-untyped-def]
    with db.session() as s:
        return repo.load_article(s, aid, include_rejected=True)


def live_entities(db, aid: int) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(e.text, e.label, e.origin) for e in saved(db, aid).entities if not e.rejected}


@pytest.fixture
def editor(qtbot, db, make_window):  # type: ignore[no-untyped-def]
    aid = seed(db)
    window = make_window(add_sample=False)
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(lambda: window.shown is not None and bool(window.shown.quotes), timeout=10000)
    return window, aid


def press(qtbot, widget, key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClick(widget, key, mods)


def test_label_a_mouse_selection_with_a_key_then_undo_and_redo(qtbot, db, editor) -> None:  # type: ignore[no-untyped-def]
    window, aid = editor
    view = window.article_view
    start = TEXT.index("Critics")
    drag_select(view, start + 2, start + 5)  # "iti": snaps to the whole word
    assert view.selection_span() == (start, start + 7)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_1)
    assert ("Critics", "PERSON", Origin.HUMAN) in live_entities(db, aid)
    assert saved(db, aid).status == ArticleStatus.IN_REVIEW
    assert any(f.background().color().isValid() for f in view.highlights_at(start))

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ("Critics", "PERSON", Origin.HUMAN) not in live_entities(db, aid)
    assert saved(db, aid).status == ArticleStatus.UNREVIEWED
    press(
        qtbot,
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert ("Critics", "PERSON", Origin.HUMAN) in live_entities(db, aid)
    with db.session() as s:
        actions = list(s.scalars(select(EditRow.action).order_by(EditRow.id)))
    assert actions == ["add entity", "undo add entity", "redo add entity"]


def test_alt_keeps_character_precision(qtbot, db, editor) -> None:  # type: ignore[no-untyped-def]
    window, aid = editor
    view = window.article_view
    start = TEXT.index("Critics")
    view.select_span(start, start + 6)  # "Critic"
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert ("Critic", "ORG", Origin.HUMAN) in live_entities(db, aid)


def test_delete_relabel_and_resize_entities(qtbot, db, editor) -> None:  # type: ignore[no-untyped-def]
    window, aid = editor
    view = window.article_view
    bo = TEXT.index("Bo Chan")
    view.select_span(bo, bo + 2)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_Delete)
    model_bo = next(e for e in saved(db, aid).entities if e.text == "Bo Chan")
    assert model_bo.rejected and model_bo.origin == Origin.MODEL

    ann = TEXT.index("Ann Lee", 10)
    view.select_span(ann, ann + 7)
    menu = view.build_menu()
    change = next(a for a in menu.actions() if a.text().startswith("Change label"))
    org = next(a for a in change.menu().actions() if a.text() == "ORG")
    with qtbot.waitSignal(window.edits.saved):
        org.trigger()
    assert ("Ann Lee", "ORG", Origin.HUMAN) in live_entities(db, aid)

    # adjusting the boundaries: label a wider selection over it
    later = TEXT.index("Later Ann Lee")
    view.select_span(later, later + 13)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_1)
    ents = live_entities(db, aid)
    assert ("Later Ann Lee", "PERSON", Origin.HUMAN) in ents
    assert ("Ann Lee", "ORG", Origin.HUMAN) not in ents


def test_make_a_quote_set_its_speaker_and_change_its_kind(qtbot, db, editor) -> None:  # type: ignore[no-untyped-def]
    window, aid = editor
    view = window.article_view
    talks = TEXT.index("talks would go on")
    drag_select(view, talks, talks + len("talks would go on"))
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_Q)
    quote = next(q for q in saved(db, aid).quotes if q.start == talks)
    assert (quote.kind, quote.origin, quote.source_key) == (QuoteKind.INDIRECT, Origin.HUMAN, None)
    assert view.focused() is not None and view.focused().start == talks

    ann = TEXT.index("Ann Lee", 10)
    view.select_span(ann, ann + 7)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_S)
    quote = next(q for q in saved(db, aid).quotes if q.start == talks)
    assert quote.speaker == Span(ann, ann + 7, "Ann Lee")
    assert quote.source_key == "s1"  # the mention is a name: credited to Ann Lee's source
    assert "Ann Lee (2)" in [window.sources.model.index(r, 0).data() for r in range(3)]

    fiasco = TEXT.index('"fiasco"')
    view.select_span(fiasco, fiasco + 8)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_Q)
    assert any(q.text == "fiasco" and q.kind == QuoteKind.DIRECT for q in saved(db, aid).quotes)

    window.sources.select_quote(
        next(i for i, q in enumerate(window.shown.quotes) if q.start == talks)
    )
    menu = view.build_menu()
    kinds = next(a for a in menu.actions() if a.text() == "Selected quote's kind")
    mixed = next(a for a in kinds.menu().actions() if a.text() == "Mixed")
    with qtbot.waitSignal(window.edits.saved):
        mixed.trigger()
    assert next(q for q in saved(db, aid).quotes if q.start == talks).kind == QuoteKind.MIXED


def test_sidebar_merge_split_move_edit_and_delete(qtbot, db, editor) -> None:  # type: ignore[no-untyped-def]
    window, aid = editor
    panel = window.sources
    model = panel.model

    def source_index(prefix: str):  # type: ignore[no-untyped-def]
        return next(
            model.index(r, 0)
            for r in range(model.rowCount())
            if model.index(r, 0).data().startswith(prefix)
        )

    # merge Bo Chan into Ann Lee from Bo Chan's menu
    menu = panel.build_menu(source_index("Bo Chan"))
    merge = next(a for a in menu.actions() if a.text() == "Merge into")
    with qtbot.waitSignal(window.edits.saved):
        next(a for a in merge.menu().actions() if a.text() == "Ann Lee").trigger()
    a = saved(db, aid)
    assert [s.name for s in a.sources] == ["Ann Lee"]
    assert {q.source_key for q in a.quotes} == {"s1"}

    # split the senator's quote back off into a new source
    failed = TEXT.index("the plan had failed")
    quote_row = model.index_of_quote(
        next(i for i, q in enumerate(window.shown.quotes) if q.start == failed)
    )
    panel.tree.selectionModel().select(
        quote_row, panel.tree.selectionModel().SelectionFlag.ClearAndSelect
    )
    menu = panel.build_menu(source_index("Ann Lee"))
    split = next(a for a in menu.actions() if a.text().startswith("Split 1 selected"))
    answer_next_dialog(lambda d: d.name.setText("Bo Chan"))  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.edits.saved):
        split.trigger()
    a = saved(db, aid)
    assert sorted(s.name for s in a.sources) == ["Ann Lee", "Bo Chan"]

    # F2 on a source edits it through the dialog
    panel.tree.setCurrentIndex(source_index("Bo Chan"))

    def fill(dialog: SourceDialog) -> None:
        dialog.description.setText("senator, Ohio")
        dialog.type.setCurrentIndex(dialog.type.findData("PERSON"))

    answer_next_dialog(fill)  # type: ignore[arg-type]
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, panel.tree, Qt.Key.Key_F2)
    assert (
        next(s for s in saved(db, aid).sources if s.name == "Bo Chan").description
        == "senator, Ohio"
    )

    # drag the senator's quote onto Ann Lee (what a drop on the tree asks the model to do)
    index = model.index_of_quote(
        next(i for i, q in enumerate(window.shown.quotes) if q.start == failed)
    )
    data = model.mimeData([index])
    with qtbot.waitSignal(window.edits.saved):
        model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, source_index("Ann Lee"))
    ann_key = next(s.key for s in saved(db, aid).sources if s.name == "Ann Lee")
    assert next(q for q in saved(db, aid).quotes if q.start == failed).source_key == ann_key

    # Delete on a quote in the sidebar: a person's quote (moving it made it theirs) is gone
    index = model.index_of_quote(
        next(i for i, q in enumerate(window.shown.quotes) if q.start == failed)
    )
    panel.tree.setCurrentIndex(index)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, panel.tree, Qt.Key.Key_Delete)
    assert not [q for q in saved(db, aid).quotes if q.start == failed]


def test_reviewed_toggle_and_persistence_after_restart(qtbot, db, editor, make_window) -> None:  # type: ignore[no-untyped-def]
    window, aid = editor
    view = window.article_view
    start = TEXT.index("Critics")
    view.select_span(start, start + 7)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_3)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert saved(db, aid).status == ArticleStatus.REVIEWED
    assert window.reviewed_action.isChecked()
    window.close()

    again = make_window(add_sample=False)
    again.show()
    qtbot.waitUntil(lambda: again.shown is not None, timeout=10000)
    assert again.shown.status == ArticleStatus.REVIEWED
    assert any(e.text == "Critics" and e.label == "GPE" for e in again.shown.entities)
    assert again.reviewed_action.isChecked()


def test_a_second_window_is_told_and_reloads(qtbot, db, editor, make_window) -> None:  # type: ignore[no-untyped-def]
    first, aid = editor
    second = make_window(add_sample=False)
    second.show()
    qtbot.waitUntil(lambda: second.shown is not None, timeout=10000)

    start = TEXT.index("Critics")
    first.article_view.select_span(start, start + 7)
    with qtbot.waitSignal(first.edits.saved):
        press(qtbot, first.article_view, Qt.Key.Key_1)

    bo = TEXT.index("Bo Chan")
    second.article_view.select_span(bo, bo + 7)
    with qtbot.waitSignal(second.failed, timeout=5000) as blocker:
        press(qtbot, second.article_view, Qt.Key.Key_Delete)
    assert "another window" in blocker.args[0]
    assert not next(e for e in saved(db, aid).entities if e.text == "Bo Chan").rejected
    qtbot.waitUntil(lambda: any(e.text == "Critics" for e in second.shown.entities), timeout=5000)


def test_labels_of_a_collection_can_be_renamed_recoloured_and_rekeyed(qtbot, db, editor) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.labels import collection_labels
    from desktop.ui.labels_dialog import LabelsDialog

    window, aid = editor

    def fill(dialog: LabelsDialog) -> None:
        table = dialog.table
        row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "GPE")
        table.item(row, 0).setText("place")
        table.cellWidget(row, 1).setProperty("chosen", "#00aa88")
        table.cellWidget(row, 2).setCurrentIndex(0)  # no key
        person = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "PERSON")
        table.cellWidget(person, 2).setCurrentIndex(3)  # key 3 (GPE had it)

    answer_next_dialog(fill)  # type: ignore[arg-type]
    window.edit_labels()
    stored = {lab.name: lab for lab in collection_labels(db, "default")}
    assert "GPE" not in stored and stored["PLACE"].color == "#00aa88" and stored["PLACE"].key == ""
    assert stored["PERSON"].key == "3"
    view = window.article_view
    start = TEXT.index("Critics")
    view.select_span(start, start + 7)
    with qtbot.waitSignal(window.edits.saved):
        press(qtbot, view, Qt.Key.Key_3)
    assert ("Critics", "PERSON", Origin.HUMAN) in live_entities(db, aid)
    assert window.pane.legend.buttons["PERSON"].text().startswith("3 PERSON")


def test_labels_dialog_refuses_duplicates(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.domain.labels import LabelDef
    from desktop.ui.labels_dialog import LabelsDialog

    dialog = LabelsDialog("c", [LabelDef("A", "", "1"), LabelDef("B", "", "1")])
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.error.text() == "Two labels have the same key."
    assert dialog.result() == 0
