"""Quote agreement equals the quote scorer's figures, pair by pair, on real annotations.

The 16 PolNeAR articles that 5-6 people annotated each (internal evaluation data, read at
run time; skipped when absent): for every pair of annotators, one's records scored against
the other's by ``../shared/eval/score_quotes.py`` give the F1 the app reports.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from desktop.domain.agreement import QuoteSpan, match_quotes
from desktop.services.agreement import collection_agreement
from desktop.services.importing import import_paths
from desktop.store import Database
from tests.unit.polnear_layers import (
    by_annotator,
    project_record,
    raw_records,
    score,
    write_jsonl,
)


def test_every_pair_quote_f1_equals_the_scorer(tmp_path: Path) -> None:
    """Imported as annotators' records into a real database, then asked of the store."""
    mixed = [project_record(r) for r in raw_records()]
    records = by_annotator(mixed)
    db = Database.open(tmp_path / "team.sqlite3")
    try:
        report = import_paths(db, [write_jsonl(tmp_path / "all.jsonl", mixed)], "polnear")
        assert (report.added, report.layers, report.errors) == (16, len(mixed), [])
        rows = collection_agreement(db, "polnear")
    finally:
        db.close()
    pairs = list(itertools.combinations(sorted(records), 2))
    assert len(pairs) >= 10
    checked = 0
    for a, b in pairs:
        shared = {r["id"] for r in records[a]} & {r["id"] for r in records[b]}
        if not shared:
            continue
        gold = write_jsonl(tmp_path / f"{a}.jsonl", [r for r in records[a] if r["id"] in shared])
        pred = write_jsonl(tmp_path / f"{b}.jsonl", [r for r in records[b] if r["id"] in shared])
        want = score(gold, pred)
        got = {(r.layer, r.label): r for r in rows if (r.annotator_a, r.annotator_b) == (a, b)}
        quotes, speakers = got[("quotes", None)], got[("speakers", None)]
        assert quotes.articles == len(shared)
        assert (quotes.count_a, quotes.count_b, quotes.matched) == (
            want["gold"],
            want["pred"],
            want["matched"],
        ), (a, b)
        assert round(quotes.f1, 4) == want["quote_f1"], (a, b)
        assert round(quotes.exact_f1 or 0.0, 4) == want["exact_f1"], (a, b)
        # a matched quote whose speakers agree is the scorer's end-to-end hit
        assert round(speakers.f1, 4) == want["e2e_f1"], (a, b)
        checked += 1
    assert checked == len(pairs)


def _spans(raw: dict[str, object]) -> list[QuoteSpan]:
    quotes = raw["quotes"]
    assert isinstance(quotes, list)
    return [
        QuoteSpan(
            q["start"],
            q["end"],
            fragments=tuple(tuple(f) for f in q.get("content_fragments") or []),  # type: ignore[misc]
        )
        for q in quotes
    ]


def test_matching_with_fragments_equals_the_scorer_on_the_raw_records(tmp_path: Path) -> None:
    """The matching itself, with the annotators' content fragments (which the scorer reads
    from a gold file and Quotedesk does not store), counts as the scorer counts."""
    raws = raw_records()
    by_name: dict[str, dict[str, dict[str, object]]] = {}
    for r in raws:
        by_name.setdefault(r["meta"]["annotator"], {})[r["meta"]["article_id"]] = {
            **r,
            "id": r["meta"]["article_id"],
        }
    names = sorted(by_name)
    absorbed_seen = 0
    for a, b in itertools.combinations(names, 2):
        shared = sorted(set(by_name[a]) & set(by_name[b]))
        gold = write_jsonl(tmp_path / "gold.jsonl", [by_name[a][i] for i in shared])
        pred = write_jsonl(tmp_path / "pred.jsonl", [by_name[b][i] for i in shared])
        want = score(gold, pred)
        n_pred = matched = 0
        for article_id in shared:
            ref, other = by_name[a][article_id], by_name[b][article_id]
            text = ref["text"]
            assert isinstance(text, str)
            found = match_quotes(text, _spans(ref), _spans(other))
            matched += len(found.pairs)
            n_pred += len(_spans(other)) - len(found.absorbed)
            absorbed_seen += len(found.absorbed)
        assert (n_pred, matched) == (want["pred"], want["matched"]), (a, b)
    assert absorbed_seen > 0  # the fragment rule was exercised, not only the plain one
