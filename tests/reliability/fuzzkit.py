"""Hostile files for every importer, and the check each one must pass.

``check_import`` writes one generated file, imports it through ``importing.import_paths``
(exactly as the window and the command line do) under a time limit, and fails unless:

- the import either succeeded, or reported a ``FormatError`` (no other exception);
- it finished within ``TIME_LIMIT_S`` (no hang);
- after a failed import the database holds nothing from that file (no half-import);
- after a successful one every stored span lies inside its article's text, the text is
  within ``MAX_ARTICLE_CHARS`` and ``PRAGMA integrity_check`` is still ``ok``.

The strategies build files the way an attacker or a broken tool would: random bytes, text
in UTF-16 with a BOM or with invalid UTF-8 inside, JSON of the wrong shape or nested
thousands deep, plausible records with offsets out of range, reversed or overlapping, brat
zips with traversal names, duplicate members and compression bombs, DocBins with flipped
bytes.
"""

from __future__ import annotations

import io
import itertools
import json
import signal
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import func, select, text

from desktop.formats.errors import MAX_ARTICLE_CHARS
from desktop.services import importing
from desktop.store import Database
from desktop.store.models import ArticleRow, CollectionRow

TIME_LIMIT_S = 20
_counter = itertools.count()


class Hang(Exception):
    """The import ran past the time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise Hang(f"the import took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_import(db: Database, folder: Path, name: str, data: bytes, fmt: str | None) -> bool:
    """Import ``data`` saved as ``folder/name``; True when it was imported, False when it
    was refused with a FormatError. Anything else is an AssertionError or propagates."""
    n = next(_counter)
    path = folder / f"{n}-{name}"
    path.write_bytes(data)
    collection = f"fuzz-{n}"
    try:
        with time_limit(TIME_LIMIT_S):
            report = importing.import_paths(db, [path], collection, fmt=fmt)
    finally:
        path.unlink(missing_ok=True)
    with db.session() as s:
        coll = s.scalar(select(CollectionRow.id).where(CollectionRow.name == collection))
        stored = (
            0
            if coll is None
            else s.scalar(select(func.count(ArticleRow.id)).where(ArticleRow.collection_id == coll))
        )
        # a reader's unexpected exception is one line for its file now: still a crash here
        assert not report.bugs, f"an importer raised: {report.bugs}"
        if report.errors:
            assert stored == 0, f"half-import: {stored} article(s) kept after {report.errors}"
            assert all(str(path.name) in e for e in report.errors), report.errors
            return False
        assert stored == report.added
        if coll is not None:
            check_spans(s, coll)
    return True


def check_spans(session: Any, collection_id: int) -> None:
    """Every stored span inside its text (checked in Python: SQLite's ``length()`` stops at
    a NUL character, which a hostile text may well hold)."""
    texts = dict(
        session.execute(
            text("SELECT id, text FROM article WHERE collection_id = :c"), {"c": collection_id}
        ).all()
    )
    spans = session.execute(
        text(
            """
            SELECT 'entity', article_id, start, "end" FROM entity
             WHERE article_id IN (SELECT id FROM article WHERE collection_id = :c)
            UNION ALL
            SELECT 'quote', article_id, start, "end" FROM quote
             WHERE article_id IN (SELECT id FROM article WHERE collection_id = :c)
            UNION ALL
            SELECT 'cue', article_id, cue_start, cue_end FROM quote
             WHERE cue_start IS NOT NULL
               AND article_id IN (SELECT id FROM article WHERE collection_id = :c)
            UNION ALL
            SELECT 'speaker', article_id, speaker_start, speaker_end FROM quote
             WHERE speaker_start IS NOT NULL
               AND article_id IN (SELECT id FROM article WHERE collection_id = :c)
            UNION ALL
            SELECT 'mention', s.article_id, m.start, m."end" FROM mention m
              JOIN source s ON s.id = m.source_id
             WHERE s.article_id IN (SELECT id FROM article WHERE collection_id = :c)
            """
        ),
        {"c": collection_id},
    ).all()
    bad = [
        (kind, start, end, len(texts[aid]))
        for kind, aid, start, end in spans
        if not (0 <= start < end <= len(texts[aid]))
    ]
    bad += [("text", 0, 0, len(t)) for t in texts.values() if len(t) > MAX_ARTICLE_CHARS]
    assert not bad, f"stored spans outside their text: {bad[:5]}"


# --- byte-level encodings of a text -----------------------------------------------------


def encodings(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """A text as UTF-8, UTF-8 with BOM, UTF-16 (BOM) or UTF-8 with invalid bytes inside."""

    def spoil(data: bytes, at: int, junk: bytes) -> bytes:
        at = at % (len(data) + 1)
        return data[:at] + junk + data[at:]

    return st.one_of(
        texts.map(lambda t: t.encode("utf-8")),
        texts.map(lambda t: t.encode("utf-8-sig")),
        texts.map(lambda t: t.encode("utf-16")),
        texts.map(lambda t: t.encode("utf-16-be")),
        st.builds(
            spoil,
            texts.map(lambda t: t.encode("utf-8")),
            st.integers(0, 10_000),
            st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xfe\xff", b"\x80\x80"]),
        ),
    )


# --- JSON -------------------------------------------------------------------------------

KEYS = [
    "id",
    "text",
    "title",
    "meta",
    "status",
    "entities",
    "quotes",
    "sources",
    "start",
    "end",
    "label",
    "labels",
    "cue",
    "speaker",
    "source",
    "mentions",
    "name",
    "type",
    "origin",
    "kind",
    "tokens",
    "spans",
    "token_start",
    "token_end",
    "answer",
    "relations",
    "head",
    "child",
    "start_offset",
    "end_offset",
    "from_id",
    "to_id",
    "data",
    "annotations",
    "result",
    "value",
    "from_name",
    "to_name",
    "quotedesk",
    "_input_hash",
    "_task_hash",
    "description",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.integers(-3, 40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(KEYS + ["direct", "indirect", "mixed", "PERSON", "human", "model", "accept"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=6)
    ),
    max_leaves=25,
)

offsets = st.one_of(
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(-3, 70),
    st.integers(-(2**40), 2**40),
    st.none(),
    st.text(max_size=3),
)
labels = st.sampled_from(
    [
        "PERSON",
        "ORG",
        "GPE",
        "DIRECT_QUOTE",
        "MIXED_QUOTE",
        "INDIRECT_QUOTE",
        "CUE",
        "SPEAKER",
        "SOURCE",
        "",
        "weird label",
        "\x00",
        "B-PER",
    ]
)
article_texts = st.text(min_size=12, max_size=60) | st.text(max_size=5)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the plausible value, sometimes any JSON at all in its place."""
    return st.one_of(*[value] * 8, json_values)


def _span(extra: dict[str, st.SearchStrategy[Any]] | None = None) -> st.SearchStrategy[Any]:
    fields = {"start": _maybe(offsets), "end": _maybe(offsets), "label": _maybe(labels)}
    return _maybe(st.fixed_dictionaries(fields, optional=extra or {}))


def quotedesk_records() -> st.SearchStrategy[Any]:
    span = _span()
    return st.fixed_dictionaries(
        {"text": _maybe(article_texts)},
        optional={
            "id": _maybe(st.text(max_size=8)),
            "title": _maybe(st.text(max_size=8)),
            "meta": json_values,
            "status": _maybe(st.sampled_from(["unreviewed", "in_review", "reviewed", "x"])),
            "entities": _maybe(
                st.lists(_span({"origin": st.sampled_from(["human", "model", "x"])}), max_size=5)
            ),
            "sources": _maybe(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "id": _maybe(st.sampled_from(["s1", "s2"])),
                            "name": _maybe(st.text(max_size=6)),
                        },
                        optional={
                            "type": _maybe(labels),
                            "mentions": _maybe(st.lists(span, max_size=3)),
                        },
                    ),
                    max_size=3,
                )
            ),
            "quotes": _maybe(
                st.lists(
                    _span(
                        {
                            "kind": _maybe(st.sampled_from(["direct", "mixed", "indirect", "?"])),
                            "cue": span,
                            "speaker": span,
                            "source": _maybe(
                                st.fixed_dictionaries({"id": st.sampled_from(["s1", "s2", "s9"])})
                            ),
                        }
                    ),
                    max_size=4,
                )
            ),
        },
    )


def prodigy_records() -> st.SearchStrategy[Any]:
    token = st.fixed_dictionaries(
        {
            "text": st.text(max_size=5),
            "start": _maybe(offsets),
            "end": _maybe(offsets),
            "id": _maybe(st.integers(-2, 30)),
        }
    )
    return st.fixed_dictionaries(
        {"text": _maybe(article_texts)},
        optional={
            "tokens": _maybe(st.lists(token, max_size=8)),
            "spans": _maybe(
                st.lists(
                    _span({"token_start": _maybe(offsets), "token_end": _maybe(offsets)}),
                    max_size=5,
                )
            ),
            "relations": _maybe(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "head": _maybe(offsets),
                            "child": _maybe(offsets),
                            "label": _maybe(st.sampled_from(["speaker", "cue", "x"])),
                        }
                    ),
                    max_size=3,
                )
            ),
            "answer": _maybe(st.sampled_from(["accept", "reject", "ignore"])),
            "_input_hash": _maybe(st.integers()),
            "quotedesk": json_values,
        },
    )


def doccano_records() -> st.SearchStrategy[Any]:
    entity = st.fixed_dictionaries(
        {
            "id": _maybe(st.integers(0, 9)),
            "label": _maybe(labels),
            "start_offset": _maybe(offsets),
            "end_offset": _maybe(offsets),
        }
    )
    relation = st.fixed_dictionaries(
        {
            "id": _maybe(st.integers(0, 9)),
            "from_id": _maybe(st.integers(0, 9)),
            "to_id": _maybe(st.integers(0, 9)),
            "type": _maybe(st.sampled_from(["speaker", "cue", "?"])),
        }
    )
    return st.fixed_dictionaries(
        {
            "text": _maybe(article_texts),
            "entities": _maybe(st.lists(entity, min_size=1, max_size=5)),
        },
        optional={
            "relations": _maybe(st.lists(relation, max_size=4)),
            "quotedesk": json_values,
            "label": json_values,
        },
    )


def labelstudio_tasks() -> st.SearchStrategy[Any]:
    label_result = st.fixed_dictionaries(
        {
            "id": _maybe(st.sampled_from(["a", "b", "c"])),
            "type": _maybe(st.sampled_from(["labels", "relation", "choices"])),
            "value": _maybe(
                st.fixed_dictionaries(
                    {
                        "start": _maybe(offsets),
                        "end": _maybe(offsets),
                        "labels": _maybe(st.lists(labels, max_size=2)),
                    }
                )
            ),
            "from_name": st.just("label"),
            "to_name": st.just("text"),
        },
        optional={
            "from_id": st.sampled_from(["a", "b", "z"]),
            "to_id": st.sampled_from(["a", "b", "z"]),
            "labels": st.lists(labels, max_size=2),
        },
    )
    task = st.fixed_dictionaries(
        {"data": _maybe(st.fixed_dictionaries({"text": _maybe(article_texts)}))},
        optional={
            "annotations": _maybe(
                st.lists(
                    st.fixed_dictionaries({"result": _maybe(st.lists(label_result, max_size=5))}),
                    max_size=2,
                )
            ),
            "quotedesk": json_values,
        },
    )
    return st.one_of(st.lists(task, max_size=3), task)


def json_lines(records: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    lines = st.lists(
        records.map(lambda r: json.dumps(r, ensure_ascii=False)), min_size=1, max_size=4
    )
    return encodings(lines.map(lambda ls: "\n".join(ls) + "\n"))


def json_document(values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return encodings(values.map(lambda v: json.dumps(v, ensure_ascii=False)))


def deep_json() -> st.SearchStrategy[bytes]:
    """``[[[[...]]]]`` or ``{"a":{"a":...}}`` nested far beyond Python's recursion limit."""

    def build(n: int, kind: str) -> bytes:
        if kind == "list":
            return b"[" * n + b"]" * n + b"\n"
        return b'{"text":' * n + b'"x"' + b"}" * n + b"\n"

    return st.builds(build, st.integers(500, 200_000), st.sampled_from(["list", "dict"]))


# --- plain formats ----------------------------------------------------------------------

conll_lines = st.lists(
    st.one_of(
        st.just(""),
        st.just("-DOCSTART- -X- -X- O"),
        st.builds(
            lambda tok, tag, cols: " ".join([tok, *["X"] * cols, tag]),
            st.text(st.characters(blacklist_categories=["Z", "C"]), min_size=1, max_size=6),
            st.sampled_from(["O", "B-PER", "I-PER", "I-ORG", "B-", "I-", "X-PER", "B-PER-X", "o"]),
            st.integers(0, 3),
        ),
        st.text(max_size=20),
    ),
    max_size=30,
)
conll_files = encodings(conll_lines.map(lambda ls: "\n".join(ls)))

html_pages = encodings(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "<html><head><title>T</title>",
                    "<script>document.write('x'); fetch('http://example.invalid/')</script>",
                    "<img src='http://example.invalid/a.png' onerror='alert(1)'>",
                    "<iframe src='http://example.invalid/'></iframe>",
                    "<p onclick='alert(1)'>",
                    "</p>",
                    "<article>",
                    "</article>",
                    "<!--",
                    "<![CDATA[",
                    "<div>" * 50,
                    "&#x0;&#xD800;&bogus;",
                    "<meta http-equiv='refresh' content='0;url=http://example.invalid/'>",
                ]
            ),
            st.text(max_size=80),
        ),
        max_size=25,
    ).map("".join)
)

text_files = st.one_of(encodings(st.text(max_size=300)), st.binary(max_size=600))


# --- brat zips --------------------------------------------------------------------------

member_names = st.one_of(
    st.sampled_from(
        ["a.txt", "a.ann", "a.json", "b.txt", "sub/c.txt", "sub/c.ann", "annotation.conf"]
    ),
    st.sampled_from(
        [
            "",
            "../evil.txt",
            "/abs.txt",
            "..\\evil.txt",
            "C:evil.txt",
            "a/../../x.txt",
            "a\x00.txt",
            "__MACOSX/a.txt",
            "dir/",
            "a.TXT",
            ".txt",
            "a..txt",
        ]
    ),
    st.text(max_size=10).map(lambda s: s + ".txt"),
)


def _ann_line(kind: str, n: int, label: str, a: Any, b: Any, extra: str) -> str:
    if kind == "T":
        return f"T{n}\t{label} {a} {b}{extra}\tsome text"
    return f"R{n}\t{label} Arg1:T{a} Arg2:T{b}{extra}"


ann_text = st.lists(
    st.builds(
        _ann_line,
        st.sampled_from(["T", "T", "R", "#", "A", "E"]),
        st.integers(1, 6),
        labels | st.sampled_from(["speaker", "cue"]),
        st.integers(-3, 60) | st.text(max_size=3),
        st.integers(-3, 60) | st.text(max_size=3),
        st.sampled_from(["", ";5 9", ";", " 1", "\t"]),
    ),
    max_size=8,
).map("\n".join)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with (
        warnings.catch_warnings(),  # duplicate member names are part of the attack
        zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf,
    ):
        warnings.simplefilter("ignore")
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name), data)
    return buf.getvalue()


def _flip(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for pos, value in edits:
        if out:
            out[pos % len(out)] = value
    return bytes(out)


byte_edits = st.lists(
    st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), min_size=1, max_size=4
)

brat_zips = st.one_of(
    st.builds(
        _flip,
        st.lists(
            st.tuples(member_names, encodings(st.text(max_size=80))), min_size=1, max_size=3
        ).map(_zip),
        byte_edits,
    ),
    st.lists(
        st.tuples(
            member_names,
            st.one_of(
                encodings(st.text(max_size=80)),
                ann_text.map(str.encode),
                json_document(json_values),
                st.binary(max_size=100),
            ),
        ),
        max_size=6,
    ).map(_zip),
    st.binary(max_size=400),
)


def zip_bomb(unpacked: int, members: int = 1, name: str = "a.txt") -> bytes:
    """A zip whose members unpack to ``unpacked`` bytes each from a few KiB."""
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(members):
            with zf.open(f"{i}-{name}", "w", force_zip64=True) as fh:
                left = unpacked
                while left > 0:
                    fh.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
    return buf.getvalue()


# --- spaCy DocBin -----------------------------------------------------------------------


def docbin_mutations(valid: bytes) -> st.SearchStrategy[bytes]:
    """A valid DocBin with bytes flipped, cut short, or replaced by random data."""

    def flip(data: bytes, at: list[tuple[int, int]]) -> bytes:
        out = bytearray(data)
        for pos, value in at:
            out[pos % len(out)] = value
        return bytes(out)

    def recompress(data: bytes, at: list[tuple[int, int]]) -> bytes:
        import zlib

        raw = bytearray(zlib.decompress(data))
        for pos, value in at:
            raw[pos % len(raw)] = value
        return zlib.compress(bytes(raw))

    edits = st.lists(
        st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=6
    )
    return st.one_of(
        st.builds(flip, st.just(valid), edits),
        st.builds(recompress, st.just(valid), edits),
        st.integers(0, len(valid)).map(lambda n: valid[:n]),
        st.binary(max_size=300),
    )


ReaderCase = tuple[str, str | None, st.SearchStrategy[bytes]]


def cases(valid_docbin: bytes | None = None) -> dict[str, ReaderCase]:
    """Per importer: (file name, format name for import_paths, strategy of file contents)."""
    found: dict[str, ReaderCase] = {
        "txt": ("a.txt", None, text_files),
        "html": ("a.html", None, st.one_of(html_pages, st.binary(max_size=300))),
        "jsonl": (
            "a.jsonl",
            "jsonl",
            st.one_of(json_lines(quotedesk_records()), json_lines(json_values), deep_json()),
        ),
        "prodigy": (
            "a.jsonl",
            "prodigy",
            st.one_of(json_lines(prodigy_records()), json_lines(json_values)),
        ),
        "doccano": (
            "a.jsonl",
            "doccano",
            st.one_of(json_lines(doccano_records()), json_lines(json_values)),
        ),
        "sniffed-jsonl": (
            "a.jsonl",
            None,
            st.one_of(
                json_lines(quotedesk_records()),
                json_lines(prodigy_records()),
                json_lines(doccano_records()),
            ),
        ),
        "labelstudio": (
            "a.json",
            "labelstudio",
            st.one_of(json_document(labelstudio_tasks()), json_document(json_values), deep_json()),
        ),
        "conll": ("a.conll", "conll", st.one_of(conll_files, st.binary(max_size=300))),
        "brat": ("a.zip", "brat", brat_zips),
    }
    if valid_docbin is not None:
        found["spacy"] = ("a.spacy", "spacy", docbin_mutations(valid_docbin))
    return found


def valid_docbin(folder: Path) -> bytes:
    """A small real DocBin export with entities, quotes and sources, to mutate."""
    from desktop.domain import Article, Entity, Quote, QuoteKind, Source, Span
    from desktop.services.formats import FORMATS

    text_ = 'Ann Lee said "we will win" on Monday. Bo Chan, a senator, disagreed.'
    article = Article(
        external_id="x1",
        text=text_,
        title="T",
        entities=[Entity(0, 7, "PERSON", "Ann Lee"), Entity(38, 45, "PERSON", "Bo Chan")],
        sources=[Source("s1", "Ann Lee", "PERSON", mentions=[Span(0, 7, "Ann Lee")])],
        quotes=[
            Quote(
                14,
                25,
                "we will win",
                QuoteKind.DIRECT,
                Span(8, 12, "said"),
                Span(0, 7, "Ann Lee"),
                "s1",
            )
        ],
    )
    path = folder / "valid.spacy"
    with path.open("wb") as fh:
        FORMATS["spacy"].write(iter([article]), fh)
    return path.read_bytes()


def count_runs(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a check so that the number of inputs tried can be reported."""

    def run(*args: Any) -> Any:
        run.calls += 1  # type: ignore[attr-defined]
        return fn(*args)

    run.calls = 0  # type: ignore[attr-defined]
    return run


SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json", ".conll", ".zip", ".spacy"}
