"""The sources index: every record quoted in the filtered articles, with its numbers, and
below it the concordance of the record picked.

The table is paged (``record_table``), sorted in the database and searched by name and
alias as one types (after a pause). Several rows selected can be merged; one can be
renamed, split or given a gender: each through ``record_edits``, so ``Ctrl+Z`` undoes it.
Nothing is read until the view is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.domain.people import ArticleFilter, ConcordanceLine, RecordPage, RecordSummary
from desktop.ui.concordance import ConcordanceQuery, ConcordanceView
from desktop.ui.paged_model import failure_shown
from desktop.ui.record_dialogs import SplitDialog, TextDialog
from desktop.ui.record_edits import RecordEdits
from desktop.ui.record_filter import FilterBar, FilterState
from desktop.ui.record_table import RecordQuery, RecordTableModel
from desktop.ui.row_table import Selection, row_table
from desktop.ui.tasks import TaskRunner
from desktop.ui.undecided_view import UndecidedView

if TYPE_CHECKING:
    from desktop.services import sources
    from desktop.store import Database
    from desktop.store.concordance import ConcordancePage

SEARCH_DELAY_MS = 250
GENDERS = (("Female", "female"), ("Male", "male"), ("Unknown", None))
Ask = Callable[[QDialog], bool]
ShowError = Callable[[BaseException], None]


def _merge(editor: sources.RecordEditor, keep: int, drop: int) -> sources.RecordEdit:
    return editor.merge(keep, drop)


class SourcesView(QWidget):
    """The sources index and the concordance of the record picked."""

    open_quote = Signal(int, int, int)  # article id, quote start, quote end
    open_article = Signal(int)
    kind_requested = Signal(int, int, int, str)
    delete_requested = Signal(int, int, int)

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        state: FilterState,
        edits: RecordEdits,
        ask: Ask,
        show_error: ShowError,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.state, self.edits = db, runner, state, edits
        self.ask, self.show_error = ask, show_error
        self._shown_once = False
        self._select_after: int | None = None
        self.setObjectName("sourcesView")

        self.filter_bar = FilterBar(state)
        self.search = QLineEdit()
        self.search.setObjectName("recordSearch")
        self.search.setPlaceholderText("Search names and aliases")
        self.search.setClearButtonEnabled(True)
        self.merge_button = QPushButton("Merge")
        self.merge_button.setToolTip("Merge the selected records into the first one")
        self.split_button = QPushButton("Split…")
        self.rename_button = QPushButton("Rename…")
        self.gender_button = QPushButton("Gender")
        self.gender_button.setMenu(self._gender_menu())
        self.guess_button = QPushButton("Guess genders")
        self.guess_button.setToolTip(
            "Guess from first names the gender of every person of the chosen collection that "
            "has none (shown as guessed, in italics; Ctrl+Z undoes it)"
        )
        self.count_label = QLabel()
        self.count_label.setObjectName("recordCount")

        self.model = RecordTableModel(self._load_page, self)
        widths = (100, 120, 64, 64, 64, 90, 90)
        self.table = row_table("sourcesIndex", self.model, Selection.ExtendedSelection, widths)
        self.table.horizontalHeader().setSortIndicator(
            RecordTableModel.QUOTES, Qt.SortOrder.DescendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu_at)
        self.concordance = ConcordanceView(self._load_lines)
        self.undecided = UndecidedView(db, runner, state, edits, show_error)
        self.lower_tabs = QTabWidget()  # the record's quotes; the sources the rules left open
        self.lower_tabs.setObjectName("sourcesLower")
        self.lower_tabs.addTab(self.concordance, "Quotes of the record")
        self.lower_tabs.addTab(self.undecided, "Undecided sources")

        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        for button in (self.merge_button, self.split_button, self.rename_button):
            tools.addWidget(button)
        tools.addWidget(self.gender_button)
        tools.addWidget(self.guess_button)
        tools.addWidget(self.count_label)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(tools)
        top_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.lower_tabs)
        self.splitter.setSizes([420, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        state.changed.connect(self._on_filter)
        self.model.loaded.connect(self._on_loaded)
        self.model.rowsInserted.connect(self._show_count)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button.clicked.connect(self.split_current)
        self.rename_button.clicked.connect(self.rename_current)
        self.guess_button.clicked.connect(self.guess_genders)
        self.concordance.open_requested.connect(self.open_quote)
        self.concordance.kind_requested.connect(self.kind_requested)
        self.concordance.delete_requested.connect(self.delete_requested)
        self.undecided.open_requested.connect(self.open_article)
        self.undecided.counted.connect(
            lambda n: self.lower_tabs.setTabText(1, f"Undecided sources ({n:,})")
        )
        edits.changed.connect(self._after_edit)
        self._update_buttons()

    # --- loading ----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()  # what changed meanwhile (an analysis, an edit) shows on return

    def reload(self) -> None:
        """Read the choices and the first page again, keeping the record picked."""
        self._shown_once = True
        current = self.current_summary()
        if self._select_after is None and current is not None:
            self._select_after = current.person.id
        self._load_choices()
        self.count_label.setText("Reading…")  # a large collection takes a moment
        self.model.set_query(self._query())
        self.undecided.reload()

    def _query(self) -> RecordQuery:
        old = self.model.query
        return RecordQuery(self.state.filter, self.search.text().strip(), old.sort, old.descending)

    def apply_search(self) -> None:
        if self._shown_once and self._query() != self.model.query:
            self.count_label.setText("Reading…")
            self.model.set_query(self._query())

    def _on_filter(self, _filter: ArticleFilter) -> None:
        if self._shown_once and self.isVisible():
            self.reload()

    def _load_page(
        self,
        query: RecordQuery,
        offset: int,
        limit: int,
        deliver: Callable[[list[RecordSummary], int], None],
    ) -> None:
        from desktop.services import sources

        def read(_p: object, _c: object) -> RecordPage:
            return sources.record_page(
                self.db, query.filter, query.search, query.sort, query.descending, offset, limit
            )

        self.runner.run(
            "list sources",
            read,
            lambda page: deliver(page.rows, page.total),
            failure_shown(self.model, self.show_error),
        )

    def _load_choices(self) -> None:
        self.filter_bar.load_choices(self.db, self.runner, self.show_error)

    def _on_loaded(self) -> None:
        self._show_count()
        wanted, self._select_after = self._select_after, None
        row = self.model.row_of(wanted) if wanted is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.concordance.clear()
        self._update_buttons()

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText(f"{total:,} source" + ("" if total == 1 else "s"))

    # --- selection and concordance ----------------------------------------------------

    def selected(self) -> list[RecordSummary]:
        """The records selected, the current one first."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex().row()
        if current in rows:
            rows.remove(current)
            rows.insert(0, current)
        return [s for s in (self.model.summary(r) for r in rows) if s is not None]

    def current_summary(self) -> RecordSummary | None:
        chosen = self.selected()
        return chosen[0] if chosen else None

    def select_record(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row >= 0:
            self.table.selectRow(row)

    def _on_selection(self) -> None:
        self._update_buttons()
        chosen = self.selected()
        if len(chosen) != 1:
            many = f"{len(chosen)} records selected." if chosen else ""
            self.concordance.clear(many or "Pick a source to see its quotes.")
            return
        self.show_concordance(chosen[0])

    def show_concordance(self, summary: RecordSummary) -> None:
        """List the record's quotes under the filter, a page at a time."""
        person = summary.person
        self.concordance.show_record(person.name, person.id, self.state.filter)

    def _load_lines(
        self,
        query: ConcordanceQuery,
        offset: int,
        limit: int,
        deliver: Callable[[list[ConcordanceLine], int], None],
    ) -> None:
        from desktop.services import sources

        person_id = query.person_id
        if person_id is None:
            deliver([], 0)  # nobody picked: nothing to read
            return

        def read(_p: object, _c: object) -> ConcordancePage:
            return sources.concordance_page(self.db, person_id, query.filter, offset, limit)

        def shown(page: ConcordancePage) -> None:
            if offset == 0 and query is self.concordance.model.query:  # not a stale answer
                self.concordance.articles = page.articles
            deliver(page.lines, page.total)

        failed = failure_shown(self.concordance.model, self.show_error)
        self.runner.run("list concordance", read, shown, failed)

    def _update_buttons(self) -> None:
        count = len(self.selected())
        self.merge_button.setEnabled(count >= 2)
        for button in (self.split_button, self.rename_button, self.gender_button):
            button.setEnabled(count == 1)

    # --- record edits -----------------------------------------------------------------

    def merge_selected(self) -> None:
        """Merge every other selected record into the current one, one undoable edit each."""
        chosen = self.selected()
        if len(chosen) < 2:
            return
        keep = chosen[0].person.id
        self._select_after = keep
        self.edits.stack.beginMacro(f"merge {len(chosen)} records")
        try:
            for other in chosen[1:]:
                self.edits.apply(partial(_merge, keep=keep, drop=other.person.id))
        finally:
            self.edits.stack.endMacro()

    def rename_current(self) -> None:
        summary = self.current_summary()
        if summary is None:
            return
        dialog = TextDialog("Rename the record", "Name", summary.person.name, parent=self)
        if self.ask(dialog):
            self._select_after = summary.person.id
            self.edits.apply(lambda e: e.rename(summary.person.id, dialog.value()))

    def split_current(self) -> None:
        from desktop.services import sources

        summary = self.current_summary()
        if summary is None:
            return
        person = summary.person
        try:
            linked = sources.linked_sources(self.db, person.id)
        except sources.RecordError as exc:
            self.show_error(exc)
            return
        dialog = SplitDialog(person.name, linked, self)
        if self.ask(dialog) and dialog.chosen():
            self.edits.apply(lambda e: e.split(person.id, dialog.chosen(), dialog.value()))

    def set_gender(self, gender: str | None) -> None:
        summary = self.current_summary()
        if summary is not None:
            self._select_after = summary.person.id
            self.edits.apply(lambda e: e.set_gender(summary.person.id, gender))

    def other_gender(self) -> None:
        dialog = TextDialog("Set the gender", "Gender", check="gender", parent=self)
        if self.ask(dialog):
            self.set_gender(dialog.value())

    def guess_genders(self) -> None:
        """Guess the genders of the chosen collection's people from their first names."""
        from desktop.services import sources

        collection = self.state.filter.collection
        if collection is None:
            self.show_error(
                sources.RecordError(
                    "Choose a collection first: genders are guessed per collection."
                )
            )
            return
        self.edits.apply(lambda e: e.guess_genders(collection))

    def _gender_menu(self) -> QMenu:
        menu = QMenu(self)
        for text, value in GENDERS:
            menu.addAction(text).triggered.connect(lambda _=False, v=value: self.set_gender(v))
        menu.addAction("Other…").triggered.connect(self.other_gender)
        return menu

    def _after_edit(self, result: tuple[int, ...]) -> None:
        if result:
            self._select_after = result[0]
        if self._shown_once:
            self.reload()

    def build_menu(self, index: QModelIndex) -> QMenu | None:
        """The context menu of a row: the same edits as the buttons."""
        if not index.isValid():
            return None
        if not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.table.selectRow(index.row())
        menu = QMenu(self)
        count = len(self.selected())
        if count >= 2:
            menu.addAction(f"Merge {count} records").triggered.connect(self.merge_selected)
            return menu
        name = elide(self.selected()[0].person.name, 40) if count else ""
        menu.addAction(f"Rename “{name}”…").triggered.connect(self.rename_current)
        menu.addAction("Split…").triggered.connect(self.split_current)
        menu.addMenu(self._gender_menu()).setText("Gender")
        return menu

    def _menu_at(self, point: QPoint) -> None:
        menu = self.build_menu(self.table.indexAt(point))
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(point))
