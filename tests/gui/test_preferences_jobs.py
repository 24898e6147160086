"""Preferences ▸ Analysis processes: 0 is one per core, 1 analyzes in the app itself."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.nlp.workers import default_jobs
from desktop.ui import settings as S
from desktop.ui.preferences import PreferencesDialog

pytestmark = pytest.mark.gui


def test_the_number_of_analysis_processes_is_kept(qtbot: Any, settings: S.Settings) -> None:
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.jobs_box.value() == 0
    assert dialog.jobs_box.text() == f"One per core ({default_jobs()})"
    dialog.jobs_box.setValue(1)
    dialog.accept()
    assert settings.get(S.ANALYSIS_JOBS) == 1
    again = PreferencesDialog(settings)
    qtbot.addWidget(again)
    assert again.jobs_box.value() == 1
