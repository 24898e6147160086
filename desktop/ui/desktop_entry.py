"""Put Quotedesk in the start menu of the current user, and take it out again (Linux, BSD).

``install`` writes ``$XDG_DATA_HOME/applications/org.quotedesk.Quotedesk.desktop`` whose
``Exec`` is the absolute launcher Quotedesk was started from, copies the hicolor icons into
``$XDG_DATA_HOME/icons/hicolor`` and refreshes the menu and icon caches when their tools are
installed. A manifest records every file and folder it made, so that ``uninstall`` removes
exactly those. No Qt here: this runs from the command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypedDict

from desktop import APP_ID, APP_NAME

MANIFEST_NAME = "desktop-install.json"
TOOL_TIMEOUT_S = 30
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def entry_text(exec_line: str, try_exec: str) -> str:
    """The ``.desktop`` entry; packaging/linux holds it with ``Exec=quotedesk %F``."""
    return f"""[Desktop Entry]
Version=1.0
Type=Application
Name={APP_NAME}
GenericName=Quote and Entity Annotator
Comment=See who is mentioned and who said what in news articles
Exec={exec_line}
TryExec={try_exec}
Icon={APP_ID}
Terminal=false
StartupNotify=true
StartupWMClass={APP_NAME}
Categories=Office;TextTools;Qt;
MimeType=text/plain;text/html;application/jsonl;
Keywords=news;quotes;quotation;entities;annotation;NLP;journalism;
"""


def _escape_string(value: str) -> str:
    """Escape a value of type string for a desktop entry (backslash is the escape)."""
    return value.replace("\\", "\\\\")


def exec_line(command: list[str], field_code: str = "%F") -> str:
    """The ``Exec`` value running ``command`` with the menu's files appended.

    Arguments with reserved characters are quoted as the Desktop Entry spec asks; ``%`` is
    doubled; the result is then escaped as a string value.
    """
    parts = []
    for arg in command:
        arg = arg.replace("%", "%%")
        if any(ch in _EXEC_RESERVED for ch in arg) or not arg:
            arg = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg) + '"'
        parts.append(arg)
    return _escape_string(" ".join([*parts, field_code]))


def launcher_command() -> list[str]:
    """The absolute command that starts this Quotedesk: frozen program, script or module."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and Path(argv0).name not in ("__main__.py", "-c", "-m"):
        found = argv0 if os.sep in argv0 else shutil.which(argv0)
        if found and Path(found).is_file():
            return [str(Path(found).resolve())]
    # ``python -m desktop``: prefer the launcher installed next to this interpreter
    bindir = Path(sys.executable).absolute().parent
    for name in ("quotedesk", "quotedesk.exe"):
        if (bindir / name).is_file():
            return [str(bindir / name)]
    # the interpreter path is kept unresolved: resolving a venv's python leaves the venv
    return [str(Path(sys.executable).absolute()), "-m", "desktop"]


def data_home() -> Path:
    """``$XDG_DATA_HOME``, by default ``~/.local/share``."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def manifest_path(home: Path | None = None) -> Path:
    return (home or data_home()) / APP_NAME / MANIFEST_NAME


@dataclass
class Report:
    """What install or uninstall did, for the command line to print."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # changed since installed: left alone
    tools: list[str] = field(default_factory=list)


class Manifest(TypedDict):
    """What install made: files with their SHA-256, folders, caches the tools created."""

    files: dict[str, str]
    dirs: list[str]
    caches: list[str]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _icon_files() -> list[tuple[str, bytes]]:
    """(path under hicolor/, content) of every packaged icon."""
    root = resources.files("desktop.resources").joinpath("icons", "hicolor")
    icons = []
    for size in root.iterdir():
        apps = size.joinpath("apps")
        if not apps.is_dir():
            continue
        for icon in apps.iterdir():
            if icon.name.startswith(APP_ID + "."):
                icons.append((f"{size.name}/apps/{icon.name}", icon.read_bytes()))
    if not icons:
        raise FileNotFoundError("the application icons are missing from desktop.resources")
    return sorted(icons)


def _run_tools(applications: Path, hicolor: Path, report: Report) -> None:
    """Refresh the desktop, icon and menu caches with whichever tools are installed."""
    commands = [
        ["update-desktop-database", "-q", str(applications)],
        ["gtk-update-icon-cache", "-q", "-f", "-t", str(hicolor)],
        ["xdg-desktop-menu", "forceupdate", "--mode", "user"],
    ]
    for command in commands:
        if shutil.which(command[0]) is None:
            continue
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            report.tools.append(command[0])


def _indexes_nothing(cache: Path) -> bool:
    """Whether a cache the tools made for us now lists nothing of anyone else's."""
    if cache.name == "mimeinfo.cache":
        lines = cache.read_text(encoding="utf-8", errors="replace").splitlines()
        return all(not line.strip() or line.startswith("[") for line in lines)
    others = [
        p
        for p in cache.parent.rglob("*")
        if p.is_file() and p.name not in (cache.name, "index.theme")
    ]
    return not others


def _make_dirs(path: Path, created: list[str]) -> None:
    missing = []
    for parent in [path, *path.parents]:
        if parent.exists():
            break
        missing.append(parent)
    path.mkdir(parents=True, exist_ok=True)
    created.extend(str(p) for p in reversed(missing) if str(p) not in created)


def _read_manifest(path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest(files={}, dirs=[], caches=[])
    except (OSError, ValueError) as exc:
        raise OSError(f"cannot read the install manifest {path}: {exc}") from exc
    return Manifest(
        files=dict(data.get("files", {})),
        dirs=list(data.get("dirs", [])),
        caches=list(data.get("caches", [])),
    )


def install(command: list[str] | None = None, home: Path | None = None) -> Report:
    """Write the menu entry and icons for the current user; running it again updates them."""
    if sys.platform in ("win32", "darwin"):
        raise OSError("--install-desktop is for Linux and BSD desktops; see packaging/README.md")
    home = home or data_home()
    command = command or launcher_command()
    applications = home / "applications"
    hicolor = home / "icons" / "hicolor"
    manifest = manifest_path(home)
    recorded = _read_manifest(manifest)
    files, dirs, caches = recorded["files"], recorded["dirs"], recorded["caches"]
    report = Report()

    outputs = [
        (
            applications / f"{APP_ID}.desktop",
            entry_text(exec_line(command), _escape_string(command[0])).encode(),
        )
    ]
    outputs += [(hicolor / rel, data) for rel, data in _icon_files()]
    _make_dirs(manifest.parent, dirs)
    for cache in (applications / "mimeinfo.cache", hicolor / "icon-theme.cache"):
        if not cache.exists() and str(cache) not in caches:
            caches.append(str(cache))  # made by the tools below: ours to remove later
    for path, data in outputs:
        _make_dirs(path.parent, dirs)
        path.write_bytes(data)
        files[str(path)] = _sha256(data)
        report.written.append(path)
    # written before the caches are touched, so an interrupted install can be undone
    manifest.write_text(
        json.dumps({"files": files, "dirs": dirs, "caches": caches}, indent=2), encoding="utf-8"
    )
    _run_tools(applications, hicolor, report)
    return report


def uninstall(home: Path | None = None) -> Report:
    """Remove what ``install`` wrote (files changed since are kept), then refresh the caches."""
    home = home or data_home()
    manifest = manifest_path(home)
    recorded = _read_manifest(manifest)
    report = Report()
    for name, digest in recorded["files"].items():
        path = Path(name)
        try:
            same = _sha256(path.read_bytes()) == digest
        except FileNotFoundError:
            continue
        if same:
            path.unlink()
            report.removed.append(path)
        else:
            report.kept.append(path)
    manifest.unlink(missing_ok=True)
    if report.removed:
        _run_tools(home / "applications", home / "icons" / "hicolor", report)
    for name in recorded["caches"]:
        cache = Path(name)
        if cache.is_file() and _indexes_nothing(cache):
            cache.unlink()
            report.removed.append(cache)
    for name in sorted(recorded["dirs"], key=len, reverse=True):
        folder = Path(name)
        try:
            folder.rmdir()
            report.removed.append(folder)
        except OSError:
            pass  # not empty or already gone
    return report
