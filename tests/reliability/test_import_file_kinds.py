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
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from desktop.formats import FormatError
from desktop.formats.files import open_regular, read_capped
from desktop.services import importing
from desktop.store import Database
from tests.reliability import hostilekit
from tests.reliability.fuzzkit import time_limit

OUTSIDE = hostilekit.OUTSIDE
good_text = hostilekit.good_text
stored_texts = hostilekit.texts_of


def run_import(db: Database, *paths: Path) -> importing.ImportReport:
    return hostilekit.run_import(db, list(paths))  # type: ignore[no-any-return]


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
    (folder / "closed").mkdir()
    (folder / "closed" / "hidden.txt").write_text(good_text(8), encoding="utf-8")
    os.chmod(folder / "locked.txt", 0)
    os.chmod(folder / "closed", 0)
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
        f"quotedesk: {folder / 'closed'}: cannot read the folder (Permission denied)",
        f"quotedesk: {folder / 'locked.txt'}: cannot read the file (Permission denied)",
    ], done.stderr
    assert "Traceback" not in done.stderr


# --- the class: any mixture of kinds -----------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=hostilekit.folder_plans)
def test_any_mixture_of_file_kinds(plan: list[hostilekit.Entry]) -> None:
    """FIFOs, links in and out, dangling links, loops, folders named like files, device
    links, sparse files over the cap and random bytes in random encodings, side by side:
    see ``hostilekit.check_folder`` for what must hold."""
    hostilekit.check_folder(plan)


def test_the_tryout_folder_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tryout's folder as the command line sees it: one line per refusal on stderr,
    exit status 1, the good files imported, no traceback, and it returns (no hang)."""
    from desktop import cli

    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "story.txt").symlink_to("/etc/passwd")
    (folder / "noise.txt").symlink_to("/dev/urandom")
    (folder / "good.txt").write_text(good_text(9), encoding="utf-8")
    with time_limit(60):
        status = cli.main(["--db", str(tmp_path / "db.sqlite3"), "import", str(folder)])
    out, err = capsys.readouterr()
    assert status == 1 and "imported 1 article(s)" in out
    assert err.splitlines() == [
        f"quotedesk: {folder / 'noise.txt'}: a link to /dev/urandom, outside the folder: not "
        "followed (name it on its own to import it)",
        f"quotedesk: {folder / 'pipe.txt'}: a named pipe (FIFO), not a regular file: only files "
        "are imported",
        f"quotedesk: {folder / 'story.txt'}: a link to /etc/passwd, outside the folder: not "
        "followed (name it on its own to import it)",
    ]
