"""What the training spends its budget on: spaCy's checkpoints are chosen on a slice of the
held-out Docs, and the steps after the last checkpoint are not thrown away."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.nlp.training import checkpoint_slice, train_ner
from desktop.nlp.training_data import TrainingText
from desktop.nlp.training_labels import ALL

lengths = st.lists(st.integers(min_value=0, max_value=400), max_size=60)


@given(lengths, st.integers(min_value=1, max_value=5_000))
def test_the_slice_is_spread_over_all_held_out_docs_and_never_empty(
    sizes: list[int], max_tokens: int
) -> None:
    docs = [[0] * n for n in sizes]  # anything with a length stands for a Doc
    chosen = checkpoint_slice(docs, max_tokens)
    total = sum(sizes)
    if not docs:
        assert chosen == []
        return
    assert chosen and chosen[0] is docs[0]
    ids = [id(d) for d in docs]
    positions = [ids.index(id(d)) for d in chosen]
    assert positions == sorted(set(positions))  # a subsequence, in order
    gaps = {b - a for a, b in zip(positions, positions[1:], strict=False)}
    assert len(gaps) <= 1  # evenly spaced
    if total <= max_tokens:
        assert len(chosen) == len(docs)
    if gaps:
        assert positions[-1] + gaps.pop() >= len(docs)  # it runs to the end


@given(st.integers(min_value=1, max_value=300), st.integers(min_value=1, max_value=200))
def test_docs_of_one_length_give_a_slice_of_about_the_asked_tokens(count: int, length: int) -> None:
    docs = [[0] * length for _ in range(count)]
    max_tokens = 1_000
    chosen = checkpoint_slice(docs, max_tokens)
    assert sum(len(d) for d in chosen) <= max_tokens + length
    if count * length > max_tokens:
        assert sum(len(d) for d in chosen) >= max_tokens // 2 - length


@pytest.mark.slow
def test_steps_after_the_last_evaluation_count(tmp_path: Path) -> None:
    """spaCy evaluates at step 0 and then not again (eval_frequency above the steps run):
    its best checkpoint knows nothing of a new label; the last weights have learned it."""
    text = "The Quillmark sold well. Buyers liked the Quillmark and the Zendrop.\n"
    spans = []
    for name in ("Quillmark", "Zendrop"):
        at = 0
        while (at := text.find(name, at)) >= 0:
            spans.append((at, at + len(name), "GADGET"))
            at += len(name)
    items = [TrainingText(f"t{i}", text, tuple(sorted(spans))) for i in range(4)]
    result = train_ner(
        items,
        items[:1],
        ["GADGET"],
        tmp_path / "model",
        budget_seconds=300,
        overrides={"training.eval_frequency": 1_000, "training.max_steps": 60},
    )
    assert result.before[ALL].f1 == 0.0
    assert result.after["GADGET"].f1 > 0.5
    assert (tmp_path / "model" / "meta.json").exists()
