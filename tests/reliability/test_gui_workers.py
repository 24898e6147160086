"""The window's analysis in worker processes: progress reaches the end, every article is
analyzed, and closing the window while workers parse ends them at once."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.domain import Article
from desktop.services import analysis
from desktop.store import Database
from desktop.store import repository as repo
from tests.reliability.test_crash_workers import alive, story, workers_of

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def add(db: Database, count: int, sentences: int) -> list[int]:
    with db.transaction() as s:
        cid = repo.collection(s)
        return [
            repo.add_article(s, cid, Article(f"g{n}", story(n, sentences), f"Story {n}")) or 0
            for n in range(count)
        ]


def test_the_window_analyzes_in_workers_with_progress(
    qtbot: QtBot, db: Database, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis, "MIN_PARALLEL_CHARS", 1)  # workers for a few articles
    ids = add(db, 12, 3)
    window = make_window(add_sample=False)
    window.show()
    seen: list[tuple[int, int]] = []
    original = analysis.analyze

    def watched(*args: Any, **kw: Any) -> Any:
        given = kw["progress"]
        kw["progress"] = lambda d, t, m: (seen.append((d, t)), given(d, t, m))[1]
        return original(*args, **kw)

    monkeypatch.setattr(analysis, "analyze", watched)
    window.commands.analyze_ids(ids)
    qtbot.waitUntil(lambda: (12, 12) in seen, timeout=180000)
    with db.session() as s:
        assert all(repo.is_analyzed(s, i) for i in ids)
    qtbot.waitUntil(lambda: workers_of(os.getpid()) == [], timeout=10000)


def test_closing_the_window_during_analysis_ends_the_workers(
    qtbot: QtBot, db: Database, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis, "MIN_PARALLEL_CHARS", 1)
    ids = add(db, 30, 30)
    window = make_window(add_sample=False)
    window.show()
    window.commands.analyze_ids(ids)
    qtbot.waitUntil(lambda: len(workers_of(os.getpid())) == 2, timeout=120000)
    started = workers_of(os.getpid())
    window.close()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in started) and time.monotonic() < deadline:
        qtbot.wait(50)
    assert not any(alive(w) for w in started)
    with db.session() as s:  # whatever was written is whole: analyzed or not, never half
        done = [i for i in ids if repo.is_analyzed(s, i)]
        for i in ids:
            if i not in done:
                assert repo.load_article(s, i).entities == []
