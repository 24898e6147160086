"""Quote-attribution benchmark: spaCy pipeline + ``desktop.nlp.attribution`` on gold files.

For each gold file the articles' ids and texts (never the gold annotations) are imported into
a fresh Quotedesk database, analyzed and exported as the project's JSONL through the same
services the command line uses; the export is scored with the shared scorer
(``../shared/eval/score_quotes.py``), per kind, and the Gender Gap Tracker's way (see
``ggt_match``). An error breakdown (false quotes by cue lemma and cause, missed quotes by
cause) follows. A second pass over the same texts times spaCy and the engine apart and
reports their ratio.

    .venv/bin/python benchmarks/quotes.py                  # seed article, PolNeAR dev, GGT dev
    .venv/bin/python benchmarks/quotes.py GOLD.jsonl -o out/  # any gold file(s)
    .venv/bin/python benchmarks/quotes.py --errors 5        # also print 5 examples per class
    .venv/bin/python benchmarks/quotes.py ../shared/data/polnear-train.jsonl --first 200
                                                    # the first 200 articles only (a check set)

The corpora are read at run time and never copied into the repository; the benchmark
skips with a message when they are absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DEFAULT_GOLD = [
    SHARED / "seed" / "article.gold.json",
    SHARED / "data" / "polnear-dev.jsonl",
    SHARED / "data" / "ggt-dev.jsonl",
]
SCORER = SHARED / "eval" / "score_quotes.py"
KINDS = ("all", "direct", "indirect", "mixed")

# The benchmark's own reference classes of cues that do not report speech, used only to
# sort false quotes into error classes (kept apart from the engine's lexicon on purpose, so
# that a change to the engine cannot move its own yardstick): belief, wish, perception,
# finding/showing, knowledge and plan/intention verbs, and "decline"/"refuse" to act.
NON_SPEECH_REFERENCE = frozenset(
    "believe think feel know expect hope fear worry doubt suspect figure guess reckon assume "
    "presume suppose imagine consider view regard want wish plan intend aim seek decide "
    "decline refuse try expect find show reveal demonstrate indicate suggest prove determine "
    "learn discover realize recognize understand see hear watch notice observe perceive "
    "discuss compare propose back support endorse oppose defend favour favor like love hate "
    "prefer".split()
)
Record = dict[str, Any]


def read_gold(path: Path) -> list[Record]:
    raw = path.read_text(encoding="utf-8")
    try:
        return [json.loads(raw)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]


def gold_kind(q: Record) -> str:
    """The gold quote's kind in Quotedesk's terms: PolNeAR and GGT write mixed quotes as
    ``kind: indirect, mixed: true``."""
    return "mixed" if q.get("mixed") else str(q.get("kind"))


def span_of(q: Record, key: str) -> tuple[int, int] | None:
    v = q.get(key)
    if isinstance(v, dict) and v.get("start") is not None:
        return (v["start"], v["end"])
    if q.get(key + "_start") is not None:
        return (q[key + "_start"], q[key + "_end"])
    return None


def span_json(span: Any) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def predict(records: list[Record], nlp: Any, attribute: Any) -> tuple[list[Any], float, float]:
    """Parsed docs for each record, with seconds spent in spaCy and in the engine."""
    texts = [r["text"] for r in records]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        attribute(doc)
    t_engine = time.perf_counter() - t0
    return docs, t_spacy, t_engine


def product_path(records: list[Record], folder: Path, model: str | None) -> Path:
    """Import the texts, analyze them and export JSONL, as `quotedesk` does; the export."""
    from desktop.services import analysis, exporting, importing
    from desktop.store import Database

    texts = folder / "texts.jsonl"
    with texts.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps({"id": rec["id"], "text": rec["text"]}, ensure_ascii=False) + "\n")
    (folder / "bench.sqlite3").unlink(missing_ok=True)  # a fresh database on every run
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


def kinded_gold(records: list[Record], folder: Path) -> Path:
    """A working copy of the gold (outside the repository) whose quotes carry Quotedesk's
    kind, so the scorer's ``--kind mixed`` finds the mixed ones."""
    path = folder / "gold-kinds.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            quotes = [{**q, "kind": gold_kind(q)} for q in rec.get("quotes", [])]
            fh.write(json.dumps({**rec, "quotes": quotes}, ensure_ascii=False) + "\n")
    return path


def score(gold: Path, pred: Path, kind: str = "all") -> dict[str, Any]:
    cmd = [sys.executable, str(SCORER), str(gold), str(pred)]
    if kind != "all":
        cmd += ["--kind", kind]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def ggt_match(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]], threshold: float
) -> list[tuple[int, int]]:
    """One-to-one matches (gold index, prediction index) the Gender Gap Tracker's way.

    Logic as its evaluation README and ``evaluate_quotes.py`` describe it (written anew
    here): the score of a prediction for a gold quote is the share of the gold quote's
    characters it covers (asymmetric: the gold span is the reference); gold quotes are taken
    in order and each takes the remaining prediction with the highest score above the
    threshold (0.3 for the published F1 of 0.837, 0.8 for the strict figure)."""
    left = set(range(len(pred)))
    out = []
    for gi, (gs, ge) in enumerate(gold):
        if ge <= gs:
            continue
        best, best_score = -1, threshold
        for pj in sorted(left):
            ps, pe = pred[pj]
            covered = max(0, min(ge, pe) - max(gs, ps)) / (ge - gs)
            if covered > best_score:
                best, best_score = pj, covered
        if best >= 0:
            left.discard(best)
            out.append((gi, best))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ggt_figures(records: list[Record], preds: dict[str, Record], threshold: float) -> str:
    """Quote P/R/F1 and speaker accuracy (speaker spans overlap) the GGT way."""
    tp = n_pred = n_gold = spk_ok = spk_n = 0
    for rec in records:
        gq = rec.get("quotes", [])
        pq = preds.get(str(rec["id"]), {}).get("quotes", [])
        m = ggt_match(
            [(q["start"], q["end"]) for q in gq], [(q["start"], q["end"]) for q in pq], threshold
        )
        tp += len(m)
        n_pred += len(pq)
        n_gold += len(gq)
        for gi, pj in m:
            gs, ps = span_of(gq[gi], "speaker"), span_of(pq[pj], "speaker")
            if gs is not None:
                spk_n += 1
                spk_ok += ps is not None and min(gs[1], ps[1]) > max(gs[0], ps[0])
    p, r, f = prf(tp, n_pred, n_gold)
    acc = spk_ok / spk_n if spk_n else 0.0
    return (
        f"GGT>{threshold}: quote_p={p:.3f} quote_r={r:.3f} quote_f1={f:.3f} speaker_acc={acc:.3f}"
    )


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cue_lemma(doc: Any, span: tuple[int, int] | None) -> str:
    if span is None:
        return "(none)"
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or not len(sp):
        return "(none)"
    verbs = [t for t in sp if t.pos_ == "VERB"] or [t for t in sp if t.pos_ == "AUX"]
    return (verbs[0] if verbs else sp.root).lemma_.lower()  # "has raised" -> "raise"


def overlaps(a: Record, b: Record) -> bool:
    return min(a["end"], b["end"]) > max(a["start"], b["start"])


def para_bounds(text: str, pos: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, len(text) if hi < 0 else hi


def false_cause(text: str, q: Record, lemma: str) -> str:
    cue = span_of(q, "cue")
    if cue is not None and text[cue[0] : cue[1]].strip() == ":":
        return "headline label"
    if lemma in NON_SPEECH_REFERENCE:
        return "non-speech cue"
    return "other"


def missed_cause(text: str, doc: Any, q: Record, lexicon: Any) -> str:
    cue = span_of(q, "cue")
    lo, hi = para_bounds(text, q["start"])
    if gold_kind(q) == "direct" and (cue is None or not lo <= cue[0] < hi):
        return "cue-less quotation paragraph"
    lemma = cue_lemma(doc, cue)
    cue_text = text[cue[0] : cue[1]].lower() if cue else ""
    known = (
        lemma in lexicon.verbs
        or lemma in lexicon.nouns
        or any(" ".join(p) in cue_text for p in lexicon.phrases)
    )
    if cue is not None and lemma in getattr(lexicon, "classes", {}):
        return "non-speech cue (not a quote by design)"
    if cue is not None and not known:
        return "unknown cue"
    if cue is not None and cue[0] >= q["end"] and len(text[q["start"] : q["end"]].split()) > 25:
        return "long clause"
    return "other"


def error_report(
    records: list[Record], docs: list[Any], preds: dict[str, Record], examples: int
) -> list[str]:
    """False quotes by cue lemma and cause, missed quotes by cause (scorer's matching)."""
    from desktop.nlp.attribution.lexicon import load_lexicon

    scorer, lexicon = load_scorer(), load_lexicon()
    false_by_lemma: Counter[str] = Counter()
    false_by_cause: Counter[str] = Counter()
    missed_by_cause: Counter[str] = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    for rec, doc in zip(records, docs, strict=True):
        text, gq = rec["text"], rec.get("quotes", [])
        pq = [
            q for q in preds.get(str(rec["id"]), {}).get("quotes", []) if q.get("start") is not None
        ]
        matched, absorbed = scorer.match(text, gq, pq)
        used_g = {i for i, _, _ in matched}
        used_p = {j for _, j, _ in matched} | absorbed
        for j, q in enumerate(pq):
            if j in used_p:
                continue
            lemma = cue_lemma(doc, span_of(q, "cue"))
            cause = false_cause(text, q, lemma)
            if cause == "other" and any(overlaps(q, g) for g in gq):
                cause = "boundary (overlaps a gold quote)"
            false_by_lemma[lemma] += 1
            false_by_cause[cause] += 1
            if len(shown["false " + cause]) < examples:
                shown["false " + cause].append(f"[{lemma}] {text[q['start'] : q['end']][:110]!r}")
        for i, q in enumerate(gq):
            if i in used_g:
                continue
            cause = missed_cause(text, doc, q, lexicon)
            if cause == "other" and any(overlaps(q, p) for p in pq):
                cause = "boundary (overlaps a prediction)"
            missed_by_cause[f"{gold_kind(q)}: {cause}"] += 1
            missed_by_cause[cause] += 0
            if len(shown["missed " + cause]) < examples:
                cue = span_of(q, "cue")
                cue_t = text[cue[0] : cue[1]] if cue else "-"
                shown["missed " + cause].append(f"[{cue_t}] {text[q['start'] : q['end']][:110]!r}")
    lines = [
        "  false quotes by cause: " + ", ".join(f"{k} {v}" for k, v in false_by_cause.most_common())
    ]
    lines.append(
        "  false quotes by cue: " + ", ".join(f"{k} {v}" for k, v in false_by_lemma.most_common(25))
    )
    by_cause: Counter[str] = Counter()
    for k, v in missed_by_cause.items():
        if ": " in k:
            by_cause[k.split(": ", 1)[1]] += v
    lines.append(
        "  missed quotes by cause: " + ", ".join(f"{k} {v}" for k, v in by_cause.most_common())
    )
    lines.append(
        "  missed by kind and cause: "
        + ", ".join(f"{k} {v}" for k, v in sorted(missed_by_cause.items()) if ": " in k)
    )
    for key, items in sorted(shown.items()):
        lines.append(f"    e.g. {key}:")
        lines += [f"      {s}" for s in items]
    return lines


def read_preds(path: Path) -> dict[str, Record]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out[str(r.get("id"))] = r
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("gold", nargs="*", type=Path, help="gold JSON/JSONL files")
    ap.add_argument("-o", "--out", type=Path, help="folder for the prediction JSONL files")
    ap.add_argument("--model", help="spaCy pipeline to use (default: the best installed)")
    ap.add_argument("--errors", type=int, default=0, help="examples to print per error class")
    ap.add_argument(
        "--first", type=int, default=0, help="score only the first N articles of each file"
    )
    args = ap.parse_args(argv)

    golds = args.gold or DEFAULT_GOLD
    missing = [g for g in golds if not g.exists()]
    if missing or not SCORER.exists():
        print(f"skipped: data or scorer absent ({', '.join(map(str, missing or [SCORER]))})")
        return 0

    from benchmarks.calibration import confidence_report
    from desktop.nlp.attribution import attribute
    from desktop.nlp.pipeline import load_pipeline

    pipe = load_pipeline(args.model)
    pipe.nlp("Warm-up, the engineer said.")
    attribute(pipe.nlp('"Warm up," she said.'))
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="quotedesk-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"model: {pipe.name} {pipe.version}")
    total_spacy = total_engine = 0.0
    keys = ("gold", "pred", "quote_f1", "speaker_acc", "e2e_f1", "name_acc", "e2e_name_f1")
    for gold in golds:
        records = read_gold(gold)[: args.first or None]
        docs, t_spacy, t_engine = predict(records, pipe.nlp, attribute)
        total_spacy += t_spacy
        total_engine += t_engine
        work = out_dir / gold.name.split(".")[0]
        work.mkdir(parents=True, exist_ok=True)
        pred_path = product_path(records, work, args.model)
        print(f"\n{gold.name}: {len(records)} articles imported, analyzed, exported -> {pred_path}")
        gold_k = kinded_gold(records, work)
        for kind in KINDS:
            figures = score(gold_k, pred_path, kind)
            if not figures.get("gold"):
                continue
            print(f"  {kind:8s} " + "  ".join(f"{k}={figures[k]}" for k in keys if k in figures))
        preds = read_preds(pred_path)
        for threshold in (0.3, 0.8):
            print("  " + ggt_figures(records, preds, threshold))
        for line in error_report(records, docs, preds, args.errors):
            print(line)
        for line in confidence_report(records, list(preds.values())):
            print(line)
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
