"""Run the model over articles and store what it finds without touching human work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.nlp import AnalysisFailure, analyze_texts, load_pipeline
from desktop.nlp.analyzer import Result
from desktop.nlp.pieces import PIECE_CHARS
from desktop.nlp.pipeline import Pipeline
from desktop.nlp.workers import MIN_PARALLEL_CHARS, WorkerPool, default_jobs, worth_parallel
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.store import repository as repo
from desktop.store.database import Database
from desktop.store.models import ArticleRow

READ_BATCH = 32


class ArticlesFailed(Exception):
    """Some articles could not be analyzed (the others were): what the window shows."""


@dataclass
class AnalysisReport:
    analyzed: int = 0
    added: int = 0
    removed: int = 0
    kept_human: int = 0
    model: str = ""
    # one line per article the model or the quote engine failed on: it was left as it
    # was (not marked analyzed), so the next run tries it again
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command line and the window's status bar."""
        if not self.analyzed and not self.failed:
            return "nothing to analyze"
        line = (
            f"analyzed {self.analyzed} article(s) with {self.model}: "
            f"{self.added} model annotation(s) added, {self.removed} replaced, "
            f"{self.kept_human} human or rejected kept"
        )
        if self.failed:
            line += f"; {len(self.failed)} article(s) failed and will be tried again"
        return line


def load_model(name: str | None = None) -> Pipeline:
    """Load (once per process) the named pipeline or the best installed one."""
    return load_pipeline(name)


def analyze(
    db: Database,
    *,
    collection: str | None = None,
    ids: Sequence[int] | None = None,
    force: bool = False,
    model: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    jobs: int | None = None,
) -> AnalysisReport:
    """Analyze the given articles (default: those of the collection not analyzed yet; with
    ``force``, all of them). Each article is written in its own transaction, so a cancel
    leaves every article either fully analyzed or untouched. An article the model or the
    engine fails on is named in ``failed`` and left untouched; the others go on.

    With ``jobs`` above 1 (default: one per core) and enough text to pay for starting
    them, the parse and the attribution run in that many worker processes
    (``nlp/workers.py``; a long article's pieces on all of them); this process only reads
    texts and writes results. Either way a long article reports each of its pieces as it
    starts (the same calls in both), and a cancel takes effect before its next piece (in
    worker mode within ``POLL_S``)."""
    with db.session() as session:
        if ids is None:
            ids = repo.article_ids(session, collection, unanalyzed_only=not force)
        elif not force:
            ids = [i for i in ids if not repo.is_analyzed(session, i)]
    report = AnalysisReport()
    total = len(ids)
    if not total:
        progress(0, 0, "Nothing to analyze")
        return report
    jobs = min(default_jobs() if jobs is None else max(1, jobs), total)
    check = cancel.check if cancel is not None else None

    def before_piece(piece: int, pieces: int) -> None:  # a long article: cancel within it
        if cancel is not None:
            cancel.check()
        progress(report.analyzed, total, f"Analyzing a long article: part {piece + 1} of {pieces}")

    with ExitStack() as stack:
        results: Iterator[Result]
        if worth_parallel(
            jobs, total, _text_chars(db, ids, MIN_PARALLEL_CHARS), MIN_PARALLEL_CHARS
        ):
            progress(0, total, f"Starting {jobs} analysis processes")
            pool = stack.enter_context(WorkerPool(model, jobs, check))
            name, version = pool.start()
            results = pool.analyze(
                (text for batch in _batches(db, ids) for text in batch),
                before_piece=before_piece,
                piece_chars=PIECE_CHARS,
            )
        else:
            progress(0, total, "Loading the language model")
            pipeline = load_model(model)
            name, version = pipeline.name, pipeline.version
            results = (
                result
                for batch in _batches(db, ids)
                for result in analyze_texts(pipeline, batch, PIECE_CHARS, before_piece)
            )
        report.model = f"{name} {version}"
        for article_id, result in zip(ids, results, strict=True):
            if cancel is not None:
                cancel.check()
            _write(db, article_id, result, name, version, report)
            progress(report.analyzed, total, f"Analyzed {report.analyzed} of {total}")
    return report


def _batches(db: Database, ids: Sequence[int]) -> Iterator[list[str]]:
    """The articles' texts, ``READ_BATCH`` at a time, read as they are needed (the session
    is closed before each batch is handed on: no read stays open while results are written,
    nor in a generator a cancel leaves behind)."""
    for first in range(0, len(ids), READ_BATCH):
        with db.session() as session:
            texts = [repo.article_text(session, i) for i in ids[first : first + READ_BATCH]]
        yield texts


def _text_chars(db: Database, ids: Sequence[int], enough: int) -> int:
    """How many characters the articles hold in all (counting stops past ``enough``)."""
    chars = 0
    with db.session() as session:
        for first in range(0, len(ids), 500):
            part = ids[first : first + 500]
            chars += (
                session.scalar(
                    select(func.coalesce(func.sum(func.length(ArticleRow.text)), 0)).where(
                        ArticleRow.id.in_(part)
                    )
                )
                or 0
            )
            if chars >= enough:
                break
    return chars


def _write(
    db: Database, article_id: int, result: Result, name: str, version: str, report: AnalysisReport
) -> None:
    """Store one article's result in its own transaction (or name its failure)."""
    if isinstance(result, AnalysisFailure):
        with db.session() as session:
            report.failed.append(_failure_line(session, article_id, result.reason))
        return
    with db.transaction() as session:
        change = repo.apply_model_analysis(
            session, article_id, result.entities, result.attribution, name, version
        )
    report.analyzed += 1
    report.added += change.added
    report.removed += change.removed
    report.kept_human += change.kept_human


def _failure_line(session: Session, article_id: int, reason: str) -> str:
    """``article "ID" ("Title"): not analyzed (reason); ...`` in one line."""
    row = session.execute(
        select(ArticleRow.external_id, ArticleRow.title).where(ArticleRow.id == article_id)
    ).one()
    title = " ".join(row.title.split())
    named = f' ("{title[:60]}{"…" if len(title) > 60 else ""}")' if title else ""
    return (
        f"article {row.external_id!r}{named} was not analyzed ({reason}); it is left as it "
        "was and tried again on the next run"
    )
