"""Train the entity recognizer on a person's annotations, with spaCy's own training loop.

The run is spaCy's: the config file (``resources/ner_training.cfg``, or the user's copy) is
read with ``spacy.util.load_config``, the pipeline built by ``init_nlp`` and trained by
``spacy.training.loop.train``. Quotedesk only fills in the data paths and a logger of its
own, which reports progress (epoch, loss, dev F1) and ends the run when the time budget is
spent or ``cancel`` raises. The result is the better, on all held-out Docs, of spaCy's best
checkpoint (chosen on a slice of them, evaluation being budget spent) and the last weights.

Two starting points (``strategy``): ``finetune`` trains the base pipeline's own ``ner`` (its
tok2vec was pretrained on OntoNotes) with the new labels; ``fresh`` puts a new ``ner`` on
the base pipeline's shared ``tok2vec``, frozen. Either way every other component is copied
and frozen: the parser the quote engine uses is untouched.
"""

from __future__ import annotations

import io
import itertools
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.nlp.pipeline import DEFAULT_MODEL
from desktop.nlp.training_data import DocsReport, TrainingText, make_docs
from desktop.nlp.training_labels import (
    ALL,
    LabelScore,
    label_mapping,
    score_docs,
    seed_label_weights,
)
from desktop.nlp.training_schedule import budget_clock
from desktop.nlp.training_schedule import register as register_schedule

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

STRATEGIES = ("finetune", "fresh")
# tokens of the held-out slice spaCy evaluates at each checkpoint (see ``checkpoint_slice``)
CHECKPOINT_TOKENS = 10_000
_Sized = TypeVar("_Sized", bound=Sized)


class TrainingError(Exception):
    """The training could not run (bad config, no data); one line saying why."""


@dataclass(frozen=True)
class TrainingProgress:
    """One report from the running training: after every evaluation, and now and then."""

    epoch: int
    step: int
    loss: float
    dev_f1: float | None
    best_f1: float | None
    seconds: float
    budget_seconds: float


@dataclass
class TrainingResult:
    """What a finished run made: the model folder, scores on the held-out articles before
    (the base model, labels mapped) and after, and how the run went."""

    path: Path
    before: dict[str, LabelScore]
    after: dict[str, LabelScore]
    strategy: str
    base: str
    steps: int = 0
    epochs: int = 0
    seconds: float = 0.0
    stopped: str = "converged"  # or "budget"
    train_docs: int = 0
    dev_docs: int = 0
    train_entities: int = 0
    skipped: list[str] = field(default_factory=list)


ProgressHook = Callable[[TrainingProgress], None]


def default_config_path() -> Path:
    """The shipped config, ``resources/ner_training.cfg``."""
    with as_file(files("desktop.resources").joinpath("ner_training.cfg")) as path:
        return Path(path)


def train_ner(
    train: Sequence[TrainingText],
    dev: Sequence[TrainingText],
    labels: Sequence[str],
    out_dir: Path,
    *,
    base: str = DEFAULT_MODEL,
    strategy: str = "finetune",
    config_path: Path | None = None,
    budget_seconds: float = 15 * 60,
    overrides: Mapping[str, Any] | None = None,
    progress: ProgressHook | None = None,
    cancel: Callable[[], None] | None = None,
    checkpoint_tokens: int = CHECKPOINT_TOKENS,
) -> TrainingResult:
    """Train on ``train``, measure on ``dev``, save the best pipeline at ``out_dir`` (which
    must not exist). ``cancel`` is called at every step: whatever it raises ends the run,
    nothing is left at ``out_dir``, and it is raised again. spaCy's checkpoints are chosen
    on a slice of ``dev`` of about ``checkpoint_tokens`` tokens (evaluation is time taken
    from the budget); the scores before and after use all of it."""
    if strategy not in STRATEGIES:
        raise TrainingError(f"unknown strategy {strategy!r} (known: {', '.join(STRATEGIES)})")
    if out_dir.exists():
        raise TrainingError(f"{out_dir} already exists")
    from desktop.nlp.pipeline import load_pipeline

    base_nlp = load_pipeline(base).nlp
    report = DocsReport()
    train_docs = make_docs(base_nlp, train, report)
    n_train_ents = report.entities
    dev_docs = make_docs(base_nlp, dev, report)
    if not train_docs or not dev_docs:
        raise TrainingError("no annotated text to train on or to measure with")
    before = score_docs(base_nlp, dev_docs, labels, label_mapping(_labels_of(base_nlp), labels))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="quotedesk-train-") as work_name:
        work = Path(work_name)
        _write_docbin(train_docs, work / "train.spacy")
        _write_docbin(checkpoint_slice(dev_docs, checkpoint_tokens), work / "dev.spacy")
        state = _RunState(started, budget_seconds, progress, cancel)
        settings = dict(overrides or {})
        if config_path is None:  # the default config: evaluate often enough on small sets
            settings.setdefault("training.eval_frequency", _eval_frequency(len(train_docs)))
        register_schedule()
        config = _config(config_path, work, base, strategy, settings, state)
        with budget_clock(state.spent):
            _run(config, work / "output", state, labels if strategy == "finetune" else None)
        full, after = _best_of(work / "output", base, dev_docs, labels)
        full.to_disk(out_dir)
    return TrainingResult(
        path=out_dir,
        before=before,
        after=after,
        strategy=strategy,
        base=base,
        steps=state.step,
        epochs=state.epoch + 1,
        seconds=time.monotonic() - started,
        stopped=state.stopped,
        train_docs=len(train_docs),
        dev_docs=len(dev_docs),
        train_entities=n_train_ents,
        skipped=report.skipped,
    )


def _best_of(
    output: Path, base: str, dev_docs: Sequence[Doc], labels: Sequence[str]
) -> tuple[Language, dict[str, LabelScore]]:
    """The better on the held-out Docs of spaCy's best checkpoint and the last weights (the
    steps after the last evaluation are not thrown away), whole and with its scores."""
    import spacy

    found = []
    for name in ("model-best", "model-last"):
        if (output / name).exists():
            full = _assemble(spacy.load(output / name), base)
            found.append((score_docs(full, dev_docs, labels, {lab: lab for lab in labels}), full))
    if not found:
        raise TrainingError("the training saved no model")
    scores, full = max(found, key=lambda pair: pair[0][ALL].f1)
    return full, scores


def _assemble(trained: Language, base: str) -> Language:
    """The whole base pipeline with the trained ``ner`` in place of its own."""
    import spacy

    if "tok2vec" in trained.pipe_names:  # fresh: make the ner carry its own tok2vec copy
        trained.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    full = spacy.load(base)
    full.remove_pipe("ner")
    full.add_pipe("ner", source=trained)
    return full


def _labels_of(nlp: Language) -> tuple[str, ...]:
    ner: Any = nlp.get_pipe("ner")
    return tuple(ner.labels)


def checkpoint_slice(docs: Sequence[_Sized], max_tokens: int) -> list[_Sized]:
    """Every k-th of the held-out Docs, k the smallest that brings their tokens to about
    ``max_tokens`` (all when they have fewer, never none): spread over the whole set."""
    total = sum(len(d) for d in docs)
    step = max(1, -(-total // max(1, max_tokens)))
    return list(docs[::step])


def _eval_frequency(n_docs: int) -> int:
    """Steps between evaluations: 5 on a small set (a best model early), up to 200."""
    return max(5, min(200, n_docs // 4))


class _BudgetSpent(Exception):
    """Raised inside spaCy's loop by our logger: the time budget is spent."""


@dataclass
class _RunState:
    started: float
    budget_seconds: float
    progress: ProgressHook | None
    cancel: Callable[[], None] | None
    step: int = 0
    epoch: int = 0
    loss: float = 0.0
    best_f1: float | None = None
    stopped: str = "converged"
    last_report: float = 0.0

    def spent(self) -> float:
        """The share of the time budget used so far."""
        return (time.monotonic() - self.started) / max(self.budget_seconds, 1e-9)

    def log_step(self, info: dict[str, Any] | None) -> None:
        """spaCy calls this after every step (``info`` only after an evaluation)."""
        if self.cancel is not None:
            self.cancel()
        now = time.monotonic() - self.started
        dev_f1 = None
        if info is not None:
            self.step, self.epoch = int(info["step"]), int(info["epoch"])
            self.loss = float(sum(info.get("losses", {}).values()))
            dev_f1 = info.get("other_scores", {}).get("ents_f")
            if dev_f1 is not None and (self.best_f1 is None or dev_f1 > self.best_f1):
                self.best_f1 = float(dev_f1)
        else:
            self.step += 1
        if self.progress is not None and (info is not None or now - self.last_report > 1.0):
            self.last_report = now
            self.progress(
                TrainingProgress(
                    self.epoch,
                    self.step,
                    self.loss,
                    dev_f1,
                    self.best_f1,
                    now,
                    self.budget_seconds,
                )
            )
        if now >= self.budget_seconds:
            self.stopped = "budget"
            raise _BudgetSpent()


def _config(
    config_path: Path | None,
    work: Path,
    base: str,
    strategy: str,
    overrides: Mapping[str, Any],
    state: _RunState,
) -> Any:
    from spacy.util import load_config, registry

    logger_name = f"quotedesk.progress.{id(state)}.v1"

    def make_logger() -> Callable[..., Any]:
        def setup(nlp: Language, stdout: Any = None, stderr: Any = None) -> Any:
            return state.log_step, lambda: None

        return setup

    registry.loggers.register(logger_name, func=make_logger)
    path = config_path or default_config_path()
    settings = {
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "paths.base": base,
        **overrides,
    }
    try:
        config = load_config(path, overrides=settings, interpolate=False)
    except Exception as exc:  # spaCy's config errors are many kinds; one line for the user
        raise TrainingError(f"cannot read the training config {path}: {_line(exc)}") from exc
    config["training"]["logger"] = {"@loggers": logger_name}
    if strategy == "fresh":
        config["nlp"]["pipeline"] = ["tok2vec", "ner"]
        config["components"]["tok2vec"] = {"source": base}
        config["components"]["ner"] = {
            "factory": "ner",
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 64,
                "maxout_pieces": 2,
                "use_upper": True,
                "nO": None,
                "tok2vec": {
                    "@architectures": "spacy.Tok2VecListener.v1",
                    "width": 96,
                    "upstream": "tok2vec",
                },
            },
        }
        config["training"]["frozen_components"] = ["tok2vec"]
        config["training"]["annotating_components"] = ["tok2vec"]
    return config


def _run(config: Any, output: Path, state: _RunState, seed_labels: Sequence[str] | None) -> None:
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train

    try:
        nlp = init_nlp(config)
    except _BudgetSpent:
        raise
    except Exception as exc:
        raise TrainingError(f"cannot set up the training: {_line(exc)}") from exc
    if seed_labels is not None:
        seed_label_weights(nlp.get_pipe("ner"), seed_labels)
    quiet = io.StringIO()
    output.mkdir(parents=True)
    try:
        train(nlp, output, stdout=quiet, stderr=quiet)
    except _BudgetSpent:
        pass  # spaCy saved model-last on the way out; model-best holds the best evaluation


def _write_docbin(docs: Iterable[Doc], path: Path) -> None:
    from spacy.tokens import DocBin

    DocBin(docs=itertools.chain(docs), store_user_data=False).to_disk(path)


def _line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or type(exc).__name__
