"""brat ``.json`` sidecars are bounded by their text (issue 18, item 11): a 194 KB zip of
sidecars unpacking to 200 MiB took 27 s and 1.7 GB to import and made a 300 MB database.

A sidecar may hold what its article's names, meta and sources need: at most
``flat.info_limit`` bytes for its text and spans, checked on the size the zip declares
before anything is inflated, and on the bytes themselves in case the declaration lies. Every
importer holds an article to the same budget, so every export's sidecar fits (the property
test in ``test_export_import_back.py``).
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Entity, Source
from desktop.domain.names import check_meta
from desktop.formats import FormatError
from desktop.formats.brat import read_brat, sidecar, write_brat
from desktop.formats.checks import info_bound, info_problem
from desktop.formats.flat import flatten, info_json, info_limit
from desktop.services import importing
from desktop.store import Database
from desktop.store import repository as repo
from tests.reliability.roundtrip import articles

TEXT = "Alice Smith met Bob in New York."
ANN = "T1\tPERSON 0 11\tAlice Smith\n"


def brat_zip(sidecar: bytes, text: str = TEXT, ann: str = ANN) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", text)
        zf.writestr("a.ann", ann)
        zf.writestr("a.json", sidecar)
    return buffer.getvalue()


def padded_sidecar(size: int) -> bytes:
    """A valid sidecar of ``size`` bytes: a title and a long run of JSON whitespace."""
    head = json.dumps({"title": "A title"}).encode()
    return head[:-1] + b" " * max(0, size - len(head)) + b"}"


def stored(db: Database) -> int:
    with db.session() as s:
        return len(repo.article_ids(s))


def test_a_sidecar_far_larger_than_its_text_is_refused_before_it_is_unpacked(
    tmp_path: Path, db: Database
) -> None:
    limit = info_limit(len(TEXT.encode()), 1)
    path = tmp_path / "bomb.zip"
    path.write_bytes(brat_zip(padded_sidecar(64 * 2**20)))  # 64 MiB of it, a few KiB zipped
    assert path.stat().st_size < 200_000
    report = importing.import_paths(db, [path], "bombs")
    assert report.added == 0 and stored(db) == 0
    (message,) = report.errors
    assert "a.json is too large" in message and f"at most {limit:,}" in message


def test_a_sidecar_within_its_budget_is_read(tmp_path: Path) -> None:
    limit = info_limit(len(TEXT.encode()), 1)
    path = tmp_path / "fits.zip"
    path.write_bytes(brat_zip(padded_sidecar(limit)))
    (article,) = read_brat(path)
    assert article.title == "A title"
    path.write_bytes(brat_zip(padded_sidecar(limit + 1)))
    with pytest.raises(FormatError, match="a.json is too large"):
        list(read_brat(path))


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s declared uncompressed size replaced by ``size``."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[at + offset : at + offset + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 4)
    return bytes(out)


def test_a_sidecar_that_lies_about_its_size_is_refused_unread(tmp_path: Path) -> None:
    # zipfile reads no more than the declared size, then finds the CRC wrong
    path = tmp_path / "liar.zip"
    path.write_bytes(lie_about_size(brat_zip(padded_sidecar(8 * 2**20)), "a.json", 100))
    with pytest.raises(FormatError, match="a.json cannot be unpacked") as err:
        list(read_brat(path))
    assert "\n" not in str(err.value)


def test_every_importer_holds_an_article_to_the_sidecar_budget(tmp_path: Path) -> None:
    # what JSONL could once bring in and then not get back out through brat
    many = [Source(f"s{n}", "N" * 1_000, "PERSON", "d" * 2_000) for n in range(200)]
    article = Article("big", TEXT, sources=many)
    assert info_problem(article) is not None
    path = tmp_path / "big.jsonl"
    record = {
        "id": "big",
        "text": TEXT,
        "sources": [{"id": s.key, "name": s.name, "description": s.description} for s in many],
    }
    path.write_text(json.dumps(record) + "\n")
    from desktop.formats.jsonl import read_jsonl

    with pytest.raises(FormatError, match="besides its text"):
        list(read_jsonl(path))
    # and one that fits goes out through brat and back in unchanged
    small = Article("small", TEXT, sources=many[:5])
    assert info_problem(small) is None
    buffer = io.BytesIO()
    write_brat(iter([small]), buffer)
    (tmp_path / "small.zip").write_bytes(buffer.getvalue())
    (back,) = read_brat(tmp_path / "small.zip")
    assert back.sources == small.sources


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(article=articles(), meta=st.dictionaries(st.text(max_size=4), json_values, max_size=4))
def test_the_quick_bound_is_never_below_the_sidecar(
    article: Article, meta: dict[str, object]
) -> None:
    """The import skips building the sidecar when ``info_bound`` fits: it must never be
    less than the sidecar's real size."""
    article.meta = meta
    try:
        check_meta(meta)
    except ValueError:
        return
    flat = flatten(article)
    real = len(info_json(sidecar(article.text, flat)).encode("utf-8", "surrogatepass"))
    bound, spans = info_bound(article)
    assert spans == len(flat.marks) + len(flat.links)
    assert real <= bound


def test_the_quick_bound_holds_for_many_labels_brat_cannot_spell() -> None:
    label = "\U00020000" * 50  # a CJK letter of four bytes, fifty times: the longest
    entities = [Entity(0, 5, label[: 50 - n % 50] + str(n), "Alice") for n in range(200)]
    entities = [e for e in entities if len(e.label) <= 50]
    article = Article("a", TEXT, entities=entities)
    real = len(info_json(sidecar(article.text, flatten(article))).encode("utf-8"))
    assert real <= info_bound(article)[0]


def test_the_quick_bound_holds_for_the_deepest_meta() -> None:
    """Small values nested as deep as ``check_meta`` allows: indenting adds the most there."""
    for leaf in (0, [], {}, "", [0, 0, 0]):
        value: object = leaf
        deepest = None
        for depth in range(40):
            value = [value, 0] if depth % 2 else {"k": value, "": 0}
            try:
                check_meta({"m": value})
            except ValueError:
                break
            deepest = value
        assert deepest is not None
        article = Article("a", TEXT, meta={"m": deepest})
        real = len(info_json(sidecar(article.text, flatten(article))).encode("utf-8"))
        assert real <= info_bound(article)[0]
