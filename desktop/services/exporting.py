"""Export a collection to a file, streamed, written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from desktop.domain import Article
from desktop.formats import writer_for
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.store import repository as repo
from desktop.store.database import Database


class ExportError(Exception):
    """The export file cannot be written where asked."""


def export(
    db: Database,
    fmt: str,
    out: Path | str,
    *,
    collection: str | None = None,
    reviewed_only: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the articles to ``out`` in format ``fmt``; return how many were written.

    The file is written under a temporary name beside ``out`` and renamed at the end, so an
    error or a cancel never leaves a half-written export behind.
    """
    write = writer_for(fmt)
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name to export to.")
    if not out.parent.exists():
        raise ExportError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    with db.session() as session:
        ids = repo.article_ids(session, collection, reviewed_only=reviewed_only)
        total = len(ids)

        def articles() -> Iterator[Article]:
            for n, (_, article) in enumerate(repo.iter_articles(session, ids)):
                if cancel is not None:
                    cancel.check()
                progress(n, total, f"Exporting {n + 1} of {total}")
                yield article

        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
        except OSError as exc:
            raise ExportError(f"Cannot write {out}: {exc.strerror}") from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                count = write(articles(), fh)
            os.replace(tmp, out)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    progress(total, total, "Export finished")
    return count
