"""Closing the window while the language model loads ends the process at once (issue 16).

Each case is a real process (``desktop.cli.main`` on a new database, so the sample article
goes in and its analysis starts the model's load on a daemon thread) that closes all its
windows at a chosen moment: before, during or after the load. Whatever the moment: exit
status 0, nothing on stderr but Qt's own notes (no traceback, no fatal error from a thread
left inside spaCy), the settings written, and the sample article either analyzed whole or
untouched. A close during the load leaves with the load still running: nobody waited for it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp.pipeline import DEFAULT_MODEL, installed_pipelines
from desktop.services import library
from desktop.store import Database

pytestmark = [
    pytest.mark.gui,
    pytest.mark.slow,
    pytest.mark.skipif(
        DEFAULT_MODEL not in installed_pipelines(), reason="the spaCy pipeline is not installed"
    ),
]

QT_NOTES = ("This plugin does not support",)

# argv: DB WHEN DELAY. WHEN is "paint" (DELAY s after the first paint) or "loading" (DELAY s
# after the model's load is seen running). Prints "CLOSE <load running>" when it closes and,
# from the exit handlers the window's exit runs, "EXIT <load running>".
CHILD = """
import atexit, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
import desktop.ui.app as ui_app
from desktop.cli import main
from desktop.ui.model_state import load_running

db, when, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
atexit.register(lambda: print("EXIT", int(load_running()), flush=True))

class Closer(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if (not self.seen and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)):
            self.seen = True
            self.window = watched.window()
            if when == "paint":
                QTimer.singleShot(int(delay * 1000), self.close)
            else:
                self.poll = QTimer()
                self.poll.timeout.connect(self.look)
                self.poll.start(5)
        return False
    def look(self):
        if self.window.model.loading:
            self.poll.stop()
            QTimer.singleShot(int(delay * 1000), self.close)
    def close(self):
        print("CLOSE", int(load_running()), flush=True)
        QApplication.closeAllWindows()

make = ui_app.make_application
closers = []
def instrumented(argv=None):
    app = make(argv)
    closers.append(Closer())
    app.installEventFilter(closers[-1])
    return app
ui_app.make_application = instrumented
sys.exit(main(["--db", db]))
"""


def close_at(tmp_path: Path, when: str, delay: float) -> dict[str, int]:
    """Run the child on a new database in ``tmp_path``; check what every case must hold and
    return its CLOSE and EXIT figures."""
    home = tmp_path / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    db_path = tmp_path / "w.db"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db_path), when, repr(delay)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    stderr = [line for line in done.stderr.splitlines() if not line.startswith(QT_NOTES)]
    assert done.returncode == 0, done.stderr
    assert stderr == [], done.stderr
    figures = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        figures[name] = int(value)
    assert set(figures) == {"CLOSE", "EXIT"}, done.stdout
    config = list((home / "config").rglob("*.conf"))
    assert config and "geometry" in config[0].read_text(), config  # settings written
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db = Database.open(db_path)
    try:
        article_id = library.find_article(db, "sample-article")
        if article_id is not None:
            article = library.load_article(db, article_id, include_rejected=True)
            if library.is_analyzed(db, article_id):
                assert article.entities and article.quotes
            else:
                assert not article.entities and not article.quotes
    finally:
        db.close()
    return figures


def test_a_close_during_the_load_leaves_it_running_and_exits_cleanly(tmp_path: Path) -> None:
    """Closed just after the load was seen running, many times: every time the process left
    with the load unfinished, status 0, no traceback, everything whole."""
    for run in range(6):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        figures = close_at(folder, "loading", 0.02 * run)
        assert figures == {"CLOSE": 1, "EXIT": 1}, (run, figures)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    when=st.sampled_from(("paint", "loading")),
    delay=st.floats(min_value=0.0, max_value=3.0, allow_nan=False),
)
def test_a_close_at_any_moment_exits_cleanly(tmp_path: Path, when: str, delay: float) -> None:
    """Before, during or after the load and the sample's analysis: whatever the moment."""
    close_at(Path(tempfile.mkdtemp(dir=tmp_path)), when, delay)
