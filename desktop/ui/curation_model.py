"""The curation table: one row per unit, one column per annotator, the curator's pick.

Columns: the text of the unit, its kind, each annotator's reading, and the curated reading.
A unit the annotators read differently is marked (amber); the reading picked is bold with a
check mark in every column that gave it. ``pick(row, choice)`` changes a pick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.curation import Unit, describe
from desktop.domain.names import elide

if TYPE_CHECKING:
    from desktop.services.curation import Curation

TEXT_COLUMN, KIND_COLUMN = 0, 1
DISAGREE = QColor(255, 213, 128, 110)  # amber, see-through so the theme shows
AGREE = QColor(129, 199, 132, 60)
ChoiceRole = Qt.ItemDataRole.UserRole + 1  # the choice index a cell shows (None: nothing)

Index = QModelIndex | QPersistentModelIndex


def raise_it(exc: BaseException) -> None:
    """The team views' error handler until the window gives its own (``show_error``)."""
    raise exc


class CurationTableModel(QAbstractTableModel):
    """Adapts a ``services.curation.Curation`` and the current picks to a table."""

    picks_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.curation: Curation | None = None
        self._picks: list[int | None] = []

    def set_curation(self, curation: Curation | None) -> None:
        self.beginResetModel()
        self.curation = curation
        self._picks = list(curation.picks) if curation is not None else []
        self.endResetModel()

    @property
    def picks(self) -> list[int | None]:
        return list(self._picks)

    @property
    def annotators(self) -> list[str]:
        return self.curation.annotators if self.curation is not None else []

    @property
    def curated_column(self) -> int:
        return 2 + len(self.annotators)

    def unit(self, row: int) -> Unit:
        assert self.curation is not None
        return self.curation.units[row]

    def pick(self, row: int, choice: int | None) -> None:
        """Take ``choice`` (an index into the unit's choices; None: nothing) for ``row``."""
        if not 0 <= row < len(self._picks) or self._picks[row] == choice:
            return
        self._picks[row] = choice
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.picks_changed.emit()

    def pick_annotator(self, row: int, annotator: str) -> None:
        """Take that annotator's reading of the unit in ``row``."""
        unit = self.unit(row)
        self.pick(row, next(i for i, c in enumerate(unit.choices) if annotator in c.annotators))

    def pick_nothing(self, row: int) -> None:
        """Keep nothing of the unit: the reading of those who marked nothing there, when
        someone did (so their column shows the pick), else no reading at all."""
        unit = self.unit(row)
        empty = next((i for i, c in enumerate(unit.choices) if not c.reading), None)
        self.pick(row, empty)

    def take_majority(self) -> None:
        self.beginResetModel()
        self._picks = [0 for _ in self._picks]
        self.endResetModel()
        self.picks_changed.emit()

    # --- Qt model --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        if parent.isValid() or self.curation is None:
            return 0
        return len(self.curation.units)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else 3 + len(self.annotators)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == TEXT_COLUMN:
            return "Text"
        if section == KIND_COLUMN:
            return "Kind"
        if section == self.curated_column:
            return "Curated"
        if 2 <= section < self.curated_column:
            return elide(self.annotators[section - 2], 24)
        return None

    def _choice_in(self, row: int, column: int) -> int | None:
        unit = self.unit(row)
        if column == self.curated_column:
            return self._picks[row]
        name = self.annotators[column - 2]
        return next((i for i, c in enumerate(unit.choices) if name in c.annotators), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.curation is None:
            return None
        row, column = index.row(), index.column()
        unit = self.unit(row)
        text = self.curation.base.text
        if column == TEXT_COLUMN:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                shown = " ".join(text[unit.start : unit.end].split())
                return shown if role == Qt.ItemDataRole.ToolTipRole else elide(shown, 60)
            return self._background(unit) if role == Qt.ItemDataRole.BackgroundRole else None
        if column == KIND_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return unit.kind if unit.agreed else f"{unit.kind} ≠"
            return self._background(unit) if role == Qt.ItemDataRole.BackgroundRole else None
        choice = self._choice_in(row, column)
        if role == ChoiceRole:
            return choice
        picked = choice is not None and choice == self._picks[row]
        if role == Qt.ItemDataRole.DisplayRole:
            reading = unit.choices[choice].reading if choice is not None else ()
            mark = "✓ " if picked and column != self.curated_column else ""
            return mark + describe(unit, reading, text)
        if role == Qt.ItemDataRole.FontRole and picked:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(unit)
        if role == Qt.ItemDataRole.ToolTipRole and column != self.curated_column:
            return "Double-click to take this reading"
        return None

    def _background(self, unit: Unit) -> QBrush:
        return QBrush(AGREE if unit.agreed else DISAGREE)
