"""Issue 18, item 8: whatever goes wrong in an importer is one line for that file, and the
folder goes on. A missing library (lxml's HTML cleaner, which moved to the separate
``lxml_html_clean``) was a traceback that stopped the whole import.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from desktop.formats.registry import READERS
from desktop.services import importing
from desktop.services.reading import check_file, reread
from desktop.store import Database

REPO = Path(__file__).resolve().parents[2]
PARAGRAPH = "The council voted on Tuesday to approve the new budget for the city schools. " * 5


def page(n: int) -> str:
    body = f"<p>{PARAGRAPH} Page {n}.</p><p>{PARAGRAPH}</p>"
    return f"<html><head><title>Budget {n}</title></head><body><article>{body}</article></html>"


def folder_of_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(page(1), encoding="utf-8")
    (folder / "b.txt").write_text("A plain article.\nIt has two lines.\n", encoding="utf-8")
    (folder / "c.html").write_text(page(2), encoding="utf-8")
    return folder


def test_the_html_cleaner_is_declared_and_installed() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("lxml_html_clean") for d in project["project"]["dependencies"])
    importlib.import_module("lxml_html_clean")  # the installation has it
    importlib.import_module("lxml.html.clean")  # and lxml finds it


def test_html_imports_with_the_real_extractor(tmp_path: Path, db: Database) -> None:
    report = importing.import_paths(db, [folder_of_pages(tmp_path)])
    assert (report.added, report.errors) == (3, [])


def test_a_missing_library_is_one_line_per_file_and_the_folder_goes_on(tmp_path: Path) -> None:
    """A Python where ``lxml_html_clean`` cannot be imported (``sys.modules[name] = None``
    is how Python itself marks a module as not importable)."""
    folder = folder_of_pages(tmp_path)
    code = (
        "import sys; sys.modules['lxml_html_clean'] = None; "
        "from desktop.cli import main; "
        f"sys.exit(main(['--db', {str(tmp_path / 'db.sqlite3')!r}, 'import', {str(folder)!r}]))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "imported 1 article(s)" in done.stdout, (done.stdout, done.stderr)
    hint = "cannot read HTML: the library lxml_html_clean is not installed (install it with: "
    hint += "pip install lxml-html-clean)"
    lines = [line for line in done.stderr.splitlines() if line.startswith("quotedesk:")]
    assert lines == [
        f"quotedesk: {folder / 'a.html'}: {hint}",
        f"quotedesk: {folder / 'c.html'}: {hint}",
    ], done.stderr


@pytest.mark.parametrize(
    ("error", "says", "bug"),
    [
        (RuntimeError("the extractor broke"), "RuntimeError: the extractor broke", True),
        (MemoryError(), "there is not enough memory to read this file", False),
        (RecursionError("too deep"), "nested too deeply to be read", False),
        (ImportError("No module named 'x'", name="x"), "the library x is not installed", False),
        (OSError(5, "Input/output error"), "cannot read the file (Input/output error)", False),
    ],
)
def test_any_failure_inside_a_reader_is_one_line_for_that_file(
    tmp_path: Path,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    says: str,
    bug: bool,
) -> None:
    """Fault injection: the HTML extractor raises (a bug in a library, memory running out,
    a disk error); the text file beside the pages still imports."""
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    folder = folder_of_pages(tmp_path)
    report = importing.import_paths(db, [folder])
    assert report.added == 1
    assert len(report.errors) == 2 and all(says in e and "\n" not in e for e in report.errors)
    assert [e.split(":")[0] for e in report.errors] == [
        str(folder / "a.html"),
        str(folder / "c.html"),
    ]
    assert len(report.bugs) == (2 if bug else 0)


def test_a_file_that_breaks_between_its_check_and_its_writing(tmp_path: Path) -> None:
    """The file is read twice (checked whole, then written record by record); when it no
    longer reads the second time, the articles stop with one line."""
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "one article here"}\n{"text": "two articles here"}\n')
    read = READERS[".jsonl"]
    assert check_file(path, read).count == 2
    path.write_text('{"text": "one article here"}\n{"text": \n')
    errors: list[str] = []
    kept = [a.text for a in reread(path, read, errors)]
    assert kept == ["one article here"]
    assert errors == [
        f"{path}, line 2: not valid JSON (Expecting value) (it changed while it was imported: "
        "1 article(s) kept)"
    ]
