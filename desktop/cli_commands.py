"""The subcommands of ``quotedesk`` (import, analyze, export, backups, restore and the ones
``cli_training``, ``cli_sources``, ``cli_team`` add): imported only when a subcommand is
given, so that launching the window loads none of them (issue 16).

User mistakes end in one line on stderr and exit status 1; Ctrl+C stops cleanly.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import cli_sources, cli_team, cli_training
from desktop.cli import EXIT_INTERRUPTED, EXIT_USER_ERROR, _fail, _line
from desktop.cli_signals import Terminated, run_with_stop_signals, stop_token
from desktop.domain.names import InvalidName, check_collection_name, check_label
from desktop.formats import FormatError
from desktop.nlp import ModelError
from desktop.nlp.training import TrainingError
from desktop.paths import default_db
from desktop.services import analysis, exporting, importing, library, model_choice
from desktop.services.progress import Cancelled, ProgressFn
from desktop.store import Database, StoreError, backups
from desktop.store.errors import NotADatabaseError
from desktop.store.location import Location, ServerLocation, parse_location
from desktop.store.postgres import NO_BACKUPS


def run(args: argparse.Namespace) -> int:
    """Run the subcommand ``args.command``; a user mistake is one line and status 1."""
    try:
        return run_with_stop_signals(run_command, args)
    except (FormatError, StoreError, ModelError, exporting.ExportError, InvalidName) as exc:
        return _fail(str(exc))
    except TrainingError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except (KeyboardInterrupt, Cancelled) as exc:
        print(
            "\nquotedesk: interrupted; what was finished is saved, run the command again to go on",
            file=sys.stderr,
        )
        stop = getattr(args, "stop", None)
        signum = exc.signum if isinstance(exc, Terminated) else getattr(stop, "signum", 0)
        return 128 + signum if signum and signum != signal.SIGINT else EXIT_INTERRUPTED


def _progress_bar(desc: str) -> tuple[ProgressFn, Callable[[], None]]:
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit="art", file=sys.stderr, leave=False, disable=None)

    def update(done: int, total: int, message: str) -> None:
        if total and bar.total != total:
            bar.reset(total=total)
        bar.n = done
        bar.set_postfix_str(message[:40], refresh=False)
        bar.refresh()

    return update, bar.close


def run_command(args: argparse.Namespace) -> int:
    where = parse_location(args.db or default_db())
    if args.command in ("backups", "restore"):
        if isinstance(where, ServerLocation):
            raise StoreError(NO_BACKUPS)
        return _backups(where, args)
    db = _open(where)
    try:
        progress, done = _progress_bar(args.command)
        try:
            return COMMANDS[args.command](db, args, progress)
        finally:
            done()
    finally:
        db.close()


def _open(path: Location) -> Database:
    """Open the database; a damaged one names its latest good backup and the command."""
    try:
        return Database.open(path)
    except NotADatabaseError as exc:
        if isinstance(path, ServerLocation):
            raise
        good = backups.latest_good(path)
        if good is None:
            raise
        raise type(exc)(
            f"{exc} The latest good backup is {good.path} ({good.describe()}); restore it "
            f"with: quotedesk --db {path} restore latest"
        ) from exc


def _backups(path: Path, args: Any) -> int:
    """`backups` lists the copies; `restore BACKUP` puts one back after saving the file."""
    if args.command == "backups":
        found = backups.list_backups(path)
        if not found:
            folder = backups.backup_folder(path)
            print(_line(f"no backups of {path} yet (they are kept in {folder})"))
        good = backups.latest_good(path) if found else None
        for b in found:
            mark = "\tlatest good: `restore latest` takes it" if b == good else ""
            print(f"{b.path.name}\t{b.describe()}{mark}")
        if found and good is None:
            print("none of these backups is sound now (SQLite's check fails on each)")
        return 0
    chosen = backups.find_backup(path, args.backup)
    saved = backups.restore(chosen, path)
    print(_line(f"restored {chosen.name} into {path}"))
    if saved is not None:
        print(_line(f"the file it replaced was saved as {saved}"))
    return 0


def _check_new_collection(db: Database, name: str) -> None:
    """A collection made by this command must have a name the rules allow; one that exists
    already (made before the rules) is used as it is."""
    names = library.collection_names(db)
    if name not in names:
        check_collection_name(name, names)


def check_label_filter(value: str | None) -> None:
    """Each label named by ``export --labels`` must be one the rules allow."""
    for label in (value or "").split(","):
        if label.strip():
            check_label(label.strip(), "--labels: label")


def _import(db: Database, args: Any, progress: ProgressFn) -> int:
    _check_new_collection(db, args.collection)
    report = importing.import_paths(
        db, args.paths, args.collection, progress, cancel=stop_token(args)
    )
    print(report.summary())
    for note in report.notes:
        print(note)
    for error in [*report.conflicts, *report.errors]:
        print(f"quotedesk: {error}", file=sys.stderr)
    return EXIT_USER_ERROR if report.errors or report.conflicts else 0


def _analyze(db: Database, args: Any, progress: ProgressFn) -> int:
    """One run per model: each collection with the pipeline chosen for it (model_choice)."""
    runs = model_choice.analysis_runs(db, args.collection, args.force, args.model)
    reports = [
        analysis.analyze(
            db,
            collection=args.collection if ids is None else None,
            ids=ids,
            force=args.force,
            model=model,
            progress=progress,
            cancel=stop_token(args),
            jobs=args.jobs,
        )
        for model, ids in runs
        if ids is None or ids
    ]
    if not any(r.analyzed or r.failed for r in reports):
        print("nothing to analyze (use --force to run the model again)")
        return 0
    failed = [failure for r in reports for failure in r.failed]
    for report in reports:
        if report.analyzed or report.failed:
            print(report.summary())
    for failure in failed:
        print(f"quotedesk: {failure}", file=sys.stderr)
    return EXIT_USER_ERROR if failed else 0


def _export(db: Database, args: Any, progress: ProgressFn) -> int:
    check_label_filter(args.labels)
    try:
        count = exporting.export(
            db,
            args.format,
            args.output,
            collection=args.collection,
            reviewed_only=args.reviewed_only,
            labels=[x.strip() for x in args.labels.split(",") if x.strip()]
            if args.labels
            else None,
            human_only=args.human_only,
            allow_empty=args.allow_empty,
            progress=progress,
            cancel=stop_token(args),
            **cli_team.layer_options(args),
        )
    except exporting.EmptyExportError as exc:
        return _fail(f"{exc}; pass --allow-empty to replace it with an empty export")
    # the summary must not land inside an export written to standard output
    out = sys.stderr if _is_stdout(args.output) else sys.stdout
    print(_line(f"exported {count} article(s) to {args.output}"), file=out)
    return 0


def _is_stdout(path: Path | str) -> bool:
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError):  # no such file, or a stdout without a descriptor
        return False


COMMANDS = {
    "import": _import,
    "analyze": _analyze,
    "export": _export,
    "train": cli_training.train,
    "models": cli_training.models,
    "sources": cli_sources.sources_command,
    "stats": cli_sources.stats_command,
    **cli_team.COMMANDS,
}
