"""Fuzz benchmark: thousands of hostile files through every importer; count inputs and crashes.

    .venv/bin/python benchmarks/fuzz.py                   # 1,500 inputs per importer
    .venv/bin/python benchmarks/fuzz.py -n 5000 --only brat spacy

Each input is a generated file (``tests/reliability/fuzzkit.py``: random bytes, invalid
UTF-8, UTF-16 with a BOM, deep or wrong-typed JSON, plausible records with offsets out of
range, reversed or overlapping, brat zips with traversal names, damaged DocBins) imported
through ``importing.import_paths`` under a time limit. A crash is any exception other than
a FormatError, a hang, a half-import or a stored span outside its text. Hypothesis explores
at random here (the suite's short run is derandomized); a crash is shrunk and printed.

``damaged-db`` (``tests/reliability/damagekit.py``) damages a real Quotedesk database
instead (flipped bytes, a zeroed page, cut short, garbage appended, header bytes, a -wal of
another database or of an older state) and opens, backs up and restores it: a crash is a
damaged file opened, a refused file changed, a damaged copy marked good, or the good
backup pruned; then the same damage is done under an open database, which the window's
look and a week of daily copies must refuse or copy soundly. Its "imported" column counts
the databases that opened sound, "refused" those refused with a restore offer.

``file-kinds``, ``line-ends``, ``surrogates`` and ``encodings`` (``tests/reliability/
hostilekit.py``, issue 18) import folders of every file kind (FIFOs, links in and out of
the folder, dangling links, loops, device links, sparse files over the cap, random bytes),
texts with every line end, records with a lone surrogate anywhere, and random text in
UTF-8, UTF-16 without BOM, Latin-1 or cp1252: a crash is a hang, a file read from outside
the folder or that is not regular, a refusal that is not one line, a text not stored as
written, a surrogate imported, or a text read back different (NUL-interleaved).

``names`` (``tests/reliability/nameskit.py``, issue 18) puts a hostile name (huge, empty,
controls, line breaks, bidi overrides, lone surrogates, quote labels...) in a label, title,
id or source of a JSONL, brat, Label Studio, doccano, Prodigy or CoNLL file: a crash is a
refusal that is not one line or wrote something, or a stored name the rules refuse or whose
CoNLL or brat export has a line of the wrong shape.
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
from tests.reliability import damagekit, fuzzkit, hostilekit, nameskit  # noqa: E402

# cases that bring their own check: file kinds, line ends... (hostilekit) and hostile names
# through every importer (nameskit: a one-line refusal, or names that export cleanly)
HOSTILE_CASES = {**hostilekit.FUZZ_CASES, **nameskit.FUZZ_CASES}


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


def fuzz_hostile(db: Database, folder: Path, name: str, n: int) -> dict[str, int]:
    """Run ``n`` inputs of one of ``hostilekit.FUZZ_CASES``; raises on the first (shrunk)
    broken promise."""
    strategy, check = HOSTILE_CASES[name]
    counts = {"tried": 0, "imported": 0, "refused": 0}

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: object) -> None:
        counts["tried"] += 1
        counts["imported" if check(db, folder, case) else "refused"] += 1

    run()
    return counts


def fuzz_damaged_databases(folder: Path, n: int) -> dict[str, int]:
    """Run ``n`` damaged databases through open, backup and restore; counts per outcome
    and kind. Raises on the first (shrunk) broken promise."""
    samples = damagekit.Samples.build(folder / "damage-samples")
    counts = {"tried": 0, "imported": 0, "refused": 0}
    kinds: dict[str, int] = {}

    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(damage=damagekit.damages(samples))
    def run(damage: damagekit.Damage) -> None:
        outcome = damagekit.check_damaged(folder / "damaged", samples, damage)
        counts["tried"] += 1
        counts["imported" if outcome == "opened" else "refused"] += 1
        # the same damage under an open database: the window's look and the daily copies
        later = damagekit.check_damaged_while_open(folder / "damaged-open", samples, damage)
        for key in (f"{damage.kind} {outcome}", f"{damage.kind} while open: {later}"):
            kinds[key] = kinds.get(key, 0) + 1

    try:
        run()
    finally:
        print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())), flush=True)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--examples", type=int, default=1500, help="inputs per importer")
    parser.add_argument("--only", nargs="*", help="importers to fuzz (default: all)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quotedesk-fuzz-"))
    db = Database.open(folder / "fuzz.sqlite3")
    cases = fuzzkit.cases(fuzzkit.valid_docbin(folder))
    cases["damaged-db"] = ("", None, st.nothing())  # not an importer: fuzz_damaged_databases
    for name in HOSTILE_CASES:  # whole folders, stored texts, names: fuzz_hostile
        cases[name] = ("", None, st.nothing())
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
            if name == "damaged-db":
                counts = fuzz_damaged_databases(folder, args.examples)
            elif name in HOSTILE_CASES:
                counts = fuzz_hostile(db, folder, name, args.examples)
            else:
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
