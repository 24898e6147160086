"""The annotator's name on a team's database: asked once, kept, shown, changed (offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from desktop.services import team
from desktop.store import Database, layers
from desktop.ui import annotator_name
from desktop.ui.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def no_annotator_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without $QUOTEDESK_ANNOTATOR and gets it back as it was after."""
    monkeypatch.setenv(team.ANNOTATOR_ENV, "placeholder")  # so undo restores the original
    monkeypatch.delenv(team.ANNOTATOR_ENV)


def with_team(db: Database, *names: str) -> Database:
    with db.transaction() as session:
        for name in names:
            layers.add_annotator(session, name)
    return db


class Answerer:
    """Answers the next annotator-name dialog with ``answer``, once; ``seen`` records the
    name each dialog offered, so a test can also say none was shown. It stops looking
    after it answered, when stopped, or after five seconds."""

    def __init__(self, answer: Callable[[annotator_name.AnnotatorNameDialog], None]) -> None:
        self.answer = answer
        self.seen: list[str] = []
        self.looking = 500
        QTimer.singleShot(0, self._look)

    def _look(self) -> None:
        if self.looking <= 0:
            return
        self.looking -= 1
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, annotator_name.AnnotatorNameDialog):
            self.looking = 0
            self.seen.append(dialog.edit.text())
            self.answer(dialog)
            return
        QTimer.singleShot(10, self._look)

    def stop(self) -> list[str]:
        QApplication.processEvents()
        self.looking = 0
        return self.seen


def answering(answer: Callable[[annotator_name.AnnotatorNameDialog], None]) -> Answerer:
    return Answerer(answer)


def type_and_ok(name: str) -> Callable[[annotator_name.AnnotatorNameDialog], None]:
    def answer(dialog: annotator_name.AnnotatorNameDialog) -> None:
        dialog.edit.setText(name)
        dialog.accept()

    return answer


def test_a_team_database_asks_once_and_keeps_the_name_for_that_database(
    qtbot: Any, db: Database, settings: Settings, tmp_path: Path
) -> None:
    import os

    with_team(db, "ann", "bob")
    offered = annotator_name.default_name(db)  # the OS user's name, on a file
    seen = answering(type_and_ok("mara"))
    assert annotator_name.choose(db, settings) == "mara"
    assert seen.stop() == [offered]
    assert os.environ[team.ANNOTATOR_ENV] == "mara"
    assert team.connection_annotator(db=db) == "mara"  # what every editor and view reads
    del os.environ[team.ANNOTATOR_ENV]
    again = answering(lambda d: d.reject())
    assert annotator_name.choose(db, settings) == "mara"
    assert again.stop() == []  # not asked a second time
    other = with_team(Database.open(tmp_path / "other.sqlite3"), "ann")
    del os.environ[team.ANNOTATOR_ENV]
    third = answering(type_and_ok("mara-b"))
    assert annotator_name.choose(other, settings) == "mara-b"  # each database its own
    assert len(third.stop()) == 1
    other.close()


def test_without_a_team_or_with_the_variable_set_nothing_is_asked(
    qtbot: Any, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    seen = answering(lambda d: d.reject())
    assert annotator_name.choose(db, settings) is None  # nobody in the annotator table
    assert team.ANNOTATOR_ENV not in os.environ
    with_team(db, "ann")
    monkeypatch.setenv(team.ANNOTATOR_ENV, "given")
    assert annotator_name.choose(db, settings) is None  # $QUOTEDESK_ANNOTATOR wins
    assert os.environ[team.ANNOTATOR_ENV] == "given"
    assert seen.stop() == []


def test_cancel_keeps_the_connections_name_and_asks_again_next_start(
    qtbot: Any, db: Database, settings: Settings
) -> None:
    import os

    with_team(db, "ann")
    first = answering(lambda d: d.reject())
    assert annotator_name.choose(db, settings) is None
    assert team.ANNOTATOR_ENV not in os.environ
    second = answering(type_and_ok("ann"))
    assert annotator_name.choose(db, settings) == "ann"
    assert len(first.stop()) == 1 and len(second.stop()) == 1


@pytest.mark.parametrize("bad", ["", "   ", "-rm", "tab\tname", "x" * 201])
def test_a_name_no_rule_allows_is_said_under_the_field_and_the_dialog_stays(
    qtbot: Any, bad: str
) -> None:
    dialog = annotator_name.AnnotatorNameDialog("ann", on_server=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edit.setText(bad)
    dialog.accept()
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.note.text() and "\n" not in dialog.note.text()
    dialog.edit.setText("ann")
    dialog.accept()
    assert not dialog.isVisible() and dialog.chosen == "ann"


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_any_name_the_dialog_takes_comes_back_from_the_settings_as_typed(
    tmp_path: Path, text: str
) -> None:
    """The class of the kept name: whatever the check lets through is stored, read back
    from the ini file by a new QSettings, and is the very name the team code uses."""
    problem = annotator_name.check_name(text)
    if problem:
        assert "\n" not in problem
        return
    path = tmp_path / "names.ini"
    key = annotator_name.S.Setting("team/annotator_x", str, "")
    Settings(QSettings(str(path), QSettings.Format.IniFormat)).set(key, text.strip())
    kept = Settings(QSettings(str(path), QSettings.Format.IniFormat)).get(key)
    assert kept == text.strip()
    assert team.connection_annotator(kept) == kept
    assert annotator_name.check_name(kept) == ""


def test_the_status_bar_shows_the_name_and_preferences_change_it_for_the_window(
    qtbot: Any, db: Database, settings: Settings, make_window: Any
) -> None:
    import os

    from desktop.services.team_editing import LayerEditor
    from desktop.ui.preferences import PreferencesDialog

    with_team(db, "ann")
    asked = answering(type_and_ok("mara"))
    annotator_name.choose(db, settings)
    assert asked.stop() == [annotator_name.current_user()]
    window = make_window(add_sample=False)
    label = annotator_name.show_in(window, True)
    assert label.text() == "Annotator: mara"
    assert window.statusBar().findChild(QLabel, annotator_name.LABEL_NAME) is label
    editor = window.edits.editor
    assert isinstance(editor, LayerEditor) and editor.user == "mara"
    assert window.team_menu.me == "mara"
    mine = window.browser.mine_box  # "Assigned to me" is offered, meaning mara
    assert not mine.isHidden() and "mara" in mine.toolTip()

    dialog = PreferencesDialog(settings, window)
    qtbot.addWidget(dialog)
    assert dialog.annotator_edit.text() == "mara"
    dialog.annotator_edit.setText("-bad")
    dialog.accept()
    assert dialog.result() == 0 and dialog.annotator_note.text()
    assert editor.user == "mara" and settings.get(annotator_name.setting_for(db)) == "mara"
    dialog.annotator_edit.setText("nico")
    dialog.accept()
    assert dialog.result() == 1
    assert editor.user == "nico" and window.team_menu.me == "nico"
    assert label.text() == "Annotator: nico" and os.environ[team.ANNOTATOR_ENV] == "nico"
    assert settings.get(annotator_name.setting_for(db)) == "nico"
    assert window.edits.stack.count() == 0
    mine.setChecked(True)
    assert window.browser.model.query.assigned_to == "nico"


def test_the_start_asks_the_database_off_the_gui_thread_and_shows_the_same(
    qtbot: Any, db: Database, settings: Settings, make_window: Any
) -> None:
    """Every statement the name check runs is counted with its thread: none on the GUI
    thread; the dialog still asks once, and the status bar and the editor show the name."""
    import os
    import threading

    from sqlalchemy import event

    from desktop.services.team_editing import LayerEditor

    with_team(db, "ann")
    assert annotator_name.kept_name(db, settings) is None  # nothing kept yet
    window = make_window(add_sample=False)
    qtbot.waitUntil(lambda: not window.runner.active, timeout=10000)  # the window's own reads
    threads: list[bool] = []

    def note(*_args: object) -> None:
        threads.append(threading.current_thread() is threading.main_thread())

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        asked = answering(type_and_ok("mara"))
        annotator_name.start(window, settings, None)
        assert threads.count(True) == 0  # start() itself read nothing
        qtbot.waitUntil(
            lambda: window.statusBar().findChild(QLabel, annotator_name.LABEL_NAME) is not None,
            timeout=10000,
        )
        window.runner.wait()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert asked.stop() == [annotator_name.current_user()]
    assert threads and True not in threads, threads  # the check's queries: worker only
    label = window.statusBar().findChild(QLabel, annotator_name.LABEL_NAME)
    assert label.text() == "Annotator: mara" and label.isVisibleTo(window)
    editor = window.edits.editor
    assert isinstance(editor, LayerEditor) and editor.user == "mara"
    assert os.environ[team.ANNOTATOR_ENV] == "mara"
    assert settings.get(annotator_name.setting_for(db)) == "mara"
    del os.environ[team.ANNOTATOR_ENV]
    assert annotator_name.kept_name(db, settings) == "mara"  # the next start, from settings
    assert os.environ[team.ANNOTATOR_ENV] == "mara"


def test_on_a_server_the_login_role_is_asked_off_the_gui_thread(
    qtbot: Any, pg_url: str, settings: Settings
) -> None:
    """On PostgreSQL the connection's name is its login role, which only the server can
    say: neither the window's editor nor the start asks for it (or for the team) on the
    GUI thread; Cancel keeps the login role, shown in the status bar and used for edits."""
    import threading

    from sqlalchemy import event

    from desktop.services.team_editing import LayerEditor
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    db = with_team(Database.open(pg_url), "ann")
    on_gui: list[str] = []

    def note(_c: object, _cur: object, statement: str, *_args: object) -> None:
        said = " ".join(statement.split()).lower()
        if threading.current_thread() is threading.main_thread() and (
            "current_user" in said or "from annotator" in said
        ):
            on_gui.append(said)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        window = MainWindow(db, TaskRunner(), settings, add_sample=False)
        window.quiet = True
        qtbot.addWidget(window)
        asked = answering(lambda d: d.reject())
        annotator_name.start(window, settings, annotator_name.kept_name(db, settings))
        qtbot.waitUntil(
            lambda: window.statusBar().findChild(QLabel, annotator_name.LABEL_NAME) is not None,
            timeout=10000,
        )
        window.runner.wait()
        editor = window.edits.editor
        assert isinstance(editor, LayerEditor) and editor.user == "postgres"  # the login role
        from desktop.ui.preferences import PreferencesDialog

        preferences = PreferencesDialog(settings, window)  # opened after the start's answer
        assert preferences.annotator_edit.text() == "postgres"
        preferences.close()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert on_gui == []
    assert asked.stop() == ["postgres"]  # the dialog offered the login role
    label = window.statusBar().findChild(QLabel, annotator_name.LABEL_NAME)
    assert label.text() == "Annotator: postgres"
    window.close()
    window.runner.wait()
    db.close()
