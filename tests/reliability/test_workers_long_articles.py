"""Long articles analyzed in worker processes (issue 16): progress moves piece by piece as
it does in one process (the same calls: a property over article lengths and piece sizes),
a cancel inside a long article stops before its next piece, and kill -9 of a worker or of
the main process inside a long article leaves every article whole.

Pieces are made small (``analysis.PIECE_CHARS``) so that an article of a few thousand
characters is a long one; the texts are my own sentences.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article
from desktop.nlp import analyze_texts, load_pipeline, workers
from desktop.nlp.analyzer import DocAnalysis
from desktop.nlp.pieces import piece_ranges
from desktop.services import analysis
from desktop.services.progress import Cancelled, CancelToken
from desktop.store import Database
from desktop.store import repository as repo
from tests.reliability.test_crash_workers import alive, model_entities, workers_of

REPO = Path(__file__).resolve().parents[2]
PIECE = 700
PART = re.compile(r"Analyzing a long article: part (\d+) of (\d+)")
SENTENCES = [
    'Greta Lund said "the night trains to Varn will stop in November."',
    "According to Omar Haddad, the depot needs forty more drivers.",
    '"We asked twice," the union told the Harwick Courier.',
    "\n\n",
    "The ministry, its spokeswoman Ada Brill said, will answer next week.",
]

Progress = list[tuple[int, int, str]]


def story(sentences: int, shift: int = 0) -> str:
    return " ".join(SENTENCES[(shift + i) % len(SENTENCES)] for i in range(sentences))


def fill(db: Database, texts: list[str]) -> list[int]:
    with db.transaction() as s:
        collection = repo.collection(s)
        return [
            repo.add_article(s, collection, Article(external_id=f"l{i}", text=t)) or 0
            for i, t in enumerate(texts)
        ]


def expected(texts: list[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Each text's model entities as one process finds them with the same pieces."""
    out = {}
    for i, result in enumerate(analyze_texts(load_pipeline(), texts, PIECE)):
        assert isinstance(result, DocAnalysis)
        out[f"l{i}"] = sorted((e.start, e.end, e.label) for e in result.entities)
    return out


def whole(db_path: Path, texts: list[str]) -> set[str]:
    """Every article analyzed with all its entities, or without any: the analyzed ones."""
    stored = model_entities(db_path)
    for ext, (done, ents) in stored.items():
        if not done:
            assert ents == [], f"{ext} holds model entities but is not marked analyzed"
    analyzed = {ext for ext, (done, _) in stored.items() if done}
    reference = expected(texts)
    for ext in analyzed:
        assert stored[ext][1] == reference[ext], f"{ext} is half-analyzed"
    return analyzed


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for a little text, pieces of ``PIECE`` characters, one text a chunk (so
    the long article is the one a worker is busy with)."""
    monkeypatch.setattr(analysis, "MIN_PARALLEL_CHARS", 1)
    monkeypatch.setattr(analysis, "PIECE_CHARS", PIECE)
    monkeypatch.setattr(workers, "CHUNK_TEXTS", 1)


def run(db_path: Path, jobs: int, cancel: CancelToken | None = None) -> Progress:
    seen: Progress = []
    db = Database.open(db_path)
    try:
        analysis.analyze(
            db, jobs=jobs, cancel=cancel, progress=lambda d, t, m: seen.append((d, t, m))
        )
    finally:
        db.close()
    return seen


@pytest.mark.slow
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lengths=st.lists(st.integers(1, 45), min_size=2, max_size=5),
    piece=st.integers(300, 2_000),
)
def test_progress_in_workers_is_the_progress_in_one_process(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lengths: list[int],
    piece: int,
) -> None:
    monkeypatch.setattr(analysis, "MIN_PARALLEL_CHARS", 1)
    monkeypatch.setattr(analysis, "PIECE_CHARS", piece)
    texts = [story(n, i) for i, n in enumerate(lengths)]
    got = {}
    for jobs in (1, 2):
        path = tmp_path / f"{uuid.uuid4().hex}.sqlite3"
        db = Database.open(path)
        fill(db, texts)
        db.close()
        got[jobs] = run(path, jobs)
    one, two = got[1], got[2]
    assert one[0][2] == "Loading the language model"
    assert two[0][2] == "Starting 2 analysis processes"
    assert two[1:] == one[1:]  # after the start, the very same calls
    done = [d for d, _, _ in two]
    assert done == sorted(done) and done[-1] == len(texts)
    assert all(t == len(texts) for _, t, _ in two)
    parts = [(int(m.group(1)), int(m.group(2))) for _, _, s in two if (m := PART.match(s))]
    assert parts == [
        (k + 1, len(piece_ranges(t, piece)))
        for t in texts
        if len(t) > piece
        for k in range(len(piece_ranges(t, piece)))
    ]


@pytest.mark.slow
def test_a_cancel_inside_a_long_article_in_a_worker_stops_before_its_next_piece(
    tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "c.sqlite3"
    db = Database.open(path)
    texts = [story(3), story(60, 1), story(3, 2)]
    fill(db, texts)
    db.close()
    token = CancelToken()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if message.startswith("Analyzing a long article: part 3 of"):
            token.cancel()

    db = Database.open(path)
    try:
        with pytest.raises(Cancelled):
            analysis.analyze(db, jobs=2, progress=progress, cancel=token)
    finally:
        db.close()
    parts = [int(m.group(1)) for s in seen if (m := PART.match(s))]
    assert parts == [1, 2, 3]  # not one piece after the cancel
    assert workers_of(os.getpid()) == []
    assert whole(path, texts) == {"l0"}  # the long one untouched


@pytest.mark.slow
def test_a_worker_killed_inside_a_long_article_is_replaced_and_the_article_is_whole(
    tmp_path: Path, small_pieces: None
) -> None:
    path = tmp_path / "k.sqlite3"
    db = Database.open(path)
    texts = [story(3), story(60, 1), story(3, 2), story(4, 3)]
    fill(db, texts)
    db.close()
    killed: list[int] = []
    parts: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if (m := PART.match(message)) is not None:
            parts.append(int(m.group(1)))
            if m.group(1) == "2" and not killed:  # both: one of them is cutting it
                killed.extend(workers_of(os.getpid()))
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)

    db = Database.open(path)
    try:
        report = analysis.analyze(db, jobs=2, progress=progress)
    finally:
        db.close()
    assert killed
    assert (report.analyzed, report.failed) == (len(texts), [])
    assert parts == sorted(set(parts)) and parts[0] == 1  # never back, never twice
    assert whole(path, texts) == {f"l{i}" for i in range(len(texts))}
    assert not any(alive(p) for p in killed)


CHILD = textwrap.dedent(
    """
    import sys
    from desktop.nlp import workers
    from desktop.services import analysis
    from desktop.store import Database

    workers.CHUNK_TEXTS = 1
    analysis.MIN_PARALLEL_CHARS = 1
    analysis.PIECE_CHARS = {piece}
    db = Database.open(sys.argv[1])
    analysis.analyze(db, jobs=2, progress=lambda d, t, m: print(m, flush=True))
    """
)


@pytest.mark.slow
def test_sigkill_of_the_main_process_inside_a_long_article_leaves_it_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.sqlite3"
    db = Database.open(path)
    texts = [story(3), story(150, 1), story(3, 2), story(3, 4)]
    fill(db, texts)
    db.close()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(piece=PIECE), str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("Analyzing a long article: part 4 of"):
                break
        else:
            pytest.fail("the analysis ended before the long article's fourth piece")
        started = workers_of(child.pid)
        assert len(started) == 2
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    gone = time.monotonic() + 10
    while any(alive(w) for w in started) and time.monotonic() < gone:
        time.sleep(0.1)
    assert not any(alive(w) for w in started), "the workers end when the main process is gone"
    analyzed = whole(path, texts)
    assert "l1" not in analyzed and len(analyzed) < len(texts)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_no_database_connection_is_held_between_articles(
    db: Database, small_pieces: None, jobs: int
) -> None:
    """Between two articles (as progress is reported, and when a cancel comes) the
    analysis holds no connection: the texts are read in short sessions, not in one kept
    open across the writes (a read held open on a server, or in a generator a cancel
    leaves behind)."""
    fill(db, [story(3, i) for i in range(5)] + [story(30, 1)])
    held: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("Analyzed"):
            held.append(db.engine.pool.checkedout())

    analysis.analyze(db, jobs=jobs, progress=progress)
    assert held and set(held) == {0}
