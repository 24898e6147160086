"""The small dialogs of the sources index: a record's new name, a gender of one's own
words, and which of a record's sources a split gives to a new record."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from desktop.domain.names import InvalidName, check_source_name, elide
from desktop.domain.offsets import qt_safe
from desktop.domain.people import LinkedSource

MAX_GENDER = 30  # as services.sources allows


def name_problem(name: str) -> str:
    """Why a record may not have this name ("" when it may)."""
    try:
        check_source_name(name)
    except InvalidName as exc:
        return str(exc)[:1].upper() + str(exc)[1:] + "."
    return ""


def gender_problem(gender: str) -> str:
    if len(gender) > MAX_GENDER or not gender.isprintable():
        return f"A gender is one short word (at most {MAX_GENDER} characters)."
    return ""


class TextDialog(QDialog):
    """One line of text, checked as it is typed (OK only when it is allowed)."""

    def __init__(
        self,
        title: str,
        label: str,
        text: str = "",
        check: str = "name",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(elide(title, 80))
        self._check = name_problem if check == "name" else gender_problem
        self.line = QLineEdit(text)
        self.line.setObjectName("recordText")
        self.problem = QLabel()
        self.problem.setObjectName("recordProblem")
        self.problem.setStyleSheet("color: #c62828")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        self.form.addRow(label, self.line)
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)
        self.line.textChanged.connect(self._update)
        self.setMinimumWidth(420)
        self._update()

    def _update(self) -> None:
        text = self.value()
        problem = self._check(text) if text else ""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text) and not problem)

    def value(self) -> str:
        return self.line.text().strip()


class SplitDialog(TextDialog):
    """Pick the sources of a record that become a new record, and name it."""

    def __init__(
        self, name: str, sources: Sequence[LinkedSource], parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Split “{elide(name, 60)}”", "New record's name", name, parent=parent)
        self.list = QListWidget()
        self.list.setObjectName("splitSources")
        for source in sources:
            quotes = "quote" if source.quotes == 1 else "quotes"
            item = QListWidgetItem(
                qt_safe(
                    f"{elide(source.source_name, 80)} — {elide(source.title, 80)} "
                    f"({source.quotes} {quotes})"
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, (source.article_id, source.source_key))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.form.insertRow(0, QLabel("Sources that go to the new record:"))
        self.form.insertRow(1, self.list)
        self.list.itemChanged.connect(lambda _item: self._update())
        self._update()

    def chosen(self) -> list[tuple[int, str]]:
        """(article id, source key) of every source ticked."""
        out = []
        for n in range(self.list.count()):
            item = self.list.item(n)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _update(self) -> None:
        super()._update()
        if not hasattr(self, "list"):
            return
        ticked = bool(self.chosen())
        every = self.list.count() > 0 and len(self.chosen()) == self.list.count()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(ok.isEnabled() and ticked and not every)
        if every:  # a split that moves everything is a rename
            self.problem.setText("Leave at least one source with the record (or rename it).")
            self.problem.setVisible(True)
