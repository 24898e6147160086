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
