"""The preferences dialog: the spaCy pipeline to analyze with, and the theme."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from desktop.nlp import installed_pipelines
from desktop.ui import settings as S
from desktop.ui.theme import THEMES


class PreferencesDialog(QDialog):
    def __init__(self, settings: S.Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.model_box = QComboBox()
        self.model_box.setObjectName("modelBox")
        self.model_box.addItem("Best installed pipeline", "")
        for name in installed_pipelines():
            self.model_box.addItem(name, name)
        current = settings.get(S.MODEL)
        if current and self.model_box.findData(current) < 0:
            self.model_box.addItem(f"{current} (not installed)", current)
        self.model_box.setCurrentIndex(max(self.model_box.findData(current), 0))
        self.theme_box = QComboBox()
        self.theme_box.setObjectName("themeBox")
        for theme in THEMES:
            self.theme_box.addItem(theme.capitalize(), theme)
        self.theme_box.setCurrentIndex(max(self.theme_box.findData(settings.get(S.THEME)), 0))
        note = QLabel("A new model applies to the next analysis; existing results stay.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Language model", self.model_box)
        form.addRow("", note)
        form.addRow("Theme", self.theme_box)
        form.addRow(buttons)

    def accept(self) -> None:
        self.settings.set(S.MODEL, self.model_box.currentData())
        self.settings.set(S.THEME, self.theme_box.currentData())
        super().accept()
