"""A team on one PostgreSQL server: annotator processes that edit, a curator, and the checks.

Used by ``benchmarks/team.py`` (10 annotators for 60 s, and 100 kills) and by
``tests/reliability/test_team_kill.py`` (a few kills). The articles are generated sentences
(``story``) with a fake model analysis, in two collections: ``desk``
(shared: one layer everybody edits) and ``panel`` (parallel: each article dealt to two
annotators, who each edit a layer of their own).

An annotator process (``python -m tests.reliability.teamkit annotate URL NAME SLOT LOG``)
edits through ``LayerEditor``, the window's editor: it reads an article as the window does
(``article_for``), waits a moment as a person would, and adds an ORG entity over one word
only its slot may take (word index modulo ``SLOTS``), so no two processes ever add the same
entity. Before each edit it logs ``try``, after it ``ok`` or ``conflict`` (the
``ConflictError`` the window shows), flushed at once; a span once tried is never tried again,
by this process or by the next one under the same name (it reads the log first).

The checks (``check``): every ``ok`` edit is in its layer; no ``conflict`` edit is (a
refusal wrote nothing); every ORG entity in a layer was tried by someone; each layer's ORG
entities are exactly its ``add entity`` rows in the edit history; and each annotator layer's
revision counts its saves there (nothing half-written: an entity or a revision without its
history row, or the other way round).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHARED = "desk"
PARALLEL = "panel"
SLOTS = 10
LABEL = "ORG"
CURATOR = "curator"

Key = tuple[int, str, int, int]  # article id, layer ("" shared, else annotator), start, end


def annotators(n: int) -> list[str]:
    return [f"ann{i}" for i in range(n)]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Every word of the text, as (start, end), in order."""
    spans, at = [], 0
    for word in text.split(" "):
        if word:
            spans.append((at, at + len(word)))
        at += len(word) + 1
    return spans


def story(index: int, sentences: int = 60) -> dict[str, object]:
    """A long generated article (about 700 words: room for many edits by every slot)."""
    said = [
        f"Line {j} of story {index} says the harbour article {j} opens." for j in range(sentences)
    ]
    return {"id": f"team-{index}", "title": f"Story {index}", "text": " ".join(said)}


def populate(
    url: str, people: list[str], articles: int = 20, shared: int | None = None, roles: bool = False
) -> None:
    """The two collections (``articles`` in ``panel``, ``shared`` or as many in ``desk``),
    analyzed by the fake model, ``panel`` dealt out two each; with ``roles``, each person
    and the curator get a login role (row-level security then holds each to their layer)."""
    sys.path.insert(0, str(REPO))
    from desktop.domain import Attribution, Entity
    from desktop.services import importing, team
    from desktop.store import Database
    from desktop.store import repository as repo
    from desktop.store.models import ArticleRow
    from tests.reliability.crashkit import MODEL, model_spans

    db = Database.open(url)
    try:
        folder = Path(os.environ.get("TMPDIR", "/tmp"))
        for offset, collection, n in ((0, SHARED, shared or articles), (1000, PARALLEL, articles)):
            source = folder / f"teamkit-{os.getpid()}-{collection}.jsonl"
            records = [story(offset + i) for i in range(n)]
            source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            result = importing.import_paths(db, [source], collection)
            source.unlink()
            if result.errors:
                raise RuntimeError(f"import failed: {result.errors}")
        with db.session() as s:
            rows = list(s.query(ArticleRow.id, ArticleRow.text))
        for article_id, text in rows:
            ents = [Entity(a, b, "WORK_OF_ART", text[a:b]) for a, b in model_spans(text)]
            with db.transaction() as s:
                repo.apply_model_analysis(s, article_id, ents, Attribution(), MODEL, "1")
        team.set_mode(db, PARALLEL, "parallel", per_article=2)
        team.assign_round_robin(db, PARALLEL, people, by=CURATOR, per_article=2)
        if roles:
            for name in people:
                team.add_server_person(db, name)
            team.add_server_person(db, CURATOR, curator=True)
    finally:
        db.close()


# --- the processes ----------------------------------------------------------------------


def annotate(url: str, name: str, slot: int, log_path: Path, seed: int, seconds: float) -> None:
    """Edit shared and own articles until ``seconds`` pass (or forever, 0), logging each."""
    sys.path.insert(0, str(REPO))
    from desktop.services import team
    from desktop.services.team_editing import LayerEditor
    from desktop.store import Database
    from desktop.store.errors import ConflictError
    from desktop.store.models import ArticleRow, CollectionRow

    rnd = random.Random(seed)
    log = log_path.open("a", encoding="utf-8")

    def report(line: str) -> None:
        log.write(line + "\n")
        log.flush()

    db = Database.open(url)
    editor = LayerEditor(db, name)
    with db.session() as s:
        shared = [
            aid
            for (aid,) in s.query(ArticleRow.id)
            .join(CollectionRow, CollectionRow.id == ArticleRow.collection_id)
            .filter(CollectionRow.name == SHARED)
        ]
    mine = team.assigned_to(db, name, PARALLEL)
    # what this annotator tried before (in an earlier, killed process) is not tried again
    tried = {(int(p[1]), int(p[3])) for p in read_log(log_path) if p[0] == "try"}
    report("ready")
    end = time.monotonic() + seconds if seconds else float("inf")
    while time.monotonic() < end:
        article_id = rnd.choice(mine if mine and rnd.random() < 0.5 else shared)
        article = editor.article_for(article_id)
        layer = "" if editor.showing[article_id] == "shared" else name
        free = [
            (a, b)
            for i, (a, b) in enumerate(word_spans(article.text))
            if i % SLOTS == slot and (article_id, a) not in tried
        ]
        if not free:
            continue
        start, stop = rnd.choice(free)
        tried.add((article_id, start))
        time.sleep(rnd.uniform(0, 0.01))  # a person's moment between seeing and keying
        report(f"try {article_id} {layer or '-'} {start} {stop}")
        try:
            editor.add_entity(article_id, article.revision, start, stop, LABEL)
        except ConflictError:
            report(f"conflict {article_id} {layer or '-'} {start} {stop}")
        else:
            report(f"ok {article_id} {layer or '-'} {start} {stop}")
    report("done")
    db.close()


def curate(url: str, log_path: Path, seconds: float) -> None:
    """Save, in turn, one started annotator version of each ``panel`` article as its
    curated version, as the curation view's Save does, logging each save and conflict."""
    sys.path.insert(0, str(REPO))
    from desktop.services import team
    from desktop.store import Database
    from desktop.store.layers import LayerConflict

    log = log_path.open("a", encoding="utf-8")
    db = Database.open(url)
    ids = sorted({a.article_id for a in team.assignments(db, PARALLEL)})
    end = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < end:
        article_id = ids[turn % len(ids)]
        turn += 1
        versions = team.versions_of(db, article_id)
        if not versions:
            time.sleep(0.01)
            continue
        chosen = versions[sorted(versions)[turn % len(versions)]]
        now = team.curated(db, article_id)
        try:
            team.save_version(
                db, chosen, article_id, CURATOR, kind="curated",
                revision=now.revision if now is not None else 0,
            )  # fmt: skip
        except LayerConflict:
            log.write(f"conflict {article_id}\n")
        else:
            log.write(f"saved {article_id}\n")
        log.flush()
    db.close()


# --- the checks -------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the logs said and what the checks found."""

    ok: int = 0
    conflicts: int = 0
    lost: list[str] = field(default_factory=list)  # told it succeeded, not there
    written: list[str] = field(default_factory=list)  # refused, or never tried, yet there
    broken: list[str] = field(default_factory=list)  # a layer and its history disagree

    @property
    def sound(self) -> bool:
        return not self.lost and not self.written and not self.broken


def read_log(path: Path) -> list[list[str]]:
    """Complete lines only: a kill may cut the last one short."""
    if not path.exists():
        return []
    return [line.split() for line in path.read_text(encoding="utf-8").split("\n")[:-1] if line]


def _key(parts: list[str]) -> Key:
    return (int(parts[1]), "" if parts[2] == "-" else parts[2], int(parts[3]), int(parts[4]))


def _show(key: Key) -> str:
    """As the log writes it: article, layer ("-" for the shared one), start, end."""
    return f"{key[0]} {key[1] or '-'} {key[2]} {key[3]}"


def check(url: str, logs: list[Path]) -> Outcome:
    """Compare the annotators' logs with what the database holds (see the module's doc)."""
    sys.path.insert(0, str(REPO))
    from sqlalchemy import func, select

    from desktop.services import library, team
    from desktop.store import Database
    from desktop.store.models import ArticleRow, EditRow, LayerRow

    outcome = Outcome()
    ok: set[Key] = set()
    refused: set[Key] = set()
    tried: set[Key] = set()
    for path in logs:
        for parts in read_log(path):
            if parts[0] == "try":
                tried.add(_key(parts))
            elif parts[0] == "ok":
                ok.add(_key(parts))
            elif parts[0] == "conflict":
                refused.add(_key(parts))
    outcome.ok, outcome.conflicts = len(ok), len(refused)
    db = Database.open(url)
    try:
        held: set[Key] = set()
        history: Counter[tuple[int, str]] = Counter()
        with db.session() as s:
            article_ids = list(s.scalars(select(ArticleRow.id)))
            started = list(
                s.execute(
                    select(LayerRow.article_id, LayerRow.annotator, LayerRow.revision).where(
                        LayerRow.kind == "annotator", LayerRow.annotations.is_not(None)
                    )
                )
            )
            saves = Counter(
                {
                    (aid, name): n
                    for aid, name, n in s.execute(
                        select(EditRow.article_id, EditRow.layer, func.count()).group_by(
                            EditRow.article_id, EditRow.layer
                        )
                    )
                }
            )
            for aid, who, revision in started:
                # assigned (revision 1), then each save one revision and one history row
                if revision != 1 + saves[(aid, f"annotator:{who}")]:
                    outcome.broken.append(
                        f"article {aid} layer {who}: revision {revision}, "
                        f"{saves[(aid, f'annotator:{who}')]} saves in its history"
                    )
            for article_id, layer, count in s.execute(
                select(EditRow.article_id, EditRow.layer, func.count())
                .where(EditRow.action == "add entity")
                .group_by(EditRow.article_id, EditRow.layer)
            ):
                name = "" if layer is None else layer.removeprefix("annotator:")
                if article_id is not None:  # None: the article was deleted
                    history[(article_id, name)] = count
        shown: list[tuple[int, str, Any]] = [
            (aid, "", library.load_article(db, aid)) for aid in article_ids
        ]
        shown += [(aid, who, team.start(db, aid, who)) for aid, who, _ in started]
        for article_id, layer, article in shown:
            mine = {
                (article_id, layer, e.start, e.end) for e in article.entities if e.label == LABEL
            }
            held |= mine
            if len(mine) != history[(article_id, layer)]:
                outcome.broken.append(
                    f"article {article_id} layer {layer or 'shared'}: {len(mine)} entities, "
                    f"{history[(article_id, layer)]} 'add entity' rows in its history"
                )
        outcome.lost = sorted(map(_show, ok - held))
        outcome.written = sorted(map(_show, (held & refused) | (held - tried)))
    finally:
        db.close()
    return outcome


# --- the kill loop ----------------------------------------------------------------------


@dataclass
class KillReport:
    kills: int = 0
    mid_edit: int = 0  # kills that fell between an edit's "try" and its answer
    outcome: Outcome = field(default_factory=Outcome)
    errors: list[str] = field(default_factory=list)  # a process that died by itself


def spawn_annotator(url: str, name: str, slot: int, log: Path, seed: int, seconds: float) -> Any:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.teamkit", "annotate", url, name, str(slot),
         str(log), str(seed), str(seconds)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def readies(log: Path) -> int:
    return sum(1 for parts in read_log(log) if parts == ["ready"])


def _wait_ready(proc: Any, log: Path, before: int, limit: float = 60.0) -> None:
    """Until the process says it is ready (its imports and connection done) or ends."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None and readies(log) <= before:
        time.sleep(0.02)


def run_kills(
    url: str,
    folder: Path,
    kills: int,
    seed: int,
    max_delay: float = 1.0,
    url_for: Callable[[str], str] | None = None,
) -> KillReport:
    """Start an annotator, let it edit, SIGKILL it at a random moment; ``kills`` times,
    checking the whole database (through ``url``) after each kill. ``url_for`` gives each
    annotator's own URL (their login role), else they use ``url`` too."""
    rnd = random.Random(seed)
    report = KillReport()
    people = annotators(2)
    logs = [folder / f"kill-{name}.log" for name in people]
    for turn in range(kills):
        who = turn % len(people)
        before = readies(logs[who])
        own = url_for(people[who]) if url_for else url
        proc = spawn_annotator(own, people[who], who, logs[who], seed + turn, 0)
        _wait_ready(proc, logs[who], before)
        time.sleep(rnd.uniform(0.0, max_delay))
        if proc.poll() is not None:
            report.errors.append(proc.stderr.read().decode(errors="replace")[-2000:])
            continue
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        report.kills += 1
        last = read_log(logs[who])[-1:]
        report.mid_edit += bool(last) and last[0][0] == "try"
        report.outcome = check(url, logs)
        if not report.outcome.sound:
            break
    return report


def main(argv: list[str]) -> None:
    if argv[0] == "annotate":
        url, name, slot, log, seed, seconds = argv[1:7]
        annotate(url, name, int(slot), Path(log), int(seed), float(seconds))
    elif argv[0] == "curate":
        curate(argv[1], Path(argv[2]), float(argv[3]))
    else:  # pragma: no cover
        raise SystemExit(f"unknown role {argv[0]}")


if __name__ == "__main__":
    main(sys.argv[1:])
