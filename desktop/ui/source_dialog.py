"""A small dialog for a source's name, type and description."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.domain import SOURCE_TYPES
from desktop.domain.names import InvalidName, check_description, check_source_name, elide


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
        self.setWindowTitle(elide(title, 80))
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
        self.problem = QLabel()
        self.problem.setObjectName("sourceProblem")
        self.problem.setStyleSheet("color: #c62828")
        self.problem.setWordWrap(True)
        self.name.textChanged.connect(self._check)
        self.description.textChanged.connect(self._check)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Type", self.type)
        form.addRow("Description", self.description)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.setMaximumWidth(640)
        self._check()

    def _check(self) -> None:
        """OK only for a name and a description the rules of ``desktop.domain.names`` allow;
        the reason shows under the fields."""
        name, _, description = self.values()
        try:
            check_source_name(name)
            check_description(description)
            problem = ""
        except InvalidName as exc:
            problem = str(exc)[:1].upper() + str(exc)[1:] + "."
        self.problem.setText(problem if name else "")  # an empty name needs no words
        self.problem.setVisible(bool(problem and name))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), self.type.currentData(), self.description.text().strip()
