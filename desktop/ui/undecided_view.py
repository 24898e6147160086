"""The sources the linking rules left undecided ("Kim", two Smiths): each with the records
that fit, for the analyst to link it to one, give it a record of its own, or open its
article. Every decision is a person's link (it survives re-analysis) and undoable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QLabel, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop.domain.names import elide
from desktop.domain.offsets import qt_safe
from desktop.domain.people import AmbiguousSource
from desktop.ui.record_edits import RecordEdits
from desktop.ui.record_filter import FilterState
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.store import Database

SourceRole = Qt.ItemDataRole.UserRole + 1  # on a source's row: its AmbiguousSource
PersonRole = Qt.ItemDataRole.UserRole + 2  # on a candidate's row: the record id


class UndecidedView(QWidget):
    """A tree: undecided sources, and under each the records it may be. ``reload`` reads
    them for the shared filter; a decision is saved through ``edits`` (undoable)."""

    open_requested = Signal(int)  # article id
    counted = Signal(int)  # how many undecided sources the filter has

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        state: FilterState,
        edits: RecordEdits,
        show_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.runner, self.state, self.edits = db, runner, state, edits
        self.show_error = show_error
        self._seq = 0
        self.note = QLabel()
        self.note.setObjectName("undecidedNote")
        self.note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("undecidedSources")
        self.tree.setHeaderLabels(["Source, and the records it may be", "Article"])
        self.tree.setColumnWidth(0, 420)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu_at)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.tree, 1)
        self.sources: list[AmbiguousSource] = []

    def reload(self) -> None:
        """Read the undecided sources of the filtered articles (the latest request wins)."""
        from desktop.services import sources

        self._seq += 1
        seq, filter_ = self._seq, self.state.filter

        def shown(found: list[AmbiguousSource]) -> None:
            if seq == self._seq:
                self.show_sources(found)

        self.runner.run(
            "list undecided sources",
            lambda _p, _c: sources.ambiguous(self.db, filter_),
            shown,
            self.show_error,
        )

    def link(self, source: AmbiguousSource, person_id: int) -> None:
        self.edits.apply(lambda e: e.link(source.article_id, source.source_key, person_id))

    def new_record(self, source: AmbiguousSource) -> None:
        self.edits.apply(
            lambda e: e.new_record(source.article_id, source.source_key, source.source_name)
        )

    def show_sources(self, found: Sequence[AmbiguousSource]) -> None:
        self.sources = list(found)
        self.tree.clear()
        for source in found:
            item = QTreeWidgetItem(
                [qt_safe(elide(source.source_name, 120)), qt_safe(elide(source.title, 120))]
            )
            item.setData(0, SourceRole, source)
            item.setToolTip(0, qt_safe(elide(source.reason, 400)))
            for person in source.candidates:
                also = f" (also {elide(', '.join(person.aliases), 80)})" if person.aliases else ""
                role = f" — {elide(person.role, 60)}" if person.role else ""
                child = QTreeWidgetItem([qt_safe(f"{elide(person.name, 100)}{role}{also}"), ""])
                child.setData(0, PersonRole, person.id)
                child.setToolTip(0, "Double-click: this source is this record")
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        count = len(found)
        self.counted.emit(count)
        self.note.setText(
            "Every source was linked or decided."
            if not count
            else f"{count:,} source{'s' if count != 1 else ''} the rules could not decide: "
            "double-click the record it is, or right-click for a record of its own."
        )

    def _source_of(self, item: QTreeWidgetItem) -> AmbiguousSource | None:
        owner = item.parent() or item
        found = owner.data(0, SourceRole)
        return found if isinstance(found, AmbiguousSource) else None

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        source, person = self._source_of(item), item.data(0, PersonRole)
        if source is not None and person is not None:
            self.link(source, int(person))
        elif source is not None:
            self.open_requested.emit(source.article_id)

    def build_menu(self, item: QTreeWidgetItem | None) -> QMenu | None:
        source = self._source_of(item) if item is not None else None
        if source is None:
            return None
        menu = QMenu(self)
        for person in source.candidates:
            menu.addAction(f"It is {elide(person.name, 60)}").triggered.connect(
                lambda _=False, p=person.id: self.link(source, p)
            )
        menu.addSeparator()
        own = menu.addAction(f"A record of its own, “{elide(source.source_name, 60)}”")
        own.triggered.connect(lambda: self.new_record(source))
        menu.addAction("Open the article").triggered.connect(
            lambda: self.open_requested.emit(source.article_id)
        )
        return menu

    def _menu_at(self, point: QPoint) -> None:
        menu = self.build_menu(self.tree.itemAt(point))
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(point))
