"""A missing language model is one failure, and one dialog, whichever paths report it
(issue 18 item 12: the model's load and the sample's analysis showed two identical dialogs).

The window asks its ``ModelState`` before it shows a ``ModelError``: the first report of a
failure (this model, this message) is a dialog, later ones are a status-bar line, until the
model loads or another model is chosen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain import Article
from desktop.nlp.pipeline import DEFAULT_MODEL, installed_pipelines
from desktop.store import Database
from desktop.store import repository as repo

pytestmark = pytest.mark.gui

MISSING = ("no_such_pipeline_a", "no_such_pipeline_b")
needs_model = pytest.mark.skipif(
    DEFAULT_MODEL not in installed_pipelines(), reason="the spaCy pipeline is not installed"
)


def add_article(db: Database, text: str = "Ann Lee said the bridge was safe.") -> int:
    with db.transaction() as session:
        return repo.add_article(session, repo.collection(session), Article("m1", text, "M"))


class DialogCounter:
    """Closes every modal dialog the window opens and keeps its text."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._close)
        self.timer.start()

    def _close(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.texts.append(box.text())
            box.done(0)


@pytest.mark.slow
def test_a_missing_model_on_first_launch_shows_one_dialog(qtbot, db, settings) -> None:  # type: ignore[no-untyped-def]
    """Load, the sample's analysis, an import's analysis and an --open all hit the missing
    model: one real dialog, and every later report still reaches the status bar."""
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    counter = DialogCounter()
    window = MainWindow(db, TaskRunner(), settings, model_name=MISSING[0], add_sample=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model_label.text() == "Model: not available", timeout=30000)
    qtbot.waitUntil(lambda: window.articles.rowCount() == 1, timeout=30000)  # the sample
    window.runner.wait(30000)
    qtbot.waitUntil(lambda: len(counter.texts) >= 1, timeout=10000)
    window.open_external("sample-article")
    qtbot.wait(300)
    window.runner.wait(30000)
    qtbot.wait(300)
    assert len(counter.texts) == 1, counter.texts
    assert MISSING[0] in counter.texts[0]
    assert MISSING[0] in window.statusBar().currentMessage()
    counter.timer.stop()
    window.close()


@needs_model
def test_any_sequence_of_loads_analyses_and_switches_shows_each_failure_once(
    qtbot, make_window, db: Database
) -> None:  # type: ignore[no-untyped-def]
    """Through the real paths (the model's load, an analysis, the preferences' switch), the
    number of dialogs is the number of distinct failures: a failure is shown again only
    after the model loaded or another model was chosen."""
    article_id = add_article(db)
    window = make_window(add_sample=False, synchronous=True)
    window.model.load()
    shown: list[str] = []
    window.failed.connect(shown.append)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        steps=st.lists(
            st.one_of(
                st.tuples(st.just("use"), st.sampled_from((None, *MISSING))),
                st.tuples(st.just("load"), st.none()),
                st.tuples(st.just("analyze"), st.none()),
            ),
            max_size=12,
        )
    )
    def run(steps: list[tuple[str, str | None]]) -> None:
        window.model.use(None)  # every example starts from a loaded model
        shown.clear()
        name: str | None = None
        already = False  # the current model's failure has been shown
        expected = 0
        for step, arg in steps:
            if step == "use":
                if arg == name:
                    continue
                name, already = arg, False
                window.model.use(arg)
            elif step == "load":
                window.model.load()
            else:
                window.analyze_ids([article_id], force=True)
            if name is not None and not already:
                expected, already = expected + 1, True
        assert len(shown) == expected, (steps, shown)
        assert all(any(m in s for m in MISSING) for s in shown)
        label = window.model_label.text()
        if name is None:
            assert label.startswith("Model: en_core_web"), label
        else:
            assert label == "Model: not available"

    run()


def test_the_dialog_counter_sees_a_real_dialog(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The helper above is not vacuous: a warning box opened for real is counted."""
    counter = DialogCounter()
    QMessageBox.warning(None, "Quotedesk", "one line")
    assert counter.texts == ["one line"]
    counter.timer.stop()
