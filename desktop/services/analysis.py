"""Run the model over articles and store what it finds without touching human work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.nlp import AnalysisFailure, analyze_texts, load_pipeline
from desktop.nlp.pipeline import Pipeline
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
) -> AnalysisReport:
    """Analyze the given articles (default: those of the collection not analyzed yet; with
    ``force``, all of them). Each article is written in its own transaction, so a cancel
    leaves every article either fully analyzed or untouched. An article the model or the
    engine fails on is named in ``failed`` and left untouched; the others go on."""
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
    progress(0, total, "Loading the language model")
    pipeline = load_model(model)
    report.model = f"{pipeline.name} {pipeline.version}"

    def before_piece(piece: int, pieces: int) -> None:  # a long article: cancel within it
        if cancel is not None:
            cancel.check()
        progress(report.analyzed, total, f"Analyzing a long article: part {piece + 1} of {pieces}")

    for first in range(0, total, READ_BATCH):
        chunk = ids[first : first + READ_BATCH]
        with db.session() as session:
            texts = [repo.article_text(session, i) for i in chunk]
        results = analyze_texts(pipeline, texts, before_piece=before_piece)
        for article_id, result in zip(chunk, results, strict=True):
            if cancel is not None:
                cancel.check()
            if isinstance(result, AnalysisFailure):
                with db.session() as session:
                    report.failed.append(_failure_line(session, article_id, result.reason))
                progress(report.analyzed, total, f"Skipped article {article_id}: it failed")
                continue
            with db.transaction() as session:
                change = repo.apply_model_analysis(
                    session,
                    article_id,
                    result.entities,
                    result.attribution,
                    pipeline.name,
                    pipeline.version,
                )
            report.analyzed += 1
            report.added += change.added
            report.removed += change.removed
            report.kept_human += change.kept_human
            progress(report.analyzed, total, f"Analyzed {report.analyzed} of {total}")
    return report


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
