"""The PolNeAR multi-annotator file as per-annotator project records, read at run time.

The file (``../shared/data``) is for internal evaluation only: nothing of it is copied into
the repository; the tests that use it skip when it is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

MULTI = SHARED / "data" / "polnear-train-multi-annotator.jsonl"
SCORER = SHARED / "eval" / "score_quotes.py"


def raw_records() -> list[dict[str, Any]]:
    """Every (article, annotator) record, or a skip when the file or the scorer is absent."""
    if not MULTI.exists() or not SCORER.exists():
        pytest.skip("the PolNeAR multi-annotator file or the quote scorer is not here")
    return [json.loads(line) for line in MULTI.read_text(encoding="utf-8").splitlines() if line]


def _span(q: dict[str, Any], key: str) -> dict[str, int] | None:
    if q.get(f"{key}_start") is None:
        return None
    return {"start": q[f"{key}_start"], "end": q[f"{key}_end"]}


def project_record(raw: dict[str, Any]) -> dict[str, Any]:
    """One raw record as the project's JSONL record with its ``annotator``: the article's
    own id, quotes with speaker and cue objects (Quotedesk keeps no content fragments)."""
    quotes = [
        {
            "start": q["start"],
            "end": q["end"],
            "kind": "mixed" if q.get("mixed") else q["kind"],
            "speaker": _span(q, "speaker"),
            "cue": _span(q, "cue"),
        }
        for q in raw["quotes"]
    ]
    return {
        "id": raw["meta"]["article_id"],
        "annotator": raw["meta"]["annotator"],
        "text": raw["text"],
        "quotes": quotes,
    }


def by_annotator(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        out[r["annotator"]].append(r)
    return dict(out)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def score(gold: Path, pred: Path) -> dict[str, Any]:
    """The quote scorer's figures for ``pred`` against ``gold`` (run as it is run by hand)."""
    done = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(pred)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures
