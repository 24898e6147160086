"""Who made each annotation and who set the status (issue 14) survive every span format
that imports back exactly, as they survive JSONL: the names are outside the annotations'
equality, so the other round-trip tests would not see them lost."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Origin
from desktop.formats.errors import FormatError
from tests.reliability.roundtrip import articles, good_labels, read, write

FORMATS = ["spacy", "prodigy", "doccano", "labelstudio", "brat"]
people = st.sampled_from([None, "ann", "bob", "Zoë Ng"])


def names(art: Article, fmt: str) -> tuple[object, ...]:
    if fmt == "spacy":  # in their order: a DocBin trims a span's edge whitespace (a known xfail)
        return (
            [e.annotator for e in art.entities],
            [(s.key, s.annotator) for s in art.sources],
            [q.annotator for q in art.quotes],
            art.status_by,
            art.status_at,
        )
    return (
        sorted(((e.start, e.end, e.label, e.annotator) for e in art.entities), key=repr),
        [(s.key, s.annotator) for s in art.sources],
        sorted(((q.start, q.end, q.annotator) for q in art.quotes), key=repr),
        art.status_by,
        art.status_at,
    )


@st.composite
def named_articles(draw: st.DrawFn) -> Article:
    """An article whose human annotations name people (the model's name nobody)."""
    art = draw(articles(label=good_labels))
    for item in [*art.entities, *art.sources, *art.quotes]:
        item.annotator = draw(people) if item.origin == Origin.HUMAN else None
    art.status_by = draw(people)
    if art.status_by is not None:
        art.status_at = datetime(2026, 12, 1, draw(st.integers(0, 23)), tzinfo=UTC)
    return art


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(art=named_articles())
def test_the_names_come_back_from_every_exact_span_format(
    tmp_path_factory: pytest.TempPathFactory, fmt: str, art: Article
) -> None:
    folder: Path = tmp_path_factory.mktemp(fmt)
    try:
        path = write(fmt, [art], folder)
    except Exception:  # noqa: BLE001 - a hostile article a writer refuses is another test's
        return
    try:
        (back,) = read(fmt, path)
    except FormatError:  # hostile names the reader refuses: the entrance tests' business
        return
    assert names(back, fmt) == names(art, fmt)
