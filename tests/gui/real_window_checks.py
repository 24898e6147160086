"""Checks that need a real X server; run by test_real_window.py under Xvfb (xcb).

Not collected on its own (the file name does not start with ``test_``).
"""

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.skipif(
    os.environ.get("QT_QPA_PLATFORM") != "xcb", reason="needs the xcb platform under Xvfb"
)

SHOTS = Path(os.environ.get("QUOTEDESK_SHOTS", "tests/screenshots"))


def test_selecting_a_quote_scrolls_and_highlights_it(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.colors import focus_color

    window = make_window()
    window.resize(1300, 820)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitSignal(window.article_shown, timeout=120000):
        pass
    assert window.windowHandle().isExposed()
    view = window.article_view
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0

    # the last quote in the sidebar's order is far down the article
    tree = window.sources.tree
    model = window.sources.model
    last = model.quote_order()[-1]
    quote = view.article.quotes[last]
    index = model.index_of_quote(last)
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: view.focused_quote == last, timeout=5000)
    assert bar.value() > 0, "the article did not scroll to the quote"
    cursor_rect = view.cursorRect()
    assert view.viewport().rect().contains(cursor_rect.center())
    colours = {f.background().color().name() for f in view.highlights_at(quote.start + 1)}
    assert focus_color(False, False).name() in colours
    if quote.speaker is not None:
        strong = {f.background().color().name() for f in view.highlights_at(quote.speaker.start)}
        assert focus_color(False, True).name() in strong
    qtbot.wait(300)  # let the X server receive the repaint before grabbing it
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.screen().grabWindow(window.winId()).save(str(SHOTS / "quote-selected-xvfb.png"))


def test_editor_menus_look_right(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """Screenshots of the editor in use: a selection with its label menu; a source merge."""
    window = make_window()
    window.resize(1300, 820)
    window.move(0, 0)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitSignal(window.article_shown, timeout=120000):
        pass
    view = window.article_view
    text = view.toPlainText()
    start = text.index("Sergei Shoigu traveled")
    view.select_span(start, start + len("Sergei Shoigu"))
    menu = view.build_menu()
    rect = view.cursorRect()
    menu.popup(view.viewport().mapToGlobal(rect.bottomRight()))
    qtbot.waitExposed(menu)
    label_menu = next(a for a in menu.actions() if a.text() == "Label as").menu()
    menu.setActiveAction(menu.actions()[0])
    label_menu.popup(menu.mapToGlobal(menu.actionGeometry(menu.actions()[0]).topRight()))
    qtbot.waitExposed(label_menu)
    qtbot.wait(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.screen().grabWindow(0).save(str(SHOTS / "editor-label-menu-xvfb.png"))
    assert any(a.text().startswith("PERSON") for a in label_menu.actions())
    label_menu.close()
    menu.close()

    panel, model = window.sources, window.sources.model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    row = next(r for r, n in enumerate(names) if n.startswith("United States ("))
    index = model.index(row, 0)
    panel.tree.setCurrentIndex(index)
    source_menu = panel.build_menu(index)
    source_menu.popup(panel.tree.viewport().mapToGlobal(panel.tree.visualRect(index).center()))
    qtbot.waitExposed(source_menu)
    merge = next(a for a in source_menu.actions() if a.text() == "Merge into")
    source_menu.setActiveAction(merge)
    merge.menu().popup(source_menu.mapToGlobal(source_menu.actionGeometry(merge).topLeft()))
    qtbot.waitExposed(merge.menu())
    qtbot.wait(300)
    window.screen().grabWindow(0).save(str(SHOTS / "editor-merge-menu-xvfb.png"))
    assert merge.menu().actions()
    merge.menu().close()
    source_menu.close()
