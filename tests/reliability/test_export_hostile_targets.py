"""Paths at ``-o`` the first tryout did not list: where the kernel says, and never a database.

- ``link/../out.jsonl`` is beside the link's target, as the shell's ``>`` writes it (the path
  was normalised by its letters, so the export landed beside the link), and
  ``missing/../out.jsonl`` has no folder (it was written into the working folder).
- A SQLite file at ``-o`` (another database, a backup in ``*.backups``, a link to one) was
  replaced by the export: the one good backup became a JSONL file. It is refused, untouched.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.services import exporting
from desktop.services.export_target import ExportError
from desktop.store import Database
from tests.reliability.exportkit import make_db, part_files


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database.open(make_db(tmp_path_factory.mktemp("db")))
    yield database
    database.close()


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: a link's target, a file's bytes, a folder as ``dir``."""
    out: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(folder) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = p.read_bytes()
    return out


# a path is a few steps from the working folder: a real folder, a link to one, a missing
# name, or "..", then the export's file name
STEPS = st.lists(st.sampled_from(["a", "b", "la", "lb", "missing", ".."]), max_size=4)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_the_export_lands_where_the_kernel_resolves_the_path(
    db: Database, steps: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(os.path.realpath(tmp))
        play = root / "r" / "s" / "t" / "u"  # four ".." from a/deep stay inside root
        (play / "a" / "deep").mkdir(parents=True)
        (play / "b").mkdir()
        (play / "la").symlink_to(play / "a" / "deep")  # its ".." is a, not play
        (play / "lb").symlink_to("b")
        start = play / "a" / "deep"
        given_path = os.path.join(*steps, "out.jsonl") if steps else "out.jsonl"
        before = tree(root)
        old = os.getcwd()
        os.chdir(start)
        try:
            kernel_folder = os.path.dirname(given_path) or "."
            reachable = os.path.isdir(kernel_folder)
            expected = os.path.realpath(os.path.join(kernel_folder, "out.jsonl"))
            if reachable:
                assert exporting.export(db, "jsonl", given_path) == 2
                # the file the kernel finds at the path is the export, and only it is new
                assert os.path.realpath(given_path) == expected
                assert Path(given_path).read_bytes().startswith(b'{"id": "alpha"')
                new = set(tree(root)) - set(before)
                assert new == {str(Path(expected).relative_to(root))}
            else:
                with pytest.raises(ExportError, match="does not exist"):
                    exporting.export(db, "jsonl", given_path)
                assert tree(root) == before
        finally:
            os.chdir(old)
        assert part_files(root) == []


def _bare_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("create table notes (body text)")
    con.execute("insert into notes values ('keep me')")
    con.commit()
    con.close()


@pytest.mark.parametrize("kind", ["other_db", "backup", "bare", "link_to_bare"])
@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_a_sqlite_file_at_o_is_refused_in_one_line_and_left_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, fmt: str
) -> None:
    db_path = make_db(tmp_path / "db")
    if kind == "other_db":
        victim = make_db(tmp_path / "other")
    elif kind == "backup":
        backups = sorted(Path(f"{db_path}.backups").glob("*"))
        victim = backups[0] if backups else make_db(tmp_path / "b")
    else:
        victim = tmp_path / "notes.db"
        _bare_sqlite(victim)
    target = victim
    if kind == "link_to_bare":
        target = tmp_path / "innocent.jsonl"
        target.symlink_to(victim)
    before = victim.read_bytes()
    code = cli.main(["--db", str(db_path), "export", "--format", fmt, "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "SQLite database" in err, err
    assert victim.read_bytes() == before
    assert part_files(victim.parent) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["dir", "missing", "file.jsonl", "link-to-dir", "link-to-file"]),
    end=st.sampled_from(["/", "//", "/.", "/.."]),
)
def test_a_path_ending_in_a_slash_names_a_folder_and_is_refused(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    name: str,
    end: str,
) -> None:
    """``-o out/`` wrote a file ``out`` (the slash was lost on the way), where the shell's
    ``>`` says it is a folder."""
    root = tmp_path_factory.mktemp("slash")
    db_path = make_db(root / "db")
    play = root / "play"
    (play / "dir").mkdir(parents=True)
    (play / "file.jsonl").write_bytes(b"old")
    (play / "link-to-dir").symlink_to("dir")
    (play / "link-to-file").symlink_to("file.jsonl")
    before = tree(play)
    target = f"{play / name}{end}"
    code = cli.main(["--db", str(db_path), "export", "--format", "jsonl", "-o", target])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "folder" in err, err
    assert tree(play) == before


def test_dash_is_standard_output(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """``-o -`` wrote a file named ``-``; it is standard output, as for most tools."""
    db_path = make_db(tmp_path / "db")
    reference = tmp_path / "ref.jsonl"
    assert (
        cli.main(["--db", str(db_path), "export", "--format", "jsonl", "-o", str(reference)]) == 0
    )
    capfd.readouterr()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = cli.main(["--db", str(db_path), "export", "--format", "jsonl", "-o", "-"])
    finally:
        os.chdir(old)
    out, err = capfd.readouterr()
    assert code == 0 and out.encode() == reference.read_bytes()
    assert "exported 2 article(s)" in err and not (tmp_path / "-").exists()
