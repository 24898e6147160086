"""Hostile inputs of issue 18 and the check each must pass, shared by the suite and
``benchmarks/fuzz.py``: folders of every file kind, text with every line end, records
with lone surrogates, text in guessable encodings.

Each ``check_*`` returns True when the input was imported and False when it was refused
with one line, and raises AssertionError (or ``fuzzkit.Hang``) when a promise is broken.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import select

from desktop.formats import FormatError
from desktop.formats.errors import MAX_FILE_BYTES
from desktop.formats.text import read_txt
from desktop.services import exporting, importing
from desktop.store import Database
from desktop.store.models import ArticleRow, CollectionRow
from tests.reliability.fuzzkit import time_limit

LIMIT_S = 20
OUTSIDE = "OUTSIDE-THE-FOLDER"
_counter = itertools.count()


def good_text(n: int) -> str:
    return f"Article {n} is a good one.\nIt says something new about item {n}.\n"


def run_import(db: Database, paths: list[Path], collection: str = "default") -> Any:
    """Import under the time limit; no reader bug, every refusal one line."""
    with time_limit(LIMIT_S):
        report = importing.import_paths(db, paths, collection)
    assert not report.bugs, report.bugs
    for line in report.errors:
        assert "\n" not in line and "Traceback" not in line, line
    return report


def texts_of(db: Database, collection: str | None = None) -> list[str]:
    query = select(ArticleRow.text)
    if collection is not None:
        query = query.join(CollectionRow).where(CollectionRow.name == collection)
    with db.session() as s:
        return list(s.scalars(query))


# --- any file kind ----------------------------------------------------------------------

KINDS = [
    "good",
    "empty",
    "fifo",
    "link-inside",
    "link-outside",
    "dangling",
    "loop",
    "folder-like-file",
    "device-link",
    "huge",
    "random-bytes",
]
REFUSED_KINDS = {"fifo", "link-outside", "dangling", "loop", "device-link", "huge"}
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-32"]
SUFFIXES = [".txt", ".jsonl", ".json", ".html", ".conll", ".zip", ".spacy"]
Entry = tuple[str, str, bytes, str]

entries = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(SUFFIXES),
    st.binary(max_size=200),
    st.sampled_from(ENCODINGS),
)
folder_plans = st.lists(entries, min_size=1, max_size=12)


def build(folder: Path, outside: Path, plan: list[Entry]) -> set[str]:
    """Make the entries of ``plan`` in ``folder``; return the texts that must be imported."""
    must: set[str] = set()
    for n, (kind, suffix, data, encoding) in enumerate(plan):
        path = folder / f"e{n}{suffix if kind != 'good' else '.txt'}"
        if kind == "good":
            must.add(good_text(100 + n))
            path.write_text(good_text(100 + n), encoding="utf-8")
        elif kind == "empty":
            path.touch()
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "link-inside":
            real = folder / f"real{n}.txt"
            real.write_text(good_text(200 + n), encoding="utf-8")
            must.add(good_text(200 + n))
            path.with_suffix(".txt").symlink_to(real.name)
        elif kind == "link-outside":
            target = outside / f"o{n}.txt"
            target.write_text(f"{OUTSIDE} {n}\nsecret line\n", encoding="utf-8")
            path.symlink_to(target)
        elif kind == "dangling":
            path.symlink_to(folder / f"missing{n}")
        elif kind == "loop":
            path.symlink_to(path.name + ".other")
            Path(f"{path}.other").symlink_to(path.name)
        elif kind == "folder-like-file":
            path.mkdir()
            (path / "inside.txt").write_text(good_text(300 + n), encoding="utf-8")
            must.add(good_text(300 + n))
        elif kind == "device-link":
            path.symlink_to("/dev/zero" if n % 2 else "/dev/urandom")
        elif kind == "huge":
            with path.open("wb") as fh:  # sparse: nothing is really written
                fh.truncate(MAX_FILE_BYTES + 1)
        elif kind == "random-bytes":
            try:
                path.write_bytes(data.decode("latin-1").encode(encoding))
            except UnicodeEncodeError:
                path.write_bytes(data)
    return must


def _named(line: str) -> Path:
    return Path(line.split(": ", 1)[0].split(", line ")[0])


def check_folder(plan: list[Entry]) -> bool:
    """Import a folder built from ``plan`` into a fresh database: it never hangs, imports
    every good file and nothing from outside, and refuses each bad entry in one line."""
    root = Path(tempfile.mkdtemp(prefix="quotedesk-kinds-"))
    try:
        folder, outside = root / "in", root / "outside"
        folder.mkdir()
        outside.mkdir()
        must = build(folder, outside, plan)
        db = Database.open(root / "db.sqlite3")
        try:
            report = run_import(db, [folder])
            texts = texts_of(db)
        finally:
            db.close()
        assert must <= set(texts), "a good file was not imported"
        assert not any(OUTSIDE in t for t in texts), "a file outside the folder was imported"
        assert not any(t.count("\x00") * 10 > len(t) for t in texts), "NUL-interleaved text"
        names = {p.name for p in folder.iterdir()}
        for line in report.errors:
            named = _named(line)
            assert named.name in names or named.parent.name in names, line
        refused = {_named(line).name for line in report.errors}
        for n, (kind, suffix, _, _) in enumerate(plan):
            if kind in REFUSED_KINDS:
                assert f"e{n}{suffix}" in refused, (kind, report.errors)
        return not report.errors
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- line ends: text is stored as written -----------------------------------------------

LINE_ENDS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\n\n", "\r\n\r\n"]
line_end_texts = st.lists(
    st.tuples(
        st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=30),
        st.sampled_from(LINE_ENDS),
    ),
    min_size=1,
    max_size=30,
).map(lambda parts: "".join(a + b for a, b in parts))


def check_line_ends(db: Database, folder: Path, text: str, as_jsonl: bool) -> bool:
    """A text with any line ends comes back from the store exactly as written (a .txt
    file or a JSONL record), or is refused in one line."""
    n = next(_counter)
    path = folder / (f"ends{n}.jsonl" if as_jsonl else f"ends{n}.txt")
    if as_jsonl:
        path.write_text(json.dumps({"id": f"x{n}", "text": text}) + "\n", encoding="utf-8")
    else:
        path.write_bytes(text.encode("utf-8"))
    try:
        report = run_import(db, [path], f"ends-{n}")
    finally:
        path.unlink()
    if report.errors:
        return False
    assert texts_of(db, f"ends-{n}") == [text], "the text was not stored as written"
    return True


# --- lone surrogates --------------------------------------------------------------------

RECORD: dict[str, Any] = {
    "id": "a1",
    "title": "Council votes",
    "text": "Ann Lee said the council would vote on Monday.",
    "meta": {"url": "https://example.org/a1", "tags": ["city", {"desk": "local"}]},
    "entities": [{"start": 0, "end": 7, "label": "PERSON"}],
    "sources": [{"id": "s1", "name": "Ann Lee", "type": "PERSON", "description": "mayor"}],
}
PLACES = [
    "text",
    "title",
    "id",
    "meta.url",
    "meta.tags.0",
    "meta.tags.1.desk",
    "meta.key",
    "entities.0.label",
    "sources.0.name",
    "sources.0.description",
    "sources.0.id",
]


def with_surrogate(record: dict[str, Any], place: str, surrogate: str) -> bytes:
    """``record`` as one JSON line with ``\\udXXX`` escaped into the string at ``place`` (a
    dotted path; ``meta.key`` puts it in a new key of meta)."""
    marker = "@@SURROGATE@@"
    record = json.loads(json.dumps(record))
    if place == "meta.key":
        record["meta"][f"k{marker}"] = 1
    else:
        *parents, last = place.split(".")
        holder: Any = record
        for part in parents:
            holder = holder[int(part)] if isinstance(holder, list) else holder[part]
        key: Any = int(last) if isinstance(holder, list) else last
        holder[key] = f"{holder[key]}{marker}" if key != "text" else f"{marker}{holder[key]}"
    escape = f"\\u{ord(surrogate):04x}"
    return json.dumps(record).replace(marker, escape).encode("ascii") + b"\n"


surrogate_cases = st.tuples(
    st.sampled_from(PLACES),
    st.characters(categories=["Cs"]),
    st.sampled_from(["jsonl", "prodigy", "doccano", None]),
)


def check_surrogate(
    db: Database, folder: Path, place: str, surrogate: str, fmt: str | None
) -> bool:
    """A record with a lone surrogate anywhere is refused in one line naming the file and
    line; the collection it was meant for still exports."""
    n = next(_counter)
    collection = f"sur-{n}"
    seed = folder / f"seed{n}.jsonl"
    seed.write_text(json.dumps(dict(RECORD, id=f"seed{n}")) + "\n", encoding="utf-8")
    path = folder / f"sur{n}.jsonl"
    path.write_bytes(with_surrogate(RECORD, place, surrogate))
    try:
        assert run_import(db, [seed], collection).added == 1
        with time_limit(LIMIT_S):
            report = importing.import_paths(db, [path], collection, fmt=fmt)
        assert not report.bugs, report.bugs
        assert report.added == 0, "a lone surrogate was imported"
        assert len(report.errors) == 1 and "\n" not in report.errors[0], report.errors
        assert report.errors[0].startswith(f"{path}"), report.errors
        out = folder / f"sur{n}.out.jsonl"
        exporting.export(db, "jsonl", out, collection=collection)
        out.unlink()
    finally:
        seed.unlink()
        path.unlink()
    return False


# --- encodings --------------------------------------------------------------------------

TEXT_ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]


def _codec_chars(encoding: str, **kwargs: Any) -> st.SearchStrategy[str]:
    codec = encoding if encoding in ("latin-1", "cp1252") else None
    return st.characters(codec=codec, **kwargs)


def any_text(encoding: str) -> st.SearchStrategy[str]:
    """Random characters the encoding can hold (control characters apart: no encoding
    tells Latin-1's C1 controls from windows-1252's letters)."""
    chars = _codec_chars(encoding, exclude_categories=["Cc", "Cs"])
    return st.text(chars | st.sampled_from(" \t\n\r"), min_size=1, max_size=300)


def prose(encoding: str) -> st.SearchStrategy[str]:
    """Random words of letters and digits, with spaces, punctuation and line ends."""
    word = st.text(_codec_chars(encoding, categories=["L", "N"]), min_size=1, max_size=10)
    seps = st.sampled_from([" ", " ", " ", ", ", ". ", "\n", "\n\n", "\r\n", " - ", "? ", "\t"])
    pairs = st.lists(st.tuples(word, seps), min_size=1, max_size=60)
    return pairs.map(lambda ws: "".join(w + s for w, s in ws))


encoded_texts = st.sampled_from(TEXT_ENCODINGS).flatmap(
    lambda e: st.tuples(st.just(e), st.one_of(any_text(e), prose(e)))
)


def check_encoding(folder: Path, encoding: str, text: str) -> bool:
    """``text`` saved in ``encoding`` (no BOM) reads back as written, or as its UTF-8
    reading when the bytes are UTF-8 text too; else it is refused in one line. Never
    NUL-interleaved."""
    raw = text.encode(encoding)
    try:  # bytes that are UTF-8 too are read as UTF-8: no detector can tell them apart
        as_utf8: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    utf8_is_text = as_utf8 is not None and not any(c < " " and c not in "\t\n\r" for c in as_utf8)
    expected = as_utf8 if utf8_is_text else text
    path = folder / f"enc{next(_counter)}.txt"
    path.write_bytes(raw)
    try:
        article = read_txt(path)
    except FormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return False
    finally:
        path.unlink()
    assert "\x00" not in article.text or "\x00" in text, "NUL-interleaved text"
    assert article.text == expected, (encoding, article.meta.get("encoding"))
    return True


# --- for benchmarks/fuzz.py -------------------------------------------------------------

Check = Callable[[Database, Path, Any], bool]
FUZZ_CASES: dict[str, tuple[st.SearchStrategy[Any], Check]] = {
    "file-kinds": (folder_plans, lambda db, folder, plan: check_folder(plan)),
    "line-ends": (
        st.tuples(line_end_texts, st.booleans()),
        lambda db, folder, case: check_line_ends(db, folder, *case),
    ),
    "surrogates": (surrogate_cases, lambda db, folder, case: check_surrogate(db, folder, *case)),
    "encodings": (encoded_texts, lambda db, folder, case: check_encoding(folder, *case)),
}
