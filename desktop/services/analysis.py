"""Run the model over articles and store what it finds without touching human work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.nlp import analyze_texts, load_pipeline
from desktop.nlp.pipeline import Pipeline
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.store import repository as repo
from desktop.store.database import Database

READ_BATCH = 32


@dataclass
class AnalysisReport:
    analyzed: int = 0
    added: int = 0
    removed: int = 0
    kept_human: int = 0
    model: str = ""


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
    leaves every article either fully analyzed or untouched."""
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
    for first in range(0, total, READ_BATCH):
        chunk = ids[first : first + READ_BATCH]
        with db.session() as session:
            texts = [repo.article_text(session, i) for i in chunk]
        for article_id, result in zip(chunk, analyze_texts(pipeline, texts), strict=True):
            if cancel is not None:
                cancel.check()
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
