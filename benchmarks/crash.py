"""Crash benchmark: SIGKILL a busy Quotedesk process hundreds of times; nothing may be lost.

    .venv/bin/python benchmarks/crash.py                  # 250 kills
    .venv/bin/python benchmarks/crash.py --kills 1000 --seed 7 --keep /tmp/crash

A worker process imports generated articles (``importing.import_paths``), stores a model
analysis and makes hand edits (``Editor``), reporting each committed transaction on a log;
this script kills it with SIGKILL at a random moment, checks the database, starts it again
and so on. After every kill it checks ``PRAGMA integrity_check``, that every transaction
reported committed is there, and that no article is half-imported or half-analyzed (see
``tests/reliability/crashkit.py``). The suite runs the same test with 15 kills.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.crashkit import run_crash_test  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.8, help="seconds before a kill")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        folder = args.keep
    else:
        folder = Path(tempfile.mkdtemp(prefix="quotedesk-crash-"))
    started = time.monotonic()
    report = run_crash_test(folder, args.kills, args.seed, args.max_delay, progress=True)
    elapsed = time.monotonic() - started
    print(f"kills: {report.kills}, survived: {report.survived}")
    print(f"transactions reported committed: {report.reported}, lost: {len(report.lost)}")
    print(f"half-written articles: {len(report.broken)}, articles at the end: {report.articles}")
    print(f"time: {elapsed:.0f} s, folder: {folder}")
    for line in (report.lost + report.broken)[:20]:
        print(f"  {line}")
    for err in report.worker_errors:
        print(f"worker failed on its own:\n{err}")
    return 0 if report.ok and report.survived == args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
