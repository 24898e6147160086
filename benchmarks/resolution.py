"""Where source names go wrong: name accuracy per error class, on a gold file with names.

Each matched quote whose gold quote names its source (``speaker_ref``) falls in one class,
read from its speaker mention (the gold one, else the predicted one):

- ``byline``: the predicted source is a writer or photographer (named in a byline or photo
  credit, or among the article's ``meta.authors``);
- ``list``: several speakers ("Kim and Clark Moran") in the gold name or the mention;
- ``pronoun``: he, she, they, it, who ...;
- ``role description``: "the prime minister", "a Vancouver hockey coach", "the report";
- ``surname``: part of the name ("Watson", "Jayme") for the full one;
- ``other``: a full name, or no speaker mention at all (continuation paragraphs).

    .venv/bin/python benchmarks/resolution.py GOLD.jsonl PRED.jsonl

Prints one JSON line: per class, matched quotes, right names and name accuracy.  The
figures come from the shared scorer's matching and name rule (last word, case-folded).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.calibration import Record, read_records, scorer  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "who", "him", "her", "them", "his"}
DESCRIPTION_STARTS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "one",
    "another",
    "some",
    "several",
    "many",
}
CLASSES = ("pronoun", "role description", "list", "byline", "surname", "other")


def error_class(text: str, gold_q: Record, pred_q: Record, authors: list[str]) -> str:
    """The class of one matched quote (see the module docstring)."""
    from desktop.nlp.attribution.credits import credit_spans

    sq = scorer()
    ref = gold_q.get("speaker_ref") or ""
    mention = gold_q.get("speaker_text") or ((pred_q.get("speaker") or {}).get("text") or "")
    predicted = sq.source_name(pred_q) or ""
    spans = credit_spans(text)
    in_credit = predicted and any(predicted in text[a:b] for a, b in spans)
    author_words = {sq.last_token(a) for a in authors if a}
    if predicted and (in_credit or sq.last_token(predicted) in author_words - {""}):
        if sq.last_token(predicted) != sq.last_token(ref):
            return "byline"
    words = mention.split()
    if " and " in ref or " and " in mention or (mention.count(",") >= 1 and " and " in mention):
        return "list"
    if words and words[0].lower() in PRONOUNS and len(words) == 1:
        return "pronoun"
    if words and (words[0].lower() in DESCRIPTION_STARTS or not words[0][:1].isupper()):
        return "role description"
    ref_words = {w.strip(".,").lower() for w in ref.split()}
    if words and {w.strip(".,").lower() for w in words} < ref_words:
        return "surname"
    return "other"


def by_class(gold: list[Record], pred: list[Record]) -> dict[str, dict[str, Any]]:
    """Per class: matched quotes with a gold name, how many named right, name accuracy."""
    sq = scorer()
    preds = {str(p.get("id")): p for p in pred}
    tally = {c: [0, 0] for c in CLASSES}
    for g in gold:
        text, gq = g["text"], g.get("quotes", [])
        pq = [
            q for q in preds.get(str(g["id"]), {}).get("quotes", []) if q.get("start") is not None
        ]
        authors = (g.get("meta") or {}).get("authors") or []
        matched, _ = sq.match(text, gq, pq)
        for i, j, _ in matched:
            ref = gq[i].get("speaker_ref")
            if not ref:
                continue
            ok = bool(sq.last_token(ref)) and sq.last_token(ref) == sq.last_token(
                sq.source_name(pq[j])
            )
            cell = tally[error_class(text, gq[i], pq[j], authors)]
            cell[0] += 1
            cell[1] += ok
    return {
        c: {"n": n, "right": r, "name_acc": round(r / n, 4) if n else None}
        for c, (n, r) in tally.items()
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("pred", type=Path)
    args = ap.parse_args(argv)
    print(json.dumps(by_class(read_records(args.gold), read_records(args.pred))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
