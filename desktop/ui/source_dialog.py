"""A small dialog for a source's name, type and description."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from desktop.domain import SOURCE_TYPES


class SourceDialog(QDialog):
    def __init__(
        self,
        title: str,
        name: str = "",
        type_: str = "PERSON",
        description: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit(name)
        self.name.setObjectName("sourceName")
        self.type = QComboBox()
        self.type.setObjectName("sourceType")
        for t in SOURCE_TYPES:
            self.type.addItem(t.capitalize() if t != "GPE" else "Place (GPE)", t)
        self.type.setCurrentIndex(max(self.type.findData(type_), 0))
        self.description = QLineEdit(description)
        self.description.setObjectName("sourceDescription")
        self.description.setPlaceholderText(
            "title, affiliation: spokeswoman, National Security Council"
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Type", self.type)
        form.addRow("Description", self.description)
        form.addRow(self.buttons)
        self._check()

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()))

    def values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), self.type.currentData(), self.description.text().strip()
