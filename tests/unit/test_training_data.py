"""Reference Docs from any annotations: every gold entity is placed on tokens or named as
skipped, negatives are outside, and the rest is outside or missing as the text is complete."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp.training_data import DocsReport, TrainingText, make_docs

pytestmark = pytest.mark.slow
LABELS = ("PER", "ORG", "LOC")


@pytest.fixture(scope="module")
def nlp() -> Any:
    from desktop.nlp import load_pipeline

    return load_pipeline().nlp


@st.composite
def annotated(draw: st.DrawFn) -> TrainingText:
    text = draw(st.text(st.sampled_from("Ab c.,\n-'é\u2028 "), min_size=1, max_size=300))
    spans = (
        st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))
        .map(sorted)
        .filter(lambda p: p[0] < p[1])
    )
    gold = draw(st.lists(st.tuples(spans, st.sampled_from(LABELS)), max_size=8))
    negatives = draw(st.lists(spans, max_size=4))
    return TrainingText(
        "k",
        text,
        tuple(sorted((s, e, lab) for (s, e), lab in gold)),
        tuple(sorted((s, e) for s, e in negatives)),
        draw(st.booleans()),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(item=annotated())
def test_every_entity_is_placed_or_named_and_the_rest_is_as_known(
    nlp: Any, item: TrainingText
) -> None:
    report = DocsReport()
    docs = make_docs(nlp, [item], report)
    assert report.entities + len(report.skipped) == len(item.entities)
    if not docs:  # only a partial text with nothing placed is left out
        assert not item.complete and report.entities == 0
        return
    (doc,) = docs
    assert doc.text == item.text
    for ent in doc.ents:  # each covers the gold span it came from (bar spaCy's trailing space)
        assert any(
            lab == ent.label_
            and ent.start_char <= s + _lead(item.text[s:e])
            and e - _trail(item.text[s:e]) <= ent.end_char
            for s, e, lab in item.entities
        )
    inside = {t.i for ent in doc.ents for t in ent}
    for token in doc:
        if token.i in inside:
            continue
        if item.complete:
            assert token.ent_iob_ == "O"
        elif token.ent_iob_ == "O":  # outside only where a person rejected an entity
            assert any(s < token.idx + len(token) and token.idx < e for s, e in item.negatives)


def _lead(t: str) -> int:
    return len(t) - len(t.lstrip(" "))


def _trail(t: str) -> int:
    return len(t) - len(t.rstrip(" "))
