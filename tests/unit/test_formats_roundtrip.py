"""Every format that carries text and annotations comes back exactly after a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_formats_common import round_trip


@pytest.mark.parametrize(
    "fmt,suffix",
    [
        ("jsonl", ".jsonl"),
        ("prodigy", ".jsonl"),
        ("doccano", ".jsonl"),
        ("labelstudio", ".json"),
        ("brat", ".zip"),
        ("spacy", ".spacy"),
    ],
)
def test_round_trip_is_exact(tmp_path: Path, fmt: str, suffix: str) -> None:
    before, after, _ = round_trip(tmp_path, fmt, suffix)
    assert len(before) == 2
    assert sum(len(r["quotes"]) for r in before) == 5
    assert after == before
