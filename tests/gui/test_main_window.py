from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop.store.repository import ArticleSummary
from desktop.ui.article_list import ArticleListModel
from desktop.ui.colors import label_color

pytestmark = pytest.mark.gui


def summary(n: int) -> ArticleSummary:
    return ArticleSummary(n, f"ext-{n}", f"Title {n}", "unreviewed", "default", n % 2 == 0, n, 0, 0)


def test_article_list_model_passes_modeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ArticleListModel()
    model.set_rows([summary(n) for n in range(5)])
    qtmodeltester.check(model)
    assert model.data(model.index(2), ArticleListModel.ArticleIdRole) == 2
    assert model.row_of(4) == 4 and model.row_of(99) == -1


def test_empty_database_says_how_to_start(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    qtbot.waitUntil(lambda: "No articles yet" in window.article_view.toPlainText(), timeout=5000)
    assert window.articles.rowCount() == 0


def test_unknown_article_id_is_reported(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window(add_sample=False)
    with qtbot.waitSignal(window.failed, timeout=5000) as blocker:
        window.open_external("no-such-article")
    assert "no-such-article" in blocker.args[0]


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
    assert window.articles.data(window.articles.index(0)) == "Council approves budget"
    assert window.article_view.article is not None
    assert window.article_view.article.quotes, "the mayor's statement was not found"


def test_geometry_and_last_article_persist(qtbot, make_window, settings) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import settings as S

    window = make_window(add_sample=False)
    window.show()
    window.resize(700, 500)
    window.close()
    assert not settings.get(S.WINDOW_GEOMETRY).isEmpty()
    again = make_window(add_sample=False)
    again.show()
    assert (again.width(), again.height()) == (700, 500)
