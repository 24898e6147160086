"""A window opened on its first screen (read with ``sqlite3``, the store opened after the
first paint: issue 16) looks exactly like one opened on the store, as a class: Hypothesis
over generated databases (entities, quotes, sources, odd characters, empty texts, several
collections), with and without ``--open``, with a last article kept in the settings. The two
windows' pictures must be equal pixel for pixel, and the browser's rows, the article's text
and its highlights too (named, so that a failure says where).

After ``attach`` the window carries on as on the full path: it holds the store's copy of
the article and an edit is saved, shown and undone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from desktop.domain import Article, ArticleStatus, Entity
from desktop.services.first_screen import FIRST_PAGE, DatabaseOnDemand, first_screen
from desktop.store import Database
from desktop.ui import settings as S
from desktop.ui.main_window import MainWindow
from desktop.ui.paged_model import PAGE_SIZE
from desktop.ui.tasks import TaskRunner
from tests.unit.test_first_screen import databases, fill

pytestmark = pytest.mark.gui

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def new_settings(folder: Path, last: str) -> S.Settings:
    kept = S.Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    kept.set(S.LAST_ARTICLE, last)
    return kept


def settle(qtbot: Any, window: MainWindow) -> None:
    """Until the article is on screen and no read is running (twice, for chained reads)."""
    for _ in range(2):
        qtbot.waitUntil(
            lambda: window.shown is not None and not window.runner.active, timeout=10000
        )
        qtbot.wait(30)


def what_it_shows(window: MainWindow) -> dict[str, object]:
    model = window.browser.model
    rows = [
        [model.index(r, c).data(role) for c in range(model.columnCount()) for role in ROLES]
        for r in range(model.rowCount())
    ]
    view = window.article_view
    marks = []
    block = view.document().firstBlock()
    while block.isValid():
        formats = block.layout().formats()
        marks.append([(f.start, f.length, f.format.background().color().name()) for f in formats])
        block = block.next()
    combo = window.browser.collection_box
    return {
        "rows": rows,
        "current": window.browser.current_id(),
        "collections": [combo.itemText(i) for i in range(combo.count())],
        "count": window.browser.count_label.text(),
        "text": view.toPlainText(),
        "marks": marks,
        "title": window.windowTitle(),
        "status": window.statusBar().currentMessage(),
        "shown": window.shown,
    }


def picture(window: MainWindow) -> QImage:
    return window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def open_both(
    qtbot: Any, folder: Path, path: Path, open_id: str | None, last: str
) -> tuple[MainWindow, MainWindow, Callable[[], None]] | None:
    """The window opened on the store (as ``run_app``'s full path) and the one opened on
    its first screen, side by side, each with its own settings (None: no first screen)."""
    first = first_screen(str(path), open_id, last, FIRST_PAGE)
    if first is None:
        return None
    full_db = Database.open(path, daily_backup=False)
    windows = []
    for name, db, screen in (("full", full_db, None), ("light", DatabaseOnDemand(path), first)):
        sub = folder / name
        sub.mkdir()
        window = MainWindow(db, TaskRunner(), new_settings(sub, last), first=screen)  # type: ignore[arg-type]
        window.quiet = True
        qtbot.addWidget(window)
        window.show()
        if open_id is not None:
            window.open_external(open_id)
        windows.append(window)

    def close() -> None:
        for window in windows:
            window.close()
            window.runner.wait(10000)
            window.db.close()

    return windows[0], windows[1], close


FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=25, deadline=None, suppress_health_check=FIXTURES)
@given(rows=databases(), pick=st.integers(0, 8), ask=st.sampled_from(["open", "last", "none"]))
def test_the_first_screen_is_the_window_the_store_shows(
    qtbot: Any, tmp_path_factory: Any, rows: list[tuple[str, Article, bool]], pick: int, ask: str
) -> None:
    folder = tmp_path_factory.mktemp("window")
    path = folder / "q.sqlite3"
    fill(path, rows, []).close()
    wanted = rows[pick % len(rows)][1].external_id
    open_id = wanted if ask == "open" else None
    both = open_both(qtbot, folder, path, open_id, wanted if ask == "last" else "")
    assume(both is not None)  # an --open of an article to analyze, or off the first page
    assert both is not None
    full, light, close = both
    try:
        settle(qtbot, full)
        settle(qtbot, light)
        opened = getattr(light.db, "opened", None)
        assert opened is False  # everything answered before the store
        shows, shows_light = what_it_shows(full), what_it_shows(light)
        for key, value in shows.items():
            assert shows_light[key] == value, key
        assert picture(light) == picture(full)
    finally:
        close()


def test_the_page_sizes_agree() -> None:
    assert FIRST_PAGE == PAGE_SIZE


def test_after_attach_the_window_edits_as_on_the_full_path(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    article = Article("x", "Ann Lee said so.", entities=[Entity(0, 7, "PERSON", "Ann Lee")])
    fill(path, [("default", article, True)], []).close()
    both = open_both(qtbot, tmp_path, path, "x", "")
    assert both is not None
    full, light, close = both
    try:
        settle(qtbot, light)
        attached: list[object] = []
        light.attach(attached.append)
        qtbot.waitUntil(lambda: bool(attached), timeout=20000)
        settle(qtbot, light)
        assert isinstance(light.db, Database) and light.edits.editor is not None
        assert light.shown == article_as_stored(light)
        light.edits.toggle_reviewed()
        qtbot.waitUntil(lambda: stored_status(path) == "reviewed", timeout=5000)
        assert light.shown is not None and light.shown.status == ArticleStatus.REVIEWED
        light.edits.stack.undo()
        qtbot.waitUntil(lambda: stored_status(path) != "reviewed", timeout=5000)
        settle(qtbot, full)
        assert light.shown == article_as_stored(light)
        shows, shows_full = what_it_shows(light), what_it_shows(full)
        assert (shows["text"], shows["marks"]) == (shows_full["text"], shows_full["marks"])
        assert light.edits.stack.canRedo()  # the history is the window's own
    finally:
        close()


def article_as_stored(window: MainWindow) -> Article:
    from desktop.services import library

    assert window.current_id is not None
    return library.load_article(window.db, window.current_id, include_rejected=True)


def stored_status(path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT status FROM article").fetchone()[0])
    finally:
        conn.close()


def test_the_launch_follows_the_settings_read_after_qt(tmp_path: Path) -> None:
    """The command line reads a hint before Qt with the settings' defaults; the window's
    start checks it against the real settings: another last article is read again (the
    article the list picks), a sample still to add or a kept annotator name takes the full
    path, and so do files to import."""
    import argparse

    from desktop.ui import annotator_name
    from desktop.ui.app import light_start
    from desktop.ui.first_launch import _key

    path = tmp_path / "q.sqlite3"
    rows = [("default", Article(f"a{n}", f"Text {n}."), True) for n in range(3)]
    fill(path, rows, []).close()
    hint = first_screen(str(path), None, "", FIRST_PAGE)
    assert hint is not None and hint.stored.article.external_id == "a0"
    args = argparse.Namespace(db=str(path), open=None, files=[])
    kept = new_settings(tmp_path, "a2")
    first = light_start(args, kept, hint)
    assert first is not None and first.stored.article.external_id == "a2"
    assert (
        light_start(argparse.Namespace(db=str(path), open=None, files=["x.txt"]), kept, hint)
        is None
    )
    kept.set(S.SAMPLE_PENDING, _key(path))
    assert light_start(args, kept, hint) is None
    kept.set(S.SAMPLE_PENDING, "")
    kept.set(annotator_name.setting_for_location(str(path)), "ann")
    assert light_start(args, kept, hint) is None


def test_a_store_that_fails_to_open_after_the_first_paint_is_told_once_and_tried_again(
    qtbot: Any, tmp_path: Path
) -> None:
    """The file replaced between the first screen and the store's open (here by another
    program's SQLite file): the window says so once, keeps trying, and once the file is
    back it is set up as on the full path (editor, change watch), never half."""
    import sqlite3

    path = tmp_path / "q.sqlite3"
    article = Article("x", "Ann Lee said so.", entities=[Entity(0, 7, "PERSON", "Ann Lee")])
    fill(path, [("default", article, True)], []).close()
    both = open_both(qtbot, tmp_path, path, "x", "")
    assert both is not None
    full, light, close = both
    aside = tmp_path / "aside"
    aside.mkdir()
    try:
        settle(qtbot, light)
        moved = [p for p in tmp_path.glob("q.sqlite3*") if p.is_file()]
        for p in moved:
            p.rename(aside / p.name)
        foreign = sqlite3.connect(path)
        foreign.execute("CREATE TABLE recipes (name TEXT)")
        foreign.commit()
        foreign.close()
        told: list[str] = []
        light.failed.connect(told.append)
        attached: list[object] = []
        light.attach(attached.append)
        qtbot.waitUntil(lambda: bool(told), timeout=20000)
        assert not attached and light.edits.editor is None
        for p in list(tmp_path.glob("q.sqlite3*")):
            p.unlink()
        for p in moved:
            (aside / p.name).rename(p)
        qtbot.waitUntil(lambda: bool(attached), timeout=20000)
        settle(qtbot, light)
        assert len(told) == 1  # told once, however many tries it took
        assert isinstance(light.db, Database) and light.edits.editor is not None
        assert light.shown == article_as_stored(light)
    finally:
        close()
