"""Issue 18, item 12 (import part): text in any encoding comes back as written, or is
refused with one line; never as NUL-interleaved text, never silently misread.

Plain text and HTML are decoded by their byte-order mark, else as UTF-8, else as told by
charset-normalizer (``desktop/formats/decoding.py``), and the import summary says what was
assumed. JSON and JSON Lines stay UTF-8 (UTF-16/32 with a BOM, as RFC 8259 allows).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats import FormatError
from desktop.formats.text import read_txt
from desktop.services import importing
from desktop.store import Database

SENTENCES = {
    "fr": "Le maire a déclaré mercredi que le budget serait voté « très bientôt », selon l’élu.",
    "de": "Der Bürgermeister sagte, er sei zufrieden. „Wir müssen handeln“, fügte er hinzu.",
    "es": "El presidente afirmó que la situación económica mejorará en el próximo año.",
    "en": "The minister said the report was “deeply flawed” — and costs would fall by 5%.",
    "ru": "Президент заявил журналистам, что переговоры будут продолжены на следующей неделе.",
    # with a letter windows-1252 lacks (ť): Czech text without one reads the same in
    # windows-1252 as far as charset-normalizer can tell, and is read (and said) as that
    "cz": "Ministr řekl, ať rozpočet bude schválen příští týden, uvedla agentura.",
    "el": "Ο πρωθυπουργός δήλωσε ότι οι διαπραγματεύσεις θα συνεχιστούν την επόμενη εβδομάδα.",
}
CASES = [
    ("fr", "cp1252", "windows-1252"),
    ("de", "cp1252", "windows-1252"),
    ("es", "latin-1", "windows-1252"),
    ("en", "cp1252", "windows-1252"),
    ("ru", "cp1251", "windows-1251"),
    ("ru", "koi8-r", "koi8-r"),
    ("cz", "cp1250", "windows-1250"),
    ("el", "cp1253", "windows-1253"),
    *[(lang, enc, enc) for lang in SENTENCES for enc in ("utf-16-le", "utf-16-be")],
]


def story(lang: str) -> str:
    return f"{SENTENCES[lang]}\n\n{SENTENCES[lang]}\n"


@pytest.mark.parametrize(("lang", "encoding", "said"), CASES)
def test_a_text_file_is_read_in_its_encoding_and_the_summary_says_so(
    tmp_path: Path, db: Database, lang: str, encoding: str, said: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(story(lang).encode(encoding))
    report = importing.import_paths(db, [path])
    assert (report.added, report.errors) == (1, [])
    assert report.notes == [f"story.txt: read as {said}"]
    assert read_txt(path).text == story(lang)


def test_utf8_and_bom_files_need_no_note(tmp_path: Path, db: Database) -> None:
    files = [story("fr").encode(), story("de").encode("utf-8-sig")]
    files += [story("ru").encode("utf-16"), story("el").encode("utf-32")]  # with BOMs
    for n, data in enumerate(files):
        (tmp_path / f"{n}.txt").write_bytes(data)
    report = importing.import_paths(db, [tmp_path])
    assert (report.added, report.errors, report.notes) == (4, [], [])


def test_an_html_page_in_windows_1252_is_read_and_said(tmp_path: Path, db: Database) -> None:
    body = " ".join([SENTENCES["fr"]] * 6)
    page = f"<html><head><title>Le budget</title></head><body><article><p>{body}</p>"
    page += f"<p>{body}</p></article></body></html>"
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    report = importing.import_paths(db, [tmp_path / "page.html"])
    assert (report.added, report.errors) == (1, [])
    assert report.notes == ["page.html: read as windows-1252"]


def test_json_lines_in_utf16_with_a_bom_are_read(tmp_path: Path, db: Database) -> None:
    lines = "".join(json.dumps({"id": f"r{i}", "text": story("ru")}) + "\n" for i in range(3))
    (tmp_path / "a.jsonl").write_bytes(lines.encode("utf-16"))
    (tmp_path / "b.json").write_bytes(
        json.dumps([{"data": {"text": story("el")}}], ensure_ascii=False).encode("utf-32")
    )
    report = importing.import_paths(db, [tmp_path])
    assert (report.added, report.errors) == (4, [])


@pytest.mark.parametrize(
    ("encoding", "says"),
    [
        ("utf-16-le", "NUL bytes, as UTF-16 or UTF-32 without a byte-order mark does"),
        ("cp1252", "not UTF-8 text, it looks like windows-1252 (save it as UTF-8)"),
    ],
)
def test_json_lines_in_another_encoding_get_a_clear_line(
    tmp_path: Path, db: Database, encoding: str, says: str
) -> None:
    record = json.dumps({"text": story("fr")}, ensure_ascii=False) + "\n"
    (tmp_path / "a.jsonl").write_bytes(record.encode(encoding))
    report = importing.import_paths(db, [tmp_path / "a.jsonl"])
    assert report.added == 0 and len(report.errors) == 1
    assert report.errors[0].startswith(f"{tmp_path / 'a.jsonl'}, line 1: ")
    assert says in report.errors[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [("blank.jsonl", b"\n\n  \n\r\n"), ("empty.jsonl", b""), ("none.json", b"[]")],
)
def test_a_file_without_records_says_so(
    tmp_path: Path, db: Database, name: str, content: bytes
) -> None:
    (tmp_path / name).write_bytes(content)
    report = importing.import_paths(db, [tmp_path / name])
    assert report.added == 0
    assert report.errors == [f"{tmp_path / name}: no records in {name}"]


# --- the class: any text in any of these encodings --------------------------------------

ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "\r\n", " - ", "? ", "\t"]


def any_text(encoding: str) -> st.SearchStrategy[str]:
    """Random characters the encoding can hold (control characters apart: no encoding
    tells Latin-1's C1 controls from windows-1252's letters)."""
    codec = encoding if encoding in ("latin-1", "cp1252") else None
    chars = st.characters(codec=codec, exclude_categories=["Cc", "Cs"])
    return st.text(chars | st.sampled_from(" \t\n\r"), min_size=1, max_size=300)


def prose(encoding: str) -> st.SearchStrategy[str]:
    """Random words of letters and digits, with spaces, punctuation and line ends."""
    codec = encoding if encoding in ("latin-1", "cp1252") else None
    word = st.text(st.characters(codec=codec, categories=["L", "N"]), min_size=1, max_size=10)
    pair = st.tuples(word, st.sampled_from(SEPARATORS))
    return st.lists(pair, min_size=1, max_size=60).map(lambda ws: "".join(w + s for w, s in ws))


encoded = st.sampled_from(ENCODINGS).flatmap(
    lambda e: st.tuples(st.just(e), st.one_of(any_text(e), prose(e)))
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=encoded)
def test_any_text_comes_back_as_written_or_is_refused(
    tmp_path: Path, case: tuple[str, str]
) -> None:
    encoding, text = case
    raw = text.encode(encoding)
    try:  # bytes that are UTF-8 too are read as UTF-8: no detector can tell them apart
        as_utf8: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    utf8_is_text = as_utf8 is not None and not any(c < " " and c not in "\t\n\r" for c in as_utf8)
    expected = as_utf8 if utf8_is_text else text
    path = tmp_path / "any.txt"
    path.write_bytes(raw)
    try:
        article = read_txt(path)
    except FormatError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    assert "\x00" not in article.text or "\x00" in text, "NUL-interleaved text"
    assert article.text == expected, (encoding, article.meta.get("encoding"))
