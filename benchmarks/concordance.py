"""The concordance of a record quoted thousands of times: its first page (what the window
reads when the record is picked) against the whole list (what it read before paging), and
the last page, as times and ratios within one run.

    .venv/bin/python benchmarks/concordance.py --articles 200 --quotes 50 --workdir /tmp/qd-conc
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.domain.people import ArticleFilter  # noqa: E402
from desktop.services import importing, sources  # noqa: E402
from desktop.store import Database  # noqa: E402

PAGE = 200


def story(n: int, quotes: int) -> dict[str, object]:
    """An article of generated sentences, every quote Tom Reed's."""
    text, spans, mentions = f"Hearing {n}.\n\n", [], []
    for k in range(quotes):
        at = len(text)
        text += f"Tom Reed said: “Point {k} of hearing {n} stands.”\n\n"
        start = text.index("“", at) + 1
        end = text.index("”", start)
        mention = {"start": at, "end": at + 8, "text": "Tom Reed"}
        mentions.append(mention)
        spans.append({"start": start, "end": end, "text": text[start:end], "kind": "direct",
                      "speaker": mention, "source": {"id": "s1", "name": "Tom Reed"}})  # fmt: skip
    source = {"id": "s1", "name": "Tom Reed", "type": "PERSON", "mentions": mentions}
    meta = {"outlet": "Daily Post", "published": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"}
    return {"id": f"h-{n}", "title": f"Hearing {n}", "text": text, "meta": meta,
            "sources": [source], "quotes": spans}  # fmt: skip


def best_ms(run: Callable[[], object], times: int = 7) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return min(spent) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--quotes", type=int, default=50, help="quotes of the record per article")
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path = args.workdir / f"conc-{args.articles}x{args.quotes}.sqlite3"
    fresh = not path.exists()
    db = Database.open(path, daily_backup=False)
    if fresh:
        lines = args.workdir / "conc.jsonl"
        with lines.open("w", encoding="utf-8") as fh:
            for n in range(args.articles):
                fh.write(json.dumps(story(n, args.quotes), ensure_ascii=False) + "\n")
        importing.import_paths(db, [lines], "hearings")
        sources.link_collection(db, "hearings")
    person = sources.record_page(db).rows[0]
    every = ArticleFilter()
    whole = best_ms(lambda: sources.concordance(db, person.person.id, every))
    first = best_ms(lambda: sources.concordance_page(db, person.person.id, every, 0, PAGE))
    last_at = max(0, person.quotes - PAGE)
    last = best_ms(lambda: sources.concordance_page(db, person.person.id, every, last_at, PAGE))
    print(f"{person.quotes:,} quotes in {person.articles:,} articles")
    print(f"whole list {whole:.1f} ms; first page {first:.1f} ms ({first / whole:.2f}x); "
          f"last page {last:.1f} ms ({last / whole:.2f}x)")  # fmt: skip
    db.close()


if __name__ == "__main__":
    main()
