"""Crash test: kill a busy Quotedesk process with SIGKILL and check nothing was lost.

A worker process (``python -m tests.reliability.crashkit worker DB LOG``) loops forever over
the three kinds of write Quotedesk makes: it imports a batch of generated articles through
``importing.import_paths``, stores a (fake, deterministic) model analysis through
``repository.apply_model_analysis`` and makes hand edits through ``Editor``. After each
committed transaction it appends one line to LOG and flushes it:

    import <external id>          the article is committed
    analyze <external id>         its analysis is committed
    edit <external id> <start> <end> <revision>   the edit is committed

The parent (``run_crash_test``) starts the worker, kills it with SIGKILL at a random moment,
and after every kill checks with plain ``sqlite3``:

- ``PRAGMA integrity_check`` says ``ok``;
- every line the worker reported is in the database (nothing committed was lost);
- no article is half-imported: every article has all of the entities, quotes, sources and
  mentions its generator gave it (the count is in its ``meta``);
- no article is half-analyzed: an article marked analyzed has every model entity the fake
  model produces for it, and an article not marked analyzed has none.

SIGKILL ends the process, not the machine: this proves the application never commits half a
unit of work and never loses a commit the OS has, not that the disk survives a power cut
(``synchronous=NORMAL`` in WAL mode trades that for speed, as SQLite documents).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLLECTION = "crash"
MODEL = "crash-model"
BATCH = 4


# --- what the worker writes -------------------------------------------------------------


def article_record(index: int) -> dict[str, object]:
    """A generated article in the project's JSONL with k entities, quotes and sources."""
    rnd = random.Random(index)
    k = rnd.randint(2, 6)
    parts: list[str] = []
    entities, sources, quotes = [], [], []
    pos = 0
    for j in range(k):
        name = f"Person{index}x{j}"
        said = f'{name} said "this is quote number {j} of article {index}." '
        n_start = pos
        n_end = pos + len(name)
        q_start = said.index('"') + 1 + pos
        q_end = said.rindex('"') + pos
        entities.append({"start": n_start, "end": n_end, "label": "PERSON"})
        sources.append(
            {
                "id": f"s{j + 1}",
                "name": name,
                "type": "PERSON",
                "mentions": [{"start": n_start, "end": n_end}],
            }
        )
        quotes.append(
            {
                "start": q_start,
                "end": q_end,
                "kind": "direct",
                "cue": {"start": n_end + 1, "end": n_end + 5},
                "speaker": {"start": n_start, "end": n_end},
                "source": {"id": f"s{j + 1}"},
            }
        )
        parts.append(said)
        pos += len(said)
    return {
        "id": f"crash-{index}",
        "title": f"Crash article {index}",
        "text": "".join(parts),
        "meta": {"k": k},
        "entities": entities,
        "sources": sources,
        "quotes": quotes,
    }


def model_spans(text: str) -> list[tuple[int, int]]:
    """Where the fake model finds entities: every word ``article``."""
    spans, at = [], text.find("article")
    while at >= 0:
        spans.append((at, at + len("article")))
        at = text.find("article", at + 1)
    return spans


def edit_spans(text: str) -> list[tuple[int, int]]:
    """Where the worker's hand edits put ORG entities: every word ``number``."""
    spans, at = [], text.find("number")
    while at >= 0:
        spans.append((at, at + len("number")))
        at = text.find("number", at + 1)
    return spans


def worker(db_path: Path, log_path: Path, seed: int) -> None:
    """Write forever, reporting each committed transaction; the parent kills it."""
    sys.path.insert(0, str(REPO))
    from sqlalchemy import func, select

    from desktop.domain import Attribution, Entity
    from desktop.services import importing
    from desktop.services.editing import Editor
    from desktop.store import Database
    from desktop.store import repository as repo
    from desktop.store.models import ArticleRow

    rnd = random.Random(seed)
    log = log_path.open("a", encoding="utf-8")

    def report(line: str) -> None:
        log.write(line + "\n")
        log.flush()

    db = Database.open(db_path)
    editor = Editor(db, user="crash-worker")
    batch_file = db_path.parent / f"batch-{os.getpid()}.jsonl"
    report("ready")
    while True:
        with db.session() as s:
            done = s.scalar(select(func.count(ArticleRow.id))) or 0
        records = [article_record(i) for i in range(done, done + BATCH)]
        batch_file.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        result = importing.import_paths(db, [batch_file], COLLECTION)
        if result.errors:
            raise SystemExit(f"import failed: {result.errors}")
        for r in records:
            report(f"import {r['id']}")

        with db.session() as s:
            pending = list(
                s.execute(
                    select(ArticleRow.id, ArticleRow.external_id, ArticleRow.text)
                    .where(ArticleRow.analyzed_at.is_(None))
                    .limit(3)
                )
            )
        for article_id, external_id, text in pending:
            ents = [Entity(a, b, "WORK_OF_ART", text[a:b]) for a, b in model_spans(text)]
            with db.transaction() as s:
                repo.apply_model_analysis(s, article_id, ents, Attribution(), MODEL, "1")
            report(f"analyze {external_id}")

        with db.session() as s:
            rows = list(s.execute(select(ArticleRow.id, ArticleRow.external_id, ArticleRow.text)))
        for article_id, external_id, text in rnd.sample(rows, min(3, len(rows))):
            with db.session() as s:
                revision = s.scalar(select(ArticleRow.revision).where(ArticleRow.id == article_id))
            start, end = rnd.choice(edit_spans(text))
            result = editor.add_entity(article_id, revision, start, end, "ORG")
            report(f"edit {external_id} {start} {end} {result.after.revision}")


# --- what the parent checks -------------------------------------------------------------


@dataclass
class CrashReport:
    kills: int = 0
    survived: int = 0
    reported: int = 0
    lost: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    articles: int = 0
    worker_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.broken and not self.worker_errors


def reported_lines(log_path: Path) -> list[list[str]]:
    """Complete lines only: a kill may cut the last one short."""
    if not log_path.exists():
        return []
    text = log_path.read_text(encoding="utf-8")
    return [line.split() for line in text.split("\n")[:-1] if line and line != "ready"]


def check_database(db_path: Path, reported: list[list[str]]) -> tuple[list[str], list[str]]:
    """(lost, broken): committed transactions missing, and half-written articles."""
    lost: list[str] = []
    broken: list[str] = []
    if not db_path.exists():
        return ([" ".join(r) for r in reported], broken)
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchall()
        if status != [("ok",)]:
            broken.append(f"integrity_check: {status[:5]}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "article" not in tables:
            return ([" ".join(r) for r in reported], broken)
        articles = {
            ext: (aid, json.loads(meta or "{}"), analyzed, revision, text)
            for aid, ext, meta, analyzed, revision, text in conn.execute(
                "SELECT id, external_id, meta, analyzed_at, revision, text FROM article"
            )
        }

        def count(sql: str, article_id: int) -> int:
            return conn.execute(sql, (article_id,)).fetchone()[0]

        for ext, (aid, meta, analyzed, _rev, text) in articles.items():
            k = int(meta.get("k", -1))
            persons = count(
                "SELECT count(*) FROM entity WHERE article_id=? AND label='PERSON'", aid
            )
            quotes = count("SELECT count(*) FROM quote WHERE article_id=?", aid)
            sources = count("SELECT count(*) FROM source WHERE article_id=?", aid)
            mentions = count(
                "SELECT count(*) FROM mention JOIN source ON mention.source_id = source.id "
                "WHERE source.article_id=?",
                aid,
            )
            if not persons == quotes == sources == mentions == k:
                broken.append(
                    f"{ext} half-imported: k={k} entities={persons} quotes={quotes} "
                    f"sources={sources} mentions={mentions}"
                )
            model = count("SELECT count(*) FROM entity WHERE article_id=? AND origin='model'", aid)
            expected = len(model_spans(text)) if analyzed is not None else 0
            if model != expected:
                broken.append(f"{ext} half-analyzed: {model} model entities, {expected} expected")

        for rec in reported:
            kind, ext = rec[0], rec[1]
            found = articles.get(ext)
            if found is None:
                lost.append(" ".join(rec))
                continue
            aid, _meta, analyzed, revision, _text = found
            if kind == "analyze" and analyzed is None:
                lost.append(" ".join(rec))
            elif kind == "edit":
                start, end, rev = int(rec[2]), int(rec[3]), int(rec[4])
                has = conn.execute(
                    'SELECT count(*) FROM entity WHERE article_id=? AND start=? AND "end"=? '
                    "AND label='ORG' AND origin='human'",
                    (aid, start, end),
                ).fetchone()[0]
                history = conn.execute(
                    "SELECT count(*) FROM edit WHERE article_id=? AND user='crash-worker'",
                    (aid,),
                ).fetchone()[0]
                if not has or revision < rev or not history:
                    lost.append(" ".join(rec))
        return lost, broken
    finally:
        conn.close()


def _wait_for_ready(log_path: Path, readies: int, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if log_path.exists() and log_path.read_text(encoding="utf-8").count("ready\n") > readies:
            return True
        time.sleep(0.01)
    return False


def run_crash_test(
    folder: Path,
    kills: int,
    seed: int = 0,
    max_delay: float = 0.8,
    progress: bool = False,
) -> CrashReport:
    """Start, kill and check the worker ``kills`` times in ``folder``."""
    rnd = random.Random(seed)
    db_path = folder / "crash.sqlite3"
    log_path = folder / "committed.log"
    err_path = folder / "worker.err"
    report = CrashReport()
    readies = 0
    for n in range(kills):
        with err_path.open("wb") as err:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.reliability.crashkit",
                    "worker",
                    str(db_path),
                    str(log_path),
                    str(rnd.randrange(2**31)),
                ],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
            # most kills land while the worker writes; one in ten while it starts up
            if rnd.random() >= 0.1:
                if _wait_for_ready(log_path, readies, proc):
                    readies += 1
            time.sleep(rnd.uniform(0, max_delay))
            exited = proc.poll()
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        if exited is not None:
            report.worker_errors.append(err_path.read_text(errors="replace")[-2000:])
            break
        report.kills += 1
        lines = reported_lines(log_path)
        lost, broken = check_database(db_path, lines)
        report.reported = len(lines)
        if lost or broken:
            report.lost.extend(lost)
            report.broken.extend(broken)
            break
        report.survived += 1
        if progress:
            print(f"kill {n + 1}/{kills}: ok, {len(lines)} committed", file=sys.stderr)
    conn = sqlite3.connect(db_path)
    try:
        report.articles = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    except sqlite3.Error:
        report.articles = 0
    finally:
        conn.close()
    return report


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "worker":
        worker(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("usage: python -m tests.reliability.crashkit worker DB LOG SEED")
