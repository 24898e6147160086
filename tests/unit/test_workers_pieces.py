"""A long text's pieces in worker mode (nlp/workers.py, nlp/worker_pieces.py): they are
shipped out one by one, so one long text runs on every worker; the caller hears of each
piece as it is sent, in the same calls and the same order among the results as analysis in
this process makes them, and gets the same result, whatever the texts' lengths, the piece
size and the chunking."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp import analyze_texts, load_pipeline, workers
from desktop.nlp.analyzer import PieceHook, Result
from desktop.nlp.pieces import piece_ranges
from desktop.nlp.workers import WorkerPool

# sentences of my own making; the blank lines give the cutter paragraph breaks
SENTENCES = [
    'Hanne Voss said "the ferry to Ostrand will run twice a day from April."',
    "The dockers, according to their spokesman Luis Barreto, voted to stop work.",
    "Rain fell all week.",
    '"Nobody told us," the mayor of Kettering told the local paper.',
    "\n\n",
    "Milk prices fell again in June, the cooperative said.",
]

Event = tuple[str, int, object, object]  # what, results taken so far, two details


def story(sentences: int, shift: int) -> str:
    return " ".join(SENTENCES[(shift + i) % len(SENTENCES)] for i in range(sentences))


def events(run: Callable[[PieceHook], Iterable[Result]], total: int) -> list[Event]:
    """What a caller that writes each result hears: ``("piece", done, piece, pieces)``
    before each piece, ``("result", done, result, None)`` after each result."""
    heard: list[Event] = []
    done = 0

    def before_piece(piece: int, pieces: int) -> None:
        heard.append(("piece", done, piece, pieces))

    for result in run(before_piece):
        done += 1
        heard.append(("result", done, result, None))
    assert done == total
    return heard


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(None, 2) as started:
        started.start()
        yield started


@pytest.mark.slow
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lengths=st.lists(st.integers(1, 40), min_size=1, max_size=8),
    piece_chars=st.integers(150, 2_500),
    chunk_texts=st.integers(1, 4),
    chunk_chars=st.integers(100, 6_000),
)
def test_workers_report_the_pieces_this_process_reports(
    pool: WorkerPool,
    monkeypatch: pytest.MonkeyPatch,
    lengths: list[int],
    piece_chars: int,
    chunk_texts: int,
    chunk_chars: int,
) -> None:
    monkeypatch.setattr(workers, "CHUNK_TEXTS", chunk_texts)
    monkeypatch.setattr(workers, "CHUNK_CHARS", chunk_chars)
    texts = [story(n, i) for i, n in enumerate(lengths)]
    here = events(lambda hook: analyze_texts(load_pipeline(), texts, piece_chars, hook), len(texts))
    there = events(lambda hook: pool.analyze(iter(texts), hook, piece_chars), len(texts))
    assert there == here

    # as progress: never back, ending at the total, every piece of every long text once
    done = [e[1] for e in there]
    assert done == sorted(done) and done[-1] == len(texts)
    pieces = [(e[1], e[2], e[3]) for e in there if e[0] == "piece"]
    expected = [
        (i, p, len(piece_ranges(t, piece_chars)))
        for i, t in enumerate(texts)
        if len(t) > piece_chars
        for p in range(len(piece_ranges(t, piece_chars)))
    ]
    assert pieces == expected


@pytest.mark.slow
def test_one_long_text_reports_its_pieces_while_the_workers_run_them(pool: WorkerPool) -> None:
    """The pieces are heard as they are sent, not when the text is done: the first is
    heard near the start of the run (a ratio of times within this one run)."""
    text = story(240, 0)
    heard: list[float] = []
    started = time.monotonic()
    (result,) = pool.analyze([text], lambda piece, pieces: heard.append(time.monotonic()), 600)
    finished = time.monotonic()
    assert len(heard) == len(piece_ranges(text, 600)) > 10
    assert (finished - heard[0]) > 0.5 * (finished - started)
    assert heard == sorted(heard) and heard[-1] < finished


def cpu_seconds(pid: int) -> float:
    """User and system time a process has used (from /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
def test_one_long_text_runs_on_every_worker(pool: WorkerPool) -> None:
    before = {pid: cpu_seconds(pid) for pid in pool.pids()}
    list(pool.analyze([story(400, 1)], None, 600))
    used = [cpu_seconds(pid) - before[pid] for pid in pool.pids()]
    assert len(used) == 2 and min(used) > 0.2 * max(used) > 0
