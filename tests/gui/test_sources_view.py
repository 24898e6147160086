"""The sources index and the concordance on the real window, a real database and our own
articles that quote the same people under different forms (``records_helpers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.domain.people import ArticleFilter
from desktop.services import library, sources
from desktop.ui import record_table
from desktop.ui.concordance import ConcordanceModel
from desktop.ui.record_dialogs import SplitDialog, TextDialog
from desktop.ui.record_filter import parse_day
from desktop.ui.record_table import RecordTableModel
from tests.gui.records_helpers import COLLECTION, fill, shown_window

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path) -> Any:
    fill(db, tmp_path)
    return shown_window(make_window)


def open_index(window: Any) -> Any:
    window.rooms.setCurrentWidget(window.collection_views.sources_view)
    return window.collection_views.sources_view


def listed(view: Any) -> list[tuple[str, int, int, int]]:
    model = view.model
    return [
        (s.person.name, s.quotes, s.articles, s.outlets)
        for s in (model.summary(r) for r in range(model.rowCount()))
        if s is not None
    ]


def service_rows(db: Any, f: ArticleFilter | None = None, search: str = "") -> list[Any]:
    f = f or ArticleFilter()
    page = sources.record_page(db, f, search, "quotes", True, 0, 1000)
    return [(s.person.name, s.quotes, s.articles, s.outlets) for s in page.rows]


def row_of(view: Any, name: str) -> int:
    return next(
        r for r in range(view.model.rowCount()) if view.model.summary(r).person.name == name
    )


def accept_with(window: Any, fill_in: Any) -> None:
    """Dialogs answer at once: ``fill_in(dialog)`` then OK (as a person would)."""

    def ask(dialog: QDialog) -> bool:
        fill_in(dialog)
        return True

    window.ask = ask
    window.collection_views.sources_view.ask = ask


def test_the_models_are_sound(qtmodeltester: Any, qtbot: Any, window: Any) -> None:
    view = open_index(window)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4)
    qtmodeltester.check(view.model)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.concordance.model.rowCount() == 4)
    qtmodeltester.check(view.concordance.model)
    qtmodeltester.check(ConcordanceModel())


def test_the_index_shows_the_services_numbers_for_any_filter(window: Any, db: Any) -> None:
    view = open_index(window)
    assert listed(view) == service_rows(db)
    assert listed(view)[0] == ("Maria Lopez", 4, 3, 2)  # "Lopez" in bridge-2 is hers
    assert view.count_label.text() == "4 sources"
    bar = view.filter_bar
    bar.outlet_box.setCurrentIndex(bar.outlet_box.findData("Evening Star"))
    expected = service_rows(db, ArticleFilter(outlet="Evening Star"))
    assert listed(view) == expected and ("Tom Reed", 2, 2, 1) in expected
    bar.date_from.setText("2026-11-10")
    bar.apply()  # as the pause after typing does
    assert listed(view) == [("Tom Reed", 1, 1, 1)]
    assert window.collection_views.state.filter.date_from == "2026-11-10"


def test_a_date_that_is_no_date_is_named_and_ignored(window: Any) -> None:
    view = open_index(window)
    bar = view.filter_bar
    bar.date_to.setText("2026-13")
    bar.apply()
    assert "2026-13" in bar.date_to.toolTip() and "not" in bar.date_to.toolTip()
    assert window.collection_views.state.filter.date_to is None
    assert view.model.rowCount() == 4  # nothing lost: the range is open at that end
    bar.date_to.setText("2026-10")
    bar.apply()
    assert bar.date_to.toolTip() == ""
    assert window.collection_views.state.filter.date_to == "2026-10-31"
    bar.date_from.setText("2026-11")  # after the end: said, and nothing listed
    bar.apply()
    assert "before it starts" in bar.date_from.toolTip() == bar.date_to.toolTip()
    assert view.model.rowCount() == 0


@given(
    year=st.integers(1, 9999),
    month=st.one_of(st.none(), st.integers(0, 14)),
    day=st.one_of(st.none(), st.integers(0, 33)),
)
def test_a_typed_date_is_a_calendar_day_or_refused(
    year: int, month: int | None, day: int | None
) -> None:
    import calendar
    from datetime import date

    text = f"{year:04d}" + (f"-{month}" if month is not None else "")
    text += f"-{day}" if day is not None and month is not None else ""
    valid_month = month is None or 1 <= month <= 12
    valid_day = (
        day is None
        or month is None
        or (valid_month and 1 <= day <= calendar.monthrange(year, month or 1)[1])
    )
    if not (valid_month and valid_day):
        with pytest.raises(ValueError, match="not a"):
            parse_day(text, False)
        return
    first, last = parse_day(text, False), parse_day(text, True)
    assert first is not None and last is not None
    assert date.fromisoformat(first) <= date.fromisoformat(last)
    assert first.startswith(f"{year:04d}") and last.startswith(f"{year:04d}")


def test_search_as_you_type_matches_names_and_aliases(qtbot: QtBot, window: Any) -> None:
    view = open_index(window)
    qtbot.keyClicks(view.search, "reed")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=3000)
    assert listed(view)[0][0] == "Tom Reed"
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=3000)


def test_headers_sort_in_the_database(window: Any, db: Any) -> None:
    view = open_index(window)
    view.table.sortByColumn(RecordTableModel.NAME, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in listed(view)] == ["Anna Berg", "City Council", "Maria Lopez", "Tom Reed"]
    view.table.sortByColumn(RecordTableModel.LAST, Qt.SortOrder.DescendingOrder)
    assert listed(view)[0][0] == "Tom Reed"  # quoted in the last article


def test_the_index_is_paged(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a page is read at a time; the rest when the view scrolls to it."""
    monkeypatch.setattr(record_table, "PAGE_SIZE", 2)
    view = open_index(window)
    view.reload()
    assert view.model.rowCount() == 2 and view.model.total == 4
    assert view.model.canFetchMore(QModelIndex())
    view.model.fetchMore(QModelIndex())
    assert view.model.rowCount() == 4 and not view.model.canFetchMore(QModelIndex())


def test_picking_a_record_shows_its_concordance(window: Any, db: Any) -> None:
    view = open_index(window)
    view.table.selectRow(row_of(view, "Tom Reed"))
    person = view.current_summary().person
    lines = view.concordance.model.lines
    assert lines == sources.concordance(db, person.id, ArticleFilter())
    assert [line.text for line in lines] == [
        "A park is money well spent",
        "I warned them about this",
        "We will watch every cent of it",
    ]
    model = view.concordance.model
    assert model.index(0, model.DATE).data() == "2026-11-17"
    assert model.index(0, model.OUTLET).data() == "Evening Star"
    assert view.concordance.heading.text() == "Tom Reed: 3 quotes in 3 articles"


def test_double_click_opens_the_article_at_that_quote(qtbot: QtBot, window: Any) -> None:
    view = open_index(window)
    view.table.selectRow(row_of(view, "Maria Lopez"))
    line = view.concordance.model.line(1)
    table = view.concordance.table
    rect = table.visualRect(view.concordance.model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.rooms.currentIndex() == 0
    assert window.current_id == line.article_id
    assert window.shown.external_id == line.external_id
    focused = window.article_view.focused()
    assert focused is not None and (focused.start, focused.end) == (line.start, line.end)
    selected = window.sources.model.index_of_quote(
        next(
            i
            for i, q in enumerate(window.shown.quotes)
            if (q.start, q.end) == (line.start, line.end)
        )
    )
    assert window.sources.tree.currentIndex() == selected


def test_editing_a_quote_from_the_concordance_is_the_article_edit(window: Any, db: Any) -> None:
    view = open_index(window)
    view.table.selectRow(row_of(view, "Anna Berg"))
    line = view.concordance.model.line(0)
    menu = view.concordance.build_menu(0)
    kinds = next(a for a in menu.actions() if a.text() == "Kind")
    next(a for a in kinds.menu().actions() if a.text() == "Indirect").trigger()
    stored = library.load_article(db, line.article_id)
    quote = next(q for q in stored.quotes if (q.start, q.end) == (line.start, line.end))
    assert str(quote.kind) == "indirect" and str(quote.origin) == "human"
    assert window.edits.stack.undoText() == "change quote kind"  # the sidebar's own edit
    window.edits.stack.undo()
    stored = library.load_article(db, line.article_id)
    quote = next(q for q in stored.quotes if (q.start, q.end) == (line.start, line.end))
    assert str(quote.kind) == "direct"


def test_merge_is_one_undoable_edit(window: Any, db: Any) -> None:
    view = open_index(window)
    keep, drop = row_of(view, "Tom Reed"), row_of(view, "Anna Berg")
    view.table.selectRow(keep)
    flags = view.table.selectionModel().SelectionFlag
    view.table.selectionModel().select(view.model.index(drop, 0), flags.Select | flags.Rows)
    assert view.merge_button.isEnabled()
    view.merge_selected()
    assert ("Tom Reed", 4, 3, 2) in listed(view) and len(listed(view)) == 3
    assert listed(view) == service_rows(db)
    assert view.current_summary().person.name == "Tom Reed"
    assert "Anna Berg" in view.current_summary().person.aliases
    assert len(view.concordance.model.lines) == 4
    window.edits.stack.undo()
    assert len(listed(view)) == 4 and listed(view) == service_rows(db)
    window.edits.stack.redo()
    assert len(listed(view)) == 3 and listed(view) == service_rows(db)


def test_rename_and_gender_from_the_index(window: Any, db: Any) -> None:
    view = open_index(window)
    view.table.selectRow(row_of(view, "Maria Lopez"))
    accept_with(window, lambda d: d.line.setText("María López"))
    view.rename_current()
    assert view.current_summary().person.name == "María López"
    assert "Maria Lopez" in view.current_summary().person.aliases
    view.set_gender("female")
    row = row_of(view, "María López")
    assert view.model.index(row, RecordTableModel.GENDER).data() == "female"
    assert not view.model.index(row, RecordTableModel.GENDER).data(Qt.ItemDataRole.FontRole)
    view.search.setText("maria lopez")  # the old name is an alias now: still found
    view.apply_search()
    assert [r[0] for r in listed(view)] == ["María López"]
    for _ in range(2):
        window.edits.stack.undo()
    view.search.clear()
    view.apply_search()
    assert row_of(view, "Maria Lopez") >= 0
    summary = view.model.summary(row_of(view, "Maria Lopez"))
    assert summary.person.gender is None


def test_a_name_the_rules_refuse_cannot_be_given(qtbot: QtBot, window: Any) -> None:
    dialog = TextDialog("Rename", "Name", "Ann")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    dialog.line.setText("   ")
    assert not ok.isEnabled()
    dialog.line.setText("Ann\u202eLee")  # a bidi override: refused by domain.names
    assert not ok.isEnabled() and dialog.problem.text()
    dialog.line.setText("Ann Lee")
    assert ok.isEnabled() and not dialog.problem.text()


def test_split_gives_the_ticked_sources_to_a_new_record(window: Any, db: Any) -> None:
    view = open_index(window)
    view.table.selectRow(row_of(view, "Maria Lopez"))

    def tick_the_short_form(dialog: SplitDialog) -> None:
        for n in range(dialog.list.count()):
            item = dialog.list.item(n)
            if item.text().startswith("Lopez"):
                item.setCheckState(Qt.CheckState.Checked)
        dialog.line.setText("Rosa Lopez")
        assert dialog.buttons.buttons()[0].isEnabled()

    accept_with(window, tick_the_short_form)
    view.split_current()
    assert ("Rosa Lopez", 2, 1, 1) in listed(view)
    assert ("Maria Lopez", 2, 2, 2) in listed(view)
    assert listed(view) == service_rows(db)
    window.edits.stack.undo()
    assert ("Maria Lopez", 4, 3, 2) in listed(view)


def test_a_split_of_everything_is_not_offered(qtbot: QtBot, window: Any, db: Any) -> None:
    person = sources.record_page(db, ArticleFilter(), "Anna").rows[0].person
    dialog = SplitDialog(person.name, sources.linked_sources(db, person.id))
    qtbot.addWidget(dialog)
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    assert not dialog.buttons.buttons()[0].isEnabled()
    assert "Leave at least one" in dialog.problem.text()


def test_the_first_visit_starts_from_the_browsers_collection(qtbot: QtBot, window: Any) -> None:
    browser = window.browser
    qtbot.waitUntil(lambda: browser.collection_box.findData(COLLECTION) >= 0, timeout=3000)
    browser.collection_box.setCurrentIndex(browser.collection_box.findData(COLLECTION))
    view = open_index(window)
    assert window.collection_views.state.filter.collection == COLLECTION
    assert view.filter_bar.collection_box.currentData() == COLLECTION
    stats = window.collection_views.stats_view
    assert stats.filter_bar.collection_box.currentData() == COLLECTION  # one filter for both


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    outlet=st.sampled_from([None, "Daily Post", "Evening Star"]),
    month=st.sampled_from([(None, None), ("2026-10-01", "2026-10-31"), ("2026-11-01", None)]),
)
def test_any_filter_lists_what_the_service_counts(
    window: Any, db: Any, outlet: str | None, month: tuple[str | None, str | None]
) -> None:
    view = open_index(window)
    f = ArticleFilter(outlet=outlet, date_from=month[0], date_to=month[1])
    window.collection_views.state.set(f)
    assert listed(view) == service_rows(db, f)
    if view.model.rowCount():
        view.table.selectRow(0)
        person = view.current_summary().person
        assert view.concordance.model.lines == sources.concordance(db, person.id, f)


def test_an_undecided_source_is_listed_and_decided_by_a_person(
    qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path
) -> None:
    from tests.gui.records_helpers import fill_with_smiths

    fill_with_smiths(db, tmp_path)
    window = make_window(add_sample=False, synchronous=True)
    window.show()
    view = open_index(window)
    undecided = view.undecided
    assert [(s.source_name, [p.name for p in s.candidates]) for s in undecided.sources] == [
        ("Smith", ["John Smith", "Jane Smith"])
    ]
    assert view.lower_tabs.tabText(1) == "Undecided sources (1)"
    top = undecided.tree.topLevelItem(0)
    assert top.childCount() == 2
    jane = next(top.child(n) for n in range(2) if top.child(n).text(0).startswith("Jane"))
    undecided._double_clicked(jane, 0)  # as a double-click on "Jane Smith"
    assert sources.ambiguous(db) == [] and undecided.sources == []
    assert view.lower_tabs.tabText(1) == "Undecided sources (0)"
    assert ("Jane Smith", 2, 2, 2) in listed(view)
    window.edits.stack.undo()
    assert [s.source_name for s in sources.ambiguous(db)] == ["Smith"]
    assert ("Jane Smith", 1, 1, 1) in listed(view)
    menu = undecided.build_menu(undecided.tree.topLevelItem(0))
    own = next(a for a in menu.actions() if a.text().startswith("A record of its own"))
    own.trigger()
    assert ("Smith", 1, 1, 1) in listed(view) and sources.ambiguous(db) == []
    opened = next(a for a in menu.actions() if a.text() == "Open the article")
    opened.trigger()
    assert window.rooms.currentIndex() == 0 and window.shown.external_id == "smith-3"


def test_the_rooms_have_keys(qtbot: QtBot, window: Any) -> None:
    views = window.collection_views
    for key, widget in ((Qt.Key.Key_2, views.sources_view), (Qt.Key.Key_3, views.stats_view)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.rooms.currentWidget() is widget
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.rooms.currentIndex() == 0


OPS = st.lists(
    st.tuples(
        st.sampled_from(["merge", "rename", "gender", "undo", "redo"]),
        st.integers(0, 9),
        st.integers(0, 9),
    ),
    max_size=7,
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS)
def test_any_record_edits_and_undos_keep_the_index_true(window: Any, db: Any, ops: list) -> None:
    """Whatever merges, renames, genders, undos and redos an analyst makes from the index,
    it shows what the service counts after each, and undoing them all gives back the
    collection as it was."""
    view = open_index(window)
    stack = window.edits.stack
    stack.clear()
    original = service_rows(db)
    assert listed(view) == original

    def records() -> list[tuple[str, tuple[str, ...], str | None]]:
        page = sources.record_page(db, ArticleFilter(), "", "name", False, 0, 1000)
        return [(s.person.name, s.person.aliases, s.person.gender) for s in page.rows]

    before = records()
    accept_with(window, lambda d: d.line.setText(d.line.text() + " Jr"))
    for op, a, b in ops:
        count = view.model.rowCount()
        if op == "undo":
            stack.undo()
        elif op == "redo":
            stack.redo()
        elif op == "merge" and count >= 2 and a % count != b % count:
            view.table.selectRow(a % count)
            flags = view.table.selectionModel().SelectionFlag
            view.table.selectionModel().select(
                view.model.index(b % count, 0), flags.Select | flags.Rows
            )
            view.merge_selected()
        elif op == "rename" and count:
            view.table.selectRow(a % count)
            view.rename_current()
        elif op == "gender" and count:
            view.table.selectRow(a % count)
            view.set_gender(("female", "male", None)[b % 3])
        assert listed(view) == service_rows(db)
        total = sum(q for _, q, _, _ in listed(view))
        assert total == 9  # no edit of records gains or loses a quote
    while stack.canUndo():
        stack.undo()
    assert service_rows(db) == original and listed(view) == original
    assert records() == before  # names, aliases and genders too
    stack.clear()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    page=st.integers(1, 5),
    column=st.integers(0, len(record_table.SORT_KEYS) - 1),
    descending=st.booleans(),
    search=st.sampled_from(["", "o", "reed", "zz"]),
)
def test_paging_any_order_lists_every_record_once_as_the_service_orders_them(
    window: Any,
    db: Any,
    monkeypatch: pytest.MonkeyPatch,
    page: int,
    column: int,
    descending: bool,
    search: str,
) -> None:
    """Whatever the page size, the column sorted and the search, fetching page after page
    gives the service's whole list in its order: no record twice, none left out."""
    monkeypatch.setattr(record_table, "PAGE_SIZE", page)
    view = open_index(window)
    view.search.setText(search)
    view.apply_search()
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    view.model.sort(column, order)
    view.model.reload()
    while view.model.canFetchMore(QModelIndex()):
        view.model.fetchMore(QModelIndex())
    got = [view.model.summary(r).person.id for r in range(view.model.rowCount())]
    key = record_table.SORT_KEYS[column]
    whole = sources.record_page(db, ArticleFilter(), search, key, descending, 0, 1000)
    assert got == [s.person.id for s in whole.rows]
    assert view.model.total == whole.total == len(got)


def test_return_in_the_concordance_opens_the_quote(qtbot: QtBot, window: Any) -> None:
    view = open_index(window)
    view.table.selectRow(row_of(view, "Tom Reed"))
    table = view.concordance.table
    table.setFocus()
    table.setCurrentIndex(view.concordance.model.index(2, 0))
    line = view.concordance.model.line(2)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.rooms.currentIndex() == 0 and window.current_id == line.article_id
    focused = window.article_view.focused()
    assert focused is not None and (focused.start, focused.end) == (line.start, line.end)


def test_the_index_says_it_is_reading_until_the_page_comes(
    qtbot: QtBot, db: Any, make_window: Any, tmp_path: Path
) -> None:
    """On the window's real thread pool the page arrives later: meanwhile the count says
    so, and the window answers."""
    fill(db, tmp_path)
    window = make_window(add_sample=False)
    window.show()
    view = open_index(window)
    assert view.count_label.text() == "Reading…"
    qtbot.waitUntil(lambda: view.count_label.text() == "4 sources", timeout=10000)
    window.collection_views.state.update(outlet="Evening Star")
    assert view.count_label.text() == "Reading…"
    qtbot.waitUntil(lambda: view.count_label.text() == "3 sources", timeout=10000)
