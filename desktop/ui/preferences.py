"""The preferences dialog: the spaCy pipeline to analyze with, how many processes analyze,
the theme, the database the window opens (a file or a PostgreSQL URL), and, opened from
the window, the name this database's edits are recorded under."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop.store.location import parse_location, shown
from desktop.ui import annotator_name
from desktop.ui import settings as S
from desktop.ui.theme import THEMES
from desktop.ui.window_host import WindowHost


class PreferencesDialog(QDialog):
    def __init__(self, settings: S.Settings, parent: QWidget | None = None) -> None:
        from desktop.nlp import installed_pipelines
        from desktop.nlp.workers import default_jobs

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
        self.jobs_box = QSpinBox()
        self.jobs_box.setObjectName("jobsBox")
        self.jobs_box.setRange(0, max(default_jobs() * 2, 8))
        self.jobs_box.setSpecialValueText(f"One per core ({default_jobs()})")
        self.jobs_box.setValue(max(0, settings.get(S.ANALYSIS_JOBS)))
        self.jobs_box.setToolTip(
            "Worker processes for analyzing many articles at once (1: analyze in the app "
            "itself). Each holds its own copy of the model, about 300 MB."
        )
        self.theme_box = QComboBox()
        self.theme_box.setObjectName("themeBox")
        for theme in THEMES:
            self.theme_box.addItem(theme.capitalize(), theme)
        self.theme_box.setCurrentIndex(max(self.theme_box.findData(settings.get(S.THEME)), 0))
        self.database_edit = QLineEdit(settings.get(S.DATABASE))
        self.database_edit.setObjectName("databaseEdit")
        self.database_edit.setPlaceholderText("the file in the user data folder")
        self.database_edit.setToolTip(
            "A SQLite file, or a PostgreSQL URL (postgresql://user@host:5432/dbname); the "
            "password belongs in ~/.pgpass. Used from the next start, when neither --db "
            "nor QUOTEDESK_DB names one."
        )
        self.database_note = QLabel("")
        self.database_note.setObjectName("databaseNote")
        self.database_note.setWordWrap(True)
        host = parent if isinstance(parent, WindowHost) else None
        self.window_host = host
        self.annotator_edit = QLineEdit(annotator_name.default_name(host.db) if host else "")
        self.annotator_edit.setObjectName("annotatorEdit")
        self.annotator_edit.setToolTip(
            "The name your edits in this database are recorded under (on a PostgreSQL "
            "server, your login role is the name it lets write your layer)"
        )
        self.annotator_note = QLabel("")
        self.annotator_note.setObjectName("annotatorNote")
        self.annotator_note.setWordWrap(True)
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
        form.addRow("Analysis processes", self.jobs_box)
        form.addRow("Theme", self.theme_box)
        form.addRow("Database", self.database_edit)
        form.addRow("", self.database_note)
        if host is not None:
            form.addRow("Annotator name", self.annotator_edit)
            form.addRow("", self.annotator_note)
        form.addRow(buttons)

    def accept(self) -> None:
        from desktop.store import StoreError

        database = self.database_edit.text().strip()
        try:
            if database:
                parse_location(database)
        except StoreError as exc:  # said under the field; nothing is saved
            self.database_note.setText(str(exc))
            return
        if shown(database) != database:
            self.database_note.setText(
                "Leave the password out: Quotedesk never saves one. Put it in ~/.pgpass "
                "(or PGPASSWORD, or a service file)."
            )
            return
        host, name = self.window_host, self.annotator_edit.text().strip()
        if host is not None and name != annotator_name.default_name(host.db):
            problem = annotator_name.check_name(name)
            if problem:
                self.annotator_note.setText(problem)
                return
            self.settings.set(annotator_name.setting_for(host.db), name)
            annotator_name.apply(host, name)
        self.settings.set(S.DATABASE, database)
        self.settings.set(S.MODEL, self.model_box.currentData())
        self.settings.set(S.ANALYSIS_JOBS, self.jobs_box.value())
        self.settings.set(S.THEME, self.theme_box.currentData())
        super().accept()
