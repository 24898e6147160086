"""The export dialog: choices from the database, export with progress, cancel, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop.ui.export_dialog import ExportDialog
from desktop.ui.tasks import TaskRunner
from tests.unit.test_formats_common import fill, sample_articles

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def filled(db):  # type: ignore[no-untyped-def]
    a, b = sample_articles()
    fill(db, [a], "news")
    fill(db, [b], "wires")
    return db


def _dialog(qtbot, db, synchronous: bool = True) -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(db, TaskRunner(synchronous=synchronous))
    qtbot.addWidget(dialog)
    return dialog


def test_choices_come_from_the_database(qtbot, filled) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, filled)
    collections = [dialog.collection.itemText(i) for i in range(dialog.collection.count())]
    assert collections == ["All collections", "news", "wires"]
    labels = [dialog.labels.item(i).text() for i in range(dialog.labels.count())]
    assert labels == ["EVENT", "GPE", "ORG", "PERSON"]
    assert dialog.selected_labels() is None  # all ticked: no filter
    formats = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert set(formats) == {
        "brat",
        "conll",
        "csv",
        "doccano",
        "jsonl",
        "labelstudio",
        "prodigy",
        "spacy",
    }


def test_export_with_filters(qtbot, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    dialog = _dialog(qtbot, filled)
    dialog.output.setText(str(tmp_path / "out.jsonl"))
    dialog.collection.setCurrentIndex(dialog.collection.findData("news"))
    for i in range(dialog.labels.count()):
        item = dialog.labels.item(i)
        if item.text() != "PERSON":
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.human_only.setChecked(False)
    dialog.reviewed_only.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.exported == 1
    assert "Exported 1 article(s)" in dialog.status.text()
    assert dialog.progress.value() == dialog.progress.maximum()
    (record,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [e["label"] for e in record["entities"]] == ["PERSON"]
    assert dialog.cancel_button.text() == "Close"


def test_changing_the_format_changes_the_suffix(qtbot, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, filled)
    dialog.output.setText(str(tmp_path / "set.jsonl"))
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    assert dialog.output.text().endswith("set.zip")


def test_browse_uses_the_file_dialog(qtbot, filled, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "chosen"), "")
    )
    dialog = _dialog(qtbot, filled)
    dialog.format.setCurrentIndex(dialog.format.findData("spacy"))
    dialog.choose_output()
    assert dialog.output.text() == str(tmp_path / "chosen.spacy")


@pytest.mark.parametrize(
    "path,message",
    [
        ("", "Choose a file to export to."),
        ("{tmp}/missing/out.jsonl", "the folder {tmp}/missing does not exist."),
        ("{tmp}", "is a folder; give a file name to export to."),
    ],
)
def test_errors_are_one_sentence_in_the_dialog(  # type: ignore[no-untyped-def]
    qtbot, filled, tmp_path, path, message
) -> None:
    dialog = _dialog(qtbot, filled)
    dialog.output.setText(path.format(tmp=tmp_path))
    dialog.start()
    text = dialog.error.text()
    assert dialog.error.isVisibleTo(dialog)
    assert text.endswith(message.format(tmp=tmp_path))
    assert text.count(". ") == 0 and "\n" not in text
    assert dialog.export_button.isEnabled()


def test_cancel_stops_the_export_and_writes_nothing(qtbot, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, filled)
    out = tmp_path / "out" / "set.zip"
    out.parent.mkdir()
    dialog.output.setText(str(out))
    dialog.format.setCurrentIndex(dialog.format.findData("brat"))
    seen = []

    def on_progress(done: int, total: int, message: str) -> None:
        seen.append(done)
        if done == 0:
            assert dialog.running and not dialog.format.isEnabled()
            dialog.cancel_button.click()  # the user presses Cancel mid-export

    dialog.runner.started.connect(lambda task: task.progressed.connect(on_progress))
    dialog.start()
    assert seen == [0]
    assert dialog.status.text() == "Export cancelled; nothing was written."
    assert list(out.parent.iterdir()) == []
    assert dialog.export_button.isEnabled()


def test_cancel_on_a_background_runner(qtbot, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, filled, synchronous=False)
    qtbot.waitUntil(lambda: dialog.collection.count() == 3)
    dialog.output.setText(str(tmp_path / "set.csv"))
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.start()
    assert dialog.running
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.running)
    dialog.runner.wait()
    done = dialog.status.text()
    # the export is tiny, so it may finish before the cancel lands; either way it is whole
    assert done.startswith(("Export cancelled", "Exported 2"))
    files = list(tmp_path.glob("set.csv*"))
    assert files in ([], [tmp_path / "set.csv"])


def test_screenshot(qtbot, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, filled)
    dialog.output.setText("/home/analyst/exports/quotes-news.spacy")
    dialog.format.setCurrentIndex(dialog.format.findData("spacy"))
    dialog.collection.setCurrentIndex(dialog.collection.findData("news"))
    dialog.reviewed_only.setChecked(True)
    dialog._set_running(True)  # as it looks while an export runs
    dialog._progressed(640, 1000, "Exporting 641 of 1000")
    dialog.show()
    qtbot.waitExposed(dialog)
    shot = tmp_path / "export-dialog.png"
    assert dialog.grab().save(str(shot))
    assert shot.stat().st_size > 5000
    if os.environ.get("QUOTEDESK_SAVE_SCREENSHOTS"):  # to refresh docs/export-dialog.png
        (REPO / "docs" / "export-dialog.png").write_bytes(shot.read_bytes())


def test_the_dialog_says_what_doccano_and_label_studio_need(qtbot, filled) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, filled)
    dialog.show()
    assert dialog.note.isHidden()  # the project format needs nothing
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    assert not dialog.note.isHidden()
    assert "Allow overlapping entity" in dialog.note.text()
    assert "Use relation Labeling" in dialog.note.text()
    dialog.format.setCurrentIndex(dialog.format.findData("labelstudio"))
    assert ".label_config.xml" in dialog.note.text()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.note.isHidden()
