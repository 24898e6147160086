"""Analysis in worker processes: one per core, texts shipped out, plain results back.

Each worker is a fresh (spawned) interpreter that loads the pipeline once and runs
``analyze_texts`` over the chunks of texts it is sent, returning ``DocAnalysis`` /
``AnalysisFailure`` objects (plain domain dataclasses). The caller writes the database, so
a killed worker or a cancel can never leave an article half-written.

Spawn rather than fork: the window runs Qt threads, and forking a threaded process is not
safe; the frozen (PyInstaller) program supports spawn once ``freeze_support`` has run in its
``__main__``. A worker ignores Ctrl+C (the main process decides), and ends itself when the
main process is gone (kill -9 of it leaves no orphan parsing on).

A worker holds the pipeline (about 250 MB resident for ``en_core_web_sm``) plus one chunk
(at most ``CHUNK_TEXTS`` texts or ``CHUNK_CHARS`` characters, a longer text alone) and its
Docs; it is sent its next chunk only after returning the last, so memory stays bounded
whatever the number of articles.

A text longer than a piece is shipped out as its pieces, one job each, so a long article
runs on every worker; ``worker_pieces`` cuts it, reports each piece to the caller as it is
sent (as analysis in this process reports them) and puts the pieces' results together.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from desktop.nlp.analyzer import AnalysisFailure, PieceHook, Result, analyze_texts
from desktop.nlp.pieces import PIECE_CHARS
from desktop.nlp.pipeline import ModelError, load_pipeline
from desktop.nlp.worker_pieces import PieceOf, PieceReports, Plan, Unit, reassemble, split

CHUNK_TEXTS = 4
CHUNK_CHARS = 20_000
# below this much text, starting workers (each loads the model: about 2 s) costs more than
# it saves on two cores; measured in benchmarks/analysis.py
MIN_PARALLEL_CHARS = 150_000
POLL_S = 0.1  # how often a waiting caller's stop check runs
WORKER_DIED = "the analysis process ended unexpectedly (killed or out of memory)"

Check = Callable[[], None]


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worth_parallel(jobs: int, texts: int, chars: int, least: int = MIN_PARALLEL_CHARS) -> bool:
    """Whether ``texts`` texts of ``chars`` characters in all are worth ``jobs`` workers."""
    return jobs > 1 and texts > 1 and chars >= least


def chunks(texts: Iterable[str]) -> Iterator[list[str]]:
    """Consecutive runs of texts of bounded size (a long text is a chunk alone)."""
    return (run for run, _ in chunks_of((text, None) for text in texts))


Chunk = tuple[list[str], PieceOf | None]


def chunks_of(units: Iterable[Unit]) -> Iterator[Chunk]:
    """Consecutive runs of whole texts of bounded size (a long one alone), and each piece
    of a long text alone, with what piece it is."""
    run: list[str] = []
    size = 0
    for text, piece_of in units:
        if run and (
            piece_of is not None or len(run) >= CHUNK_TEXTS or size + len(text) > CHUNK_CHARS
        ):
            yield run, None
            run, size = [], 0
        if piece_of is not None:
            yield [text], piece_of
            continue
        run.append(text)
        size += len(text)
    if run:
        yield run, None


# --- the worker process ---------------------------------------------------------------


def _watch_parent(parent: int) -> None:
    """End this process when the main one is gone (its pid is no longer our parent)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def serve(conn: Connection, model: str | None, parent: int) -> None:
    """A worker's life: load the pipeline, then analyze each chunk received until ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        pipeline = load_pipeline(model)
    except ModelError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", pipeline.name, pipeline.version, pipeline.nlp.max_length))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        seq, first, texts, piece_chars = message
        conn.send((seq, first, list(analyze_texts(pipeline, texts, piece_chars))))


# --- the main process's side ----------------------------------------------------------


Job = tuple[int, int, list[str]]  # chunk number, index of its first text there, texts
TextAt = tuple[int, int]  # a text: its chunk number and its index in that chunk


@dataclass
class _Worker:
    process: Any  # multiprocessing's SpawnProcess
    conn: Connection
    job: Job | None = None
    ready: bool = False


@dataclass
class _Queue:
    """Jobs still to send: first the re-runs after a worker died, then the input's chunks."""

    source: Iterator[Chunk]
    again: list[Job] = field(default_factory=list)
    made: int = 0
    pieces: dict[int, PieceOf] = field(default_factory=dict)  # chunks that are a piece

    def next(self) -> Job | None:
        if self.again:
            return self.again.pop(0)
        chunk = next(self.source, None)
        if chunk is None:
            return None
        texts, piece_of = chunk
        self.made += 1
        if piece_of is not None:
            self.pieces[self.made - 1] = piece_of
        return (self.made - 1, 0, texts)


@dataclass
class _Run:
    """One ``analyze`` call's state: jobs to send, results by chunk, texts run again, and
    the pieces reported to the caller."""

    queue: _Queue
    reports: PieceReports
    piece_chars: int = PIECE_CHARS
    done: dict[int, list[Result | None]] = field(default_factory=dict)
    retried: set[TextAt] = field(default_factory=set)


class WorkerPool:
    """``jobs`` worker processes analyzing texts; use as a context manager, so that the
    workers are ended however the caller leaves (done, cancelled, failed)."""

    def __init__(self, model: str | None, jobs: int, check: Check | None = None) -> None:
        self.model = model
        self.jobs = max(1, jobs)
        self.check = check or (lambda: None)
        self.name = ""
        self.version = ""
        self.max_length = 10**9  # the pipeline's (the workers tell)
        self.deaths = 0  # workers that died and were replaced
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> tuple[str, str]:
        """Start the workers and wait until each has loaded the pipeline: its name and
        version. A pipeline that is not installed raises ``ModelError``."""
        self._workers = [self._spawn() for _ in range(self.jobs)]
        while not all(w.ready for w in self._workers):
            for worker in self._ready_workers():
                self._greeted(worker)
        return self.name, self.version

    def pids(self) -> list[int]:
        """The workers' process ids (for tests that kill one)."""
        return [w.process.pid for w in self._workers]

    def _spawn(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(theirs, self.model, os.getpid()), daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, mine)

    def _greeted(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            raise ModelError(f"the analysis process could not start ({WORKER_DIED})") from None
        if message[0] == "error":
            raise ModelError(message[1])
        _, self.name, self.version, max_length = message
        self.max_length = min(self.max_length, max_length)
        worker.ready = True

    def _ready_workers(self) -> list[_Worker]:
        """Workers with something to read (a message, or their end), running the caller's
        stop check every ``POLL_S``."""
        while True:
            self.check()
            waiting = {w.conn: w for w in self._workers}
            found = wait(list(waiting), timeout=POLL_S)
            if found:
                return [waiting[c] for c in found if isinstance(c, Connection)]

    def analyze(
        self,
        texts: Iterable[str],
        before_piece: PieceHook | None = None,
        piece_chars: int = PIECE_CHARS,
    ) -> Iterator[Result]:
        """One result per text, in order, computed by the workers; a text longer than
        ``piece_chars`` (or the pipeline's ``max_length``) goes out as its pieces, one job
        each, and its result is theirs put together, as ``analyze_texts`` makes it.

        ``before_piece(piece, pieces)`` is called as each piece is sent, when its text is
        the next to be yielded (else when it becomes so): the same calls, in the same order
        among the results, as ``analyze_texts`` makes; whatever it raises (a cancel) ends
        the analysis. A worker that dies over a chunk is replaced and the chunk run again
        text by text; a text that a worker dies over a second time is an
        ``AnalysisFailure``. While the caller handles a result (writes it), finished
        workers are given their next chunk."""
        limit = max(2, min(piece_chars, self.max_length))
        plans: deque[Plan] = deque()
        reports = PieceReports(before_piece)
        run = _Run(_Queue(chunks_of(split(texts, limit, plans))), reports, limit)
        return reassemble(plans, self._units(run), reports)

    def _units(self, run: _Run) -> Iterator[Result]:
        """The result of each unit (a whole text or a piece), in order."""
        following = 0  # the next chunk to yield, in order
        while True:
            self._refill(run)
            while following in run.done and all(r is not None for r in run.done[following]):
                for result in run.done.pop(following):
                    if result is not None:
                        yield result
                    self._collect(run, block=False)  # keep the workers busy meanwhile
                    self._refill(run)
                following += 1
            if not any(w.job is not None for w in self._workers):
                return
            self._collect(run, block=True)

    def _refill(self, run: _Run) -> None:
        """Give every idle worker its next job."""
        for worker in self._workers:
            if worker.job is None and (job := run.queue.next()) is not None:
                if job[1] == 0 and job[0] not in run.done:
                    run.done[job[0]] = [None] * len(job[2])
                if (piece_of := run.queue.pieces.get(job[0])) is not None:
                    run.reports.sent(piece_of)  # first: a cancel raised there sends nothing
                worker.job = job
                worker.conn.send((*job, run.piece_chars))

    def _collect(self, run: _Run, block: bool) -> None:
        """Take in what the workers have finished (waiting for one when ``block``)."""
        if block:
            ready = self._ready_workers()
        else:
            self.check()
            waiting = {w.conn: w for w in self._workers}
            ready = [
                waiting[c] for c in wait(list(waiting), timeout=0) if isinstance(c, Connection)
            ]
        for worker in ready:
            job, worker.job = worker.job, None
            try:
                seq, first, results = worker.conn.recv()
            except (EOFError, OSError):  # it died (an idle one too: replace it)
                self._replace(worker)
                if job is None:
                    continue
                seq, first = job[0], job[1]
                results = self._died_over(job, run.retried, run.queue)
            for i, result in enumerate(results):
                run.done[seq][first + i] = result

    def _died_over(self, job: Job, retried: set[TextAt], queue: _Queue) -> list[Result]:
        """A worker died over ``job``: run each of its texts again alone; a text it died
        over the second time fails (the results to fill in now)."""
        seq, first, texts = job
        if (seq, first) in retried and len(texts) == 1:
            return [AnalysisFailure(WORKER_DIED)]
        for i, text in enumerate(texts):
            retried.add((seq, first + i))
            queue.again.append((seq, first + i, [text]))
        return []

    def _replace(self, dead: _Worker) -> None:
        self.deaths += 1
        dead.process.join(timeout=1)
        dead.conn.close()
        fresh = self._spawn()
        index = self._workers.index(dead)
        self._workers[index] = fresh
        while not fresh.ready:
            self.check()
            if fresh.conn.poll(POLL_S):
                self._greeted(fresh)

    def close(self) -> None:
        """Ask idle workers to stop and kill busy ones (a cancel does not wait for a long
        article); then reap them all."""
        for worker in self._workers:
            try:
                if worker.job is None and worker.ready:
                    worker.conn.send(None)
                else:
                    worker.process.kill()
            except OSError:
                worker.process.kill()
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []
