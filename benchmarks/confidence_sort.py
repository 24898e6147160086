"""The browser's "least certain first" sort at scale, and what its triggers cost the writes.

    .venv/bin/python benchmarks/confidence_sort.py                  # 100,000 articles
    .venv/bin/python benchmarks/confidence_sort.py --articles 20000

Migration 0005 keeps ``article.lowest_confidence`` with triggers on ``quote``. This measures,
in one run and as ratios:

- a page of 200 rows sorted by it (first page, a deep page, within one collection) against
  the same page in import order (``sort=id``, the cheapest listing there is);
- inserting every quote in one go (plain INSERTs) with the triggers against the same inserts
  into a copy without them, and deleting articles' quotes (as a re-analysis does) the same
  way: the worst case, since each lowered figure rewrites its article's row;
- the real import (``services.importing`` of a JSON Lines file, one transaction per article)
  with and without the triggers, alternated, median of three.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.services import importing  # noqa: E402
from desktop.store import Database, browse  # noqa: E402
from desktop.store.browse import BrowseQuery  # noqa: E402

TRIGGERS = ("quote_lowest_insert", "quote_lowest_delete", "quote_lowest_update")
RATES = [0.45, 0.55, 0.62, 0.7, 0.78, 0.8, 0.86, 0.9, 0.92, 0.96, 0.98, 0.99]


def median_ms(run: Callable[[], object], times: int = 5) -> float:
    samples = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def articles(conn: sqlite3.Connection, n: int) -> None:
    conn.executemany("INSERT INTO collection (id, name, created_at) VALUES (?, ?, '2026')",
                     [(1, "news"), (2, "other")])  # fmt: skip
    conn.executemany(
        "INSERT INTO article (id, collection_id, external_id, title, text, text_hash, meta, "
        "status, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, '{}', "
        "'unreviewed', '2026', '2026', 1)",
        ((i, 1 + (i % 5 == 0), f"a{i}", f"Story {i}", "Some words here. " * 400, f"h{i}")
         for i in range(1, n + 1)),
    )  # fmt: skip


def quotes(n: int, per: int, seed: int = 5) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    rows = []
    for aid in range(1, n + 1):
        for k in range(rng.randint(0, 2 * per)):
            human = rng.random() < 0.05
            conf = None if human else rng.choice(RATES)
            src = None if human else rng.choice(RATES)
            rows.append((aid, k * 10, k * 10 + 5, "human" if human else "model", conf, src))
    return rows


def insert_quotes(path: Path, rows: list[tuple[object, ...]]) -> float:
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    conn.executemany(
        'INSERT INTO quote (article_id, start, "end", kind, origin, rejected, confidence, '
        "reason, source_confidence, source_reason) VALUES (?, ?, ?, 'indirect', ?, 0, ?, '', "
        "?, '')",
        rows,
    )
    conn.commit()
    spent = time.perf_counter() - t0
    conn.close()
    return spent


def delete_quotes(path: Path, ids: range) -> float:
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    for aid in ids:
        conn.execute("DELETE FROM quote WHERE article_id = ?", (aid,))
    conn.commit()
    spent = time.perf_counter() - t0
    conn.close()
    return spent


def jsonl(path: Path, n: int, seed: int = 3) -> None:
    """Articles of about 900 words with up to 16 model quotes each, in the project format."""
    rng = random.Random(seed)
    words = "the minister said a plan would go ahead next week despite protests".split()
    with path.open("w") as out:
        for i in range(n):
            text = " ".join(rng.choice(words) for _ in range(900)) + "."
            quotes = [
                {"start": k * 40, "end": k * 40 + 20, "text": text[k * 40 : k * 40 + 20],
                 "kind": "indirect", "source": {"id": "s1", "name": "Ann Lee"},
                 "origin": "model", "confidence": rng.choice(RATES),
                 "source_confidence": rng.choice(RATES)}
                for k in range(rng.randint(0, 16))
            ]  # fmt: skip
            sources = [{"id": "s1", "name": "Ann Lee", "type": "PERSON", "mentions": []}]
            out.write(json.dumps({"id": f"x{i}", "text": text, "sources": sources,
                                  "quotes": quotes}) + "\n")  # fmt: skip


def import_time(folder: Path, source: Path, triggers: bool) -> float:
    path = folder / f"import-{triggers}.sqlite3"
    db = Database.open(path)
    try:
        if not triggers:
            with db.engine.begin() as conn:
                for name in TRIGGERS:
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
        t0 = time.perf_counter()
        report = importing.import_paths(db, [source], collection="c")
        spent = time.perf_counter() - t0
        assert not report.errors, report.errors[:3]
    finally:
        db.close()
    for leftover in folder.glob(f"import-{triggers}.sqlite3*"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--quotes-per-article", type=int, default=8, help="mean")
    parser.add_argument("--import-articles", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="qd-confidence-"))
    try:
        path, bare = folder / "with.sqlite3", folder / "without.sqlite3"
        Database.open(path).close()
        conn = sqlite3.connect(path)
        t0 = time.perf_counter()
        articles(conn, args.articles)
        conn.commit()
        article_t = time.perf_counter() - t0
        conn.close()
        shutil.copy(path, bare)
        conn = sqlite3.connect(bare)
        for name in TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
        conn.commit()
        conn.close()
        rows = quotes(args.articles, args.quotes_per_article)
        with_t, without_t = insert_quotes(path, rows), insert_quotes(bare, rows)
        print(f"{args.articles:,} articles ({article_t:.2f} s to insert, search index included),"
              f" {len(rows):,} quotes")  # fmt: skip
        print(f"insert every quote: {with_t:.2f} s with the triggers, {without_t:.2f} s without"
              f" (x{with_t / without_t:.2f})")  # fmt: skip
        some = range(1, min(args.articles, 2000) + 1)
        del_with, del_without = delete_quotes(path, some), delete_quotes(bare, some)
        print(f"delete the quotes of {len(some):,} articles: {del_with * 1000:.0f} ms with, "
              f"{del_without * 1000:.0f} ms without (x{del_with / del_without:.2f})")  # fmt: skip

        source = folder / "import.jsonl"
        jsonl(source, args.import_articles)
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(3):
            for triggers in (True, False):
                times[triggers].append(import_time(folder, source, triggers))
        on, off = statistics.median(times[True]), statistics.median(times[False])
        print(f"import {args.import_articles:,} articles with their quotes: {on:.2f} s with the "
              f"triggers, {off:.2f} s without (x{on / off:.2f})")  # fmt: skip

        db = Database.open(path)
        try:
            deep = args.articles // 2
            for what, offset, collection in (
                ("first page", 0, None),
                (f"page at row {deep:,}", deep, None),
                ("first page of one collection", 0, "news"),
            ):

                def page(sort: str, o: int = offset, c: str | None = collection) -> None:
                    with db.session() as s:
                        browse.page(s, BrowseQuery(sort=sort, collection=c), o, 200)

                least = median_ms(lambda: page("confidence"))
                plain = median_ms(lambda: page("id"))
                print(f"{what}: least certain first {least:.1f} ms, import order "
                      f"{plain:.1f} ms (x{least / plain:.2f})")  # fmt: skip
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
