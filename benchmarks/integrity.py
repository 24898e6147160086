"""What the integrity check costs at open, on a database of a given size.

    .venv/bin/python benchmarks/integrity.py                 # about 250 MB of articles
    .venv/bin/python benchmarks/integrity.py --articles 2000

Builds a Quotedesk database of generated articles (with entities and the search index),
then times, best of five: opening it as the window does (``daily_backup=False``: checked at
open only below ``CHEAP_CHECK_BYTES``), opening it with the check forced, SQLite's
``quick_check`` alone, and a verified backup copy. The figure that matters is the ratio of
the checked open to the plain one, measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.domain import Article  # noqa: E402
from desktop.domain.model import Entity  # noqa: E402
from desktop.store import Database, backups, database, integrity  # noqa: E402
from desktop.store import repository as repo  # noqa: E402

WORDS = "the minister said on Tuesday that talks with union leaders would resume".split()


def build(path: Path, articles: int) -> None:
    db = Database.open(path)
    for first in range(0, articles, 500):
        with db.transaction() as s:
            coll = repo.collection(s)
            for i in range(first, min(first + 500, articles)):
                text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(1500)) + f" {i}."
                ents = [
                    Entity(k * 60, k * 60 + 8, "PERSON", text[k * 60 : k * 60 + 8])
                    for k in range(30)
                ]
                repo.add_article(s, coll, Article(f"a{i}", text, entities=ents))
    db.close()


def best(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=25000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quotedesk-integrity-"))
    path = folder / "big.sqlite3"
    started = time.perf_counter()
    build(path, args.articles)
    size = path.stat().st_size
    print(
        f"{args.articles} articles, {size / 1e6:,.0f} MB, built in "
        f"{time.perf_counter() - started:.0f} s"
    )

    def open_window() -> None:
        Database.open(path, daily_backup=False).close()

    def quick_check() -> None:
        conn = integrity.read_only(path)
        try:
            assert integrity.quick_check(conn)
        finally:
            conn.close()

    cheap = database.CHEAP_CHECK_BYTES
    database.CHEAP_CHECK_BYTES = 0  # as the window opens a file over the limit
    plain = best(open_window)
    database.CHEAP_CHECK_BYTES = size + 1  # the same open, checked
    checked = best(open_window)
    database.CHEAP_CHECK_BYTES = cheap
    check = best(quick_check)
    copy = best(lambda: backups.make_backup(path, "bench"), runs=3)
    when = "at open" if size <= cheap else "on a worker right after the first paint"
    print(f"the window checks this file {when} (the limit is {cheap / 1e6:.0f} MB)")
    print(f"open, check left for after the first paint:                   {plain * 1000:7.1f} ms")
    print(f"open with quick_check:                                        {checked * 1000:7.1f} ms")
    print(f"quick_check alone:                                            {check * 1000:7.1f} ms")
    print(f"verified backup copy (copy + quick_check):                    {copy * 1000:7.1f} ms")
    print(
        f"checked open / plain open: {checked / plain:.1f}x; "
        f"quick_check reads {size / check / 1e6:,.0f} MB/s (from the page cache)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
