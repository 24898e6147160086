"""The sample article goes only into a database the app has just created, into its own
collection (issue 18 item 12: it was added to any empty database, a user's database for real
work included, and then went out in its exports).

The window is opened as ``app.run_app`` opens it (``open_window`` after looking whether the
file existed), and once for real through ``python -m desktop``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from desktop.domain import Article
from desktop.services.library import SAMPLE_COLLECTION, SAMPLE_ID
from desktop.store import Database
from desktop.store import repository as repo

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]


def contents(path: Path) -> list[tuple[str, str]]:
    """(collection, external id) of every article, read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute(
                "SELECT c.name, a.external_id FROM article a JOIN collection c"
                " ON c.id = a.collection_id"
            ).fetchall()
        )
    finally:
        conn.close()


def launch(qtbot, path: Path, app_settings) -> None:  # type: ignore[no-untyped-def]
    """Open the window on ``path`` as the app does, let its start-up work finish, close it."""
    from desktop.ui.app import open_window
    from desktop.ui.tasks import TaskRunner

    created = not path.exists()
    db = Database.open(path, daily_backup=False)
    runner = TaskRunner()
    try:
        window = open_window(db, created, app_settings, runner, None)
        window.quiet = True
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: not window.seeder.busy, timeout=10000)
        runner.wait(60000)
        window.close()
        runner.wait(60000)
    finally:
        db.close()


def make_existing(path: Path, articles: list[tuple[str, str]]) -> None:
    """A Quotedesk database made beforehand (by the CLI, say), holding ``articles``."""
    db = Database.open(path)
    try:
        with db.transaction() as session:
            for collection, external_id in articles:
                article = Article(external_id, f"Text of {external_id}.", external_id)
                repo.add_article(session, repo.collection(session, collection), article)
    finally:
        db.close()


@hypothesis_settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    articles=st.lists(
        st.tuples(
            st.sampled_from(["default", "work", SAMPLE_COLLECTION]),
            st.from_regex(r"[a-z]{1,8}", fullmatch=True),
        ),
        max_size=3,
        unique_by=lambda a: a[1],
    ),
    pending_elsewhere=st.booleans(),
)
def test_a_database_that_existed_is_never_seeded(
    qtbot, tmp_path_factory, settings, articles: list[tuple[str, str]], pending_elsewhere: bool
) -> None:  # type: ignore[no-untyped-def]
    """Empty or not, in any collections, with another database still waiting for its
    sample: a database that existed before the window opened is as it was after it closed."""
    from desktop.ui import settings as S

    folder = tmp_path_factory.mktemp("existing")
    path = folder / "work.sqlite3"
    make_existing(path, articles)
    settings.set(S.SAMPLE_PENDING, str(folder / "other.sqlite3") if pending_elsewhere else "")
    before = contents(path)
    launch(qtbot, path, settings)
    assert contents(path) == before


@pytest.mark.slow
def test_a_new_database_gets_the_sample_in_its_own_collection_once(
    qtbot, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    """First launch: the sample, in "Sample" (exports of the analyst's collections leave it
    out); deleted by the analyst, it does not come back on the next launch."""
    from desktop.ui import settings as S

    path = tmp_path / "new.sqlite3"
    launch(qtbot, path, settings)
    assert contents(path) == [("Sample", SAMPLE_ID)]
    assert settings.get(S.SAMPLE_PENDING) == ""  # seeded: nothing left to do

    conn = sqlite3.connect(path)
    with conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM article WHERE external_id = ?", (SAMPLE_ID,))
    conn.close()
    launch(qtbot, path, settings)
    assert contents(path) == []


def test_a_first_launch_that_ended_before_the_sample_is_finished_next_time(
    qtbot, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    """The app made the file and was killed before the sample went in: the settings
    remember it, and the next launch (the file now exists) adds the sample."""
    from desktop.ui import settings as S
    from desktop.ui.first_launch import offer_sample

    path = tmp_path / "interrupted.sqlite3"
    assert offer_sample(path, True, settings)  # what the killed launch did first
    Database.open(path).close()  # and it made the file
    assert settings.get(S.SAMPLE_PENDING)
    launch(qtbot, path, settings)
    assert contents(path) == [("Sample", SAMPLE_ID)]
    assert settings.get(S.SAMPLE_PENDING) == ""


def test_an_empty_db_database_stays_empty_after_the_window_opened_and_closed(
    tmp_path: Path,
) -> None:
    """Through the real entry point: ``quotedesk --db EMPTY`` opens the window on an empty
    database made before (the CLI's ``import`` makes one like it), which it then closes
    (``--open`` of a missing id in screenshot mode fails and exits): still no article."""
    path = tmp_path / "empty.sqlite3"
    make_existing(path, [])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / name.lower())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--db",
            str(path),
            "--open",
            "no-such-article",
            "--screenshot",
            str(tmp_path / "shot.png"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "no-such-article" in done.stderr
    assert contents(path) == []
