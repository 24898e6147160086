"""Desktop identity: the menu entry, AppStream metainfo, icons and ``--install-desktop``."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop import APP_ID, APP_NAME
from desktop.cli import build_parser, split_window_files
from desktop.ui import desktop_entry

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
ICONS = REPO / "resources" / "icons"
LAUNCHER = Path(sys.executable).parent / "quotedesk"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def needs(tool: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        shutil.which(tool) is None, reason=f"{tool} is not installed (make test installs it)"
    )


# --- the files in packaging/linux -----------------------------------------------------------


def test_packaged_entry_is_the_one_install_writes() -> None:
    text = (LINUX / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert text == desktop_entry.entry_text("quotedesk %F", "quotedesk")
    entry = read_entry(LINUX / f"{APP_ID}.desktop")
    assert entry["Version"] == "1.0"
    assert entry["Icon"] == APP_ID
    assert entry["StartupWMClass"] == APP_NAME  # the class Qt gives the window (xprop)
    assert entry["Exec"].endswith(" %F")
    assert "Office" in entry["Categories"].split(";")


@needs("desktop-file-validate")
def test_desktop_file_validates() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(LINUX / f"{APP_ID}.desktop")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower()


@needs("appstreamcli")
def test_metainfo_validates() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_metainfo_names_the_app_and_its_parts() -> None:
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.find("content_rating") is not None
    assert root.find("releases/release") is not None
    image = root.findtext("screenshots/screenshot/image") or ""
    assert image.endswith("docs/screenshot.png")
    assert (REPO / "docs" / "screenshot.png").is_file()


# --- icons ----------------------------------------------------------------------------------


def test_rendered_icons_have_their_sizes() -> None:
    for size in SIZES:
        png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size)
    svg = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == (ICONS / f"{APP_ID}.svg").read_bytes()


def test_ico_holds_png_images_up_to_256() -> None:
    data = (ICONS / f"{APP_ID}.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count == 7
    sides = []
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = w or 256
        assert png_size(data[offset : offset + length]) == (side, side)
        assert (planes, bpp) == (1, 32)
        sides.append(side)
    assert sides == [16, 24, 32, 48, 64, 128, 256]


def test_icns_elements_are_pngs_of_the_right_size() -> None:
    data = (ICONS / f"{APP_ID}.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    expected = {b"icp4": 16, b"icp5": 32, b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic14": 512}
    found: dict[bytes, int] = {}
    pos = 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        found[kind] = png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert pos == len(data)
    assert expected.items() <= found.items()


def test_render_script_writes_every_size(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "render_icons.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for size in SIZES:
        png = tmp_path / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size)
    assert (tmp_path / f"{APP_ID}.ico").read_bytes()[:4] == b"\0\0\1\0"
    assert (tmp_path / f"{APP_ID}.icns").read_bytes()[:4] == b"icns"


# --- Exec line and launcher -----------------------------------------------------------------


def test_exec_line_quotes_what_the_spec_reserves() -> None:
    assert desktop_entry.exec_line(["/opt/q/quotedesk"]) == "/opt/q/quotedesk %F"
    line = desktop_entry.exec_line(["/home/a b/100%/$x/quotedesk"])
    # spec quoting ("..." with \$), % doubled, then the string escape doubles the backslash
    assert line == '"/home/a b/100%%/\\\\$x/quotedesk" %F'
    assert desktop_entry.exec_line(['/a/"q"']) == '"/a/\\\\"q\\\\"" %F'


def test_launcher_is_the_venv_script_under_python_m(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(REPO / "desktop" / "__main__.py")])
    command = desktop_entry.launcher_command()
    if LAUNCHER.is_file():
        assert command == [str(LAUNCHER)]
    else:
        assert command[1:] == ["-m", "desktop"]
    assert Path(command[0]).is_absolute()


def test_launcher_is_argv0_resolved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = tmp_path / "bin" / "quotedesk"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    link = tmp_path / "qd"
    link.symlink_to(script)
    monkeypatch.setattr(sys, "argv", [str(link), "--install-desktop"])
    assert desktop_entry.launcher_command() == [str(script.resolve())]


# --- files on the command line --------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "options", "files"),
    [
        (["a.txt", "b dir/c.html"], [], ["a.txt", "b dir/c.html"]),
        (["--db", "x.db", "a.txt"], ["--db", "x.db"], ["a.txt"]),
        (["--db=x.db", "--", "-odd.txt"], ["--db=x.db"], ["-odd.txt"]),
        (["--db", "import", "a.txt"], ["--db", "import"], ["a.txt"]),
        (["import", "a.txt"], ["import", "a.txt"], []),
        (["--db", "x.db", "export", "--format", "jsonl", "-o", "o"], None, []),
        ([], [], []),
    ],
)
def test_window_files_are_split_from_subcommands(
    argv: list[str], options: list[str] | None, files: list[str]
) -> None:
    got_options, got_files = split_window_files(build_parser(), argv)
    assert got_options == (argv if options is None else options)
    assert got_files == files


# --- install and uninstall under a temporary HOME -------------------------------------------


def run_cli(args: list[str], home: Path, data: Path | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env["HOME"] = str(home)
    if data is not None:
        env["XDG_DATA_HOME"] = str(data)
    return subprocess.run(
        [str(LAUNCHER), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not LAUNCHER.is_file(), reason="quotedesk is not installed in this venv")
@pytest.mark.parametrize("xdg", [True, False], ids=["XDG_DATA_HOME", "default"])
def test_install_then_uninstall_desktop(tmp_path: Path, xdg: bool) -> None:
    home = tmp_path / "home"
    data = tmp_path / "xdg-data" if xdg else home / ".local" / "share"
    # something of the user's own that must survive
    (data / "applications").mkdir(parents=True)
    (data / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    before = tree(home if not xdg else data)

    done = run_cli(["--install-desktop"], home, data if xdg else None)
    assert done.returncode == 0, done.stderr
    entry_path = data / "applications" / f"{APP_ID}.desktop"
    entry = read_entry(entry_path)
    exec_argv = shlex.split(entry["Exec"])
    assert exec_argv[-1] == "%F"
    launcher = Path(exec_argv[0])
    assert launcher.is_absolute() and launcher.is_file() and os.access(launcher, os.X_OK)
    assert launcher == LAUNCHER.resolve()
    assert entry["TryExec"] == str(launcher)
    for size in SIZES:
        png = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size)
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (data / APP_NAME / desktop_entry.MANIFEST_NAME).is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry_path)], capture_output=True)
        assert check.returncode == 0, check.stdout
    assert str(entry_path) in done.stdout

    again = run_cli(["--install-desktop"], home, data if xdg else None)  # idempotent
    assert again.returncode == 0, again.stderr

    done = run_cli(["--uninstall-desktop"], home, data if xdg else None)
    assert done.returncode == 0, done.stderr
    assert tree(home if not xdg else data) == before
    assert (data / "applications" / "other.desktop").read_text() == "[Desktop Entry]\n"


def test_uninstall_keeps_a_file_changed_since(tmp_path: Path) -> None:
    report = desktop_entry.install(["/opt/quotedesk/quotedesk"], home=tmp_path)
    entry = tmp_path / "applications" / f"{APP_ID}.desktop"
    assert entry in report.written
    assert read_entry(entry)["Exec"] == "/opt/quotedesk/quotedesk %F"
    entry.write_text(entry.read_text() + "NoDisplay=true\n")
    report = desktop_entry.uninstall(home=tmp_path)
    assert report.kept == [entry]
    assert entry.is_file()
    assert not (tmp_path / "icons").exists()
    assert not desktop_entry.manifest_path(tmp_path).exists()


def test_uninstall_without_install_does_nothing(tmp_path: Path) -> None:
    report = desktop_entry.uninstall(home=tmp_path)
    assert report.removed == [] and report.kept == []
    assert list(tmp_path.iterdir()) == []


# --- the Windows installer script -----------------------------------------------------------


@needs("makensis")
def test_windows_installer_compiles_against_a_placeholder_payload(tmp_path: Path) -> None:
    payload = tmp_path / "quotedesk"
    (payload / "_internal").mkdir(parents=True)
    (payload / "quotedesk.exe").write_bytes(b"MZ placeholder")
    (payload / "_internal" / "base_library.zip").write_bytes(b"placeholder")
    setup = tmp_path / "quotedesk-setup.exe"
    script = REPO / "packaging" / "windows" / "quotedesk.nsi"
    done = subprocess.run(
        ["makensis", "-V2", "-WX", f"-DPAYLOAD={payload}", f"-DOUTFILE={setup}", str(script)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert setup.read_bytes()[:2] == b"MZ"
    text = script.read_text(encoding="utf-8")
    assert f'!define APP_ID "{APP_ID}"' in text
    assert "RequestExecutionLevel user" in text
    assert "PKEY_AppUserModel_ID" in text


def test_install_refuses_windows_and_macos(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        with pytest.raises(OSError, match="Linux"):
            desktop_entry.install(["/opt/q/quotedesk"], home=tmp_path)
    assert list(tmp_path.iterdir()) == []
