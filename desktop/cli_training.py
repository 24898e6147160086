"""``quotedesk train`` and ``quotedesk models``: the command line over services.training."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_signals import stop_token
from desktop.services import library, model_choice, training
from desktop.services.progress import ProgressFn
from desktop.store import Database


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "train", help="train the entity model on a collection's human and reviewed annotations"
    )
    p.add_argument("--collection", required=True)
    p.add_argument("--labels", help="comma-separated labels (default: the collection's)")
    p.add_argument(
        "--max-minutes",
        type=float,
        default=training.DEFAULT_MINUTES,
        help="time budget; the best model so far is kept when it is spent (default 15)",
    )
    p.add_argument("--name", help="name of the new model (default: COLLECTION-ner-N)")
    p.add_argument(
        "--strategy",
        choices=["finetune", "fresh"],
        default="finetune",
        help="fine-tune the base model's ner (default) or a fresh ner on its tok2vec",
    )
    p.add_argument("--config", help="a spaCy training config (copy resources/ner_training.cfg)")
    m = sub.add_parser(
        "models",
        help="list the models trained here, with their scores; --use NAME --collection C "
        "makes analysis use NAME for that collection",
    )
    m.add_argument("--use", metavar="NAME", help="the model for --collection ('default': none)")
    m.add_argument("--collection", help="the collection --use is for")


def score_table(model: training.TrainedModel) -> str:
    """F1 per label on the held-out articles, before (the base model) and after."""
    lines = [f"{'label':<12} {'before':>7} {'after':>7}"]
    for label in [*model.labels, training.ALL]:
        before, after = model.before.get(label), model.after.get(label)
        b = f"{before.f1:.3f}" if before else "-"
        a = f"{after.f1:.3f}" if after else "-"
        lines.append(f"{label:<12} {b:>7} {a:>7}")
    return "\n".join(lines)


def train(db: Database, args: Any, progress: ProgressFn) -> int:
    from pathlib import Path

    from tqdm import tqdm

    labels = [s.strip() for s in (args.labels or "").split(",") if s.strip()] or None
    plan = training.plan_training(db, args.collection, labels, name=args.name)
    print(plan.summary())
    budget = args.max_minutes * 60
    bar = tqdm(
        total=round(budget), desc="train", unit="s", file=sys.stderr, leave=False, disable=None
    )

    def update(p: training.TrainingProgress) -> None:
        bar.n = min(round(p.seconds), round(budget))
        f1 = "-" if p.best_f1 is None else f"{p.best_f1:.3f}"
        bar.set_postfix_str(f"epoch {p.epoch} loss {p.loss:.1f} dev F1 {f1}", refresh=False)
        bar.refresh()

    try:
        model = training.train_collection(
            db,
            args.collection,
            labels,
            max_minutes=args.max_minutes,
            name=plan.name,
            strategy=args.strategy,
            config=Path(args.config) if args.config else None,
            progress=update,
            cancel=stop_token(args),
        )
    finally:
        bar.close()
    how = "time budget spent" if model.stopped == "budget" else "no more improvement"
    print(f"trained {model.name} in {model.seconds:.0f} s ({how}); F1 on the held-out articles:")
    print(score_table(model))
    if model.quotes_judged:
        print(
            f"quote confidences refitted on {model.quotes_judged} of the engine's decisions "
            "checked against the collection's corrected quotes"
        )
    print(f"use it with: quotedesk models --use {model.name} --collection {args.collection}")
    return 0


def models(db: Database, args: Any, progress: ProgressFn) -> int:
    if args.use or args.collection:
        return use_model(db, args)
    used_by: dict[str, list[str]] = {}
    for collection, name in model_choice.chosen_models(db).items():
        used_by.setdefault(name, []).append(collection)
    found = training.list_models()
    if not found:
        print("no trained models yet (quotedesk train --collection NAME)")
    for m in found:
        f1 = m.after.get(training.ALL)
        before = m.before.get(training.ALL)
        print(
            f"{m.name}\t{m.collection}\t{', '.join(m.labels)}\tF1 "
            f"{before.f1 if before else 0:.3f} -> {f1.f1 if f1 else 0:.3f}\t"
            f"{m.train_articles}+{m.dev_articles} articles\t{m.date}\tfrom {m.base}"
            + (f"\tused by {', '.join(used_by[m.name])}" if m.name in used_by else "")
        )
    return 0


def use_model(db: Database, args: Any) -> int:
    """``models --use NAME --collection C``: analysis of C runs NAME from now on."""
    if not (args.use and args.collection):
        print("quotedesk: give both --use NAME and --collection NAME", file=sys.stderr)
        return 1
    name = None if args.use == "default" else args.use
    try:
        model_choice.set_collection_model(db, args.collection, name)
    except KeyError:
        known = ", ".join(library.collection_names(db)) or "none"
        print(
            f"quotedesk: no collection named {args.collection!r} (known: {known})", file=sys.stderr
        )
        return 1
    except model_choice.UnknownModel as exc:
        print(f"quotedesk: {exc}", file=sys.stderr)
        return 1
    what = name or "the default model"
    print(
        f"collection {args.collection!r} is analyzed with {what} from now on "
        f"(quotedesk analyze --collection {args.collection} --force to apply it)"
    )
    return 0
