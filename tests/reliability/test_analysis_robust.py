"""Issue 18, item 6: every article that imports can be analyzed, and no article stops the
analysis of the others.

Articles of 1,000,001 to 2,000,000 characters imported, then spaCy refused them (E088) and
the analysis stopped there for good. Long texts are now analyzed in pieces cut at
paragraph breaks (``desktop/nlp/pieces.py``), and whatever the model or the quote engine
raises for one article is reported, that article left unanalyzed (tried again on the next
run) and the others analyzed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.domain import Article
from desktop.formats.errors import MAX_ARTICLE_CHARS
from desktop.nlp import AnalysisFailure, DocAnalysis, analyze_texts
from desktop.nlp.analyzer import check_spans
from desktop.nlp.pieces import PIECE_CHARS, piece_ranges
from desktop.nlp.pipeline import DEFAULT_MODEL, Pipeline, load_pipeline
from desktop.services import analysis
from desktop.store import Database
from desktop.store import repository as repo

PARAGRAPH = (
    'Ann Lee, the mayor of Springfield, said the budget was fair. "We will build two new '
    'schools this year," she told reporters on Monday. Bo Chan of the Civic Union disagreed.'
)
MARK = "Zyxwvut"  # the failing component below refuses any text holding it


# --- pieces: pure, any text -------------------------------------------------------------

breaks = st.sampled_from(["\n\n", "\r\n\r\n", "\n", "\u2029", ". ", " ", "", "\n \n"])
texts = st.lists(st.tuples(st.text(max_size=40), breaks), max_size=40).map(
    lambda parts: "".join(a + b for a, b in parts)
)


@settings(max_examples=300, derandomize=True)
@given(text=texts, limit=st.integers(2, 120))
def test_pieces_cover_the_text_exactly_and_fit(text: str, limit: int) -> None:
    ranges = piece_ranges(text, limit)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(0 < end - start <= limit for start, end in ranges) or text == ""


@settings(max_examples=300, derandomize=True)
@given(
    paragraphs=st.lists(st.text(st.characters(exclude_characters="\n\r"), max_size=30), min_size=2),
    limit=st.integers(40, 100),
)
def test_pieces_are_cut_at_paragraph_breaks_when_there_are_some(
    paragraphs: list[str], limit: int
) -> None:
    text = "\n\n".join(p + "." for p in paragraphs)
    for start, end in piece_ranges(text, limit)[:-1]:
        window = text[start + limit // 2 : start + limit]
        if "\n\n" in window:  # the cut follows a blank line (and the spaces after it)
            piece = text[start:end]
            tail = piece[len(piece.rstrip()) :]
            assert sum(c in "\n\r\u2028\u2029\x85" for c in tail) >= 2, (piece, window)


# --- the real pipeline ------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing() -> Pipeline:
    """A real copy of the pipeline with one more component that raises on ``MARK``."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("quotedesk_test_fails_on_mark"):

        @Language.component("quotedesk_test_fails_on_mark")
        def fails_on_mark(doc: Any) -> Any:
            if MARK in doc.text:
                raise ValueError(f"this component refuses {MARK}")
            return doc

    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("quotedesk_test_fails_on_mark", first=True)
    return Pipeline(nlp=nlp, name=DEFAULT_MODEL, version="test")


def story(n: int, paragraphs: int = 3) -> str:
    return "\n\n".join(f"{PARAGRAPH} Item {n}.{i}." for i in range(paragraphs))


@pytest.mark.slow
def test_one_failing_text_fails_alone_in_a_batch(failing: Pipeline, nlp: Any) -> None:
    good = [story(n) for n in range(20)]
    texts = good[:7] + [f"{MARK} {story(99)}"] + good[7:]
    results = list(analyze_texts(failing, texts))
    assert [isinstance(r, AnalysisFailure) for r in results] == [i == 7 for i in range(21)]
    assert f"ValueError: this component refuses {MARK}" in results[7].reason  # type: ignore[union-attr]
    plain = Pipeline(nlp=nlp, name=DEFAULT_MODEL, version="")
    assert [r for i, r in enumerate(results) if i != 7] == list(analyze_texts(plain, good))


@pytest.mark.slow
def test_a_text_longer_than_the_model_takes_is_analyzed_in_pieces(nlp: Any) -> None:
    """The E088 class: any ``nlp.max_length`` (here a copy's, 700) is never exceeded."""
    import spacy

    small = spacy.load(DEFAULT_MODEL)
    small.max_length = 700
    text = story(1, paragraphs=40)
    assert len(text) > 10 * small.max_length
    (result,) = analyze_texts(Pipeline(small, DEFAULT_MODEL, ""), [text])
    assert isinstance(result, DocAnalysis)
    check_spans(text, result)
    assert len(result.attribution.quotes) >= 30
    names = [s.name for s in result.attribution.sources]
    assert len(names) == len(set(n.casefold() for n in names)), "one source per name"
    keys = {s.key for s in result.attribution.sources}
    assert {q.source_key for q in result.attribution.quotes} - {None} <= keys


@pytest.mark.slow
def test_offsets_from_pieces_are_those_of_each_piece_moved(nlp: Any) -> None:
    plain = Pipeline(nlp=nlp, name=DEFAULT_MODEL, version="")
    text = story(2, paragraphs=12)
    limit = 700
    (whole,) = analyze_texts(plain, [text], piece_chars=limit)
    assert isinstance(whole, DocAnalysis)
    expected = []
    for start, end in piece_ranges(text, limit):
        (alone,) = analyze_texts(plain, [text[start:end]])
        assert isinstance(alone, DocAnalysis)
        expected += [(e.start + start, e.end + start, e.label) for e in alone.entities]
    assert [(e.start, e.end, e.label) for e in whole.entities] == expected
    check_spans(text, whole)


def add(db: Database, n: int, text: str) -> int:
    with db.transaction() as s:
        new = repo.add_article(s, repo.collection(s), Article(f"a{n}", text, title=f"Story {n}"))
    assert new is not None
    return new


@pytest.fixture
def analyzing_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def use(pipeline: Pipeline) -> None:
        monkeypatch.setattr(analysis, "load_model", lambda name=None: pipeline)

    yield use


@pytest.mark.slow
def test_a_failing_article_is_reported_skipped_and_retried(
    db: Database, failing: Pipeline, analyzing_with: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [add(db, n, story(n)) for n in range(3)]
    bad = add(db, 3, f"{MARK} {story(3)}")
    ids.append(add(db, 4, story(4)))
    analyzing_with(failing)
    report = analysis.analyze(db)
    assert report.analyzed == 4 and len(report.failed) == 1
    assert report.failed[0].startswith("article 'a3' (\"Story 3\") was not analyzed (ValueError")
    assert "tried again on the next run" in report.failed[0]
    with db.session() as s:
        assert [repo.is_analyzed(s, i) for i in ids] == [True] * 4
        assert not repo.is_analyzed(s, bad)
    # the command line says it in one line and exits 1; the next run retries that article
    assert cli.main(["--db", db.location, "analyze"]) == 1
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("quotedesk:")] == [
        f"quotedesk: {report.failed[0]}"
    ]
    analyzing_with(load_pipeline())
    again = analysis.analyze(db)
    assert (again.analyzed, again.failed) == (1, [])
    with db.session() as s:
        assert repo.is_analyzed(s, bad)


@pytest.mark.slow
def test_a_quote_engine_failure_skips_that_article_only(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault injection: the engine raises on one article (as a bug in it would)."""
    import desktop.nlp.attribution as attribution

    real = attribution.attribute

    def engine(doc: Any, *args: Any, **kwargs: Any) -> Any:
        if MARK in doc.text:
            raise IndexError("the engine tripped")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(attribution, "attribute", engine)
    good = add(db, 1, story(1))
    bad = add(db, 2, f"{MARK} {story(2)}")
    report = analysis.analyze(db)
    assert report.analyzed == 1 and len(report.failed) == 1
    assert "IndexError: the engine tripped" in report.failed[0]
    with db.session() as s:
        assert repo.is_analyzed(s, good) and not repo.is_analyzed(s, bad)


@pytest.mark.slow
def test_an_article_just_over_a_million_characters_is_analyzed(db: Database) -> None:
    """The tryout's case, for real: 1,000,001+ characters (spaCy's own limit is 1,000,000)
    between two ordinary articles; all three are analyzed."""
    long = ""
    n = 0
    while len(long) <= 1_000_000:
        long += story(n, paragraphs=4) + "\n\n"
        n += 1
    assert 1_000_000 < len(long) <= MAX_ARTICLE_CHARS and len(long) > 10 * PIECE_CHARS
    first, big, last = add(db, 1, story(1)), add(db, 2, long), add(db, 3, story(3))
    report = analysis.analyze(db)
    assert (report.analyzed, report.failed) == (3, [])
    with db.session() as s:
        assert all(repo.is_analyzed(s, i) for i in (first, big, last))
        stored = repo.load_article(s, big)
    assert stored.text == long
    assert len(stored.quotes) > 1000
    tail = [q for q in stored.quotes if q.start > len(long) - PIECE_CHARS]
    assert tail and all(long[q.start : q.end] == q.text for q in tail)


@pytest.mark.slow
def test_a_cancel_inside_a_long_article_stops_between_its_pieces(
    db: Database, analyzing_with: Any
) -> None:
    """The window's cancel button must not wait for a 2,000,000-character article: the
    token is checked before every piece, and the article is left untouched."""
    import spacy

    from desktop.services.progress import Cancelled, CancelToken

    small = spacy.load(DEFAULT_MODEL)
    small.max_length = 700  # pieces of 700 characters: a long article without the wait
    analyzing_with(Pipeline(small, DEFAULT_MODEL, "small"))
    short = add(db, 1, PARAGRAPH)
    long = add(db, 2, story(2, paragraphs=30))
    token = CancelToken()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if message.startswith("Analyzing a long article: part 3 of"):
            token.cancel()

    with pytest.raises(Cancelled):
        analysis.analyze(db, progress=progress, cancel=token)
    assert "Analyzing a long article: part 1 of" in " ".join(seen)
    assert not any(m.startswith("Analyzing a long article: part 4 of") for m in seen)
    with db.session() as s:
        assert repo.is_analyzed(s, short) and not repo.is_analyzed(s, long)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, derandomize=True)
@given(
    marks=st.lists(st.booleans(), min_size=1, max_size=40),
    long_at=st.sets(st.integers(0, 39), max_size=2),
)
def test_any_failing_texts_fail_alone_wherever_they_are(
    failing: Pipeline, nlp: Any, marks: list[bool], long_at: set[int]
) -> None:
    """Failing texts anywhere in the stream (across nlp.pipe batches, beside texts analyzed
    in pieces): exactly those fail, and every other result is what the plain pipeline gives."""
    texts = []
    for i, bad in enumerate(marks):
        text = story(i, paragraphs=6 if i in long_at else 1)
        texts.append(f"{MARK} {text}" if bad else text)
    results = list(analyze_texts(failing, texts, piece_chars=600))
    assert [isinstance(r, AnalysisFailure) for r in results] == marks
    plain = Pipeline(nlp=nlp, name=DEFAULT_MODEL, version="")
    good = [t for t, bad in zip(texts, marks, strict=True) if not bad]
    expected = list(analyze_texts(plain, good, piece_chars=600))
    assert [r for r, bad in zip(results, marks, strict=True) if not bad] == expected
