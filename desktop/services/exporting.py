"""Export a collection to a file, streamed, written whole or not at all.

Every export reaches the disk through ``export_target`` (what is at ``-o`` is kept of its
kind: a link stays a link, a FIFO a FIFO, a file keeps its mode). A format with a companion
file (Label Studio's labelling config) writes it beside the export, after it, the same way.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop.domain import Article, Origin
from desktop.nlp import docbin_shards
from desktop.services import team
from desktop.services.export_folder import FolderTarget, names_folder, open_folder, resolve_folder
from desktop.services.export_target import ExportError as ExportError  # raised from here too
from desktop.services.export_target import (
    ExportTarget,
    TargetKind,
    open_target,
    resolve_target,
    write_export_file,
)
from desktop.services.formats import FORMATS, export_format
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.store import people_io
from desktop.store import repository as repo
from desktop.store.database import Database
from desktop.store.models import EntityRow

COLLECT_EVERY = 500
_DB_SIDE_FILES = ("-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database


class EmptyExportError(ExportError):
    """The choices select no article and the export would replace an existing file."""


def format_names() -> list[str]:
    """The export formats, for option lists and menus."""
    return sorted(FORMATS)


def format_title(name: str) -> str:
    return FORMATS[name].title


def format_suffix(name: str) -> str:
    return FORMATS[name].suffix


def format_note(name: str) -> str:
    """What a user must know to open an export of ``name`` in its tool ("" for most)."""
    return FORMATS[name].note


@dataclass(frozen=True)
class ExportChoices:
    """What the export dialog offers: the collections and the entity labels in use."""

    collections: list[str]
    labels: list[str]


def export_choices(db: Database) -> ExportChoices:
    with db.session() as session:
        labels = session.scalars(select(EntityRow.label).distinct().order_by(EntityRow.label))
        return ExportChoices(repo.collection_names(session), list(labels))


@dataclass(frozen=True)
class ExportFilter:
    """Which annotations go out: entity labels (None: all) and human work only or all.

    ``labels`` filters entities only; quotes and sources are kept. With ``human_only``,
    entities and quotes made by a person are kept, with the sources those quotes name and
    the sources a person made.
    """

    labels: frozenset[str] | None = None
    human_only: bool = False

    def apply(self, article: Article) -> Article:
        if self.labels is None and not self.human_only:
            return article
        human = Origin.HUMAN
        article.entities = [
            e
            for e in article.entities
            if (self.labels is None or e.label in self.labels)
            and (not self.human_only or e.origin == human)
        ]
        if self.human_only:
            article.quotes = [q for q in article.quotes if q.origin == human]
            named = {q.source_key for q in article.quotes}
            article.sources = [s for s in article.sources if s.origin == human or s.key in named]
        return article


def _gc_paused(rows: Iterator[Any]) -> Iterator[Any]:
    """Pull each item with the cycle collector paused, and hand it on with it running.

    With SQLAlchemy 2.1.9 on CPython 3.11, a collection that starts while the ORM streams a
    selectin-loaded batch, with the writers' generators as garbage, overflowed the C stack
    (a segfault "Garbage-collecting" in ``InstanceState.__init__``, on every 10,000-article
    export). Collections now only start in the writer's own code, plus one every
    ``COLLECT_EVERY`` articles.
    """
    gc.collect()
    gc.freeze()  # what exists now is not export garbage: keep the collections below cheap
    try:
        yield from _pulled(rows)
    finally:
        gc.unfreeze()


def _pulled(rows: Iterator[Any]) -> Iterator[Any]:
    for n in itertools.count(1):
        if n % COLLECT_EVERY == 0:
            gc.collect()  # what the paused collector left, so memory stays flat
        running = gc.isenabled()
        gc.disable()
        try:
            item = next(rows, None)
        finally:
            if running:
                gc.enable()
        if item is None:
            return
        yield item


def export(
    db: Database,
    fmt: str,
    out: Path | str,
    *,
    collection: str | None = None,
    reviewed_only: bool = False,
    labels: Collection[str] | None = None,
    human_only: bool = False,
    allow_empty: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    layer: str | None = None,
    annotator: str | None = None,
) -> int:
    """Write the articles to ``out`` in format ``fmt``; return how many were written.

    A file is written under a temporary name beside it and renamed at the end, so an error
    or a cancel never leaves a half-written export behind (see ``export_target``). An
    unknown collection is an ExportError naming the known ones; choices that select no
    article never replace an existing file (EmptyExportError) unless ``allow_empty``.
    ``layer`` (with ``annotator`` for "annotator") picks whose version goes out
    (``team.iter_layer``; default: the curated one where there is one, else the shared).
    """
    try:
        team.check_layer(layer, annotator)
    except team.TeamError as exc:
        raise ExportError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None
    spec = export_format(fmt)
    keep = ExportFilter(frozenset(labels) if labels else None, human_only)
    # the spaCy export to a folder: a folder of .spacy shards (export_folder.py)
    target: ExportTarget | FolderTarget
    if spec.name == "spacy" and names_folder(out):
        target = resolve_folder(out)
    else:
        target = resolve_target(out)
        if db.path is not None:  # a SQLite file (a server's database is no file here)
            _check_not_the_database(target.path, target.dest, db.path)
        _check_not_a_database(target)
    with db.session() as session:
        if collection is not None:
            _check_collection(repo.collection_names(session), collection)
        ids = repo.article_ids(session, collection)
        # reviewed in the layer that goes out (a curated version has its own status)
        ids = team.layer_ids(session, ids, layer, annotator, reviewed_only=reviewed_only)
        total = len(ids)
        if not ids and target.replaces_file and not allow_empty:
            raise EmptyExportError(
                f"{_selection(collection, reviewed_only)} holds no articles, so {out} was left "
                "as it was"
            )

        companion = spec.companion() if spec.companion is not None else None

        def articles() -> Iterator[Article]:
            layered = people_io.with_records(
                session, team.iter_layer(session, ids, layer, annotator)
            )
            for n, (_, article) in enumerate(_gc_paused(layered)):
                if cancel is not None:
                    cancel.check()
                progress(n, total, f"Exporting {n + 1} of {total}")
                kept = keep.apply(article)
                if companion is not None:
                    companion.see(kept)
                yield kept

        def waiting(message: str) -> None:
            progress(0, total, message)

        if isinstance(target, FolderTarget):
            with open_folder(target, docbin_shards.shard_name) as folder:
                count = docbin_shards.write_docbin_shards(articles(), folder.open)
        else:
            with open_target(target, binary=spec.binary, cancel=cancel, waiting=waiting) as fh:
                count = spec.write(articles(), fh)
    if (
        companion is not None
        and isinstance(target, ExportTarget)
        and target.kind is not TargetKind.STREAM
    ):
        # beside what the user named (a link's own folder), never into a stream
        write_export_file(companion.path(target.path), companion.text())
    progress(total, total, "Export finished")
    return count


def _check_not_the_database(out: Path, dest: Path, db_path: Path) -> None:
    """Refuse to write over the open database or its journal files (``-o q.sqlite3``)."""
    db_file = Path(os.path.realpath(db_path))
    guarded = {db_file, *(db_file.with_name(db_file.name + s) for s in _DB_SIDE_FILES)}
    same = dest in guarded
    with contextlib.suppress(OSError):
        same = same or os.path.samefile(dest, db_file)
    if same:
        raise ExportError(f"{out} is the database being exported; choose another file.")


def _check_not_a_database(target: ExportTarget) -> None:
    """Refuse to replace any SQLite file (another database, a backup): no export is one."""
    if target.kind is not TargetKind.FILE:
        return
    head = b""
    with contextlib.suppress(OSError), open(target.dest, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head == SQLITE_HEADER:
        raise ExportError(
            f"{target.path} is a SQLite database (a database or one of its backups); "
            "an export never replaces one: choose another file."
        )


def _check_collection(names: list[str], wanted: str) -> None:
    if wanted in names:
        return
    known = ", ".join(repr(n) for n in names) if names else "none yet"
    raise ExportError(f"There is no collection named {wanted!r} (the collections: {known}).")


def _selection(collection: str | None, reviewed_only: bool) -> str:
    where = f"collection {collection!r}" if collection is not None else "the database"
    return f"The export of {'reviewed articles in ' if reviewed_only else ''}{where}"
