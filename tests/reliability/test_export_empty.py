"""Never replace a file with an empty export unless asked; a mistyped collection is named.

``export --collection typo -o good.jsonl`` used to replace a good file with an empty one.
A property test crosses selections (every collection, a mistyped one, reviewed only) with
targets (none, a file, a link to a file) and checks that an empty selection leaves an
existing file byte-identical unless ``allow_empty``; the window's dialog asks first.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.services import exporting
from desktop.store import Database
from tests.reliability.exportkit import ARTICLES, make_db, part_files

GOOD = b'{"id": "kept", "text": "An export worth keeping."}\n'


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database.open(make_db(tmp_path_factory.mktemp("db"), collection="news"))
    yield database
    database.close()


def test_a_mistyped_collection_is_one_line_naming_the_known_ones(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(GOOD)
    args = ["--db", str(db.path), "export", "--format", "jsonl", "-o", str(good)]
    assert cli.main([*args, "--collection", "newz"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'newz'" in err and "'news'" in err
    assert good.read_bytes() == GOOD


def test_an_empty_selection_refuses_to_replace_a_file_unless_allowed(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(GOOD)
    args = ["--db", str(db.path), "export", "--format", "jsonl", "-o", str(good)]
    assert cli.main([*args, "--reviewed-only"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-empty" in err and str(good) in err
    assert good.read_bytes() == GOOD
    assert cli.main([*args, "--reviewed-only", "--allow-empty"]) == 0
    assert good.read_bytes() == b""
    assert "exported 0 article(s)" in capsys.readouterr().out


TARGETS = ["none", "file", "link to file"]
SELECTIONS = [(None, False), ("news", False), ("newz", False), (None, True), ("news", True)]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    target=st.sampled_from(TARGETS),
    selection=st.sampled_from(SELECTIONS),
    allow_empty=st.booleans(),
    fmt=st.sampled_from(exporting.format_names()),
)
def test_only_an_asked_for_empty_export_replaces_a_file(
    db: Database,
    tmp_path_factory: pytest.TempPathFactory,
    target: str,
    selection: tuple[str | None, bool],
    allow_empty: bool,
    fmt: str,
) -> None:
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    out, file = d / "out", d / "out"
    if target == "link to file":
        file = d / "real"
        out.symlink_to("real")
    if target != "none":
        file.write_bytes(GOOD)
    collection, reviewed = selection
    selects = 0 if reviewed or collection == "newz" else len(ARTICLES)
    try:
        count: int | None = exporting.export(
            db, fmt, out, collection=collection, reviewed_only=reviewed, allow_empty=allow_empty
        )
    except exporting.ExportError as exc:
        count = None
        assert "\n" not in str(exc)
    if collection == "newz":
        assert count is None  # a mistyped collection is never an empty export
    elif selects == 0 and target != "none" and not allow_empty:
        assert count is None
    else:
        assert count == selects
    if count is None and target == "none":
        assert not file.exists()
    elif count is None:
        assert file.read_bytes() == GOOD
    else:
        assert file.is_file() and file.read_bytes() != GOOD
    if target == "link to file":
        assert out.is_symlink()
    assert part_files(d) == []


@pytest.mark.gui
def test_the_dialog_asks_before_an_empty_export_replaces_a_file(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt

    from desktop.ui.export_dialog import REPLACE_WITH_EMPTY, ExportDialog
    from desktop.ui.tasks import TaskRunner

    good = tmp_path / "good.jsonl"
    good.write_bytes(GOOD)
    dialog = ExportDialog(db, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)
    dialog.output.setText(str(good))
    dialog.reviewed_only.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.exported is None
    assert "holds no articles" in dialog.error.text() and str(good) in dialog.error.text()
    assert dialog.export_button.text() == REPLACE_WITH_EMPTY
    assert good.read_bytes() == GOOD
    # another file withdraws the offer
    dialog.output.setText(str(tmp_path / "other.jsonl"))
    assert dialog.export_button.text() == "Export"
    dialog.output.setText(str(good))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert good.read_bytes() == GOOD  # asked again, not replaced
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # the user confirms
    assert dialog.exported == 0 and good.read_bytes() == b""
    assert dialog.export_button.text() == "Export"


@pytest.mark.gui
def test_the_dialog_reads_a_tilde_as_the_home_folder(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt

    from desktop.ui.export_dialog import ExportDialog
    from desktop.ui.tasks import TaskRunner

    monkeypatch.setenv("HOME", str(tmp_path))
    dialog = ExportDialog(db, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)
    dialog.output.setText("~/from-the-dialog.jsonl")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.exported == len(ARTICLES)
    assert (tmp_path / "from-the-dialog.jsonl").is_file()
