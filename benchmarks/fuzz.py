"""Fuzz benchmark: thousands of hostile files through every importer; count inputs and crashes.

    .venv/bin/python benchmarks/fuzz.py                   # 1,500 inputs per importer
    .venv/bin/python benchmarks/fuzz.py -n 5000 --only brat spacy

Each input is a generated file (``tests/reliability/fuzzkit.py``: random bytes, invalid
UTF-8, UTF-16 with a BOM, deep or wrong-typed JSON, plausible records with offsets out of
range, reversed or overlapping, brat zips with traversal names, damaged DocBins) imported
through ``importing.import_paths`` under a time limit. A crash is any exception other than
a FormatError, a hang, a half-import or a stored span outside its text. Hypothesis explores
at random here (the suite's short run is derandomized); a crash is shrunk and printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from desktop.store import Database  # noqa: E402
from tests.reliability import fuzzkit  # noqa: E402


def fuzz(db: Database, folder: Path, case: fuzzkit.ReaderCase, n: int) -> dict[str, int]:
    """Run ``n`` inputs of one importer's strategy; raises on the first (shrunk) crash."""
    file_name, fmt, strategy = case
    counts = {"tried": 0, "imported": 0, "refused": 0}

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=strategy)
    def run(data: object) -> None:
        target = file_name
        if isinstance(data, tuple):
            data, suffix = data
            target = f"a{suffix}"
        assert isinstance(data, bytes)
        counts["tried"] += 1
        ok = fuzzkit.check_import(db, folder, target, data, fmt)
        counts["imported" if ok else "refused"] += 1

    run()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--examples", type=int, default=1500, help="inputs per importer")
    parser.add_argument("--only", nargs="*", help="importers to fuzz (default: all)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quotedesk-fuzz-"))
    db = Database.open(folder / "fuzz.sqlite3")
    cases = fuzzkit.cases(fuzzkit.valid_docbin(folder))
    cases["any-suffix"] = (
        "",
        None,
        st.tuples(st.binary(max_size=800), st.sampled_from(sorted(fuzzkit.SUFFIXES))),
    )
    tried = refused = imported = 0
    crashes: list[str] = []
    for name in sorted(cases):
        if args.only and name not in args.only:
            continue
        started = time.monotonic()
        counts = {"tried": 0, "imported": 0, "refused": 0}
        try:
            counts = fuzz(db, folder, cases[name], args.examples)
        except Exception:  # a crash Hypothesis found and shrank
            crashes.append(f"{name}:\n{traceback.format_exc(limit=-8)}")
        elapsed = time.monotonic() - started
        tried += counts["tried"]
        imported += counts["imported"]
        refused += counts["refused"]
        print(
            f"{name:14} {counts['tried']:6} tried {counts['imported']:6} imported "
            f"{counts['refused']:6} refused  {elapsed:6.1f} s",
            flush=True,
        )
    db.close()
    print(f"\ninputs tried: {tried} (imported {imported}, refused with a FormatError {refused})")
    print(f"crashes (other exceptions, hangs, half-imports, bad spans): {len(crashes)}")
    for crash in crashes:
        print(crash)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
