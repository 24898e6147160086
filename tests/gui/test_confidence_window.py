"""The engine's confidences in the window, driven through the real widgets: hover tooltips
in the text and the sidebar, dimming, the sidebar's order box and the browser's sort."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPalette, QTextCharFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from desktop.domain import Article, Attribution, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.domain.names import elide
from desktop.store import repository as repo
from desktop.ui import settings as S
from desktop.ui.annotating_view import AnnotatingView
from desktop.ui.article_table import ArticleTableModel
from desktop.ui.confidence import LOW, certainty, in_words, is_doubtful, percent
from desktop.ui.source_panel import SourcePanel
from desktop.ui.source_tree import SourceTreeModel
from desktop.ui.theme import apply_theme, dimmed_text, doubt_color
from tests.gui.editing_helpers import point_at

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support raise"),  # tooltips, offscreen
]

# a CRLF line end and an emoji before the quotes: every position goes through ViewMap
TEXT = (
    "Rain 😀 fell.\r\n\r\nAnn Lee said the vote was won. "
    'Bo Chan said: "We lost." Someone claimed it was close.\r\n'
)


def span(text: str) -> Span:
    at = TEXT.index(text)
    return Span(at, at + len(text), text)


def quote(text: str, key: str | None, conf: float | None, src: float | None, **kw: Any) -> Quote:
    s = span(text)
    return Quote(
        s.start, s.end, s.text, kw.pop("kind", QuoteKind.INDIRECT), source_key=key,
        confidence=conf, source_confidence=src, **kw,
    )  # fmt: skip


SOURCES = [
    Source("s1", "Ann Lee", "PERSON", "", [span("Ann Lee")]),
    Source("s2", "Bo Chan", "PERSON", "", [span("Bo Chan")]),
]


def article(*quotes: Quote) -> Article:
    return Article("t", TEXT, sources=list(SOURCES), quotes=list(quotes))


NOTHING = "(no tooltip shown)"


def hover(widget: Any, point: QPoint) -> str:
    """Send the tooltip event a resting mouse sends, and read the tooltip it shows ("" when
    it shows none: a hidden tooltip keeps its text a moment, so a marker is put up first)."""
    QToolTip.showText(widget.mapToGlobal(QPoint(0, 0)), NOTHING, widget)
    event = QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point))
    QApplication.sendEvent(widget, event)
    shown = QToolTip.text()
    return "" if shown == NOTHING else shown


# --- the words ------------------------------------------------------------------------


@given(value=st.floats(0.0, 1.0))
def test_a_confidence_in_words_names_its_percent_and_never_overstates(value: float) -> None:
    words = in_words(value)
    shown = int(percent(value).rstrip("%"))
    assert words.endswith(f"({shown}%)")
    assert abs(shown - value * 100) <= 1  # rounding, or 99 / 1 at the ends
    assert (shown == 100) == (value == 1.0) and (shown == 0) == (value == 0.0)
    assert words.startswith(("almost certain", "sure", "fairly sure")) == (value >= LOW)


# --- hover in the text ------------------------------------------------------------------

REASONS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400)
FIGURES = st.none() | st.floats(0.0, 1.0)


@pytest.fixture
def view(qtbot: QtBot) -> AnnotatingView:
    widget = AnnotatingView()
    widget.resize(900, 500)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_hovering_a_quote_says_why_it_is_one_and_why_it_is_its_sources(
    view: AnnotatingView,
) -> None:
    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(conf=FIGURES, src=FIGURES, reason=REASONS, source_reason=REASONS, human=st.booleans())
    def check(
        conf: float | None, src: float | None, reason: str, source_reason: str, human: bool
    ) -> None:
        q = quote(
            "We lost.", "s2", conf, src, kind=QuoteKind.DIRECT, reason=reason,
            source_reason=source_reason, origin=Origin.HUMAN if human else Origin.MODEL,
        )  # fmt: skip
        view.show_article(article(q))
        for index in (q.start, q.end - 1):  # the first and the last letter
            lines = hover(view.viewport(), point_at(view, index)).split("\n")
            assert lines[0] == "Direct quote — Bo Chan", lines
            if human:
                assert lines[1:] == ["Quote and source set by a person"]
            elif conf is None and src is None:
                assert lines[1].startswith("No confidence measured")
            else:
                why = f" — {elide(reason, 300)}" if reason.strip() else ""
                source_why = f" — {elide(source_reason, 300)}" if source_reason.strip() else ""
                if conf is not None:
                    assert f"Quote: {in_words(conf)}{why}" in lines
                if src is not None:
                    assert f"Its source: {in_words(src)}{source_why}" in lines
                assert len(lines) == 1 + (conf is not None) + (src is not None)

    check()


def test_hovering_the_real_example_reads_as_the_issue_wants(view: AnnotatingView) -> None:
    q = quote(
        "the vote was won", "s1", 0.92, 0.78, reason="the clause the cue reports, cue 'said'",
        source_reason="she → Ann Lee: spoke last, 1 paragraph before",
    )  # fmt: skip
    view.show_article(article(q))
    assert hover(view.viewport(), point_at(view, q.start + 4)) == (
        "Indirect quote — Ann Lee\n"
        "Quote: sure (92%) — the clause the cue reports, cue 'said'\n"
        "Its source: fairly sure (78%) — she → Ann Lee: spoke last, 1 paragraph before"
    )
    # a rejected quote (kept for undo, not drawn) is not described
    q.rejected = True
    view.show_article(article(q))
    assert hover(view.viewport(), point_at(view, q.start + 4)) == ""


def test_a_name_that_looks_like_markup_is_shown_as_written(view: AnnotatingView) -> None:
    name = "<b>Bo</b> & <i>Chan</i>"
    text = f"{name} said yes."
    view.show_article(Article("t", text, entities=[Entity(0, len(name), "PERSON", name)]))
    shown = hover(view.viewport(), point_at(view, 2))
    assert shown.startswith("<p") and html.unescape(shown) == (
        f"<p style='white-space:pre-wrap'>PERSON: {name}</p>"
    )


def test_a_doubtful_quote_is_underlined_with_dots_a_sure_one_with_a_line(
    view: AnnotatingView,
) -> None:
    sure = quote("the vote was won", "s1", 0.92, 0.9)
    doubtful = quote("it was close", None, 0.4, None)
    person = quote("We lost.", "s2", 0.1, 0.1, origin=Origin.HUMAN)
    view.show_article(article(sure, doubtful, person))

    def underline(q: Quote) -> Any:
        none = QTextCharFormat.UnderlineStyle.NoUnderline
        (fmt,) = [f for f in view.highlights_at(q.start + 1) if f.underlineStyle() != none]
        return fmt.underlineStyle()

    assert underline(sure).name == "SingleUnderline"
    assert underline(doubtful).name == "DotLine"
    assert underline(person).name == "SingleUnderline"  # a person's quote is never doubted


# --- the sidebar ------------------------------------------------------------------------


def sidebar_article() -> Article:
    return article(
        quote("the vote was won", "s1", 0.95, 0.9),
        quote("We lost.", "s2", 0.5, 0.97, kind=QuoteKind.DIRECT),
        quote("it was close", "s2", 0.99, 0.6),
        quote("fell", None, None, None),
    )


@pytest.fixture
def panel(qtbot: QtBot, settings_file: S.Settings) -> SourcePanel:
    widget = SourcePanel(settings_file)
    widget.resize(420, 400)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def settings_file(tmp_path: Any) -> S.Settings:
    from PySide6.QtCore import QSettings

    return S.Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def rows_of(model: SourceTreeModel) -> list[tuple[str, list[str]]]:
    out = []
    for r in range(model.rowCount()):
        top = model.index(r, 0)
        out.append(
            (top.data(), [model.index(c, 0, top).data() for c in range(model.rowCount(top))])
        )
    return out


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_sidebar_dims_and_marks_doubtful_quotes_readably_in_both_themes(
    qtmodeltester: Any, panel: SourcePanel, theme: str
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    QApplication.processEvents()  # the widgets take the new palette
    try:
        panel.set_article(sidebar_article())
        model = panel.model
        qtmodeltester.check(model)
        palette = QApplication.palette()
        dim, amber = dimmed_text(palette), doubt_color(palette)
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        assert panel.tree.palette().color(QPalette.ColorRole.Base) == base
        assert contrast(dim, base) >= 4.5 and contrast(amber, base) >= 4.5
        assert contrast(dim, base) < contrast(text, base)  # dimmer than the text, still legible
        by_text = {}
        for r in range(model.rowCount()):
            top = model.index(r, 0)
            by_text[top.data()] = top
            for c in range(model.rowCount(top)):
                by_text[model.index(c, 0, top).data()] = model.index(c, 0, top)
        fg = Qt.ItemDataRole.ForegroundRole

        def cell(index: Any, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            return index.siblingAtColumn(column).data(role)

        lost, close, won = by_text["We lost."], by_text["it was close"], by_text["the vote was won"]
        assert cell(lost, 0, SourceTreeModel.DoubtfulRole) and cell(lost, 0, fg) == dim
        assert cell(lost, 1) == "50%" and cell(lost, 1, fg) == amber
        assert cell(lost, 1, Qt.ItemDataRole.DecorationRole) is not None  # the ? indicator
        assert cell(close, 0, fg) == dim and cell(close, 1) == "60%"
        assert not cell(won, 0, SourceTreeModel.DoubtfulRole) and cell(won, 0, fg) is None
        assert cell(won, 1) == "90%" and cell(won, 1, Qt.ItemDataRole.DecorationRole) is None
        # Bo Chan: both quotes doubtful, so the source too; Ann Lee is not
        bo, ann = by_text["Bo Chan (2)"], by_text["Ann Lee (1)"]
        assert cell(bo, 0, SourceTreeModel.DoubtfulRole) and cell(bo, 0, fg) == dim
        assert cell(bo, 1) == "50%"
        assert not cell(ann, 0, SourceTreeModel.DoubtfulRole) and cell(ann, 1) is None
        # a quote analyzed before confidences has no figure and is not dimmed
        fell = by_text["fell"]
        assert cell(fell, 1) is None and not cell(fell, 0, SourceTreeModel.DoubtfulRole)
        # drawn: a doubtful row's strongest text pixel is the dim colour, a sure row's the text's
        dim_reach = abs(dim.lightness() - base.lightness())
        assert abs(reach(panel, lost, base) - dim_reach) <= 4
        assert reach(panel, won, base) > dim_reach + 40
    finally:
        apply_theme(app, "system")


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def reach(panel: SourcePanel, index: Any, base: QColor) -> int:
    """How far from the background the row's text is drawn at its strongest (its icon and
    the figure column left out): the text colour itself, not its anti-aliased edges."""
    panel.tree.clearSelection()
    panel.tree.setCurrentIndex(QModelIndex())
    panel.tree.viewport().repaint()
    image = panel.tree.viewport().grab().toImage()
    rect = panel.tree.visualRect(index)
    scale = image.devicePixelRatio()
    return max(
        abs(image.pixelColor(int(x * scale), int(y * scale)).lightness() - base.lightness())
        for x in range(rect.left() + 26, rect.right() - 4)
        for y in range(rect.top() + 1, rect.bottom())
    )


def test_a_persons_quote_is_certain_and_never_dimmed(panel: SourcePanel) -> None:
    panel.set_article(article(quote("We lost.", "s2", 0.1, 0.1, origin=Origin.HUMAN)))
    model = panel.model
    source = model.index(0, 0)
    row = model.index(0, 0, source)
    assert (
        not row.data(SourceTreeModel.DoubtfulRole)
        and row.data(Qt.ItemDataRole.ForegroundRole) is None
    )
    assert row.data(SourceTreeModel.CertaintyRole) == 1.0
    assert row.siblingAtColumn(1).data() is None  # a person icon, no figure
    assert row.siblingAtColumn(1).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "set by a person" in row.data(Qt.ItemDataRole.ToolTipRole)
    assert "Every quote set by a person" in source.data(Qt.ItemDataRole.ToolTipRole)


def test_hovering_a_quote_in_the_sidebar_explains_it(panel: SourcePanel) -> None:
    panel.set_article(
        article(
            quote(
                "We lost.",
                "s2",
                0.5,
                0.97,
                kind=QuoteKind.DIRECT,
                reason="inside marks",
                source_reason="“Bo Chan” names Bo Chan",
            ),
        )  # fmt: skip
    )
    row = panel.model.index(0, 0, panel.model.index(0, 0))
    for column in (0, 1):
        point = panel.tree.visualRect(row.siblingAtColumn(column)).center()
        shown = hover(panel.tree.viewport(), point)
        assert "Quote: unsure (50%) — inside marks" in shown
        assert "Its source: almost certain (97%) — “Bo Chan” names Bo Chan" in shown
    source_point = panel.tree.visualRect(panel.model.index(0, 0)).center()
    assert "1 of 1 doubtful; the least certain: unsure (50%)" in hover(
        panel.tree.viewport(), source_point
    )


def test_a_source_named_like_markup_is_shown_as_written_in_the_sidebar(panel: SourcePanel) -> None:
    named = Article("t", TEXT, sources=[Source("s1", "<b>Bo</b> Chan", "PERSON")],
                    quotes=[quote("We lost.", "s1", 0.9, 0.9, kind=QuoteKind.DIRECT)])  # fmt: skip
    panel.set_article(named)
    tip = hover(panel.tree.viewport(), panel.tree.visualRect(panel.model.index(0, 0)).center())
    assert tip.startswith("<p") and "&lt;b&gt;Bo&lt;/b&gt; Chan" in tip


def test_the_order_box_puts_the_least_certain_first_and_is_remembered(
    qtbot: QtBot, qtmodeltester: Any, panel: SourcePanel, settings_file: S.Settings
) -> None:
    panel.set_article(sidebar_article())
    assert rows_of(panel.model)[0] == ("Bo Chan (2)", ["We lost.", "it was close"])
    # pick a quote, then change the order with the keyboard like a person
    panel.select_quote(2)
    panel.order_box.setFocus()
    qtbot.keyClick(panel.order_box, Qt.Key.Key_Down)
    assert panel.order_box.currentText() == "Least certain first"
    assert settings_file.get(S.QUOTE_ORDER) == "confidence"
    qtmodeltester.check(panel.model)
    groups = dict(rows_of(panel.model))
    assert groups["Bo Chan (2)"] == ["We lost.", "it was close"]  # 50% before 60%
    assert panel.tree.currentIndex().data(SourceTreeModel.QuoteRole) == 2  # still selected
    # the same comes back in a new sidebar with the same settings
    again = SourcePanel(settings_file)
    qtbot.addWidget(again)
    assert again.order_box.currentData() == "confidence" and again.model.order == "confidence"
    # next/previous quote follows the order shown
    panel.select_quote(1)
    panel.step_quote(1)
    assert panel.tree.currentIndex().data(SourceTreeModel.QuoteRole) == 2
    qtbot.keyClick(panel.order_box, Qt.Key.Key_Up)
    assert settings_file.get(S.QUOTE_ORDER) == "position"


KEYS = ["s1", "s2", None]


@given(
    figures=st.lists(
        st.tuples(st.integers(0, 2), FIGURES, FIGURES, st.booleans()), min_size=1, max_size=12
    )
)
@settings(max_examples=60, deadline=None, derandomize=True)
def test_least_certain_first_orders_any_quotes_within_their_source(
    figures: list[tuple[int, float | None, float | None, bool]],
) -> None:
    words = TEXT.split()
    quotes = []
    at = 0
    for n, (who, conf, src, human) in enumerate(figures):
        start = TEXT.index(words[n % len(words)], at) if n < len(words) else n
        quotes.append(
            Quote(
                start,
                start + 1,
                TEXT[start],
                QuoteKind.INDIRECT,
                source_key=KEYS[who],
                origin=Origin.HUMAN if human else Origin.MODEL,
                confidence=conf,
                source_confidence=src,
            )  # fmt: skip
        )
        at = start
    model = SourceTreeModel()
    model.set_order("confidence")
    model.set_article(Article("t", TEXT, sources=list(SOURCES), quotes=quotes))
    for r in range(model.rowCount()):
        top = model.index(r, 0)
        shown = [
            model.index(c, 0, top).data(SourceTreeModel.CertaintyRole)
            for c in range(model.rowCount(top))
        ]
        known = [f for f in shown if f is not None]
        assert known == sorted(known)  # least certain first
        assert shown == known + [None] * (len(shown) - len(known))  # no figure: last


# --- the browser ------------------------------------------------------------------------


def seed(db: Any, figures: list[tuple[float | None, float | None] | None]) -> list[int]:
    """One analyzed article per entry: a quote with these confidences and a sure one (90%);
    None: an article with no quotes."""
    ids = []
    with db.transaction() as s:
        coll = repo.collection(s, "news")
        for n, figure in enumerate(figures):
            aid = repo.add_article(s, coll, Article(f"a{n}", TEXT, title=f"Story {n}"))
            assert aid is not None
            quotes = [] if figure is None else [
                quote("the vote was won", "s1", *figure), quote("We lost.", "s2", 0.9, 0.95)
            ]  # fmt: skip
            repo.apply_model_analysis(s, aid, [], Attribution(quotes, list(SOURCES)), "m", "1")
            ids.append(aid)
    return ids


def test_the_browser_lists_the_least_certain_first_from_a_header_click(
    qtbot: QtBot, qtmodeltester: Any, db: Any, make_window: Any
) -> None:
    ids = seed(db, [(0.95, 0.92), None, (0.3, 0.9), (None, None), (0.99, 0.6)])
    window = make_window(add_sample=False)
    window.resize(1300, 800)
    window.show()
    browser, model = window.browser, window.browser.model
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=10000)
    qtmodeltester.check(model)
    header = browser.view.horizontalHeader()
    x = header.sectionViewportPosition(ArticleTableModel.LOWEST) + 10
    with qtbot.waitSignal(model.loaded, timeout=10000):
        QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert model.query.sort == "confidence" and not model.query.descending

    def listed() -> list[int]:
        return [model.index(r, 0).data(ArticleTableModel.ArticleIdRole) for r in range(5)]

    # 30%, 60%, then the two whose least certain quote is the sure one (90%), then none
    assert listed() == [ids[2], ids[4], ids[0], ids[3], ids[1]]
    figures = [model.index(r, ArticleTableModel.LOWEST).data() for r in range(5)]
    assert figures == ["30%", "60%", "90%", "90%", ""]
    amber = doubt_color(QApplication.palette())
    assert model.index(0, ArticleTableModel.LOWEST).data(Qt.ItemDataRole.ForegroundRole) == amber
    assert model.index(2, ArticleTableModel.LOWEST).data(Qt.ItemDataRole.ForegroundRole) is None
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "least certain quote: doubtful (30%)" in tip
    # a person's correction makes that quote certain: the row follows at once
    browser.select(ids[2])
    qtbot.waitUntil(
        lambda: window.shown is not None and window.shown.title == "Story 2", timeout=10000
    )
    doubtful = next(i for i, q in enumerate(window.shown.quotes) if q.confidence == 0.3)
    panel = window.sources
    panel.select_quote(doubtful)
    menu = panel.build_menu(panel.model.index_of_quote(doubtful))
    kinds = next(a for a in menu.actions() if a.text() == "Kind")
    direct = next(a for a in kinds.menu().actions() if a.text() == "Direct")
    with qtbot.waitSignal(window.edits.saved, timeout=10000):
        direct.trigger()
    assert model.index(model.row_of(ids[2]), ArticleTableModel.LOWEST).data() == "90%"
    with qtbot.waitSignal(model.loaded, timeout=10000):
        browser.reload()
    assert listed() == [ids[4], ids[0], ids[2], ids[3], ids[1]]  # stored by the triggers


# --- the sample article, analyzed by the real pipeline: the picture in docs/ ------------

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_sample_article_explains_its_least_certain_quote_on_hover(
    qtbot: QtBot, make_window: Any, tmp_path: Path
) -> None:
    """The window on the analyzed sample: hovering its least certain quote in the text
    explains it; the sidebar dims exactly the doubtful quotes. The picture (window and
    tooltip) is docs/confidence.png (QUOTEDESK_SAVE_SCREENSHOTS=1 refreshes it)."""
    window = make_window()
    window.resize(1300, 820)
    window.show()
    with qtbot.waitSignal(window.article_shown, timeout=120000):
        pass
    qtbot.waitUntil(lambda: window.shown is not None and bool(window.shown.quotes))
    article, view, model = window.shown, window.article_view, window.sources.model
    live = [i for i, q in enumerate(article.quotes) if not q.rejected]
    assert all(article.quotes[i].confidence is not None for i in live)  # the engine's figures
    for i in live:
        row = model.index_of_quote(i)
        assert row.data(SourceTreeModel.DoubtfulRole) == is_doubtful(article.quotes[i])
    least = min(live, key=lambda i: certainty(article.quotes[i]) or 0.0)
    q = article.quotes[least]
    bar = view.verticalScrollBar()
    bar.setValue(view.cursorRect(view.cursor_over(q.start, q.start)).top() - 120)
    point = point_at(view, q.start + 3)
    shown = hover(view.viewport(), point)
    assert shown.startswith(f"{q.kind.capitalize()} quote — ")
    assert f"Quote: {in_words(q.confidence or 0.0)}" in shown
    if q.source_confidence is not None:
        assert f"Its source: {in_words(q.source_confidence)}" in shown
    (tip,) = [
        w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel") and w.isVisible()
    ]
    qtbot.wait(300)  # the legend and the sidebar settle before the picture
    picture = window.grab().toImage()
    painter = QPainter(picture)
    # where Qt puts a tooltip on a screen large enough (offscreen, the screen is small)
    painter.drawPixmap(view.viewport().mapTo(window, point) + QPoint(2, 16), tip.grab())
    painter.end()
    shot = tmp_path / "confidence.png"
    assert picture.save(str(shot)) and shot.stat().st_size > 50000
    if os.environ.get("QUOTEDESK_SAVE_SCREENSHOTS"):  # to refresh docs/confidence.png
        (REPO / "docs" / "confidence.png").write_bytes(shot.read_bytes())
