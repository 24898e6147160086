"""The assignment view: a collection's annotation mode, and who has which article.

The mode (shared, or parallel with N annotators per article) is set at the top; names
typed in the box are dealt the articles in turn, or the selected articles go to one of
them. "Assigned to me" shows only this connection's articles; double-clicking one opens
it in the window. All reads and writes run on the window's task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.ui.curation_model import raise_it
from desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.services.team import Assignment, ProjectState
    from desktop.store.database import Database

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Article", "Title", "Annotators", "Started")
ArticleIdRole = Qt.ItemDataRole.UserRole + 1


class AssignmentTableModel(QAbstractTableModel):
    """Articles and their annotators; ``only`` keeps the rows of one annotator."""

    def __init__(self) -> None:
        super().__init__()
        self.all: list[Assignment] = []
        self.rows: list[Assignment] = []
        self.only: str | None = None

    def set_rows(self, rows: list[Assignment], only: str | None = None) -> None:
        self.beginResetModel()
        self.all, self.only = list(rows), only
        self.rows = [r for r in rows if only is None or only in r.annotators]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ArticleIdRole:
            return row.article_id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            elide(row.external_id, 40),
            elide(row.title, 60),
            ", ".join(row.annotators) or "—",
            ", ".join(row.started) or "—",
        )
        return values[index.column()]


class AssignmentView(QDialog):
    """Who annotates what in one collection (``load`` it with the collection)."""

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        me: str,
        open_article: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentView")
        self.db, self.runner, self.me, self.open_article = db, runner, me, open_article
        self.collection = ""
        # what is not a team matter (a locked database, a bug): the window's to show
        self.on_error: Callable[[BaseException], None] = raise_it
        self.model = AssignmentTableModel()
        self.mode = QComboBox()
        self.mode.setObjectName("annotationMode")
        self.mode.addItem("Shared: one layer everybody edits", "shared")
        self.mode.addItem("Parallel: each annotator their own layer", "parallel")
        self.per_article = QSpinBox()
        self.per_article.setObjectName("perArticle")
        self.per_article.setRange(1, 20)
        self.per_article.setPrefix("annotators per article: ")
        apply_mode = QPushButton("Set mode")
        apply_mode.clicked.connect(self._set_mode)
        self.names = QLineEdit()
        self.names.setObjectName("annotatorNames")
        self.names.setPlaceholderText("annotators, comma-separated (ann, bob, cy)")
        deal = QPushButton("Deal out in turn")
        deal.setObjectName("dealOut")
        deal.clicked.connect(self._deal)
        self.to_name = QLineEdit()
        self.to_name.setPlaceholderText("one annotator")
        give = QPushButton("Assign selected")
        give.clicked.connect(self._assign_selected)
        self.mine = QCheckBox(f"Assigned to me ({elide(me, 30)})")
        self.mine.setObjectName("assignedToMe")
        self.mine.toggled.connect(lambda _on: self._refilter())
        self.table = QTableView()
        self.table.setObjectName("assignmentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("assignmentSummary")
        self.summary.setWordWrap(True)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widgets in (
            (self.mode, self.per_article, apply_mode),
            (self.names, deal),
            (self.to_name, give, self.mine),
        ):
            row = QHBoxLayout()
            for w in widgets:
                row.addWidget(w, 1 if isinstance(w, QLineEdit) else 0)
            if not any(isinstance(w, QLineEdit) for w in widgets):
                row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.resize(900, 560)

    def load(self, collection: str) -> None:
        from desktop.services import team

        self.collection = collection
        self.setWindowTitle(f"Assignments in “{elide(collection, 60)}”")

        def read(_p: Any, _c: Any) -> tuple[ProjectState, list[Assignment]]:
            return team.project_state(self.db, collection), team.assignments(self.db, collection)

        self.runner.run("assignments", read, self._show, self._failed)

    def _show(self, result: tuple[ProjectState, list[Assignment]]) -> None:
        state, rows = result
        self.mode.setCurrentIndex(max(0, self.mode.findData(state.mode)))
        self.per_article.setValue(state.per_article)
        self.model.set_rows(rows, self.me if self.mine.isChecked() else None)
        self.table.resizeColumnsToContents()
        load = ", ".join(f"{n}: {c}" for n, c in state.load.items()) or "nobody yet"
        self.summary.setText(
            f"{state.mode.capitalize()} annotation. Articles per annotator: {load}; "
            f"not assigned: {state.unassigned} of {state.articles}."
        )

    def _refilter(self) -> None:
        self.model.set_rows(self.model.all, self.me if self.mine.isChecked() else None)

    def _failed(self, exc: BaseException) -> None:
        from desktop.services import team

        if isinstance(exc, team.TeamError):
            self.summary.setText(str(exc))
            return
        self.on_error(exc)

    def _after(self, message: str) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self.load(self.collection)
            self.summary.setText(message)

        return done

    def _set_mode(self) -> None:
        from desktop.services import team

        mode, per = str(self.mode.currentData()), self.per_article.value()
        self.runner.run(
            "set mode",
            lambda p, c: team.set_mode(self.db, self.collection, mode, per),
            self._after(f"Mode set: {mode}, {per} per article."),
            self._failed,
        )

    def _deal(self) -> None:
        from desktop.services import team

        names = [n.strip() for n in self.names.text().split(",") if n.strip()]
        if not names:
            self.summary.setText("Type the annotators' names first, comma-separated.")
            return
        self.runner.run(
            "deal out",
            lambda p, c: team.assign_round_robin(self.db, self.collection, names, self.me, None),
            lambda new: self._after(f"Dealt out {len(new)} assignment(s).")(new),
            self._failed,
        )

    def _assign_selected(self) -> None:
        from desktop.services import team

        name = self.to_name.text().strip()
        ids = [
            self.model.index(i.row(), 0).data(ArticleIdRole)
            for i in self.table.selectionModel().selectedRows()
        ]
        if not name or not ids:
            self.summary.setText("Select articles and type the annotator to give them to.")
            return
        self.runner.run(
            "assign",
            lambda p, c: team.assign(self.db, ids, name, self.me),
            lambda n: self._after(f"Assigned {n} article(s) to {elide(name, 30)}.")(n),
            self._failed,
        )

    def _open(self, index: QModelIndex) -> None:
        self.open_article(self.model.index(index.row(), 0).data(ArticleIdRole))
