"""A file that is not text at all is named for what it is, in one line, and nothing of it
is imported (found by the hostile tester: a gzip-compressed ``.jsonl`` was "UTF-16 without
a byte-order mark", a SQLite database or a PNG renamed ``.txt`` was "save it as UTF-8").

The class: any known binary kind (compressed, archive, database, document, image) under
any suffix the text readers take, with any bytes after its signature.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats.decoding import _SIGNATURES, binary_kind
from desktop.services import importing
from desktop.store import Database

SUFFIXES = [".txt", ".html", ".jsonl", ".json", ".conll"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(_SIGNATURES),
    tail=st.binary(max_size=200),
    suffix=st.sampled_from(SUFFIXES),
)
def test_a_binary_file_under_a_text_suffix_is_named_and_not_imported(
    tmp_path_factory: pytest.TempPathFactory,
    db: Database,
    kind: tuple[bytes, str],
    tail: bytes,
    suffix: str,
) -> None:
    signature, what = kind
    path = tmp_path_factory.mktemp("kinds") / f"file{suffix}"
    path.write_bytes(signature + b"\xff" + tail)  # \xff: never UTF-8, whatever follows
    report = importing.import_paths(db, [path], "kinds")
    assert report.added == 0 and not report.bugs
    assert len(report.errors) == 1 and "\n" not in report.errors[0]
    assert what in report.errors[0], report.errors[0]


def test_a_real_gzip_of_a_good_jsonl_says_decompress(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_bytes(gzip.compress(b'{"id": "g1", "text": "Uma Reyes spoke first."}\n'))
    report = importing.import_paths(db, [path], "kinds")
    assert report.added == 0 and len(report.errors) == 1
    assert "gzip-compressed" in report.errors[0] and "decompress" in report.errors[0]


@given(text=st.text(max_size=50))
def test_text_is_never_taken_for_a_binary_kind_unless_it_starts_like_one(text: str) -> None:
    raw = text.encode("utf-8")
    found = binary_kind(raw)
    assert found is None or any(raw.startswith(sig) for sig, _ in _SIGNATURES)
