"""Through the services, as a user gets it: import a text, analyze it with the real pipeline,
export JSONL; every model quote carries its confidence and reason, every attributed one its
source confidence and source reason, and importing the export gives them back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.formats.jsonl import read_jsonl
from desktop.services import analysis, exporting, importing
from desktop.store import Database

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

TEXT = (
    "Mary Collins, the mayor of Eastfield, opened the meeting on Monday.\n\n"
    '"We will fix the roads this year," she said.\n\n'
    "Jane Porter, a councillor, said the budget was already empty.\n\n"
    '"There is no money left for roads," Porter said.\n'
)


def test_confidences_and_reasons_reach_the_export_and_come_back(
    tmp_path: Path, db: Database, nlp: object
) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "council", "text": TEXT}) + "\n", encoding="utf-8")
    assert importing.import_paths(db, [src]).added == 1
    analysis.analyze(db)
    out = tmp_path / "out.jsonl"
    exporting.export(db, "jsonl", out)
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    quotes = record["quotes"]
    assert len(quotes) >= 3
    names = {s["id"]: s["name"] for s in record["sources"]}
    for q in quotes:
        assert q["origin"] == "model"
        assert 0 < q["confidence"] <= 1 and q["reason"]
        if q["source"] is not None:
            assert 0 < q["source_confidence"] <= 1
            assert q["source_reason"]
    she = next(q for q in quotes if q["speaker"] and q["speaker"]["text"] == "she")
    assert names[she["source"]["id"]] == "Mary Collins"
    assert she["source_reason"].startswith("she → Mary Collins: ")
    (article,) = read_jsonl(out)
    assert [
        (q.confidence, q.reason, q.source_confidence, q.source_reason) for q in article.quotes
    ] == [
        (q["confidence"], q["reason"], q.get("source_confidence"), q.get("source_reason", ""))
        for q in quotes
    ]
