"""Quote-attribution benchmark: spaCy pipeline + ``desktop.nlp.attribution`` on gold files.

For each gold file the articles' ids and texts (never the gold annotations) are imported into
a fresh Quotedesk database, analyzed and exported as the project's JSONL through the same
services the command line uses; the export is scored with the shared scorer
(``../shared/eval/score_quotes.py``). A second pass over the same texts times spaCy and the
engine apart and reports their ratio.

    .venv/bin/python benchmarks/quotes.py                  # seed article + PolNeAR dev
    .venv/bin/python benchmarks/quotes.py GOLD.jsonl -o out/  # any gold file(s)

The corpora are read at run time and never copied into the repository; the benchmark
skips with a message when they are absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DEFAULT_GOLD = [SHARED / "seed" / "article.gold.json", SHARED / "data" / "polnear-dev.jsonl"]
SCORER = SHARED / "eval" / "score_quotes.py"


def read_gold(path: Path) -> list[dict]:
    raw = path.read_text(encoding="utf-8")
    try:
        return [json.loads(raw)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]


def span_json(span):
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def predict(records: list[dict], nlp, attribute) -> tuple[list[dict], float, float]:
    """Predictions for each record, with seconds spent in spaCy and in the engine."""
    texts = [r["text"] for r in records]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = [attribute(doc) for doc in docs]
    t_engine = time.perf_counter() - t0
    out = []
    for rec, res in zip(records, results, strict=True):
        names = {s.key: s.name for s in res.sources}
        quotes = [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "kind": str(q.kind),
                "cue": span_json(q.cue),
                "speaker": span_json(q.speaker),
                "source": (
                    {"id": q.source_key, "name": names[q.source_key]} if q.source_key else None
                ),
            }
            for q in res.quotes
        ]
        sources = [
            {
                "id": s.key,
                "name": s.name,
                "type": s.type,
                "description": s.description,
                "mentions": [span_json(m) for m in s.mentions],
            }
            for s in res.sources
        ]
        out.append({"id": rec["id"], "text": rec["text"], "quotes": quotes, "sources": sources})
    return out, t_spacy, t_engine


def product_path(records: list[dict], folder: Path, model: str | None) -> Path:
    """Import the texts, analyze them and export JSONL, as `quotedesk` does; the export."""
    from desktop.services import analysis, exporting, importing
    from desktop.store import Database

    texts = folder / "texts.jsonl"
    with texts.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps({"id": rec["id"], "text": rec["text"]}, ensure_ascii=False) + "\n")
    db = Database.open(folder / "bench.sqlite3")
    try:
        report = importing.import_paths(db, [texts])
        assert report.added == len(records) and not report.errors, report
        analysis.analyze(db, model=model)
        exported = folder / "export.jsonl"
        exporting.export(db, "jsonl", exported)
    finally:
        db.close()
    return exported


def score(gold: Path, pred: Path, kind: str = "all") -> dict:
    cmd = [sys.executable, str(SCORER), str(gold), str(pred)]
    if kind != "all":
        cmd += ["--kind", kind]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="*", type=Path, help="gold JSON/JSONL files")
    ap.add_argument("-o", "--out", type=Path, help="folder for the prediction JSONL files")
    ap.add_argument("--model", help="spaCy pipeline to use (default: the best installed)")
    args = ap.parse_args(argv)

    golds = args.gold or DEFAULT_GOLD
    missing = [g for g in golds if not g.exists()]
    if missing or not SCORER.exists():
        print(f"skipped: data or scorer absent ({', '.join(map(str, missing or [SCORER]))})")
        return 0

    from desktop.nlp.attribution import attribute
    from desktop.nlp.pipeline import load_pipeline

    pipe = load_pipeline(args.model)
    pipe.nlp("Warm-up, the engineer said.")
    attribute(pipe.nlp('"Warm up," she said.'))
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="quotedesk-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"model: {pipe.name} {pipe.version}")
    total_spacy = total_engine = 0.0
    for gold in golds:
        records = read_gold(gold)
        _, t_spacy, t_engine = predict(records, pipe.nlp, attribute)
        total_spacy += t_spacy
        total_engine += t_engine
        work = out_dir / gold.name.split(".")[0]
        work.mkdir(parents=True, exist_ok=True)
        pred_path = product_path(records, work, args.model)
        print(f"\n{gold.name}: {len(records)} articles imported, analyzed, exported -> {pred_path}")
        for kind in ("all", "direct"):
            figures = score(gold, pred_path, kind)
            keys = ("gold", "pred", "quote_f1", "speaker_acc", "e2e_f1", "name_acc", "e2e_name_f1")
            print(f"  {kind:6s} " + "  ".join(f"{k}={figures[k]}" for k in keys if k in figures))
        print(
            f"  time: spaCy {t_spacy:.2f}s, engine {t_engine:.2f}s, ratio {t_engine / t_spacy:.1%}"
        )
    print(
        f"\ntotal time: spaCy {total_spacy:.2f}s, engine {total_engine:.2f}s, "
        f"engine/spaCy {total_engine / total_spacy:.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
