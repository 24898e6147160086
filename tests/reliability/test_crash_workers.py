"""Analysis in worker processes (nlp/workers.py) loses nothing and half-writes nothing:
a worker killed with SIGKILL is replaced and its texts analyzed again; the main process
killed with SIGKILL leaves every article whole (analyzed with all its annotations, or
untouched) and no worker behind; a cancel stops the workers; a missing model is one line.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.domain import Article, Origin
from desktop.nlp import ModelError, analyze_texts, load_pipeline, workers
from desktop.nlp.analyzer import DocAnalysis
from desktop.services import analysis
from desktop.services.progress import Cancelled, CancelToken
from desktop.store import Database
from desktop.store import repository as repo

REPO = Path(__file__).resolve().parents[2]
NAMES = ["Maria Olsen", "Tom Becker", "the council", "Dr. Ines Roth", "Paul Weir"]


def story(n: int, sentences: int) -> str:
    """A made-up news text with quotes and names (my own sentences)."""
    lines = []
    for i in range(sentences):
        who = NAMES[(n + i) % len(NAMES)]
        lines.append(
            f'{who} said "the bridge on route {n * 7 + i} will open in spring." '
            f"According to {NAMES[(n + i + 2) % len(NAMES)]}, the cost rose by {i + 3} percent."
        )
        if i % 3 == 2:
            lines.append("\n\n")
    return " ".join(lines)


def add_stories(db: Database, count: int, sentences: int) -> list[int]:
    with db.transaction() as s:
        collection = repo.collection(s)
        return [
            repo.add_article(s, collection, Article(external_id=f"w{n}", text=story(n, sentences)))
            or 0
            for n in range(count)
        ]


def workers_of(pid: int) -> list[int]:
    """Live analysis workers whose parent is ``pid`` (read from /proc; multiprocessing's
    resource tracker, also a child, is not one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or not alive(int(entry.name)):
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (not gone, not a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def model_entities(db_path: Path) -> dict[str, tuple[bool, list[tuple[int, int, str]]]]:
    """external id -> (marked analyzed, its model entities), read with plain sqlite3."""
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        out: dict[str, tuple[bool, list[tuple[int, int, str]]]] = {}
        for aid, ext, analyzed in con.execute("SELECT id, external_id, analyzed_at FROM article"):
            ents = con.execute(
                'SELECT start, "end", label FROM entity WHERE article_id = ? AND origin = '
                "'model' ORDER BY start, \"end\", label",
                (aid,),
            ).fetchall()
            out[ext] = (analyzed is not None, [tuple(e) for e in ents])
        return out
    finally:
        con.close()


def expected_entities(texts: dict[str, str]) -> dict[str, list[tuple[int, int, str]]]:
    """What one process analyzing each text finds (the reference for whole articles)."""
    results = analyze_texts(load_pipeline(), list(texts.values()))
    out = {}
    for ext, result in zip(texts, results, strict=True):
        assert isinstance(result, DocAnalysis)
        out[ext] = sorted((e.start, e.end, e.label) for e in result.entities)
    return out


def stored_entities(db: Database) -> dict[str, tuple[bool, list[tuple[int, int, str]]]]:
    """The same as ``model_entities``, read through the store (any engine)."""
    out: dict[str, tuple[bool, list[tuple[int, int, str]]]] = {}
    with db.session() as s:
        for aid in repo.article_ids(s):
            article = repo.load_article(s, aid)
            ents = sorted(
                (e.start, e.end, e.label) for e in article.entities if e.origin == Origin.MODEL
            )
            out[article.external_id] = (repo.is_analyzed(s, aid), ents)
    return out


def check_whole(where: Path | Database, count: int, sentences: int) -> int:
    """Every article analyzed with all its entities or left without any; how many were."""
    stored = model_entities(where) if isinstance(where, Path) else stored_entities(where)
    analyzed = {ext for ext, (done, _) in stored.items() if done}
    for ext, (done, ents) in stored.items():
        if not done:
            assert ents == [], f"{ext} holds model entities but is not marked analyzed"
    texts = {f"w{n}": story(n, sentences) for n in range(count) if f"w{n}" in analyzed}
    for ext, ents in expected_entities(texts).items():
        assert stored[ext][1] == ents, f"{ext} is half-analyzed"
    return len(analyzed)


@pytest.fixture
def parallel_from_little(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for a few short articles (the real threshold wants 150,000 characters)."""
    monkeypatch.setattr(analysis, "MIN_PARALLEL_CHARS", 1)


@pytest.mark.slow
def test_a_worker_killed_mid_analysis_is_replaced_and_nothing_is_lost(
    db: Database, parallel_from_little: None
) -> None:
    ids = add_stories(db, 24, 3)
    killed: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if done == 3 and not killed:
            workers = workers_of(os.getpid())
            assert len(workers) >= 2, "the analysis runs in worker processes"
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])

    report = analysis.analyze(db, jobs=2, progress=progress)
    assert killed
    assert (report.analyzed, report.failed) == (len(ids), [])
    assert check_whole(db, 24, 3) == 24
    assert workers_of(os.getpid()) == [], "no worker is left once the analysis is done"


@pytest.mark.slow
def test_a_cancel_stops_the_workers_and_leaves_every_article_whole(
    db: Database, parallel_from_little: None
) -> None:
    add_stories(db, 24, 3)
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if done == 4:
            token.cancel()

    with pytest.raises(Cancelled):
        analysis.analyze(db, jobs=2, progress=progress, cancel=token)
    assert workers_of(os.getpid()) == []
    assert 4 <= check_whole(db, 24, 3) < 24
    again = analysis.analyze(db, jobs=2)
    assert again.failed == [] and check_whole(db, 24, 3) == 24


@pytest.mark.slow
def test_a_model_that_is_not_installed_is_one_line_from_the_workers(
    db: Database, parallel_from_little: None
) -> None:
    add_stories(db, 4, 2)
    with pytest.raises(ModelError, match="is not installed"):
        analysis.analyze(db, jobs=2, model="no_such_pipeline_here")
    assert workers_of(os.getpid()) == []


@pytest.mark.slow
def test_sigkill_of_the_main_process_leaves_every_article_whole_and_no_worker(
    tmp_path: Path,
) -> None:
    """The command line with its real threshold: enough text for two workers."""
    db_path = tmp_path / "k.sqlite3"
    db = Database.open(db_path)
    count, sentences = 40, 36
    assert sum(len(story(n, sentences)) for n in range(count)) > workers.MIN_PARALLEL_CHARS
    add_stories(db, count, sentences)
    db.close()
    child = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--db", str(db_path), "analyze", "--jobs", "2"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            done = sum(1 for analyzed, _ in model_entities(db_path).values() if analyzed)
            if done >= 2:
                break
            assert child.poll() is None, "the analysis ended before it could be killed"
            time.sleep(0.2)
        started = workers_of(child.pid)
        assert len(started) == 2
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    gone = time.monotonic() + 10
    while any(alive(w) for w in started) and time.monotonic() < gone:
        time.sleep(0.1)
    assert not any(alive(w) for w in started), "the workers end when the main process is gone"
    assert 2 <= check_whole(db_path, count, sentences) < count
