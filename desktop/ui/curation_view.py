"""The curation view: an article's annotators' versions merged, disagreements marked.

The text (left) shows every unit: green where the annotators agree, amber where they do
not; the table (right) has a row per unit and a column per annotator. Double-clicking an
annotator's cell takes their reading of that unit ("None here" takes nothing), and Save
writes the picks as the article's curated layer, which exports then use by default.
Reading and saving run on the window's task runner, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.domain.offsets import ViewMap
from desktop.services import curation, team
from desktop.services.curation import Curation
from desktop.store.database import Database
from desktop.store.layers import LayerConflict
from desktop.ui.curation_model import AGREE, DISAGREE, CurationTableModel, raise_it
from desktop.ui.tasks import TaskRunner

TEAM_ERRORS = (team.TeamError, LayerConflict)


class CurationView(QDialog):
    """Curate one article (``load`` it first); ``saved`` is set after a good save."""

    def __init__(
        self, db: Database, runner: TaskRunner, curator: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("curationView")
        self.setWindowTitle("Curate")
        self.db, self.runner, self.curator = db, runner, curator
        self.saved = False
        # what is not a team matter (a locked database, a bug): the window's to show
        self.on_error: Callable[[BaseException], None] = raise_it
        self.model = CurationTableModel()
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("curationSummary")
        self.summary.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("curationText")
        self.text.setReadOnly(True)
        self.table = QTableView()
        self.table.setObjectName("curationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._take_cell)
        self.table.selectionModel().currentRowChanged.connect(self._show_unit)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.text)
        split.addWidget(self.table)
        split.setSizes([360, 740])
        self.majority_button = QPushButton("Majority everywhere")
        self.majority_button.clicked.connect(self.model.take_majority)
        self.none_button = QPushButton("None here")
        self.none_button.setToolTip("Keep nothing of the selected unit in the curated version")
        self.none_button.clicked.connect(self._take_none)
        self.reviewed = QCheckBox("Curated version reviewed")
        self.reviewed.setChecked(True)
        self.save_button = QPushButton("Save curated layer")
        self.save_button.setObjectName("saveCuration")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        self.message = QLabel()
        self.message.setObjectName("curationMessage")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        for w in (self.majority_button, self.none_button, self.reviewed):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.model.picks_changed.connect(self._paint_units)
        self._map: ViewMap | None = None
        self._enable(False)
        self.resize(1100, 640)

    def _enable(self, on: bool) -> None:
        for w in (self.majority_button, self.none_button, self.save_button, self.reviewed):
            w.setEnabled(on)

    # --- loading ----------------------------------------------------------------------

    def load(self, article_id: int) -> None:
        self.runner.run(
            "open curation",
            lambda p, c: curation.open_curation(self.db, article_id),
            self.show_curation,
            self._failed,
        )

    def show_curation(self, cur: Curation) -> None:
        self.model.set_curation(cur)
        title = cur.base.title or cur.base.external_id
        self.setWindowTitle(f"Curate “{elide(title, 60)}”")
        names = ", ".join(cur.annotators)
        self.summary.setText(
            f"{len(cur.annotators)} annotator(s) ({names}); {len(cur.units)} unit(s), "
            f"{cur.disagreements} where they disagree (amber). Double-click a reading to take "
            "it; the curated column is what Save keeps."
        )
        self._map = ViewMap(cur.base.text)
        self.text.setPlainText(self._map.view_text)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):  # every annotator's column in sight
            limit = 230 if column == 0 else 170
            header.resizeSection(column, min(header.sectionSize(column), limit))
        self._paint_units()
        self._enable(True)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, TEAM_ERRORS):
            self.message.setText(str(exc))
            self.summary.setText("Nothing to curate.")
            return
        self.on_error(exc)

    # --- the text ---------------------------------------------------------------------

    def _paint_units(self) -> None:
        if self.model.curation is None or self._map is None:
            return
        selections = []
        for unit in self.model.curation.units:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(self._map.to_view(unit.start))
            cursor.setPosition(self._map.to_view(unit.end), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(AGREE if unit.agreed else DISAGREE))
            if not unit.agreed:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(QColor(230, 126, 34))
            sel.cursor = cursor
            sel.format = fmt
            selections.append(sel)
        self.text.setExtraSelections(selections)

    def _show_unit(self, current: QModelIndex, _previous: Any = None) -> None:
        if not current.isValid() or self._map is None:
            return
        unit = self.model.unit(current.row())
        cursor = self.text.textCursor()
        cursor.setPosition(self._map.to_view(unit.start))
        cursor.setPosition(self._map.to_view(unit.end), QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    # --- picking and saving -----------------------------------------------------------

    def _take_cell(self, index: QModelIndex) -> None:
        column = index.column()
        if 2 <= column < self.model.curated_column:
            self.model.pick_annotator(index.row(), self.model.annotators[column - 2])

    def _take_none(self) -> None:
        row = self.table.currentIndex().row()
        if row >= 0:
            self.model.pick_nothing(row)

    def save(self) -> None:
        cur = self.model.curation
        if cur is None:
            return
        picks, reviewed = self.model.picks, self.reviewed.isChecked()
        self._enable(False)
        self.message.setText("Saving…")

        def done(info: Any) -> None:
            self.saved = True
            self.message.setText(f"Saved the curated layer (revision {info.revision}).")
            self.load(cur.article_id)  # read back: the next save checks this revision

        def failed(exc: BaseException) -> None:
            self._enable(True)
            if isinstance(exc, TEAM_ERRORS):
                self.message.setText(str(exc))
                return
            self.on_error(exc)

        self.runner.run(
            "save curation",
            lambda p, c: curation.save_curation(self.db, cur, picks, self.curator, reviewed),
            done,
            failed,
        )
