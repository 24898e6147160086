"""Import files and folders into a collection, one article per transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain import Article
from desktop.domain.names import one_line
from desktop.formats.scan import scan
from desktop.services import team
from desktop.services.formats import READERS, reader_for
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.services.reading import check_file, failure_line, reread
from desktop.store import people_io
from desktop.store import repository as repo
from desktop.store.database import Database
from desktop.store.errors import UnstorableError


@dataclass
class ImportReport:
    """What an import did, by outcome (see ``repository.place_article``).

    ``skipped`` counts the records already present (``skipped_by_text`` of them matched by
    their text, having no id of their own); ``added_same_text`` of the ``added`` share their
    text with an article under another id; ``conflicts`` has one line per refused record
    (its id is taken by a different text), and ``errors`` one per unreadable file.
    """

    added: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    skipped_by_text: int = 0
    added_same_text: int = 0
    conflicts: list[str] = field(default_factory=list)
    layers: int = 0  # annotators' versions filled in (records with an "annotator")
    # what was assumed about a file ("story.txt: read as windows-1252"), and the errors
    # that are Quotedesk bugs rather than problems with a file (also in ``errors``)
    notes: list[str] = field(default_factory=list)
    bugs: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line with the count of each outcome, for the command line and the window."""
        line = f"imported {self.added} article(s)"
        if self.added_same_text:
            line += f" ({self.added_same_text} with the text of an article under another id)"
        line += f", skipped {self.skipped} already present"
        if self.skipped_by_text:
            line += f" ({self.skipped_by_text} found by their text)"
        if self.layers:
            line += f", filled {self.layers} annotator version(s)"
        if self.conflicts:
            line += f", refused {len(self.conflicts)} whose id holds a different text"
        if self.errors:
            line += f", {len(self.errors)} file(s) not read"
        if self.notes:
            more = ", …" if len(self.notes) > 1 else ""
            line += f"; {len(self.notes)} in a guessed encoding ({self.notes[0]}{more})"
        return line

    def record(self, path: Path, placed: repo.Placement, article: Article) -> None:
        """Count one record's outcome."""
        outcome = placed.outcome
        if placed.article_id is not None:
            self.added += 1
            self.article_ids.append(placed.article_id)
            self.added_same_text += outcome is repo.Placed.ADDED_SAME_TEXT
        elif outcome is repo.Placed.CONFLICT:
            line = (
                f"{path}: id {article.external_id!r} is already in the collection with a "
                f"different text ({differs(placed.existing_text or '', article.text)}); "
                "this record was not imported"
            )
            self.conflicts.append(one_line(line, 2000))  # a hostile file name stays one line
        else:
            self.skipped += 1
            self.skipped_by_text += outcome is repo.Placed.PRESENT_BY_TEXT


def differs(stored: str, new: str) -> str:
    """Where two texts part: the first differing character and both lengths."""
    at = next((i for i, (a, b) in enumerate(zip(stored, new, strict=False)) if a != b), None)
    at = min(len(stored), len(new)) if at is None else at
    return (
        f"stored {len(stored):,} characters, this record {len(new):,}; "
        f"they differ from offset {at:,}"
    )


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
    again resumes it; a record whose id is taken by a different text is refused and named
    in ``conflicts``. ``fmt`` names the format of every file (default: judged by suffix
    and, for JSON Lines, by the keys of the first record).
    """
    scanned = scan((Path(p) for p in paths), READERS)
    files = scanned.files
    report = ImportReport(errors=[str(refusal) for refusal in scanned.refused])
    coll: int | None = None
    importer = team.connection_annotator()
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
            layered = None
            try:
                with db.transaction() as session:
                    coll_id = coll if coll is not None else repo.collection(session, collection)
                    if article.annotator is not None:  # one annotator's version (issue 14)
                        layered = team.import_layer(session, coll_id, article, importer)
                        placed = layered.placed
                    else:
                        placed = repo.place_article(session, coll_id, article)
                    if placed.article_id is not None:  # sources' records and links (issue 12)
                        people_io.import_links(session, coll_id, placed.article_id, article)
            except UnstorableError as exc:  # this article alone (PostgreSQL: a NUL in it)
                report.errors.append(f"{path}: article {article.external_id!r}: {exc}")
                continue
            coll = coll_id  # known to exist once that transaction has committed
            report.layers += layered is not None and layered.filled
            if layered is None or not layered.filled or placed.article_id is not None:
                report.record(path, placed, article)
    progress(len(files), len(files), "Import finished")
    return report
