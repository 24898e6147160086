import io
import json
from pathlib import Path

import pytest

from desktop.domain import Origin, QuoteKind
from desktop.formats import FormatError, expand, reader_for
from desktop.formats.html import read_html
from desktop.formats.jsonl import article_record, read_jsonl, write_jsonl
from desktop.formats.text import guess_title, read_txt

RECORD = {
    "id": "r1",
    "title": "Talks 😀",
    "text": '😀 Ann Lee said: "We will win." Then she left.',
    "meta": {"url": "https://example.org/a"},
    "status": "in_review",
    "entities": [{"start": 2, "end": 9, "label": "PERSON", "text": "Ann Lee"}],
    "sources": [
        {
            "id": "s1",
            "name": "Ann Lee",
            "type": "PERSON",
            "description": "mayor",
            "mentions": [{"start": 2, "end": 9, "text": "Ann Lee"}],
        }
    ],
    "quotes": [
        {
            "start": 17,
            "end": 29,
            "text": "We will win.",
            "kind": "direct",
            "cue": {"start": 10, "end": 14, "text": "said"},
            "speaker": {"start": 2, "end": 9, "text": "Ann Lee"},
            "source": {"id": "s1", "name": "Ann Lee"},
            "origin": "model",
        }
    ],
}


def write(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_txt_keeps_text_and_guesses_title(tmp_path: Path) -> None:
    body = "Mayor wins vote\n\nThe mayor won.\r\nShe said so.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(body.encode("utf-8"))
    article = read_txt(path)
    assert article.text == body
    assert article.title == "Mayor wins vote"


@pytest.mark.parametrize(
    "text,title",
    [
        ("A headline\nBody.", "A headline"),
        ("A whole sentence that ends.\nMore.", ""),
        ("Only one line", ""),
        ("x" * 200 + "\nbody", ""),
    ],
)
def test_guess_title(text: str, title: str) -> None:
    assert guess_title(text) == title


def test_txt_in_latin1_is_read_and_says_so(tmp_path: Path) -> None:
    # issue 18: Latin-1 was refused; its encoding is now told by charset-normalizer
    path = tmp_path / "latin1.txt"
    text = "Le caf\xe9\nUn caf\xe9 au lait co\xfbte deux euros \xe0 la gare.\n"
    path.write_bytes(text.encode("latin-1"))
    article = read_txt(path)
    assert article.text == text
    assert article.meta["encoding"] == "windows-1252"


def test_txt_empty_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="empty"):
        read_txt(write(tmp_path / "e.txt", "   "))


def test_html_extracts_body_without_scripts(tmp_path: Path) -> None:
    para = "The council voted on Tuesday to approve the new budget for schools. " * 4
    html = f"""<html><head><title>Budget approved</title>
    <script>document.write('EVIL SCRIPT TEXT')</script></head>
    <body><nav>Home | News | Sport</nav><article><h1>Budget approved</h1>
    <p>{para}</p><p>"It is a good day," the mayor said.</p></article>
    <footer>Copyright footer</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = read_html(path)
    assert "approve the new budget" in article.text
    assert "EVIL SCRIPT" not in article.text
    assert article.title == "Budget approved"


def test_html_without_article_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(FormatError, match="no article text"):
        read_html(path)


def test_jsonl_round_trip_is_identical(tmp_path: Path) -> None:
    path = write(tmp_path / "in.jsonl", json.dumps(RECORD, ensure_ascii=False))
    (article,) = read_jsonl(path)
    assert article.entities[0].origin == Origin.HUMAN  # default origin for imported files
    assert article.quotes[0].origin == Origin.MODEL
    assert article.quotes[0].kind == QuoteKind.DIRECT
    out = io.StringIO()
    write_jsonl(iter([article]), out)
    again = write(tmp_path / "again.jsonl", out.getvalue().strip())
    out2 = io.StringIO()
    write_jsonl(read_jsonl(again), out2)
    assert out.getvalue() == out2.getvalue()
    assert json.loads(out.getvalue())["quotes"][0]["source"] == {"id": "s1", "name": "Ann Lee"}


def test_jsonl_record_without_id_gets_a_stable_one() -> None:
    from desktop.formats.jsonl import article_from_record

    a = article_from_record({"text": "Some text."})
    b = article_from_record({"text": "Some text."})
    assert a.external_id == b.external_id
    assert article_record(a)["id"] == a.external_id


@pytest.mark.parametrize(
    "line,message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"title": "no text"}', '"text" is missing'),
        ('{"text": "abc", "entities": [{"start": 2, "end": 9, "label": "X"}]}', "outside the text"),
        ('{"text": "abc", "entities": [{"start": 2, "end": 1, "label": "X"}]}', "outside the text"),
        (
            '{"text": "abc", "entities": [{"start": 0, "end": 1, "label": "X", "text": "b"}]}',
            "code points",
        ),
        (
            '{"text": "abc", "quotes": [{"start": 0, "end": 1, "source": {"id": "s9"}}]}',
            'not in "sources"',
        ),
        ('{"text": "abc", "status": "done"}', "status"),
        ('{"text": "abc", "meta": [1]}', '"meta" has the wrong type'),
        ("[" * 100000 + "]" * 100000, "not valid JSON"),
    ],
)
def test_jsonl_errors_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path / "bad.jsonl", json.dumps({"text": "fine"}), "", line)
    with pytest.raises(FormatError) as err:
        list(read_jsonl(path))
    assert err.value.line == 3
    assert "bad.jsonl, line 3" in str(err.value)
    assert message in str(err.value)


def test_reader_for_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="unknown file type"):
        reader_for(tmp_path / "x.docx")


def test_expand_folders_and_missing_paths(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "x")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.jsonl", "{}")
    write(tmp_path / "skip.docx", "x")
    assert [p.name for p in expand([tmp_path])] == ["b.txt", "a.jsonl"]
    with pytest.raises(FormatError, match="no such file"):
        expand([tmp_path / "missing.txt"])
