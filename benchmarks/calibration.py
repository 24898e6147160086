"""Calibration of the quote engine's confidences, and the fit of its per-rule table.

A confidence means something when it is calibrated: of the quotes (or attributions) given
0.9 or more, at least nine in ten are right.  ``calibration(items)`` computes that from
``(confidence, right)`` pairs; ``quote_items`` and ``source_items`` make the pairs from a
gold file and a prediction JSONL (the project's export, with ``"confidence"`` and
``"source_confidence"`` on each quote), matched by the shared scorer.  A quote is right when
it matches a gold quote; an attribution is right when its source's name is the gold
``speaker_ref`` (last word, as the scorer's ``name_acc``).

    .venv/bin/python benchmarks/calibration.py --fit        # count per rule, write the table
    .venv/bin/python benchmarks/calibration.py GOLD PRED    # calibration of an export
    nice -n 15 .venv/bin/python benchmarks/calibration.py --refit [--limit 200]

``--fit`` parses GGT dev, PolNeAR dev and the seed article, counts per rule how often the
engine was right (quotes on all three; sources on GGT and the seed, the only ones with
names), writes ``resources/attribution_confidence.json`` and prints the calibration twice:
in-sample, and cross-fitted (each half of the articles scored with a table fitted on the
other half), which is the honest figure.  The corpora are read at run time, never copied.

``--refit`` measures what training's refit (``desktop.nlp.training_calibration``) does for a
collection: PolNeAR *train* (not in the general table's fit) stands for the collection, its
gold quotes for a person's corrections.  The refit is made on one half of the articles (the
gold as the quotes a person kept, each article complete) and the confidences of the other
half are scored with the general table and with the refitted one, then the halves swap:
Brier score, expected calibration error over the bins, and the share right at 0.9.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score_quotes.py"
FIT_GOLD = {
    "ggt": SHARED / "data" / "ggt-dev.jsonl",
    "polnear": SHARED / "data" / "polnear-dev.jsonl",
    "seed": SHARED / "seed" / "article.gold.json",
}
TABLE = ROOT / "resources" / "attribution_confidence.json"
THRESHOLD = 0.9
Record = dict[str, Any]  # one JSON record (an article, a quote)
Item = tuple[Any, bool]  # (confidence, or the rule id when fitting; right)
Run = tuple[str, Record, list[Any], dict[str, str]]  # corpus, gold, statements, source names
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.01)


@lru_cache(maxsize=1)
def scorer() -> Any:
    """The shared scorer's module (its matching and name rule)."""
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_records(path: Path) -> list[dict[str, Any]]:
    raw = path.read_text(encoding="utf-8")
    try:
        return [json.loads(raw)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in raw.splitlines() if line.strip()]


def calibration(items: Iterable[tuple[float | None, bool]], threshold: float = THRESHOLD) -> Record:
    """Of the items with confidence >= ``threshold``: how many, how many right, the
    fraction right; and the same per confidence bin (a reliability table)."""
    pairs = [(c, bool(r)) for c, r in items if c is not None]
    high = [r for c, r in pairs if c >= threshold]
    bins = []
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [(c, r) for c, r in pairs if lo <= c < hi]
        if inside:
            bins.append(
                {
                    "bin": f"{lo:.2f}-{min(hi, 1.0):.2f}",
                    "n": len(inside),
                    "mean_confidence": round(sum(c for c, _ in inside) / len(inside), 3),
                    "right": round(sum(r for _, r in inside) / len(inside), 3),
                }
            )
    return {
        "threshold": threshold,
        "n": len(pairs),
        "n_high": len(high),
        "share_high": round(len(high) / len(pairs), 3) if pairs else None,
        "right_high": round(sum(high) / len(high), 3) if high else None,
        "bins": bins,
    }


def _matches(sq: Any, gold: Record, pred_quotes: list[Record]) -> tuple[list[Any], set[int]]:
    matched, absorbed = sq.match(gold["text"], gold.get("quotes", []), pred_quotes)
    return list(matched), set(absorbed)


def quote_items(gold: list[Record], pred: list[Record], key: str = "confidence") -> list[Item]:
    """``(confidence, matched a gold quote)`` for every predicted quote."""
    sq = scorer()
    by_id = {str(p.get("id")): p for p in pred}
    out = []
    for g in gold:
        pq = [
            q for q in by_id.get(str(g["id"]), {}).get("quotes", []) if q.get("start") is not None
        ]
        m, absorbed = _matches(sq, g, pq)
        matched = {j for _, j, _ in m}
        out += [(q.get(key), j in matched) for j, q in enumerate(pq) if j not in absorbed]
    return out


def source_items(
    gold: list[Record], pred: list[Record], key: str = "source_confidence"
) -> list[Item]:
    """``(source confidence, name right)`` for every matched quote whose gold quote names
    its source (``speaker_ref``) and whose prediction has a source."""
    sq = scorer()
    by_id = {str(p.get("id")): p for p in pred}
    out = []
    for g in gold:
        gq = g.get("quotes", [])
        pq = [
            q for q in by_id.get(str(g["id"]), {}).get("quotes", []) if q.get("start") is not None
        ]
        m, _ = _matches(sq, g, pq)
        for i, j, _ in m:
            ref = gq[i].get("speaker_ref") or (
                gq[i]["source"] if isinstance(gq[i].get("source"), str) else None
            )
            if not ref or not pq[j].get("source"):
                continue
            ok = sq.last_token(ref) == sq.last_token(sq.source_name(pq[j]))
            out.append((pq[j].get(key), bool(ok) and bool(sq.last_token(ref))))
    return out


def confidence_report(gold: list[Record], pred: list[Record]) -> list[str]:
    """Lines for the quote benchmark: calibration at 0.9 of an export's quotes and
    attributions, and (on a gold file with names) name accuracy per error class."""
    from benchmarks.resolution import by_class

    q = calibration(quote_items(gold, pred))
    lines = [
        f"  calibration: quotes at confidence >= {q['threshold']}: {q['n_high']} of {q['n']}, "
        f"right {q['right_high']}"
    ]
    if any(gq.get("speaker_ref") for g in gold for gq in g.get("quotes", [])):
        a = calibration(source_items(gold, pred))
        lines.append(
            f"  calibration: attributions at confidence >= {a['threshold']}: {a['n_high']} of "
            f"{a['n']}, right {a['right_high']}"
        )
        classes = by_class(gold, pred)
        lines.append(
            "  name_acc by class: "
            + ", ".join(f"{c} {v['name_acc']} ({v['n']})" for c, v in classes.items() if v["n"])
        )
    return lines


# -- fitting ---------------------------------------------------------------------------
def engine_predictions(
    records: list[Record], nlp: Any
) -> list[tuple[Record, list[Any], dict[str, str]]]:
    """Per record: the prediction dict (with rule ids) and the engine's statements."""
    from desktop.nlp.attribution import find_statements
    from desktop.nlp.attribution.confidence import score
    from desktop.nlp.attribution.resolve import resolve_sources

    out = []
    docs = nlp.pipe([r["text"] for r in records], batch_size=16)
    for rec, doc in zip(records, docs, strict=True):
        ctx, found = find_statements(doc)
        sources = resolve_sources(ctx, found)
        score(found, ctx.text)
        out.append((rec, found, {s.key: s.name for s in sources}))
    return out


def as_prediction(rec: Record, found: list[Any], names: dict[str, str]) -> Record:
    from desktop.nlp.attribution.confidence import quote_key

    quotes = [
        {
            "start": f.start,
            "end": f.end,
            "kind": str(f.kind),
            "rule": quote_key(f, rec["text"]),
            "source_rule": f.source_rule,
            "confidence": f.confidence,
            "source_confidence": f.source_confidence,
            "source": {"name": names[f.source_key]} if f.source_key else None,
        }
        for f in found
    ]
    return {"id": rec["id"], "quotes": quotes}


def count_rules(runs: list[Run]) -> dict[str, dict[str, list[int]]]:
    """Per rule: [decisions, right] for quotes (all corpora) and sources (named ones)."""
    table: dict[str, dict[str, list[int]]] = {"quotes": {}, "sources": {}}
    for corpus, rec, found, names in runs:
        pred = [as_prediction(rec, found, names)]
        for rule, ok in quote_items([rec], pred, "rule"):
            cell = table["quotes"].setdefault(rule or "", [0, 0])
            cell[0] += 1
            cell[1] += ok
        if corpus in ("ggt", "seed"):
            for rule, ok in source_items([rec], pred, "source_rule"):
                cell = table["sources"].setdefault(rule or "", [0, 0])
                cell[0] += 1
                cell[1] += ok
    return table


def rescore(runs: list[Run], table_counts: dict[str, dict[str, list[int]]]) -> list[Record]:
    """Predictions of ``runs`` with confidences from ``table_counts``."""
    from desktop.nlp.attribution.confidence import Table, score

    table = Table(
        {k: (v[0], v[1]) for k, v in table_counts["quotes"].items()},
        {k: (v[0], v[1]) for k, v in table_counts["sources"].items()},
    )
    preds = []
    for _, rec, found, names in runs:
        for f in found:
            f.confidence = None
        score(found, rec["text"], table)
        preds.append(as_prediction(rec, found, names))
    return preds


def report(label: str, runs: list[Run], preds: list[Record]) -> None:
    golds = [rec for _, rec, _, _ in runs]
    q = calibration(quote_items(golds, preds))
    named = [
        (rec, p) for (c, rec, _, _), p in zip(runs, preds, strict=True) if c in ("ggt", "seed")
    ]
    s = calibration(source_items([r for r, _ in named], [p for _, p in named]))
    for what, c in (("quotes", q), ("attributions", s)):
        print(
            f"{label} {what}: {c['n_high']} of {c['n']} at confidence >= {c['threshold']} "
            f"({c['share_high']}), right {c['right_high']}"
        )
        for b in c["bins"]:
            print(f"    {b['bin']}: n={b['n']} mean={b['mean_confidence']} right={b['right']}")


def fit() -> int:
    missing = [p for p in FIT_GOLD.values() if not p.exists()]
    if missing or not SCORER.exists():
        print(f"skipped: data or scorer absent ({', '.join(map(str, missing or [SCORER]))})")
        return 0
    from desktop.nlp.pipeline import load_pipeline

    nlp = load_pipeline().nlp
    runs: list[Run] = []
    for corpus, path in FIT_GOLD.items():
        for rec, found, names in engine_predictions(read_records(path), nlp):
            runs.append((corpus, rec, found, names))
    counts = count_rules(runs)
    TABLE.write_text(
        json.dumps({"fitted_on": sorted(FIT_GOLD), **counts}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(
        f"wrote {TABLE.relative_to(ROOT)}: {len(counts['quotes'])} quote rules, "
        f"{len(counts['sources'])} source rules"
    )
    report("in-sample", runs, rescore(runs, counts))
    halves = [runs[0::2], runs[1::2]]
    crossed: list[tuple[list[Run], list[Record]]] = []
    for i in (0, 1):
        other = count_rules(halves[1 - i])
        crossed.append((halves[i], rescore(halves[i], other)))
    report("cross-fitted", [r for h, _ in crossed for r in h], [p for _, ps in crossed for p in ps])
    rescore(runs, counts)
    return 0


REFIT_CORPUS = SHARED / "data" / "polnear-train.jsonl"


def corrections(rec: Record) -> Any:
    """A gold record as the quotes a person kept (``CorrectedQuotes``, complete)."""
    from desktop.nlp.training_calibration import CorrectedQuotes, KeptQuote

    kept = tuple(
        KeptQuote(
            int(q["start"]),
            int(q["end"]),
            q.get("speaker_ref") or None,
            tuple((int(a), int(b)) for a, b in q.get("content_fragments") or []),
        )
        for q in rec.get("quotes", [])
        if q.get("start") is not None
    )
    return CorrectedQuotes(str(rec["id"]), rec["text"], kept, (), True)


def fitness(pairs: list[tuple[float | None, bool]]) -> Record:
    """Brier score and expected calibration error (over ``BINS``) of ``(confidence,
    right)`` pairs, with the share right at ``THRESHOLD``."""
    got = [(float(c), r) for c, r in pairs if c is not None]
    if not got:
        return {"n": 0}
    brier = sum((c - r) ** 2 for c, r in got) / len(got)
    ece = 0.0
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [(c, r) for c, r in got if lo <= c < hi]
        if inside:
            gap = sum(c for c, _ in inside) / len(inside) - sum(r for _, r in inside) / len(inside)
            ece += len(inside) / len(got) * abs(gap)
    return {
        "n": len(got),
        "brier": round(brier, 4),
        "ece": round(ece, 4),
        **{k: calibration(got)[k] for k in ("n_high", "right_high")},
    }


def refit_benchmark(limit: int, weights: list[int]) -> int:
    if not (REFIT_CORPUS.exists() and SCORER.exists()):
        print(f"skipped: {REFIT_CORPUS} or {SCORER} is absent")
        return 0
    import random

    from desktop.nlp.attribution.confidence import default_table
    from desktop.nlp.pipeline import load_pipeline
    from desktop.nlp.training_calibration import Judged, judge_found, refit, table_json

    records = sorted(read_records(REFIT_CORPUS), key=lambda r: str(r["id"]))
    random.Random(0).shuffle(records)
    records = records[:limit]
    runs = engine_predictions(records, load_pipeline().nlp)
    halves = [runs[0::2], runs[1::2]]
    general = table_json(default_table())
    before: list[tuple[float | None, bool]] = []
    after: dict[int, list[tuple[float | None, bool]]] = {w: [] for w in weights}
    judged_total = 0
    for i in (0, 1):
        judged = Judged()
        for rec, found, names in halves[1 - i]:
            one = judge_found(corrections(rec), found, names)
            for rule, (n, right) in one.quotes.items():
                cell = judged.quotes.setdefault(rule, [0, 0])
                cell[0] += n
                cell[1] += right
        judged_total += sum(n for n, _ in judged.quotes.values())
        measured = [("polnear", rec, found, names) for rec, found, names in halves[i]]
        golds = [rec for _, rec, _, _ in measured]
        before += quote_items(golds, rescore(measured, general))
        for w in weights:
            refitted = table_json(refit(default_table(), judged, weight=w))
            after[w] += quote_items(golds, rescore(measured, refitted))
    print(
        f"{len(records)} articles of {REFIT_CORPUS.name}, refit on one half, scored on the "
        f"other, both ways ({judged_total} decisions judged for the refits)"
    )
    print(f"  general table:  {json.dumps(fitness(before))}")
    for w in weights:
        print(f"  refitted, weight {w}: {json.dumps(fitness(after[w]))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="?", type=Path)
    ap.add_argument("pred", nargs="?", type=Path)
    ap.add_argument("--fit", action="store_true", help="count per rule and write the table")
    ap.add_argument("--refit", action="store_true", help="measure the refit from corrections")
    ap.add_argument("--limit", type=int, default=200, help="articles for --refit")
    ap.add_argument("--weights", default="1,2,5", help="--refit: weights to compare")
    args = ap.parse_args(argv)
    if args.fit:
        return fit()
    if args.refit:
        return refit_benchmark(args.limit, [int(w) for w in args.weights.split(",")])
    if args.gold is None or args.pred is None:
        ap.error("give GOLD and PRED, or --fit")
    gold, pred = read_records(args.gold), read_records(args.pred)
    print(
        json.dumps(
            {
                "quotes": calibration(quote_items(gold, pred)),
                "attributions": calibration(source_items(gold, pred)),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
