"""The agreement view: a table of agreement per annotator pair, layer and label.

The figures are ``services.agreement.collection_agreement``'s, computed on the window's
task runner; the layer box filters the rows, the headers sort them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.ui.curation_model import raise_it
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.services.agreement import AgreementRow
    from desktop.store.database import Database

Index = QModelIndex | QPersistentModelIndex
# (header, field, tooltip)
COLUMNS = (
    ("A", "annotator_a", "the first annotator (the scorer's gold for quotes)"),
    ("B", "annotator_b", "the second annotator"),
    ("Layer", "layer", "entities, quotes, speakers or sources"),
    ("Label", "label", "an entity label, or all labels together"),
    ("Articles", "articles", "articles both annotated"),
    ("F1", "f1", "span F1 (entities: exact; speakers and sources: matched and alike)"),
    ("Overlap F1", "overlap_f1", "entities: overlapping spans with the same label"),
    ("Exact F1", "exact_f1", "quotes: both ends within two characters"),
    ("Agreement", "agreement", "speakers and sources: alike on the matched quotes"),
    ("κ", "kappa", "Cohen's kappa on token labels"),
    ("α", "alpha", "Krippendorff's alpha (nominal) on token labels"),
)
SortRole = Qt.ItemDataRole.UserRole + 1
TeamAlpha = dict[tuple[str, str | None], float | None]


class AgreementTableModel(QAbstractTableModel):
    """Agreement rows as a table; empty cells where a figure is not defined."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AgreementRow] = []

    def set_rows(self, rows: list[AgreementRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][2]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = getattr(self.rows[index.row()], COLUMNS[index.column()][1])
        if role == SortRole:
            return -1.0 if value is None else value
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "all" if COLUMNS[index.column()][1] == "label" else ""
            if isinstance(value, float):
                return f"{value:.3f}"
            return elide(str(value), 30) if isinstance(value, str) else value
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AgreementView(QDialog):
    """Agreement of a collection's annotators (``load`` it with the collection)."""

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        from desktop.services import agreement

        super().__init__(parent)
        self.setObjectName("agreementView")
        self.setWindowTitle("Agreement")
        self.db, self.runner = db, runner
        self.collection: str | None = None
        # what is not a team matter (a locked database, a bug): the window's to show
        self.on_error: Callable[[BaseException], None] = raise_it
        self.model = AgreementTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(2)
        self.table = QTableView()
        self.table.setObjectName("agreementTable")
        self.table.setModel(self.proxy)
        # the rows come pair by pair, quotes first: keep that order until a header is clicked
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.layer = QComboBox()
        self.layer.setObjectName("agreementLayer")
        self.layer.addItems(["all layers", *agreement.LAYERS])
        self.layer.currentTextChanged.connect(self._filter)
        self.summary = QLabel("Computing…")
        self.summary.setObjectName("agreementSummary")
        self.summary.setWordWrap(True)
        refresh = QPushButton("Compute again")
        refresh.clicked.connect(lambda: self.load(self.collection))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer:"))
        top.addWidget(self.layer)
        top.addStretch(1)
        top.addWidget(refresh)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(980, 560)

    def load(self, collection: str | None) -> None:
        from desktop.services import agreement

        self.collection = collection
        self.summary.setText("Computing…")

        def compute(_p: Any, _c: Any) -> tuple[list[AgreementRow], TeamAlpha]:
            rows = agreement.collection_agreement(self.db, collection)
            return rows, agreement.collection_team_alpha(self.db, collection) if rows else {}

        self.runner.run("agreement", compute, lambda r: self.show_rows(*r), self._failed)

    def show_rows(self, rows: list[AgreementRow], team: TeamAlpha | None = None) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(5, len(COLUMNS)):  # the figures: one width, easy to scan
            header.resizeSection(column, max(header.sectionSize(column), 84))
        where = f"“{elide(self.collection, 60)}”" if self.collection else "every collection"
        pairs = {(r.annotator_a, r.annotator_b) for r in rows}
        if not rows:
            self.summary.setText(
                f"In {where} no article has versions by two annotators yet: import their "
                'records (with "annotator") or let two annotators work in parallel.'
            )
            return
        whole = [
            f"{layer} {value:.3f}"
            for (layer, label), value in sorted((team or {}).items(), key=lambda kv: kv[0][0])
            if label is None and value is not None
        ]
        team_line = f" Krippendorff's α over all annotators: {', '.join(whole)}." if whole else ""
        self.summary.setText(
            f"Agreement in {where}: {len(pairs)} pair(s) of annotators.{team_line} Quotes are "
            "matched as the quote scorer matches them (A as its gold); hover a header for its "
            "figure."
        )

    def _failed(self, exc: BaseException) -> None:
        from desktop.services import agreement

        if isinstance(exc, agreement.AgreementError):
            self.summary.setText(str(exc))
            return
        self.on_error(exc)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString("" if text == "all layers" else text)
