"""Import files and folders into a collection, one article per transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.formats.scan import scan
from desktop.services.formats import READERS, reader_for
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.services.reading import check_file, failure_line, reread
from desktop.store import repository as repo
from desktop.store.database import Database


@dataclass
class ImportReport:
    added: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    # what was assumed about a file ("story.txt: read as windows-1252"), and the errors
    # that are Quotedesk bugs rather than problems with a file (also in ``errors``)
    notes: list[str] = field(default_factory=list)
    bugs: list[str] = field(default_factory=list)


def import_paths(
    db: Database,
    paths: Iterable[Path | str],
    collection: str = repo.DEFAULT_COLLECTION,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
    fmt: str | None = None,
) -> ImportReport:
    """Import every readable file in ``paths``.

    A path that does not exist stops the import before anything is written. A file that
    cannot be read is reported in ``errors`` and nothing of it is imported; the other files
    go on. Articles already in the collection are skipped, so running an interrupted import
    again resumes it. ``fmt`` names the format of every file (default: judged by suffix
    and, for JSON Lines, by the keys of the first record).
    """
    scanned = scan((Path(p) for p in paths), READERS)
    files = scanned.files
    report = ImportReport(errors=[str(refusal) for refusal in scanned.refused])
    coll: int | None = None
    for n, path in enumerate(files):
        if cancel is not None:
            cancel.check()
        progress(n, len(files), f"Importing {path.name}")
        try:
            read = reader_for(scanned.reader_name(path), fmt)
            checked = check_file(path, read)  # the whole file is read before writing
        except Exception as exc:  # noqa: BLE001 - any failure is this file's alone
            line, bug = failure_line(path, exc)
            report.errors.append(line)
            if bug:
                report.bugs.append(line)
            continue
        count = checked.count
        report.notes.extend(checked.notes)
        for i, article in enumerate(reread(path, read, report.errors)):
            if cancel is not None:
                cancel.check()
            if count > 1 and i % 50 == 0:
                progress(i, count, f"Importing {path.name}: {i:,} of {count:,}")
            with db.transaction() as session:
                coll_id = coll if coll is not None else repo.collection(session, collection)
                new_id = repo.add_article(session, coll_id, article)
            coll = coll_id  # known to exist once that transaction has committed
            if new_id is None:
                report.skipped += 1
            else:
                report.added += 1
                report.article_ids.append(new_id)
    progress(len(files), len(files), "Import finished")
    return report
