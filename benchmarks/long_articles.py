"""A long article in worker mode against one process, through the analysis service.

    .venv/bin/python benchmarks/long_articles.py [--rounds 3] [--sentences 8000]

Each round analyzes, in turn, the same two made-up articles (a short one, so that worker
mode is chosen, and one of about 400,000 characters: five pieces of 100,000) with
``--jobs 1`` and with two workers, each into a fresh SQLite file; it prints the wall times,
their medians and the ratio (workers / one process). Then, in each mode, a cancel given
from another thread two seconds into the long article's second piece (as the window's
Cancel button is) and how long the analysis took to stop. The load average before and
after is printed: the machine is shared, say what it was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from desktop.domain import Article
from desktop.services import analysis
from desktop.services.progress import Cancelled, CancelToken
from desktop.store import Database
from desktop.store import repository as repo

SENTENCES = [
    'Greta Lund said "the night trains to Varn will stop in November."',
    "According to Omar Haddad, the depot needs forty more drivers.",
    '"We asked twice," the union told the Harwick Courier.',
    "\n\n",
    "The ministry, its spokeswoman Ada Brill said, will answer next week.",
]


def story(sentences: int, shift: int = 0) -> str:
    """Made-up news sentences (our own), with paragraph breaks to cut at."""
    return " ".join(SENTENCES[(shift + i) % len(SENTENCES)] for i in range(sentences))


def fresh(texts: list[str]) -> Database:
    db = Database.open(Path(tempfile.mkdtemp(prefix="long-articles-")) / "b.sqlite3")
    with db.transaction() as session:
        collection = repo.collection(session)
        for i, text in enumerate(texts):
            repo.add_article(session, collection, Article(external_id=f"b{i}", text=text))
    return db


def timed(texts: list[str], jobs: int) -> float:
    db = fresh(texts)
    try:
        started = time.monotonic()
        report = analysis.analyze(db, jobs=jobs)
        took = time.monotonic() - started
    finally:
        db.close()
    assert report.analyzed == len(texts) and not report.failed, report.summary()
    return took


def cancel_latency(texts: list[str], jobs: int) -> float:
    """Seconds from a cancel (another thread, 2 s into the second piece) to the stop."""
    db = fresh(texts)
    token = CancelToken()
    cancelled_at: list[float] = []

    def cancel_later() -> None:
        time.sleep(2.0)
        cancelled_at.append(time.monotonic())
        token.cancel()

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("Analyzing a long article: part 2") and not cancelled_at:
            cancelled_at.append(0.0)
            threading.Thread(target=cancel_later, daemon=True).start()

    try:
        analysis.analyze(db, jobs=jobs, progress=progress, cancel=token)
    except Cancelled:
        return time.monotonic() - cancelled_at[-1]
    finally:
        db.close()
    raise AssertionError("the analysis ended before the cancel")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=8000)
    args = parser.parse_args()
    texts = [story(40, 1), story(args.sentences)]
    print(f"articles of {[len(t) for t in texts]} characters; load {os.getloadavg()}")
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.rounds):
        for jobs in (1, 2):
            times[jobs].append(timed(texts, jobs))
            print(f"  --jobs {jobs}: {times[jobs][-1]:.1f} s", flush=True)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"median: one process {one:.1f} s, two workers {two:.1f} s, ratio {two / one:.2f}")
    for jobs in (1, 2):
        print(
            f"cancel 2 s into piece 2, --jobs {jobs}: stopped after "
            f"{cancel_latency(texts, jobs):.2f} s",
            flush=True,
        )
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
