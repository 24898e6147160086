"""Store offsets and the text view's positions agree for any text (issue 18, item 2).

The store counts code points; the view (a QTextBrowser) counts UTF-16 units and shows every
line end as one block separator. These tests check ``ViewMap`` against Qt itself: a real
``AnnotatingView`` with its real document, highlighter and mouse selection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QTextCursor, QTextDocument, QTextLine
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from desktop.domain import Article, Entity, Quote, QuoteKind
from desktop.domain.offsets import qt_safe
from desktop.services import importing
from desktop.store import Database
from desktop.store import repository as repo
from desktop.ui.annotating_view import AnnotatingView
from tests.gui.editing_helpers import drag_positions, point_at_position

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

    MakeWindow = Callable[..., MainWindow]

pytestmark = pytest.mark.gui

# every line-end form, and the characters that are more than one UTF-16 unit or more than
# one code point per visible character
PIECES = [
    "\r\n", "\r", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e",
    "\r\n\r\n", "\n\r", "\r\r\n", "😀", "🇺🇳", "👩\u200d👩\u200d👧", "e\u0301", "\u0301",
    "𝔘", "\u00a0", "\t", "\ufdd0", "\ufffe", "\ufeff", "\ud800", "word", " ", "Ann Lee",
]  # fmt: skip
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), max_size=40).map(
    "".join
)
# what the view must show for a stored text, written independently of ViewMap
_LINE_END = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_UNSHOWABLE = re.compile("[\ufdd0\ufdd1\ufffe\ud800-\udfff]")
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def shown(text: str, at_start: bool = False) -> str:
    """What the view shows for ``text`` (``at_start``: it begins the article, where a
    byte-order mark shows as a word joiner: Qt would drop it)."""
    if at_start and text.startswith("\ufeff"):
        text = "\u2060" + text[1:]
    return _UNSHOWABLE.sub("\ufffd", _LINE_END.sub("\n", text))


def inside_line_end(text: str, index: int) -> bool:
    """Between the \\r and the \\n of one line end: no view position of its own."""
    return 0 < index < len(text) and text[index - 1 : index + 1] == "\r\n"


def view_text(view: AnnotatingView, first: int, last: int) -> str:
    cursor = QTextCursor(view.document())
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


@pytest.fixture
def view(qtbot: QtBot) -> AnnotatingView:
    widget = AnnotatingView()
    widget.resize(500, 400)
    qtbot.addWidget(widget)
    return widget


def test_store_to_view_to_store_is_the_identity_for_any_text_and_span(view: AnnotatingView) -> None:
    @FAST
    @given(text=TEXTS, data=st.data())
    def check(text: str, data: st.DataObject) -> None:
        view.show_article(Article("t", text))
        offsets = view.offsets
        document = view.document()
        # the document holds exactly the positions the map counts
        assert document.characterCount() - 1 == offsets.view_length
        for index in range(len(text) + 1):
            if inside_line_end(text, index):
                # half a line end: a start moves back over it, an end forward
                assert offsets.to_store(offsets.to_view(index)) == index - 1
                assert offsets.to_store(offsets.to_view(index, end=True), end=True) == index + 1
                continue
            assert offsets.to_store(offsets.to_view(index)) == index
            assert offsets.to_store(offsets.to_view(index, end=True), end=True) == index
        start = data.draw(st.integers(0, len(text)), "start")
        end = data.draw(st.integers(start, len(text)), "end")
        first, last = offsets.view_span(start, end)
        if not inside_line_end(text, start) and not inside_line_end(text, end):
            assert offsets.store_span(first, last) == (start, end)
            assert view_text(view, first, last) == shown(text[start:end], start == 0)
        else:  # the whole line end is in the span
            wide_start = start - inside_line_end(text, start)
            wide_end = end + inside_line_end(text, end)
            assert view_text(view, first, last) == shown(text[wide_start:wide_end], wide_start == 0)

    check()


def test_every_view_position_maps_to_the_character_qt_shows_there(view: AnnotatingView) -> None:
    @FAST
    @given(text=TEXTS)
    def check(text: str) -> None:
        view.show_article(Article("t", text))
        offsets = view.offsets
        for position in range(offsets.view_length + 1):
            start = offsets.to_store(position)
            end = offsets.to_store(position + 1, end=True)
            # the code points behind one view unit are what Qt shows there (a line end
            # is one separator; an emoji's two units both map to the emoji)
            assert start < end or position == offsets.view_length
            first, last = offsets.view_span(start, end)
            assert first <= position < last or position == offsets.view_length
            assert view_text(view, first, last) == shown(text[start:end], start == 0)

    check()


def _covered(view: AnnotatingView, wanted: str) -> set[int]:
    """View positions whose highlighter formats have a background (``wanted`` =
    "background") or an underline, read from each block's QTextLayout."""
    found: set[int] = set()
    block = view.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            fmt = r.format
            hit = (
                fmt.background().style() != Qt.BrushStyle.NoBrush
                if wanted == "background"
                else fmt.underlineStyle() != fmt.UnderlineStyle.NoUnderline
            )
            if hit:
                found.update(
                    range(block.position() + r.start, block.position() + r.start + r.length)
                )
        block = block.next()
    return found


def _expected(view: AnnotatingView, spans: list[tuple[int, int]]) -> set[int]:
    """The view positions of the spans' characters, without block separators."""
    text = view.document().toRawText()
    units: list[str] = []
    for ch in text:  # the document's own characters, one entry per UTF-16 unit
        units.extend([ch] * (2 if ord(ch) > 0xFFFF else 1))
    positions: set[int] = set()
    for start, end in spans:
        first, last = view.offsets.view_span(start, end)
        positions.update(p for p in range(first, last) if units[p] != "\u2029")
    return positions


def test_highlights_cover_exactly_the_characters_of_entities_and_quotes(
    view: AnnotatingView,
) -> None:
    @FAST
    @given(text=TEXTS.filter(bool), data=st.data())
    def check(text: str, data: st.DataObject) -> None:
        n = len(text)
        spans = st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda s: s[0] < s[1])
        ents = data.draw(st.lists(spans, max_size=4), "entities")
        quotes = data.draw(st.lists(spans, max_size=2), "quotes")
        article = Article(
            "t",
            text,
            entities=[Entity(s, e, "PERSON", text[s:e]) for s, e in ents],
            quotes=[Quote(s, e, text[s:e], QuoteKind.INDIRECT) for s, e in quotes],
        )
        view.show_message("")  # a new text: every block is formatted afresh
        view.show_article(article)
        assert _covered(view, "background") == _expected(view, ents)
        assert _covered(view, "underline") == _expected(view, quotes)

    check()


def test_a_highlight_at_the_end_of_a_paragraph_after_emoji_reaches_its_last_letter(
    view: AnnotatingView,
) -> None:
    text = "Fans 😀😀😀 cheered for Ann Lee\r\nThe end 🎉 came for Bo Chan"
    names = [(text.index(w), text.index(w) + len(w)) for w in ("Ann Lee", "Bo Chan")]
    view.show_article(
        Article("t", text, entities=[Entity(s, e, "PERSON", text[s:e]) for s, e in names])
    )
    for start, end in names:
        for index in range(start, end):
            assert any(
                f.background().style() != Qt.BrushStyle.NoBrush for f in view.highlights_at(index)
            ), (text[index], index)
        if end < len(text):
            assert not any(
                f.background().style() != Qt.BrushStyle.NoBrush for f in view.highlights_at(end)
            )


def test_what_a_user_copies_from_a_crlf_article_has_one_line_break_per_line_end(
    view: AnnotatingView,
) -> None:
    text = "First line 😀.\r\nSecond\u2028third\x85fourth\r\n\r\nlast"
    view.show_article(Article("t", text))
    view.selectAll()
    view.copy()
    assert QApplication.clipboard().text() == "First line 😀.\nSecond\nthird\nfourth\n\nlast"


CRLF_ARTICLE = (
    "The vote is over 🗳️.\r\n"
    "It was close 😀 and the party 🎉 lost by a hair.\r\n"
    "\r\n"
    "The end came at night 🌙, said Ann Lee.\r\n"
)


@pytest.mark.parametrize("word", ["end", "Lee", "party", "hair"])
def test_a_word_selected_with_the_mouse_in_a_crlf_article_is_labelled_on_that_word(
    qtbot: QtBot, tmp_path: Path, db: Database, make_window: MakeWindow, word: str
) -> None:
    source = tmp_path / "story.txt"
    source.write_bytes(CRLF_ARTICLE.encode("utf-8"))
    report = importing.import_paths(db, [source])
    assert report.added == 1, report.errors
    aid = report.article_ids[0]
    with db.session() as s:
        stored = repo.load_article(s, aid).text
    assert "\r\n" in stored  # imported as it is: the store keeps the CRLFs
    window = make_window(add_sample=False)
    window.resize(1000, 700)
    window.show()
    qtbot.waitUntil(lambda: window.shown is not None, timeout=10000)
    view = window.article_view
    # find the word the way a user sees it: in the view, by the view's own positions
    found = view.document().find(word, 0, QTextDocument.FindFlag.FindWholeWords)
    assert not found.isNull()
    drag_positions(view, found.selectionStart(), found.selectionEnd())
    assert view.textCursor().selectedText() == word
    with qtbot.waitSignal(window.edits.saved, timeout=5000):
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_1)  # type: ignore[no-untyped-call]
    with db.session() as s:
        saved = repo.load_article(s, aid)
    labelled = [(stored[e.start : e.end], e.label) for e in saved.entities if not e.rejected]
    assert labelled == [(word, "PERSON")]
    assert stored.index(word) == saved.entities[0].start
    # and the highlight sits on that word in the view
    assert view.offsets.view_span(saved.entities[0].start, saved.entities[0].end) == (
        found.selectionStart(),
        found.selectionEnd(),
    )


# --- the mouse: hover tooltips and the context menu name the character under it -----------

LTR_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(["\r\n", "\r", "\u2028", "\x85", "😀", "👍🏽", "e\u0301", "𝔘", "Ann", " "]),
        st.characters(min_codepoint=0x21, max_codepoint=0x24F),
    ),
    max_size=30,
).map("".join)


def _x(line: QTextLine, position: int) -> float:
    answer: Any = line.cursorToX(position)  # PySide6 answers (x, position)
    return float(answer[0])


def _clusters(view: AnnotatingView) -> list[tuple[int, int, QPoint]]:
    """Each visible character cluster: its view span and the viewport point at its middle."""
    found = []
    block = view.document().firstBlock()
    scroll = QPointF(view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    while block.isValid():
        layout = block.layout()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            pos = line.textStart()
            while pos < line.textStart() + line.textLength():
                nxt = layout.nextCursorPosition(pos)
                left, right = _x(line, pos), _x(line, nxt)
                if nxt > pos and right - left >= 2 and pos < block.length() - 1:
                    middle = QPointF((left + right) / 2, line.y() + line.height() / 2)
                    point = (middle + layout.position() - scroll).toPoint()
                    found.append((block.position() + pos, block.position() + nxt, point))
                pos = max(nxt, pos + 1)
        block = block.next()
    return found


def test_the_character_under_the_mouse_is_the_one_hovered_for_any_text(qtbot: QtBot) -> None:
    view = AnnotatingView()
    view.resize(900, 1400)
    qtbot.addWidget(view)
    view.show()

    @FAST
    @given(text=LTR_TEXTS)
    def check(text: str) -> None:
        view.show_article(Article("t", text))
        offsets = view.offsets
        for first, last, point in _clusters(view):
            index = view.index_at(point)
            assert index is not None
            assert offsets.store_span(first, last) == (index, offsets.to_store(last, end=True))

    check()
    # a flag is two code points that Qt hit-tests as one: anywhere on it is on the flag
    text = "UN 🇺🇳 flag"
    view.show_article(Article("t", text))
    on_flag = [
        view.index_at(point)
        for first, last, point in _clusters(view)
        if view.offsets.to_view(3) <= first and last <= view.offsets.to_view(5)
    ]
    assert on_flag and set(on_flag) <= {3, 4}


def test_hovering_right_to_left_words_names_the_word_under_the_mouse(view: AnnotatingView) -> None:
    text = "Ann Lee met שלום עולם in Lima.\r\nמשה כהן 😀 spoke.\r\n"
    view.show_article(Article("t", text))
    view.show()
    for word in ("שלום", "עולם", "משה", "כהן", "Lima"):
        start = text.index(word)
        first, last = view.offsets.view_span(start, start + len(word))
        block = view.document().findBlock(first)
        line = block.layout().lineForTextPosition(first - block.position())
        # positions inside the word only: at a change of direction the x is ambiguous
        xs = [_x(line, p - block.position()) for p in range(first + 1, last)]
        middle = QPointF((min(xs) + max(xs)) / 2, line.y() + line.height() / 2)
        point = (middle + block.layout().position()).toPoint()
        index = view.index_at(point)
        assert index is not None and start <= index < start + len(word), (word, index)


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_hovering_a_name_in_a_crlf_article_with_emoji_tells_what_it_is(
    view: AnnotatingView,
) -> None:
    text = "Rain 😀 fell on Quito.\r\n\r\nThen 🎉🎉 Ann Lee spoke.\r\n"
    names = {"Ann Lee": "PERSON", "Quito": "GPE"}
    ents = [(text.index(w), text.index(w) + len(w), label) for w, label in names.items()]
    view.show_article(
        Article("t", text, entities=[Entity(s, e, label, text[s:e]) for s, e, label in ents])
    )
    view.show()
    for start, end, label in ents * 2:
        for index in (start, end - 1):  # the first and the last letter
            point = point_at_position(view, view.offsets.to_view(index))
            event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
            QApplication.sendEvent(view.viewport(), event)
            assert QToolTip.text() == f"{label}: {text[start:end]}"


@pytest.mark.qt_log_ignore(  # a popup menu, offscreen
    "This plugin does not support raise", "This plugin does not support grabbing"
)
def test_a_right_click_on_an_entity_offers_that_entity(qtbot: QtBot, view: AnnotatingView) -> None:
    text = "Rain 😀 fell on Quito.\r\nLater 🎉 Bo Chan and Ann Lee spoke.\r\n"
    ents = [(text.index(w), text.index(w) + len(w)) for w in ("Quito", "Bo Chan", "Ann Lee")]
    view.show_article(
        Article("t", text, entities=[Entity(s, e, "PERSON", text[s:e]) for s, e in ents])
    )
    view.show()
    for start, end in ents:
        cursor = QTextCursor(view.document())
        cursor.setPosition(0)
        view.setTextCursor(cursor)  # no selection, the cursor elsewhere
        # the right half of the entity's last letter: the nearest gap is after the entity
        left = point_at_position(view, view.offsets.to_view(end - 1))
        right = point_at_position(view, view.offsets.to_view(end))
        point = QPoint((left.x() + right.x()) // 2 + 1, left.y())
        seen: list[str] = []

        def read_menu(seen: list[str] = seen) -> None:
            menu = QApplication.activePopupWidget()
            if menu is None:
                QTimer.singleShot(10, read_menu)
                return
            seen.extend(a.text() for a in menu.actions())
            menu.close()

        QTimer.singleShot(0, read_menu)
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)
        )
        QApplication.sendEvent(view.viewport(), event)
        qtbot.waitUntil(lambda: bool(seen), timeout=3000)  # noqa: B023
        assert f"Delete entity “{text[start:end]}”\tDel" in seen


# --- short texts given to Qt: titles, names ------------------------------------------------


def test_any_short_text_goes_through_qt_unchanged_once_made_safe(qtbot: QtBot) -> None:
    from PySide6.QtGui import QStandardItem

    @FAST
    @given(head=st.sampled_from(["", "\ufeff", "\ufffe", "\ud800"]), text=TEXTS)
    def check(head: str, text: str) -> None:
        safe = qt_safe(head + text)
        assert len(safe) == len(head + text)  # one character for one: offsets still hold
        assert QStandardItem(safe).text() == safe  # what Qt shows is what was meant

    check()


def test_a_title_starting_with_a_reversed_byte_order_mark_is_listed_readably(
    qtbot: QtBot, db: Database
) -> None:
    from desktop.services import library
    from desktop.ui.browser import ArticleBrowser

    with db.transaction() as s:
        repo.add_article(s, repo.collection(s), Article("t1", "Rain fell.", "\ufffeAnn Lee"))
    browser = ArticleBrowser(lambda q, o, n, deliver: deliver(*library.browse_page(db, q, o, n)))
    qtbot.addWidget(browser)
    browser.reload()
    index = browser.model.index(0, 0)
    assert index.data() == "\ufffdAnn Lee"  # through Qt: not byte-swapped into "䄀渀渀…"
    assert "\ufffdAnn Lee" in index.data(Qt.ItemDataRole.ToolTipRole)
