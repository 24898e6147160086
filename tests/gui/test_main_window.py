from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop.domain import Article
from desktop.store import repository as repo
from desktop.ui.colors import focus_color, label_color

pytestmark = pytest.mark.gui


def add(db, *articles: Article, collection: str = "default") -> list[int]:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        coll = repo.collection(s, collection)
        return [repo.add_article(s, coll, a) for a in articles]


def test_empty_database_says_how_to_start(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    qtbot.waitUntil(
        lambda: "No articles here yet" in window.article_view.toPlainText(), timeout=5000
    )
    assert window.articles.rowCount() == 0


def test_unknown_article_id_is_reported(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    with qtbot.waitSignal(window.failed, timeout=5000) as blocker:
        window.open_external("no-such-article")
    assert "no-such-article" in blocker.args[0]


def test_search_filter_and_keyboard_navigation(qtbot, db, make_window) -> None:  # type: ignore[no-untyped-def]
    add(
        db,
        *[
            Article(f"a{i}", f"Text {i} about {'Kyiv' if i % 2 else 'Lima'}.", f"T{i}")
            for i in range(6)
        ],
    )
    add(db, Article("b0", "Other collection text.", "B0"), collection="other")
    window = make_window(add_sample=False)
    window.show()
    browser = window.browser
    qtbot.waitUntil(lambda: window.articles.rowCount() == 7, timeout=5000)
    qtbot.waitUntil(lambda: browser.current_id() is not None, timeout=5000)
    # the collections come in their own task, which may answer after the list
    qtbot.waitUntil(lambda: browser.collection_box.count() == 3, timeout=5000)  # all, two

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert browser.search.hasFocus()
    qtbot.keyClicks(browser.search, "kyi")
    qtbot.waitUntil(lambda: window.articles.rowCount() == 3, timeout=5000)
    assert browser.count_label.text() == "3 articles"

    browser.search.clear()
    qtbot.waitUntil(lambda: window.articles.rowCount() == 7, timeout=5000)
    browser.collection_box.setCurrentIndex(browser.collection_box.findData("other"))
    qtbot.waitUntil(lambda: window.articles.rowCount() == 1, timeout=5000)
    browser.collection_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.articles.rowCount() == 7, timeout=5000)

    browser.view.setCurrentIndex(window.articles.index(0, 0))
    browser.view.setFocus()
    qtbot.keyClick(browser.view, Qt.Key.Key_J)
    qtbot.keyClick(browser.view, Qt.Key.Key_J)
    assert browser.view.currentIndex().row() == 2
    qtbot.keyClick(browser.view, Qt.Key.Key_K)
    assert browser.view.currentIndex().row() == 1
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert browser.view.currentIndex().row() == 2
    qtbot.waitUntil(lambda: window.article_view.toPlainText() == "Text 2 about Lima.", timeout=5000)
    assert window.pane.title.text().find("T2") >= 0


@pytest.mark.slow
def test_first_launch_shows_the_analyzed_sample(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.show()
    with qtbot.waitSignal(window.article_shown, timeout=120000):
        pass
    assert window.articles.rowCount() == 1
    view = window.article_view
    text = view.toPlainText()
    assert text.startswith("North Korean leader Kim Jong Un")
    start = text.index("Adrienne Watson")
    colors = {f.background().color().name() for f in view.highlights_at(start)}
    assert label_color("PERSON").name() in colors
    plain = text.index("expects to make")
    assert not any(
        f.background().style() != Qt.BrushStyle.NoBrush for f in view.highlights_at(plain)
    )
    assert "PERSON" in window.pane.legend.buttons

    # the sidebar groups quotes by source; picking one highlights it in the text
    tree = window.sources.model
    names = [tree.index(r, 0).data() for r in range(tree.rowCount())]
    assert any(n.startswith("Adrienne Watson") for n in names)
    window.sources.step_quote(1)
    quote_index = window.sources.tree.currentIndex().data(tree.QuoteRole)
    quote = view.article.quotes[quote_index]
    focused = {f.background().color().name() for f in view.highlights_at(quote.start + 1)}
    assert focus_color(False, False).name() in focused

    # hiding a label in the legend removes its highlights
    window.pane.legend.buttons["PERSON"].click()
    assert label_color("PERSON").name() not in {
        f.background().color().name() for f in view.highlights_at(start)
    }
    qtbot.waitUntil(lambda: "core_web" in window.model_label.text(), timeout=60000)


@pytest.mark.slow
def test_dropped_file_is_imported_and_analyzed(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    window.show()
    article = tmp_path / "dropped.txt"
    article.write_text("Council approves budget\n\nThe mayor said the budget was fair.\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.article_shown, timeout=120000):
        window.dropEvent(event)
    assert window.articles.index(0, 0).data() == "Council approves budget"
    assert window.article_view.article is not None
    assert window.article_view.article.quotes, "the mayor's statement was not found"


def test_geometry_and_splitter_persist(qtbot, make_window, settings) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import settings as S

    window = make_window(add_sample=False)
    window.show()
    window.resize(700, 500)
    window.splitter.setSizes([150, 400, 150])
    sizes = window.splitter.sizes()
    window.close()
    assert not settings.get(S.WINDOW_GEOMETRY).isEmpty()
    again = make_window(add_sample=False)
    again.show()
    assert (again.width(), again.height()) == (700, 500)
    assert again.splitter.sizes() == sizes


def test_dark_theme_switches_palette_and_highlights(qtbot, db, make_window, settings) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from desktop.domain import Entity
    from desktop.ui import settings as S

    add(db, Article("d1", "Ann Lee spoke.", "Dark", entities=[Entity(0, 7, "PERSON", "Ann Lee")]))
    window = make_window(add_sample=False)
    window.show()
    qtbot.waitUntil(lambda: window.article_view.article is not None, timeout=5000)
    try:
        settings.set(S.THEME, "dark")
        window.apply_preferences()
        qtbot.waitUntil(lambda: window.article_view.dark, timeout=5000)
        colors = {f.background().color().name() for f in window.article_view.highlights_at(1)}
        assert label_color("PERSON", dark=True).name() in colors
    finally:
        settings.set(S.THEME, "light")
        window.apply_preferences()
    qtbot.waitUntil(lambda: not window.article_view.dark, timeout=5000)
    assert QApplication.style().name().lower() == "fusion"


def test_the_list_fetches_pages_only_when_scrolled(qtbot, db, make_window) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.article_table import PAGE_SIZE

    add(db, *[Article(f"p{i}", f"Story number {i}.", f"Story {i}") for i in range(PAGE_SIZE * 3)])
    window = make_window(add_sample=False)
    window.show()
    qtbot.waitUntil(lambda: window.articles.rowCount() == PAGE_SIZE, timeout=5000)
    qtbot.wait(800)  # idle: nobody scrolls, so no more pages come
    assert window.articles.rowCount() == PAGE_SIZE
    assert window.articles.total == PAGE_SIZE * 3
    window.browser.view.scrollToBottom()
    qtbot.waitUntil(lambda: window.articles.rowCount() == PAGE_SIZE * 2, timeout=5000)


def test_menus_keep_their_commands_and_keys(qtbot, db, make_window, settings) -> None:  # type: ignore[no-untyped-def]
    """The actions room (window_actions) fills the menus; a key reaches its command."""
    from desktop.ui import settings as S

    settings.set(S.MODEL, "no_such_pipeline")  # the analysis fails at once, quietly
    add(db, Article("k1", "A short text to analyze.", "K1"))
    window = make_window(add_sample=False)
    window.show()
    menus = {
        act.text(): [a.text() for a in act.menu().actions() if not a.isSeparator()]
        for act in window.menuBar().actions()
    }
    assert list(menus) == [
        "&File", "&Edit", "&Go", "&Analysis", "&View", "&Team", "&Settings", "&Help"
    ]  # fmt: skip
    assert menus["&Team"] == [
        "&Assignments…", "A&greement…", "&Curate this article…", "&Edit the curated version"
    ]  # fmt: skip
    assert menus["&View"] == ["Articles", "Sources", "Statistics"]  # the window's rooms
    assert menus["&File"] == [
        "&Import files…",
        "Import &folder…",
        "&Export…",
        "&Restore a backup…",
        "&Quit",
    ]
    assert menus["&Analysis"] == [
        "Analyze &article",
        "Analyze &collection",
        "&Train model…",
        "Collection &model…",
    ]
    keys = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert keys["&Export…"] == "Ctrl+E"
    assert keys["Analyze &collection"] == "Ctrl+Shift+R"
    assert keys["Mark &reviewed"] == "Ctrl+Return"
    assert keys["&Redo"] == "Ctrl+Shift+Z"
    qtbot.waitUntil(lambda: window.browser.current_id() is not None, timeout=5000)
    started: list[str] = []
    window.runner.started.connect(lambda task: started.append(task.name))
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert "analyze" in started
    # the job fails at once (no such model); its progress bar goes with it
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5000)
