"""Any path at ``-o``: an export keeps what is there of its kind, or refuses in one line.

The class behind "export -o /dev/null replaced /dev/null with a 0600 file": a property test
builds every kind of target (absent, a file of any mode, links to files and FIFOs, chains,
dangling links, loops, a FIFO with a reader, a /dev/null twin made with mknod, another
device, a folder, a missing or read-only folder) under any umask, exports to it and checks
what is there afterwards. The real /dev/null is never exported to here, only looked at.
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.services import exporting
from desktop.services.export_target import ExportError, TargetKind, resolve_target
from desktop.store import Database
from tests.reliability.exportkit import make_db, part_files, read_only_folder

IS_ROOT = os.geteuid() == 0
FORMATS = ["jsonl", "brat"]  # a text and a binary (zip) writer


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = Database.open(make_db(tmp_path_factory.mktemp("db")))
    yield database
    database.close()


@pytest.fixture(scope="module")
def reference(db: Database, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What each format's export holds, written to a plain new file."""
    folder = tmp_path_factory.mktemp("reference")
    out = {}
    for fmt in FORMATS:
        exporting.export(db, fmt, folder / f"ref.{fmt}")
        out[fmt] = content((folder / f"ref.{fmt}").read_bytes(), fmt)
    return out


def content(data: bytes, fmt: str) -> object:
    """The export's content: the bytes, or the zip's members (their dates vary)."""
    if fmt != "brat":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sorted((i.filename, zf.read(i)) for i in zf.infolist())


@dataclass
class Case:
    """A target built in ``folder``: the path to export to and what must hold after."""

    path: Path
    ok: bool
    file: Path | None = None  # the regular file that receives the export
    mode: int | None = None  # its mode after (None: 0o666 & ~umask)
    links: dict[Path, str] = field(default_factory=dict)  # links that must stay as they are
    fifo: Path | None = None
    received: list[bytes] = field(default_factory=list)  # what a FIFO reader got
    device: tuple[int, int] | None = None  # a character device that must stay one
    untouched: dict[Path, bytes] = field(default_factory=dict)  # files that must not change
    absent: list[Path] = field(default_factory=list)  # must not exist after
    finish: Callable[[], None] = lambda: None  # waits for a FIFO's reader
    socket: Path | None = None  # must stay a socket


def fifo_reader(path: Path, sink: list[bytes]) -> Callable[[], None]:
    """Start a thread reading ``path`` to its end; the returned function waits for it."""

    def read() -> None:
        with open(path, "rb") as fh:
            sink.append(fh.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()

    def join() -> None:
        thread.join(10)
        if thread.is_alive():  # no writer ever came: let the reader go
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
            thread.join(10)

    return join


KINDS = [
    "absent",
    "file",
    "link to file",
    "dangling link",
    "link chain",
    "link loop",
    "fifo",
    "link to fifo",
    "null device",
    "link to null device",
    "other device",
    "directory",
    "link to directory",
    "socket",
    "missing folder",
    "longest name, new",
    "longest name, existing",
    "parent is a file",
    "read-only folder, new file",
    "read-only folder, existing file",
]


@contextmanager
def build(kind: str, d: Path, mode: int) -> Iterator[Case]:
    """Make a target of ``kind`` in the fresh folder ``d``."""
    old = b"an export made earlier\n"
    with ExitStack() as stack:
        if kind == "absent":
            yield Case(d / "out.jsonl", True, file=d / "out.jsonl")
        elif kind == "file":
            f = d / "out.jsonl"
            f.write_bytes(old)
            f.chmod(mode)
            writable = IS_ROOT or bool(mode & stat.S_IWUSR)
            yield Case(f, writable, file=f, mode=mode, untouched={} if writable else {f: old})
        elif kind in ("link to file", "link chain"):
            real = d / "real.jsonl"
            real.write_bytes(old)
            real.chmod(mode)
            links = {d / "out.jsonl": "real.jsonl"}
            if kind == "link chain":
                (d / "sub").mkdir()
                links = {d / "out.jsonl": "sub/two", d / "sub" / "two": str(real)}
            for link, to in links.items():
                link.symlink_to(to)
            writable = IS_ROOT or bool(mode & stat.S_IWUSR)
            untouched = {} if writable else {real: old}
            yield Case(d / "out.jsonl", writable, real, mode, links, untouched=untouched)
        elif kind == "dangling link":
            (d / "sub").mkdir()
            (d / "out.jsonl").symlink_to("sub/new.jsonl")
            yield Case(
                d / "out.jsonl",
                True,
                d / "sub" / "new.jsonl",
                None,
                {d / "out.jsonl": "sub/new.jsonl"},
            )
        elif kind == "link loop":
            (d / "out.jsonl").symlink_to("two")
            (d / "two").symlink_to("out.jsonl")
            yield Case(
                d / "out.jsonl", False, links={d / "out.jsonl": "two", d / "two": "out.jsonl"}
            )
        elif kind in ("fifo", "link to fifo"):
            fifo = d / "pipe"
            os.mkfifo(fifo)
            path = fifo
            links = {}
            if kind == "link to fifo":
                path = d / "out.jsonl"
                path.symlink_to("pipe")
                links = {path: "pipe"}
            case = Case(path, True, links=links, fifo=fifo)
            case.finish = fifo_reader(fifo, case.received)
            stack.callback(case.finish)
            yield case
        elif kind in ("null device", "link to null device", "other device"):
            if not IS_ROOT:
                assume(False)  # mknod needs root
            number = (1, 8) if kind == "other device" else (1, 3)  # /dev/random, /dev/null
            node = d / "dev"
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(*number))
            if kind == "link to null device":
                (d / "out").symlink_to(node)
                yield Case(d / "out", True, links={d / "out": str(node)}, device=number)
            else:
                yield Case(node, kind == "null device", device=number)
        elif kind in ("directory", "link to directory"):
            (d / "out").mkdir()
            (d / "out" / "keep.txt").write_bytes(old)
            path, links = d / "out", {}
            if kind == "link to directory":
                path, links = d / "link", {d / "link": "out"}
                path.symlink_to("out")
            yield Case(path, False, links=links, untouched={d / "out" / "keep.txt": old})
        elif kind.startswith("longest name"):
            f = d / ("é" * 127 + "x")  # 255 bytes: the longest name a folder holds
            if kind.endswith("existing"):
                f.write_bytes(old)
                f.chmod(mode | stat.S_IWUSR)
            yield Case(f, True, file=f, mode=None if kind.endswith("new") else mode | stat.S_IWUSR)
        elif kind == "socket":
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            stack.callback(server.close)
            server.bind(str(d / "sock"))
            yield Case(d / "sock", False, socket=d / "sock")
        elif kind == "missing folder":
            yield Case(d / "nope" / "out.jsonl", False, absent=[d / "nope"])
        elif kind == "parent is a file":
            (d / "plain").write_bytes(old)
            yield Case(d / "plain" / "out.jsonl", False, untouched={d / "plain": old})
        else:
            ro = stack.enter_context(read_only_folder(d, old))
            assume(ro is not None)
            assert ro is not None
            if kind == "read-only folder, new file":
                yield Case(ro / "new.jsonl", False, absent=[ro / "new.jsonl"])
            else:
                yield Case(ro / "old.jsonl", False, untouched={ro / "old.jsonl": old})


def check_after(case: Case, fmt: str, umask: int, expected: object) -> None:
    for link, to in case.links.items():
        assert link.is_symlink() and os.readlink(link) == to, "a link was replaced"
    if case.file is not None and case.ok:
        st_ = case.file.lstat()
        assert stat.S_ISREG(st_.st_mode)
        want = case.mode if case.mode is not None else 0o666 & ~umask
        assert stat.S_IMODE(st_.st_mode) == want
        assert content(case.file.read_bytes(), fmt) == expected
    if case.fifo is not None:
        assert stat.S_ISFIFO(case.fifo.lstat().st_mode), "the FIFO became a file"
        assert [content(b, fmt) for b in case.received] == [expected]
    if case.device is not None:
        st_ = case.path.stat()  # through a link to it, too
        assert stat.S_ISCHR(st_.st_mode), "the device became a file"
        assert (os.major(st_.st_rdev), os.minor(st_.st_rdev)) == case.device
    if case.socket is not None:
        assert stat.S_ISSOCK(case.socket.lstat().st_mode)
    for path, data in case.untouched.items():
        assert path.read_bytes() == data
    for path in case.absent:
        assert not os.path.lexists(path)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(KINDS),
    mode=st.integers(0, 0o777),
    umask=st.integers(0, 0o777),
    fmt=st.sampled_from(FORMATS),
)
def test_any_path_at_o_keeps_its_kind_or_is_refused_in_one_line(
    db: Database,
    reference: dict[str, object],
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    mode: int,
    umask: int,
    fmt: str,
) -> None:
    d = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    with build(kind, d, mode) as case:
        folders = {d, *(p.parent for p in (case.path, case.file) if p is not None)}
        previous = os.umask(umask)
        try:
            error: ExportError | None = None
            try:
                exporting.export(db, fmt, case.path)
            except ExportError as exc:
                error = exc
        finally:
            os.umask(previous)
        case.finish()
        if case.ok:
            assert error is None, f"{kind}: {error}"
        else:
            assert error is not None, f"{kind}: exported instead of refusing"
            message = str(error)
            assert "\n" not in message and str(case.path) in message
        check_after(case, fmt, umask, reference[fmt])
        assert part_files(*folders) == []


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("directory", "is a folder"),
        ("missing folder", "does not exist"),
        ("link loop", "symbolic links"),
        ("parent is a file", "is not a folder"),
    ],
)
def test_the_cli_refuses_in_one_line_and_exit_1(
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    words: str,
) -> None:
    with build(kind, tmp_path, 0o644) as case:
        code = cli.main(["--db", str(db.path), "export", "--format", "jsonl", "-o", str(case.path)])
        err = capsys.readouterr().err
        assert code == 1
        assert err.count("\n") == 1 and words in err and str(case.path) in err
        check_after(case, "jsonl", 0o022, None)


def test_the_real_dev_null_is_judged_a_stream_and_is_only_looked_at() -> None:
    """The real /dev/null is never exported to by the suite (a regression would replace the
    machine's /dev/null); its twin made with mknod takes the exports in the property test."""
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)
    assert resolve_target("/dev/null").kind is TargetKind.STREAM
    assert resolve_target("/dev/stdout").kind is TargetKind.STREAM
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_mode, after.st_rdev) == (
        before.st_ino,
        before.st_mode,
        before.st_rdev,
    )


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/dev/loop0", "block device"),
        ("/dev/kmsg", "neither a terminal nor /dev/null"),
        ("/proc/sys/kernel/hostname", "kernel file"),
        ("/dev/no-such-disk", "no such device"),
    ],
)
def test_system_files_are_refused_before_anything_is_opened(path: str, words: str) -> None:
    """Judged only (resolve_target opens nothing): these are never written, even by root."""
    if path.startswith("/dev/") and path != "/dev/no-such-disk" and not os.path.exists(path):
        pytest.skip(f"{path} is not on this machine")
    with pytest.raises(ExportError, match=words):
        resolve_target(path)


def test_an_export_to_stdout_goes_to_stdout_and_the_summary_to_stderr(
    db: Database, tmp_path: Path
) -> None:
    import subprocess
    import sys

    out = tmp_path / "out.jsonl"
    with out.open("wb") as fh:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "--db",
                str(db.path),
                "export",
                "--format",
                "jsonl",
                "-o",
                "/dev/stdout",
            ],
            stdout=fh,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert "exported 2 article(s)" in done.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["alpha", "beta 😀"]


@pytest.mark.parametrize("fmt", exporting.format_names())
def test_every_format_honours_the_umask_and_keeps_a_files_mode(
    db: Database, tmp_path: Path, fmt: str
) -> None:
    """Issue 13: exports were 0600 whatever the umask; a colleague could not read them."""
    for umask, want in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        out = tmp_path / f"new-{umask:o}"
        previous = os.umask(umask)
        try:
            exporting.export(db, fmt, out)
        finally:
            os.umask(previous)
        assert stat.S_IMODE(out.stat().st_mode) == want
    kept = tmp_path / "kept"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    exporting.export(db, fmt, kept)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() != b"old"


def test_a_replaced_file_keeps_its_owner_where_the_system_allows(
    db: Database, tmp_path: Path
) -> None:
    if not IS_ROOT:
        pytest.skip("only root can make a file someone else's")
    theirs = tmp_path / "theirs.jsonl"
    theirs.write_bytes(b"old")
    os.chown(theirs, 4321, 4322)
    exporting.export(db, "jsonl", theirs)
    st_ = theirs.stat()
    assert (st_.st_uid, st_.st_gid) == (4321, 4322) and theirs.read_bytes() != b"old"


@pytest.mark.parametrize("name", ["", "-wal", "-shm", "link"])
def test_the_database_itself_is_never_an_export_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    db_path = make_db(tmp_path / "db")
    target = Path(f"{db_path}{name}")
    if name == "link":
        target = tmp_path / "innocent.jsonl"
        target.symlink_to(db_path)
    before = db_path.read_bytes()
    code = cli.main(["--db", str(db_path), "export", "--format", "jsonl", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "is the database" in err
    assert db_path.read_bytes() == before


def test_a_fifo_nobody_reads_can_be_cancelled(db: Database, tmp_path: Path) -> None:
    """The window's Cancel must work while an export waits for a FIFO's reader."""
    from desktop.services.progress import Cancelled, CancelToken

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    token = CancelToken()
    outcome: list[BaseException | int] = []
    said: list[str] = []

    def run() -> None:
        try:
            progress = lambda done, total, message: said.append(message)  # noqa: E731
            outcome.append(exporting.export(db, "jsonl", fifo, cancel=token, progress=progress))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() and outcome == []  # waiting for a reader
    assert said == [f"Waiting for a program to read {fifo}"]
    token.cancel()
    thread.join(5)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and sorted(tmp_path.iterdir()) == [fifo]


def test_a_hard_linked_file_is_replaced_whole_and_its_other_name_keeps_the_old_export(
    db: Database, tmp_path: Path
) -> None:
    """The documented choice (DESIGN-NOTES): all or nothing over keeping hard links."""
    first, other = tmp_path / "out.jsonl", tmp_path / "other-name.jsonl"
    first.write_bytes(b"old")
    os.link(first, other)
    exporting.export(db, "jsonl", first)
    assert other.read_bytes() == b"old" and first.read_bytes() != b"old"
    assert part_files(tmp_path) == []


def test_a_path_with_line_breaks_still_gives_one_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "no\nquotedesk: exported 2 article(s)" / "out.jsonl"
    code = cli.main(["--db", str(db.path), "export", "--format", "jsonl", "-o", str(hostile)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "does not exist" in err
    fine = tmp_path / "a\nb.jsonl"  # a legal name: exported to as asked
    assert exporting.export(db, "jsonl", fine) == 2 and fine.is_file()


def test_a_terminal_the_process_does_not_have_is_refused_not_waited_for(
    db: Database, tmp_path: Path
) -> None:
    """/dev/tty without a controlling terminal (ENXIO, like a FIFO without a reader)."""
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--db",
            str(db.path),
            "export",
            "--format",
            "jsonl",
            "-o",
            "/dev/tty",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # no controlling terminal
    )
    assert done.returncode == 1
    assert (
        done.stderr == "quotedesk: Cannot write /dev/tty: no such device (is there a terminal?).\n"
    )


def test_a_file_that_goes_with_an_export_is_written_the_same_way(tmp_path: Path) -> None:
    from desktop.services.export_target import write_export_file

    real = tmp_path / "real.xml"
    real.write_text("old")
    real.chmod(0o640)
    (tmp_path / "config.xml").symlink_to("real.xml")
    write_export_file(tmp_path / "config.xml", "<View/>")
    assert (tmp_path / "config.xml").is_symlink() and real.read_text() == "<View/>"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    with pytest.raises(ExportError, match="is a folder"):
        write_export_file(tmp_path, b"x")
    assert part_files(tmp_path) == []
