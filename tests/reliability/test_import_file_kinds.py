"""Issue 18, item 9: any file kind at import (real FIFOs, links, devices, sparse files).

Only regular files are read; a link out of the imported folder is refused unless it was
named directly; loops and pipes never hang; each refusal is one line and the other files
still import. The property test builds folders of random mixtures of every kind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.formats import FormatError
from desktop.formats.errors import MAX_FILE_BYTES
from desktop.formats.files import open_regular, read_capped
from desktop.services import importing
from desktop.store import Database
from desktop.store.models import ArticleRow
from tests.reliability.fuzzkit import time_limit

LIMIT_S = 20
OUTSIDE = "OUTSIDE-THE-FOLDER"


def stored_texts(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(ArticleRow.text)))


def run_import(db: Database, *paths: Path) -> importing.ImportReport:
    with time_limit(LIMIT_S):
        report = importing.import_paths(db, list(paths))
    assert not report.bugs, report.bugs
    for line in report.errors:
        assert "\n" not in line and "Traceback" not in line, line
    return report


def good_text(n: int) -> str:
    return f"Article {n} is a good one.\nIt says something new about item {n}.\n"


# --- the cases of the tryout -------------------------------------------------------------


def test_a_fifo_is_refused_at_once_and_the_folder_goes_on(tmp_path: Path, db: Database) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "good.txt").write_text(good_text(1), encoding="utf-8")
    report = run_import(db, folder)
    assert report.added == 1
    assert report.errors == [
        f"{folder / 'pipe.txt'}: a named pipe (FIFO), not a regular file: only files are imported"
    ]


def test_a_fifo_named_directly_does_not_hang(tmp_path: Path, db: Database) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    report = run_import(db, tmp_path / "pipe.jsonl")
    assert report.added == 0 and len(report.errors) == 1 and "named pipe" in report.errors[0]


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/zero"])
def test_a_link_to_a_device_is_refused(tmp_path: Path, db: Database, device: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").symlink_to(device)
    (folder / "good.txt").write_text(good_text(2), encoding="utf-8")
    report = run_import(db, folder)
    assert report.added == 1
    assert len(report.errors) == 1 and "outside the folder" in report.errors[0]
    # named directly, the link is followed, and the device refused as not a regular file
    report = run_import(db, folder / "story.txt")
    assert report.added == 0 and "a device, not a regular file" in report.errors[0]


def test_a_link_out_of_the_folder_is_refused_unless_named(tmp_path: Path, db: Database) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(f"{OUTSIDE}\nnot for import\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    report = run_import(db, folder)
    assert report.added == 0 and len(report.errors) == 2
    assert all("outside the folder: not followed" in e for e in report.errors)
    assert not any(OUTSIDE in t for t in stored_texts(db))
    report = run_import(db, folder / "story.txt")  # the user named it: followed
    assert report.added == 1 and any(OUTSIDE in t for t in stored_texts(db))


def test_links_inside_the_folder_are_followed_once(tmp_path: Path, db: Database) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "real.txt").write_text(good_text(3), encoding="utf-8")
    (folder / "alias.txt").symlink_to("sub/real.txt")
    (folder / "again").symlink_to("sub")  # a link to a folder inside: not walked twice
    (folder / "self").symlink_to(".")  # a loop through a folder link
    report = run_import(db, folder)
    assert (report.added, report.skipped, report.errors) == (1, 0, [])


def test_dangling_links_and_loops_are_one_line_each(tmp_path: Path, db: Database) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gone.txt").symlink_to("nothing-here.txt")
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "good.txt").write_text(good_text(4), encoding="utf-8")
    report = run_import(db, folder)
    assert report.added == 1
    assert sorted(report.errors) == sorted(
        [
            f"{folder / 'a.txt'}: a loop of symbolic links: not followed",
            f"{folder / 'b.txt'}: a loop of symbolic links: not followed",
            f"{folder / 'gone.txt'}: a symbolic link to nothing (its target does not exist)",
        ]
    )


def test_a_folder_named_like_a_file_is_walked(tmp_path: Path, db: Database) -> None:
    folder = tmp_path / "in"
    (folder / "looks-like.txt").mkdir(parents=True)
    (folder / "looks-like.txt" / "inner.txt").write_text(good_text(5), encoding="utf-8")
    assert run_import(db, folder).added == 1


def test_a_file_swapped_for_a_fifo_or_a_link_after_the_scan_is_refused(tmp_path: Path) -> None:
    """open_regular decides on the open descriptor (fstat), not on an earlier stat."""
    os.mkfifo(tmp_path / "pipe.txt")
    with time_limit(5), pytest.raises(FormatError, match="named pipe"):
        open_regular(tmp_path / "pipe.txt")
    (tmp_path / "target.txt").write_text("x", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    with pytest.raises(FormatError, match="symbolic link where a regular file"):
        open_regular(tmp_path / "link.txt")
    with pytest.raises(FormatError, match="a device"):
        open_regular(Path("/dev/zero"))


def test_reading_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    assert read_capped(path, 5000) == b"x" * 5000
    with pytest.raises(FormatError, match="larger than"):
        read_capped(path, 4999)


def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    """Root reads any file: as root, the import runs without the capabilities that let it
    (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.txt").write_text(good_text(6), encoding="utf-8")
    (folder / "open.txt").write_text(good_text(7), encoding="utf-8")
    os.chmod(folder / "locked.txt", 0)
    cmd = [sys.executable, "-m", "desktop", "--db", str(tmp_path / "db.sqlite3")]
    cmd += ["import", str(folder)]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:  # pragma: no cover - util-linux is on every Debian
            pytest.skip("running as root without setpriv: no file is unreadable to root")
        cmd = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *cmd]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert "imported 1 article(s)" in done.stdout, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("quotedesk:")]
    assert errors == [
        f"quotedesk: {folder / 'locked.txt'}: cannot read the file (Permission denied)"
    ], done.stderr
    assert "Traceback" not in done.stderr


# --- the class: any mixture of kinds -----------------------------------------------------

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
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-32"]
SUFFIXES = [".txt", ".jsonl", ".json", ".html", ".conll", ".zip", ".spacy"]


def build(folder: Path, outside: Path, plan: list[tuple[str, str, bytes, str]]) -> set[str]:
    """Make the entries of ``plan``; return the texts that must be imported."""
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
            path = path.with_suffix(".txt")
            path.symlink_to(real.name)
        elif kind == "link-outside":
            target = outside / f"o{n}.txt"
            target.write_text(f"{OUTSIDE} {n}\nsecret line\n", encoding="utf-8")
            path.symlink_to(target)
        elif kind == "dangling":
            path.symlink_to(folder / f"missing{n}")
        elif kind == "loop":
            path.symlink_to(path.name + ".other")
            Path(str(path) + ".other").symlink_to(path.name)
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


entries = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(SUFFIXES),
    st.binary(max_size=200),
    st.sampled_from(ENCODINGS),
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=st.lists(entries, min_size=1, max_size=12))
def test_any_mixture_of_file_kinds(plan: list[tuple[str, str, bytes, str]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="quotedesk-kinds-"))
    try:
        folder, outside = root / "in", root / "outside"
        folder.mkdir()
        outside.mkdir()
        must = build(folder, outside, plan)
        db = Database.open(root / "db.sqlite3")
        try:
            report = run_import(db, folder)
            texts = stored_texts(db)
        finally:
            db.close()
        assert must <= set(texts), "a good file was not imported"
        assert not any(OUTSIDE in t for t in texts), "a file outside the folder was imported"
        assert not any(t.count("\x00") * 10 > len(t) for t in texts), "NUL-interleaved text"
        names = {p.name for p in folder.iterdir()}
        for line in report.errors:
            named = line.split(":", 1)[0].split(", line")[0]
            assert Path(named).name in names or Path(named).parent.name in names, line
        refused = {Path(line.split(":", 1)[0].split(", line")[0]).name for line in report.errors}
        for n, (kind, suffix, _, _) in enumerate(plan):
            if kind in ("fifo", "link-outside", "dangling", "loop", "device-link", "huge"):
                assert f"e{n}{suffix}" in refused, (kind, report.errors)
    finally:
        shutil.rmtree(root, ignore_errors=True)
