"""Speed of the window's Sources and Statistics rooms (issue 12) on the 100,000-article
records database of ``benchmarks/sources.py``, measured in one run against the service
calls they make, so the figures are ratios as well as times.

    .venv/bin/python benchmarks/sources.py --articles 100000 --workdir /tmp/qd-sources
    .venv/bin/python benchmarks/collection_views.py --db /tmp/qd-sources/sources-100000.sqlite3

The database is copied to ``--workdir`` first (opening it may migrate it). Offscreen, with
the window's real thread pool: a room's time runs from the request (a tab shown, a chart
picked, a filter set) to its rows on screen and the chart drawn, as an analyst waits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics as pystats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 5
WHOLE_TARGET_MS = 1000.0
FILTER_TARGET_MS = 200.0
PAGE_TARGET_MS = 300.0


def median_ms(run: Callable[[], object], times: int = RUNS) -> float:
    run()  # warm the cache
    taken = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        taken.append((time.perf_counter() - t0) * 1000)
    return pystats.median(taken)


def wait_for(app: Any, done: Callable[[], bool], timeout_s: float = 60.0) -> None:
    end = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the view did not answer")
        app.processEvents()
        time.sleep(0.0005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/qd-sources/sources-100000.sqlite3"))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/qd-views"))
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"no database at {args.db}: make it with benchmarks/sources.py first")
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / args.db.name
    if not path.exists():
        shutil.copyfile(args.db, path)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.domain.people import ArticleFilter
    from desktop.services import sources, statistics
    from desktop.store import Database
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.tasks import TaskRunner

    app = QApplication([])
    db = Database.open(path, daily_backup=False)
    settings = Settings(QSettings(str(args.workdir / "bench.ini"), QSettings.Format.IniFormat))
    window = MainWindow(db, TaskRunner(), settings)
    window.quiet = True
    window.resize(1300, 820)
    window.show()
    wait_for(app, lambda: window.articles.rowCount() > 0)
    views = window.collection_views
    whole = ArticleFilter(collection="bench")
    few = ArticleFilter(collection="bench", date_from="2023-06-01", date_to="2023-06-10")
    views.state.set(whole)
    print(f"database: {path} ({statistics.totals(db, few).articles} articles in the filter)")

    # the sources index: the first page on screen, against the service's page
    index = views.sources_view

    def index_page() -> None:
        window.rooms.setCurrentIndex(0)
        loaded: list[bool] = []
        index.model.loaded.connect(lambda: loaded.append(True))
        window.rooms.setCurrentWidget(index)
        wait_for(app, lambda: bool(loaded))
        index.model.loaded.disconnect()

    t0 = time.perf_counter()
    index_page()
    first_ever = (time.perf_counter() - t0) * 1000
    service = median_ms(lambda: sources.record_page(db, whole))
    shown = median_ms(index_page)
    print(
        f"index first page: window {shown:7.1f} ms (first time {first_ever:.0f} ms), "
        f"service {service:7.1f} ms, ratio {shown / service:4.2f} (target <= {PAGE_TARGET_MS:.0f})"
    )

    # the statistics view: each chart drawn for the whole collection and for ~1,000 articles
    stats = views.stats_view
    t0 = time.perf_counter()
    window.rooms.setCurrentWidget(stats)
    wait_for(app, lambda: stats.canvas is not None and stats.table_model.rows != [])
    first_shown = (time.perf_counter() - t0) * 1000
    print(f"statistics room first shown (matplotlib imported): {first_shown:.0f} ms")
    canvas = stats.canvas
    for by in statistics.GROUPINGS:
        for name, f, target in (
            ("whole", whole, WHOLE_TARGET_MS),
            ("filter", few, FILTER_TARGET_MS),
        ):
            views.state.set(f)
            wait_for(app, lambda: not canvas._draw_pending)  # noqa: B023 (the filter's refresh)

            def chart(by: str = by) -> tuple[float, float]:
                """(numbers on screen, chart painted) in ms from the request."""
                t0 = time.perf_counter()
                drawn: list[str] = []
                stats.drawn.connect(drawn.append)
                stats.refresh() if stats.by == by else stats.show_chart(by)
                wait_for(app, lambda: bool(drawn))
                numbers = (time.perf_counter() - t0) * 1000
                wait_for(app, lambda: not canvas._draw_pending)  # the chart painted
                stats.drawn.disconnect()
                return numbers, (time.perf_counter() - t0) * 1000

            chart()  # warm the cache
            runs = [chart() for _ in range(3)]
            numbers = pystats.median(r[0] for r in runs)
            painted = pystats.median(r[1] for r in runs)
            rows = median_ms(
                lambda by=by, f=f: (statistics.stats(db, by, f), statistics.totals(db, f)), 3
            )
            verdict = "PASS" if numbers <= target else "FAIL"
            print(
                f"stats by {by:7} {name:6}: numbers on screen {numbers:7.1f} ms ({verdict}, "
                f"<= {target:.0f}), chart painted {painted:7.1f} ms; service (rows + totals) "
                f"{rows:7.1f} ms: window/service {numbers / rows:4.2f}, {painted / rows:4.2f}"
            )
    window.close()
    db.close()


if __name__ == "__main__":
    main()
