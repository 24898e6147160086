"""Train an entity model on a collection's corrections, save it, list what was trained.

A trained pipeline is a folder ``<collection>-ner-<n>`` under ``paths.models_dir()``; its
``meta.json`` holds, under ``quotedesk``, the collection, labels, scores before and after,
data sizes, date and base model. It is written whole in a hidden temporary folder beside it
and renamed into place at the end, so a cancel or a crash leaves no half-written model and
the one in use stays. One training runs at a time (an OS file lock in the models folder).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.domain import ArticleStatus, Origin
from desktop.domain.names import check_collection_name
from desktop.nlp.pipeline import DEFAULT_MODEL, trained_pipelines
from desktop.nlp.training import TrainingError, TrainingProgress, TrainingResult, train_ner
from desktop.nlp.training_calibration import CorrectedQuotes, corrected_quotes
from desktop.nlp.training_data import TrainingText, split_by_article, training_text
from desktop.nlp.training_labels import ALL, LabelScore
from desktop.paths import models_dir
from desktop.services.labels import collection_labels
from desktop.services.progress import CancelToken
from desktop.store import repository as repo
from desktop.store.database import Database

__all__ = [
    "ALL",
    "LabelScore",
    "TrainedModel",
    "TrainingBusy",
    "TrainingError",
    "TrainingPlan",
    "TrainingProgress",
    "list_models",
    "plan_training",
    "train_collection",
]

DEFAULT_MINUTES = 15.0
# the refit's share of the budget: the timed estimate times this, plus loading the model
REFIT_MARGIN = 1.25
REFIT_LOAD_SECONDS = 2.0
LOCK_NAME = ".training.lock"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class TrainingBusy(TrainingError):
    """Another training is running (in this process or another)."""


@dataclass
class TrainingPlan:
    """What a training of the collection would use: shown before it starts."""

    collection: str
    labels: list[str]
    train_articles: list[TrainingText] = field(default_factory=list)
    dev_articles: list[TrainingText] = field(default_factory=list)
    name: str = ""
    # articles whose quotes a person corrected: they refit the quote confidences
    quote_articles: list[CorrectedQuotes] = field(default_factory=list)

    def summary(self) -> str:
        quotes = (
            f"; {len(self.quote_articles)} with corrected quotes refit the quote confidences"
            if self.quote_articles
            else ""
        )
        return (
            f"{len(self.train_articles) + len(self.dev_articles)} annotated article(s): "
            f"{len(self.train_articles)} to train on, {len(self.dev_articles)} held out to "
            f"measure ({', '.join(self.labels)}){quotes}; saved as {self.name}"
        )


@dataclass
class TrainedModel:
    """A pipeline trained here, as its ``meta.json`` describes it."""

    name: str
    path: Path
    collection: str
    labels: list[str]
    before: dict[str, LabelScore]
    after: dict[str, LabelScore]
    base: str
    date: str
    train_articles: int
    dev_articles: int
    seconds: float
    stopped: str
    strategy: str
    # the quote confidence table refitted from the collection's corrected quotes (the
    # analyzer reads it from here), and how many of the engine's decisions were judged
    calibration: dict[str, Any] | None = None
    quotes_judged: int = 0


def plan_training(
    db: Database,
    collection: str,
    labels: Sequence[str] | None = None,
    *,
    name: str | None = None,
    dev_share: float = 0.2,
    seed: int = 0,
) -> TrainingPlan:
    """Read the collection's annotations and split them (TrainingError says what is wrong
    in one line: unknown collection or label, too few annotated articles, a taken name)."""
    collection = check_collection_name(collection)
    with db.session() as session:
        if collection not in repo.collection_names(session):
            raise TrainingError(f"there is no collection named {collection!r}")
        ids = repo.article_ids(session, collection)
        articles = [repo.load_article(session, i, include_rejected=True) for i in ids]
    # the collection's labels and any other a person used; by default those with examples
    declared = [lab.name for lab in collection_labels(db, collection)]
    used = {
        e.label
        for a in articles
        for e in a.entities
        if not e.rejected and (e.origin == Origin.HUMAN or a.status == ArticleStatus.REVIEWED)
    }
    known = declared + sorted(used - set(declared))
    chosen = list(labels) if labels else [lab for lab in known if lab in used]
    unknown = [lab for lab in chosen if lab not in known]
    if unknown:
        raise TrainingError(
            f"label(s) {', '.join(unknown)} not in collection {collection!r} "
            f"(its labels: {', '.join(known) or 'none'})"
        )
    if not chosen:
        raise TrainingError(f"collection {collection!r} has no labels to train")
    texts = [t for a in articles if (t := training_text(a, chosen)) is not None]
    try:
        train, dev = split_by_article(texts, dev_share, seed)
    except ValueError as exc:
        raise TrainingError(f"collection {collection!r}: {exc}") from exc
    quotes = [c for a in articles if (c := corrected_quotes(a)) is not None]
    return TrainingPlan(collection, chosen, train, dev, _model_name(collection, name), quotes)


def train_collection(
    db: Database,
    collection: str,
    labels: Sequence[str] | None = None,
    *,
    max_minutes: float = DEFAULT_MINUTES,
    name: str | None = None,
    base: str = DEFAULT_MODEL,
    strategy: str = "finetune",
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    progress: Callable[[TrainingProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> TrainedModel:
    """Train on the collection's human and reviewed annotations and save the model. Raises
    ``TrainingBusy`` while another training runs, ``Cancelled`` on a cancel (nothing saved)."""
    from filelock import FileLock, Timeout  # only a training needs it

    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise TrainingBusy("another training is running; wait for it to finish") from exc
    try:
        _remove_leftovers(root)
        plan = plan_training(db, collection, labels, name=name)
        work = root / f".partial-{plan.name}-{os.getpid()}"
        started = time.monotonic()
        check = cancel.check if cancel is not None else None
        # the refit runs after the training, with the trained pipeline; its time comes out
        # of the budget (estimated beforehand), at most half of it
        total = max_minutes * 60
        reserve = _refit_reserve(plan, base, total / 2)
        try:
            result = train_ner(
                plan.train_articles,
                plan.dev_articles,
                plan.labels,
                work,
                base=base,
                strategy=strategy,
                config_path=config,
                budget_seconds=total - reserve,
                overrides=overrides,
                progress=progress,
                cancel=check,
            )
            deadline = refit_deadline(started, time.monotonic(), total, reserve)
            calibration, judged = _refit_calibration(plan, work, check, deadline)
            model = _describe(plan, result)
            if judged:
                model.calibration, model.quotes_judged = calibration, judged
            _write_meta(work, model)
            if (root / plan.name).exists():
                raise TrainingError(f"a model named {plan.name!r} appeared meanwhile")
            work.rename(root / plan.name)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        lock.release()
    model.path = root / plan.name
    return model


def refit_deadline(started: float, now: float, budget: float, reserve: float) -> float:
    """When the refit starting ``now`` must stop: it may take what is left of the budget
    begun at ``started``, at least its ``reserve``, never more than half the budget."""
    return now + min(budget / 2, max(reserve, started + budget - now))


def _refit_reserve(plan: TrainingPlan, base: str, most: float) -> float:
    """Seconds to keep for the refit after the training (at most ``most``): the engine's
    speed timed here on a few of the articles (``judge_seconds``; the trained pipeline
    runs as fast as its base), with a margin and the time to load the trained model."""
    if not plan.quote_articles:
        return 0.0
    from desktop.nlp.pipeline import load_pipeline
    from desktop.nlp.training_calibration import judge_seconds

    needed = judge_seconds(load_pipeline(base).nlp, plan.quote_articles)
    return min(most, REFIT_LOAD_SECONDS + REFIT_MARGIN * needed)


def _refit_calibration(
    plan: TrainingPlan, trained: Path, check: Callable[[], None] | None, deadline: float
) -> tuple[dict[str, Any] | None, int]:
    """The quote confidence table refitted on the plan's corrected quotes (the engine run
    with the trained pipeline saved at ``trained``, up to ``deadline``), and how many
    decisions it judged; ``(None, 0)`` without any."""
    if not plan.quote_articles:
        return None, 0
    from desktop.nlp.attribution.confidence import default_table
    from desktop.nlp.pipeline import engine_reading, load_pipeline_from
    from desktop.nlp.training_calibration import judge, refit, table_json

    nlp = load_pipeline_from(trained).nlp  # its meta.json does not name its labels yet
    judged = judge(nlp, plan.quote_articles, check, deadline, engine_reading(plan.labels))
    decisions = sum(n for n, _ in judged.quotes.values()) + sum(
        n for n, _ in judged.sources.values()
    )
    if not decisions:
        return None, 0
    return table_json(refit(default_table(), judged)), decisions


def list_models() -> list[TrainedModel]:
    """The models trained here, in name order (a folder whose meta cannot be read is left out)."""
    found = []
    for name in trained_pipelines():
        try:
            found.append(_read_model(models_dir() / name))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _model_name(collection: str, name: str | None) -> str:
    taken = set(trained_pipelines())
    if name:
        if not _NAME.fullmatch(name):
            raise TrainingError(
                f"model name {name!r}: letters, digits, '_', '-' and '.' only, at most 100"
            )
        if name in taken or (models_dir() / name).exists():
            raise TrainingError(f"a model named {name!r} exists already")
        return name
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", collection).strip("-_")[:60] or "collection"
    numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(rf"{stem}-ner-(\d+)", t))]
    return f"{stem}-ner-{max(numbers, default=0) + 1}"


def _describe(plan: TrainingPlan, result: TrainingResult) -> TrainedModel:
    return TrainedModel(
        name=plan.name,
        path=result.path,
        collection=plan.collection,
        labels=plan.labels,
        before=result.before,
        after=result.after,
        base=result.base,
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        train_articles=len(plan.train_articles),
        dev_articles=len(plan.dev_articles),
        seconds=round(result.seconds, 1),
        stopped=result.stopped,
        strategy=result.strategy,
    )


def _write_meta(folder: Path, model: TrainedModel) -> None:
    """spaCy's ``meta.json`` with Quotedesk's account under ``quotedesk``, replaced whole."""
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    record = asdict(model)
    record.pop("path")
    meta.update(
        name=model.name,
        version="1.0.0",
        description=f"entities of collection {model.collection!r}, trained in Quotedesk",
        quotedesk=record,
    )
    tmp = meta_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False), "utf-8")
    os.replace(tmp, meta_path)


def _read_model(folder: Path) -> TrainedModel:
    record = json.loads((folder / "meta.json").read_text("utf-8"))["quotedesk"]

    def scores(d: dict[str, dict[str, float]]) -> dict[str, LabelScore]:
        return {k: LabelScore(**v) for k, v in d.items()}

    record.update(path=folder, before=scores(record["before"]), after=scores(record["after"]))
    return TrainedModel(**record)


def _remove_leftovers(root: Path) -> None:
    """Partial folders a crashed training left (we hold the lock: none is in use)."""
    for path in root.glob(".partial-*"):
        shutil.rmtree(path, ignore_errors=True)
