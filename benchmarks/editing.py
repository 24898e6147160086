"""How long an edit takes to be saved and shown, on an article of 10,000 words.

Run from the repo root:  .venv/bin/python benchmarks/editing.py [--repeat 20]

Each edit goes through the window's own path: the edit controller saves it (one SQLite
transaction), re-renders the article pane and the sidebar, and the pane is repainted.
Target (issue 5): visible and saved within 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import article  # noqa: E402

TARGET_MS = 50.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.store import Database
    from desktop.store import repository as repo
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings
    from desktop.ui.tasks import TaskRunner

    tmp = Path(tempfile.mkdtemp())
    db = Database.open(tmp / "bench.sqlite3")
    big = article(words=10_000, entities=1_000, quotes=100)
    with db.transaction() as s:
        repo.add_article(s, repo.collection(s), big)
    app = QApplication.instance() or QApplication([])
    settings = Settings(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window = MainWindow(db, TaskRunner(), settings, add_sample=False)
    window.quiet = True
    window.resize(1300, 850)
    window.show()
    deadline = time.monotonic() + 30
    while (window.shown is None) and time.monotonic() < deadline:
        app.processEvents()
    assert window.shown is not None, "the article did not load"
    view = window.article_view
    words = big.text.split(" ")
    print(
        f"article: {len(words):,} words, {len(big.entities):,} entities, {len(big.quotes)} quotes"
    )

    timings: dict[str, list[float]] = {
        "add entity": [],
        "change label": [],
        "delete entity": [],
        "undo": [],
        "change quote kind": [],
    }

    def timed(name: str, action) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        action()
        view.viewport().repaint()
        window.sources.tree.viewport().repaint()
        timings[name].append((time.perf_counter() - start) * 1000)

    for n in range(args.repeat):
        free = next(
            i
            for i, w in enumerate(words[n * 37 + 3 :], n * 37 + 3)
            if w in ("government", "officials", "region")
        )
        start = sum(len(w) + 1 for w in words[:free])
        end = start + len(words[free])
        view.select_span(start, end)
        timed("add entity", lambda: view.request_label("ORG"))
        view.select_span(start, end)
        timed("change label", lambda: view.request_label("GPE"))
        view.select_span(start, end)
        timed("delete entity", view.request_delete_entity)
        timed("undo", window.edits.stack.undo)
        quote = window.shown.quotes[n % len(window.shown.quotes)]
        kind = "mixed" if quote.kind != "mixed" else "indirect"
        timed(
            "change quote kind", lambda q=quote, k=kind: window.edits.set_kind((q.start, q.end), k)
        )

    print(f"{'edit':20} {'median ms':>10} {'max ms':>8}  target {TARGET_MS:.0f} ms")
    ok = True
    for name, values in timings.items():
        med, worst = statistics.median(values), max(values)
        ok &= med <= TARGET_MS
        print(f"{name:20} {med:10.1f} {worst:8.1f}  {'PASS' if med <= TARGET_MS else 'FAIL'}")
    window.close()
    db.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
