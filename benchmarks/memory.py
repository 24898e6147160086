"""Peak memory of the big-file paths, whole processes: the Label Studio import and the DocBin
export (issue 16: each <= 400 MB).

    .venv/bin/python benchmarks/memory.py [--ls-mb 100] [--articles 10000]

Generates its own inputs in a temporary folder (texts of its own making):

- a Label Studio JSON list of about ``--ls-mb`` MB (tasks with entity regions and a
  prediction), imported with ``quotedesk import``; for comparison, a process that reads the
  same file with ``json.loads`` as the reader did before it streamed;
- a database of ``--articles`` articles with entities and quotes, exported with
  ``quotedesk export --format spacy`` to a folder of shards and, for comparison, to one
  ``.spacy`` file.

Peak memory is the ``ru_maxrss`` of each process (``os.wait4``), in MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
NAMES = ["Mara Voss", "Tilo Brandt", "the Harbour Board", "Dr. Alma Reyes", "Jon Ekberg"]
OLD_READER = "import json, sys; json.loads(open(sys.argv[1], encoding='utf-8').read())"


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of a whole process."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd[:5])} failed")
    return round(time.perf_counter() - started, 1), round(usage.ru_maxrss / 1024)


def story(n: int) -> tuple[str, list[tuple[int, int, str]]]:
    """A made-up article and its PERSON/ORG entity spans."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for i in range(12):
        who = NAMES[(n + i) % len(NAMES)]
        spans.append((pos, pos + len(who), "ORG" if who.startswith("the") else "PERSON"))
        sentence = f'{who} said "the ferry to pier {n % 97} runs again on day {i}." '
        parts.append(sentence)
        pos += len(sentence)
    return "".join(parts), spans


def label_studio_file(path: Path, megabytes: int) -> int:
    """A Label Studio JSON list of about ``megabytes`` MB; how many tasks."""
    limit = megabytes * 1_000_000
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        while fh.tell() < limit:
            text, spans = story(n)
            regions = [
                {
                    "id": f"r{n}-{k}",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]},
                }
                for k, (s, e, label) in enumerate(spans)
            ]
            task = {
                "id": n + 1,
                "data": {"text": text, "title": f"Ferry {n}"},
                "annotations": [{"result": regions[:6]}],
                "predictions": [{"model_version": "gen", "result": regions[6:]}],
            }
            fh.write((",\n" if n else "\n") + json.dumps(task))
            n += 1
        fh.write("\n]\n")
    return n


def articles_file(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            text, spans = story(n)
            entities = [{"start": s, "end": e, "label": label} for s, e, label in spans]
            fh.write(json.dumps({"id": f"m{n}", "text": text, "entities": entities}) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ls-mb", type=int, default=100)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    results: dict[str, object] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="quotedesk-bench-memory-") as tmp:
        folder = Path(tmp)
        if args.ls_mb:  # 0: skip the Label Studio part
            quotedesk = [PYTHON, "-m", "desktop", "--db", str(folder / "ls.sqlite3")]
            tasks = folder / "tasks.json"
            results["ls_tasks"] = label_studio_file(tasks, args.ls_mb)
            results["ls_file_mb"] = round(tasks.stat().st_size / 1e6, 1)
            results["ls_import_s_mb"] = run([*quotedesk, "import", str(tasks)])
            results["ls_json_loads_s_mb"] = run([PYTHON, "-c", OLD_READER, str(tasks)])
            print(json.dumps(results), flush=True)
            tasks.unlink()

        source = folder / "articles.jsonl"
        articles_file(source, args.articles)
        quotedesk = [PYTHON, "-m", "desktop", "--db", str(folder / "many.sqlite3")]
        results["jsonl_import_s_mb"] = run([*quotedesk, "import", str(source)])
        shards = folder / "shards"
        results["docbin_shards_s_mb"] = run(
            [*quotedesk, "export", "--format", "spacy", "-o", f"{shards}/"]
        )
        results["shards"] = len(list(shards.iterdir()))
        one = folder / "all.spacy"
        results["docbin_one_file_s_mb"] = run(
            [*quotedesk, "export", "--format", "spacy", "-o", str(one)]
        )
    results["load_after"] = os.getloadavg()
    print(json.dumps(results), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
