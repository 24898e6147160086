"""What the window's watch for other processes' commits costs, next to what it saves.

    .venv/bin/python benchmarks/watch.py                  # 5,301 articles, as in issue 18
    .venv/bin/python benchmarks/watch.py --articles 20000

Builds a database of generated articles, then times in the same run: one look of the
browser's ``ChangeCounter`` (``PRAGMA data_version`` on its own read-only connection, what
the window runs every two seconds), and the first page of the list with its count (what a
refresh costs, and only after a look saw a change). The figure that matters is the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.domain import Article  # noqa: E402
from desktop.services import library  # noqa: E402
from desktop.store import Database  # noqa: E402
from desktop.store import repository as repo  # noqa: E402
from desktop.store.browse import BrowseQuery, ChangeCounter  # noqa: E402

WORDS = "the minister said on Tuesday that talks with union leaders would resume".split()


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5301)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder) / "watch.sqlite3")
        with db.transaction() as s:
            coll = repo.collection(s)
            for i in range(args.articles):
                text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(400)) + f" {i}."
                repo.add_article(s, coll, Article(f"a{i}", text, f"Article {i}"))
        counter = ChangeCounter(db.engine, db.path)
        counter.changed()
        look = median_ms(counter.changed, 500)
        page = median_ms(lambda: library.browse_page(db, BrowseQuery(), 0, 200), 30)
        counter.close()
        db.close()
    print(f"{args.articles:,} articles")
    print(f"one look (PRAGMA data_version)   {look * 1000:8.1f} µs")
    print(f"first page of 200 with its count {page:8.1f} ms")
    print(f"a look costs 1/{page / look:,.0f} of a refresh")


if __name__ == "__main__":
    main()
