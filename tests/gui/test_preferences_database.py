"""Preferences ▸ Database: a file or a PostgreSQL URL for the window's next start, checked
as it is given and never saved with a password."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from desktop.paths import default_db, default_db_path
from desktop.ui import settings as S
from desktop.ui.preferences import PreferencesDialog

pytestmark = pytest.mark.gui


def test_a_file_or_a_url_is_kept_and_a_bad_one_is_said(qtbot: Any, settings: S.Settings) -> None:
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.database_edit.text() == ""
    dialog.database_edit.setText("mysql://ann@host/news")
    dialog.accept()
    assert "not a mysql:// URL" in dialog.database_note.text()
    assert settings.get(S.DATABASE) == ""
    url = "postgresql://ann@db.example:5432/news?sslmode=require"
    dialog.database_edit.setText(url)
    dialog.accept()
    assert settings.get(S.DATABASE) == url
    again = PreferencesDialog(settings)
    qtbot.addWidget(again)
    assert again.database_edit.text() == url


@hsettings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(secret=st.text(max_size=20).map(lambda s: f"Pw~{s}"))
def test_a_password_is_never_saved(qtbot: Any, settings: S.Settings, secret: str) -> None:
    settings.set(S.DATABASE, "")
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.database_edit.setText(f"postgresql://ann:{quote(secret, safe='')}@host/news")
    dialog.accept()
    assert settings.get(S.DATABASE) == ""
    assert "pgpass" in dialog.database_note.text() and "Pw~" not in dialog.database_note.text()


def test_the_window_takes_db_then_the_environment_then_the_preference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "postgresql://ann@host/news"
    monkeypatch.delenv("QUOTEDESK_DB", raising=False)
    assert default_db() == str(default_db_path())
    assert default_db(url) == url
    monkeypatch.setenv("QUOTEDESK_DB", "/data/q.sqlite3")
    assert default_db(url) == "/data/q.sqlite3"
