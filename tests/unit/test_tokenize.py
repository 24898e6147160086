"""Tokenizing in bounded time: long runs without white space are cut into pieces, and the
Doc still holds the article's text exactly."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.nlp.tokenize import LONG_RUN, make_doc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def blank() -> Any:
    import spacy

    return spacy.blank("en")


RUNS = st.sampled_from(['"', "(", "word", "—", "x", ".", "🙂"]).map(lambda s: s * 150)
TEXTS = st.lists(st.one_of(st.text(max_size=30), RUNS), max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(text=TEXTS)
def test_the_doc_holds_the_text_exactly(blank: Any, text: str) -> None:
    doc = make_doc(blank, text)
    assert doc.text == text
    assert all(len(t.text) <= max(LONG_RUN, 1) or t.is_space for t in doc)


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=300))
def test_text_without_long_runs_is_tokenized_as_spacy_does(blank: Any, text: str) -> None:
    assert [t.text for t in make_doc(blank, text)] == [t.text for t in blank.make_doc(text)]


def test_an_article_of_quotation_marks_is_analyzed() -> None:
    """The tryout's article (tens of thousands of marks in a row) is analyzed like any
    other; before, the tokenizer alone would have taken hours on it."""
    from desktop.nlp.analyzer import AnalysisFailure, analyze_texts
    from desktop.nlp.pipeline import load_pipeline

    text = 'He said: "' + '"' * 30_000 + '" and left.'
    [result] = list(analyze_texts(load_pipeline(), [text]))
    assert not isinstance(result, AnalysisFailure), result


def test_the_docbin_export_of_such_an_article_reads_back(tmp_path: Any) -> None:
    import io

    from desktop.domain import Article
    from desktop.nlp.docbin import read_docbin, write_docbin

    text = "Marks: " + '"' * 20_000 + " end."
    out = io.BytesIO()
    assert write_docbin(iter([Article("q", text)]), out) == 1
    path = tmp_path / "q.spacy"
    path.write_bytes(out.getvalue())
    [back] = list(read_docbin(path, 10**9))
    assert back.text == text
