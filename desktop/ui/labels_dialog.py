"""Edit a collection's entity labels: name, colour and key (1–9)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.labels import LabelDef
from desktop.domain.names import InvalidName, check_label, elide
from desktop.ui.colors import label_color

KEYS = ["", *"123456789"]


class LabelsDialog(QDialog):
    def __init__(self, collection: str, labels: list[LabelDef], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Labels of “{elide(collection, 60)}”")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels(["Label", "Colour", "Key"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        for label in labels:
            self._add_row(label)
        add = QPushButton("Add label")
        add.clicked.connect(lambda: self._add_row(LabelDef("NEW_LABEL")))
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_selected)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(420, 520)

    def _add_row(self, label: LabelDef) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(label.name))
        colour = QPushButton()
        colour.setProperty("chosen", label.color)
        self._paint(colour, label.name)
        colour.clicked.connect(lambda _=False, b=colour: self._choose(b))
        self.table.setCellWidget(row, 1, colour)
        key = QComboBox()
        key.addItems([k or "–" for k in KEYS])
        key.setCurrentIndex(KEYS.index(label.key) if label.key in KEYS else 0)
        self.table.setCellWidget(row, 2, key)

    def _paint(self, button: QPushButton, name: str) -> None:
        chosen = button.property("chosen") or ""
        colour = QColor(chosen) if chosen else label_color(name)
        button.setText(chosen or "built-in")
        button.setStyleSheet(f"background: {colour.name()}; color: black;")

    def _choose(self, button: QPushButton) -> None:
        start = QColor(button.property("chosen") or "#ffffff")
        colour = QColorDialog.getColor(start, self, "Label colour")
        if colour.isValid():
            button.setProperty("chosen", colour.name())
            self._paint(button, "")

    def _remove_selected(self) -> None:
        for index in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(index)

    def labels(self) -> list[LabelDef]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            name = item.text().strip().upper().replace(" ", "_") if item else ""
            colour = self.table.cellWidget(row, 1)
            key = self.table.cellWidget(row, 2)
            assert isinstance(key, QComboBox)
            out.append(
                LabelDef(name, str(colour.property("chosen") or ""), KEYS[key.currentIndex()])
            )
        return out

    def problem(self) -> str:
        labels = self.labels()
        names = [lab.name for lab in labels]
        if not all(names):
            return "Every label needs a name."
        for row, name in enumerate(names, start=1):
            try:
                check_label(name)
            except InvalidName as exc:
                return f"Row {row}: {exc}."
        if len(set(names)) != len(names):
            return "Two labels have the same name."
        keys = [lab.key for lab in labels if lab.key]
        if len(set(keys)) != len(keys):
            return "Two labels have the same key."
        return ""

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()
