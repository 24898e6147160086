"""Names in the window (issue 18, item 10): the dialogs refuse what the rules refuse, and
names stored before the rules (any length) are elided, so no widget grows with them (a
100,000-character label made the window 667,620 px wide)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain import Article, Entity, Origin, Source, Span
from desktop.domain.labels import LabelDef
from desktop.store import Database
from desktop.store import repository as repo
from desktop.ui.labels_dialog import LabelsDialog
from desktop.ui.source_dialog import SourceDialog

pytestmark = pytest.mark.gui

TEXT = "Alice Smith met Bob in New York."
HUGE = 100_000


def legacy_article(db: Database) -> None:
    """What an older version could store: names of any length, straight into the store."""
    label, name = "L" * HUGE, "Alice " * (HUGE // 6)
    article = Article(
        "legacy",
        TEXT,
        title="T" * 1_000_000,
        meta={"url": "u" * HUGE},
        entities=[Entity(0, 11, label, "Alice Smith", Origin.HUMAN)],
        sources=[Source("s1", name, "PERSON", "d" * HUGE, [Span(0, 11, "Alice Smith")])],
    )
    with db.transaction() as s:
        repo.add_article(s, repo.collection(s, "C" * 5_000), article)


def test_long_stored_names_do_not_widen_the_window(qtbot, db: Database, make_window) -> None:  # type: ignore[no-untyped-def]
    legacy_article(db)
    window = make_window(add_sample=False)
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(lambda: window.shown is not None, timeout=20000)
    qtbot.wait(200)
    assert window.minimumSizeHint().width() < 2000
    assert window.width() <= 1300
    pane = window.pane
    for button in pane.legend.buttons.values():
        assert len(button.text()) < 50 and button.sizeHint().width() < 600
    assert len(pane.title.text()) < 1_000
    assert len(pane.meta.text()) < 1_000
    assert pane.sizeHint().width() < 2000


def test_the_labels_dialog_refuses_what_the_rules_refuse(qtbot) -> None:  # type: ignore[no-untyped-def]
    for bad in ["L" * 51, "PER\tSON", "CUE", "a\x00b", "-X", "\u202eX"]:
        dialog = LabelsDialog("c", [LabelDef(bad)])
        qtbot.addWidget(dialog)
        problem = dialog.problem()
        assert problem.startswith("Row 1: ") and "\n" not in problem and len(problem) < 300
        dialog.accept()
        assert dialog.result() == 0 and dialog.error.text() == problem
    good = LabelsDialog("c", [LabelDef("per son"), LabelDef("Ort")])
    qtbot.addWidget(good)
    assert good.problem() == ""
    assert [lab.name for lab in good.labels()] == ["PER_SON", "ORT"]


def test_the_source_dialog_refuses_what_the_rules_refuse(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SourceDialog("New source", "Alice")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    for bad in ["A" * 1_001, "Ali\x00ce", "\u202eAlice"]:
        dialog.name.setText(bad)
        assert not ok.isEnabled() and "ource name" in dialog.problem.text()
    dialog.name.setText("Alice")
    dialog.description.setText("d" * 2_001)
    assert not ok.isEnabled() and "description" in dialog.problem.text()
    dialog.description.setText("spokeswoman")
    assert ok.isEnabled() and dialog.problem.text() == ""
