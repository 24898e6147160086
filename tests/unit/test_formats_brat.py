"""brat zip: safe names on the way out, hostile zips refused on the way in."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from desktop.formats import FormatError, brat
from desktop.formats.brat import read_brat, safe_name, write_brat
from desktop.services import importing
from desktop.store import Database
from tests.unit.test_formats_common import sample_articles


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return path


def test_safe_names_are_plain_and_unique() -> None:
    taken: set[str] = set()
    names = [safe_name(x, taken) for x in ["../../etc/passwd", "a b", "A_B", "", "C:\\x"]]
    assert names == ["etc_passwd", "a_b", "A_B-2", "article", "C_x"]
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name


def test_zip_entries_and_ann_lines(tmp_path: Path) -> None:
    buf = io.BytesIO()
    assert write_brat(iter(sample_articles()), buf) == 2
    zf = zipfile.ZipFile(buf)
    names = zf.namelist()
    assert names[:3] == ["art_1.txt", "art_1.ann", "art_1.json"]
    assert "annotation.conf" in names
    ann = zf.read("art_1.ann").decode()
    assert "T9\tDIRECT_QUOTE 25 47\tTalks are 🚀 advancing,\n" in ann
    assert "R2\tspeaker Arg1:T11 Arg2:T9\n" in ann


def test_span_across_a_line_break_becomes_fragments(tmp_path: Path) -> None:
    from desktop.domain import Article, Entity

    article = Article("x", "Visit New\nYork.", entities=[Entity(6, 14, "GPE", "New\nYork")])
    buf = io.BytesIO()
    write_brat(iter([article]), buf)
    ann = zipfile.ZipFile(buf).read("x.ann").decode()
    assert ann == "T1\tGPE 6 9;10 14\tNew York\n"
    path = tmp_path / "x.zip"
    path.write_bytes(buf.getvalue())
    (back,) = read_brat(path)
    assert [(e.start, e.end) for e in back.entities] == [(6, 14)]


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/abs/evil.txt", "a/../../evil.txt", "C:/evil.txt", "a\\..\\e.txt"]
)
def test_path_traversal_is_refused(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "evil.zip", {"ok.txt": "Fine text.", name: "Evil text."})
    with pytest.raises(FormatError, match="unsafe member name"):
        list(read_brat(path))


def test_zip_bomb_and_member_count_are_refused(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "bomb.zip"
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "x" * 3_000_000)  # compresses to a few KiB
    monkeypatch.setattr(brat, "MAX_UNCOMPRESSED", 1_000_000)
    with pytest.raises(FormatError, match="unpacks to more than"):
        list(read_brat(big))
    many = _zip(tmp_path / "many.zip", {f"{i}.txt": "Text." for i in range(5)})
    monkeypatch.setattr(brat, "MAX_MEMBERS", 4)
    with pytest.raises(FormatError, match="more than 4 files"):
        list(read_brat(many))


@pytest.mark.parametrize(
    "members,message",
    [
        ({"a.txt": "Some text.", "a.ann": "T1\tPER 0 x\tSome"}, "line 1 is not a valid brat"),
        ({"a.txt": "Some text.", "a.ann": "T1\tPER 0 99\tSome"}, "outside the text"),
        ({"a.txt": "Some text.", "a.ann": "R1\tspeaker Arg1:T1 Arg2:T2"}, "does not exist"),
        ({"a.ann": "T1\tPER 0 4\tSome"}, "a.ann has no a.txt"),
        ({"a.txt": "Some text.", "a.json": "{not json"}, "article a"),
    ],
)
def test_malformed_brat_names_the_article(tmp_path: Path, members: dict, message: str) -> None:
    path = _zip(tmp_path / "bad.zip", members)
    with pytest.raises(FormatError, match=message) as err:
        list(read_brat(path))
    assert "bad.zip" in str(err.value)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_text("plain", encoding="utf-8")
    with pytest.raises(FormatError, match="not a readable zip"):
        list(read_brat(path))


def test_plain_brat_collection_imports(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "plain.zip",
        {
            "docs/one.txt": "Ann Lee said it was fine.",
            "docs/one.ann": "T1\tPERSON 0 7\tAnn Lee\n#1\tAnnotatorNotes T1\tnote\n",
        },
    )
    (article,) = read_brat(path)
    assert article.external_id == "one"
    assert [(e.label, e.text, str(e.origin)) for e in article.entities] == [
        ("PERSON", "Ann Lee", "human")
    ]


def test_bad_member_means_nothing_is_imported(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "half.zip",
        {"a.txt": "Good text.", "b.txt": "More text.", "b.ann": "T1\tX 0 999\tMore"},
    )
    db = Database.open(tmp_path / "db.sqlite3")
    try:
        report = importing.import_paths(db, [path])
        assert report.added == 0
        assert len(report.errors) == 1 and "half.zip" in report.errors[0]
    finally:
        db.close()


def test_labels_brat_cannot_name_travel_as_ascii_types(tmp_path: Path) -> None:
    """brat keeps only [A-Za-z0-9_-] of a type's name: "人名" and "地名" would both be "__".
    They go out as distinct ASCII types, the sidecar gives the labels back, visual.conf shows
    them in brat."""
    from desktop.domain import Article, Entity, Origin

    text = "Lin Wei moved to Ürümqi."
    article = Article("u", text)
    article.entities = [
        Entity(0, 7, "人名", "Lin Wei", Origin.HUMAN),
        Entity(17, 23, "地名", "Ürümqi", Origin.MODEL),
        Entity(17, 23, "Ärzte", "Ürümqi", Origin.MODEL),
    ]
    path = tmp_path / "u.zip"
    with path.open("wb") as fh:
        write_brat(iter([article]), fh)
    with zipfile.ZipFile(path) as zf:
        types = [
            line.split("\t")[1].split(" ")[0] for line in zf.read("u.ann").decode().splitlines()
        ]
        visual = zf.read("visual.conf").decode()
    assert len(set(types)) == 3 and all(t.isascii() for t in types)
    assert all(f"{t} | " in visual for t in types) and "人名" in visual
    (back,) = read_brat(path)
    assert [(e.label, e.text, e.origin) for e in back.entities] == [
        (e.label, e.text, e.origin) for e in article.entities
    ]


def test_a_legacy_label_never_becomes_a_reserved_brat_type() -> None:
    """A label stored before names were checked ('DIRECT,QUOTE', 'CUE!') was made
    'DIRECT_QUOTE' / 'CUE' in brat, and came back as a quote or a cue."""
    from desktop.formats.brat import _type
    from desktop.formats.flat import RESERVED

    for label in ("DIRECT,QUOTE", "MIXED QUOTE", "CUE!", "SOURCE ", "SPEAKER?"):
        typed = _type(label)
        assert typed not in RESERVED, (label, typed)
    assert _type("A,B") == "A_B"  # no collision: kept as before
