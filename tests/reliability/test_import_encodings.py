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

from desktop.formats.text import read_txt
from desktop.services import importing
from desktop.store import Database
from tests.reliability import hostilekit

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
    assert report.summary().endswith(f"; 1 in a guessed encoding (story.txt: read as {said})")
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


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=hostilekit.encoded_texts)
def test_any_text_comes_back_as_written_or_is_refused(
    tmp_path: Path, case: tuple[str, str]
) -> None:
    """Random text and random prose in UTF-8, UTF-16 LE/BE without BOM, Latin-1 and cp1252:
    see ``hostilekit.check_encoding``."""
    hostilekit.check_encoding(tmp_path, *case)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=hostilekit.line_end_texts, as_jsonl=st.booleans())
def test_text_with_any_line_ends_is_stored_as_written(
    tmp_path: Path, db: Database, text: str, as_jsonl: bool
) -> None:
    """\\n, \\r\\n, a lone \\r, U+2028, U+2029 and NEL, mixed: the store keeps them all."""
    hostilekit.check_line_ends(db, tmp_path, text, as_jsonl)
