"""The article browser at 100,000 articles (issue 16): search, sort and paging.

    .venv/bin/python benchmarks/browse.py --workdir /tmp/qd-browse          # 100,000 articles
    .venv/bin/python benchmarks/browse.py --workdir /tmp/qd-browse --articles 20000

Uses the generated database of ``benchmarks/window.py`` (``window_data.fill_database``:
300-800 words of a Zipf vocabulary, a fifth analyzed), made in ``--workdir`` when missing.
That database is kept as it was made (the revision of its day); a copy is brought to the
head revision by ``Database.open`` (migration 0009: the title sort index). In one run, as the
window asks (``browse.count`` + ``browse.page`` of 200 rows, median of ``--repeats``):

- searches, the one-letter ``t`` included (now no search: the whole list; and what ``"t"*``
  alone costs in the index, which is why a last word waits for its second letter);
- the first page of every sort in both directions on the head copy, and with ``--against
  REV`` the same pages as ``store/browse.py`` at git revision REV read them (its query, the
  same database: e.g. counting each article's quotes and sources before migration 0011 kept
  them), the two asserted equal first;
- pages at rows 10,000 / 50,000 / 99,800 of every sort by ``OFFSET`` and by keyset
  (``BrowseQuery.after``) on the head copy; the two give the same ids (checked here).

Targets: every search <= 100 ms, the first page of any sort <= 150 ms, any page <= 50 ms.
The exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from desktop.store import Database, browse  # noqa: E402
from desktop.store.browse import SORT_KEYS, BrowseQuery  # noqa: E402

SEARCHES = ("t", "th", "gover", "election", "the", "petalren", "minister said", "maria lindq")
SEARCH_MS, FIRST_MS, PAGE_MS = 100.0, 150.0, 50.0
LIMIT = 200


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


@contextmanager
def session_on(path: Path) -> Iterator[Session]:
    """A plain session on the file (no migration: the old copy stays at its revision)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def databases(workdir: Path, n: int) -> tuple[Path, Path]:
    from window_data import fill_database

    old = workdir / f"articles-{n}.sqlite3"
    if not Path(f"{old}.done").exists():
        print(f"Generating {n:,} articles in {old} ...", flush=True)
        Path(f"{old}.done").write_text(json.dumps(fill_database(old, n)))
    head = workdir / f"articles-{n}-head.sqlite3"
    if not head.exists():
        shutil.copyfile(old, head)
        Database.open(head).close()  # migrates (after its backup)
    return old, head


def revision(s: Session) -> str:
    return str(s.execute(text("SELECT version_num FROM alembic_version")).scalar())


def bench_searches(s: Session, repeats: int) -> list[tuple[str, float]]:
    rows = []
    for typed in SEARCHES:
        q = BrowseQuery(search=typed)
        rows.append(
            (
                typed,
                median_ms(lambda q=q: (browse.count(s, q), browse.page(s, q, 0, LIMIT)), repeats),
            )
        )
    raw = "SELECT count(*) FROM article_fts WHERE article_fts MATCH '\"t\"*'"
    rows.append(
        (
            '"t"* in the index alone (count)',
            median_ms(lambda: s.execute(text(raw)).scalar(), repeats),
        )
    )
    return rows


def bench_first_pages(s: Session, repeats: int, module: ModuleType = browse) -> dict[str, float]:
    out = {}
    for sort in SORT_KEYS:
        for descending in (False, True):
            q = module.BrowseQuery(sort=sort, descending=descending)
            if module is not browse:
                now = browse.page(s, BrowseQuery(sort=sort, descending=descending), 0, LIMIT)
                assert module.page(s, q, 0, LIMIT) == now, (sort, descending)
            out[f"{sort}{' desc' if descending else ''}"] = median_ms(
                lambda q=q: module.page(s, q, 0, LIMIT), repeats
            )
    return out


def browse_at(rev: str) -> ModuleType:
    """``desktop/store/browse.py`` as it was at git revision ``rev`` (read with git show)."""
    import importlib.util
    import subprocess
    import tempfile

    text = subprocess.run(
        ["git", "show", f"{rev}:desktop/store/browse.py"],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "browse_at_rev.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("browse_at_rev", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def bench_deep_pages(s: Session, total: int, repeats: int) -> list[tuple[str, int, float, float]]:
    rows = []
    depths = [d for d in (10_000, 50_000, total - LIMIT) if 0 < d < total]
    for sort in SORT_KEYS:
        for descending in (False, True):
            q = BrowseQuery(sort=sort, descending=descending)
            for depth in depths:
                [last] = browse.page(s, q, depth - 1, 1)
                keyed = q.with_(after=last.id)
                by_offset = [r.id for r in browse.page(s, q, depth, LIMIT)]
                by_key = [r.id for r in browse.page(s, keyed, depth, LIMIT)]
                assert by_offset == by_key, (sort, descending, depth)
                offset_ms = median_ms(lambda q=q, d=depth: browse.page(s, q, d, LIMIT), repeats)
                key_ms = median_ms(lambda k=keyed, d=depth: browse.page(s, k, d, LIMIT), repeats)
                rows.append((f"{sort}{' desc' if descending else ''}", depth, offset_ms, key_ms))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workdir", default="/tmp/qd-browse")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--against", metavar="REV", help="also time the first pages as browse.py at REV reads them"
    )
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    old, head = databases(workdir, args.articles)
    failed = []
    with session_on(head) as after:
        print(f"head copy at {revision(after)} (made from {old.name})")
        print("\n| search (count + first page) | ms |\n|---|---:|")
        for typed, ms in bench_searches(after, args.repeats):
            print(f"| {typed} | {ms:.1f} |")
            if not typed.startswith('"') and ms > SEARCH_MS:
                failed.append(f"search {typed!r} {ms:.0f} ms")
        old_first = (
            bench_first_pages(after, args.repeats, browse_at(args.against)) if args.against else {}
        )
        new_first = bench_first_pages(after, args.repeats)
        print(
            f"\n| first page of the sort | at {args.against or '-'} ms | now ms |\n|---|---:|---:|"
        )
        for key, ms in new_first.items():
            print(f"| {key} | {old_first.get(key, float('nan')):.1f} | {ms:.1f} |")
            if ms > FIRST_MS:
                failed.append(f"first page {key} {ms:.0f} ms")
        total = browse.count(after, BrowseQuery())
        print("\n| sort | row | OFFSET ms | keyset ms |\n|---|---:|---:|---:|")
        for key, depth, offset_ms, key_ms in bench_deep_pages(after, total, args.repeats):
            print(f"| {key} | {depth:,} | {offset_ms:.1f} | {key_ms:.1f} |")
            if key_ms > PAGE_MS:
                failed.append(f"page {key} at {depth:,} {key_ms:.0f} ms")
    print("\nmissed: " + ("; ".join(failed) if failed else "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
