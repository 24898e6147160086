"""The start-menu entry really starts Quotedesk: install it, run its ``Exec`` line under Xvfb
with a file, as a menu or file manager would, find the window by its class and check that the
file was imported and analyzed."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop import APP_ID

pytestmark = [pytest.mark.gui, pytest.mark.xvfb, pytest.mark.slow]

LAUNCHER = Path(sys.executable).parent / "quotedesk"
TIMEOUT_S = 240
MARKER = "Zanzibar harbour"

# run under xvfb-run: start the command, wait for a window of the class, write its line
FIND_WINDOW = r"""
"$@" &
pid=$!
for _ in $(seq 480); do
  line=$(xwininfo -root -tree | grep -F "\"$WM_CLASS\")" | head -1)
  if [ -n "$line" ]; then echo "$line" > "$FOUND"; break; fi
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
while [ ! -e "$STOP" ] && kill -0 $pid 2>/dev/null; do sleep 0.2; done
kill $pid 2>/dev/null
wait $pid
exit 0
"""


def exec_argv(value: str, files: list[Path]) -> list[str]:
    """The command a launcher runs for an ``Exec`` value (simple values: no %-codes but %F)."""
    words = shlex.split(value.replace("\\\\", "\\"))
    out: list[str] = []
    for word in words:
        if word == "%F":
            out += [str(f) for f in files]
        else:
            out.append(word.replace("%%", "%"))
    return out


def analyzed_marker(db: Path) -> bool:
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute(
                "SELECT analyzed_at FROM article WHERE text LIKE ?", (f"%{MARKER}%",)
            ).fetchone()
    except sqlite3.Error:
        return False  # not created yet, or being migrated
    return row is not None and row[0] is not None


@pytest.mark.skipif(not LAUNCHER.is_file(), reason="quotedesk is not installed in this venv")
@pytest.mark.skipif(
    not (shutil.which("xvfb-run") and shutil.which("xwininfo")),
    reason="Xvfb or xwininfo is not installed (make test installs them)",
)
def test_menu_entry_opens_the_window_with_a_file(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "XDG_DATA_HOME")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run(
        [str(LAUNCHER), "--install-desktop"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    entry_file = tmp_path / "data" / "applications" / f"{APP_ID}.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(entry_file, encoding="utf-8")
    entry = parser["Desktop Entry"]

    article = tmp_path / "from the menu.txt"
    article.write_text(
        "Boats crowded the Zanzibar harbour on Monday.\n\n"
        '"We have never seen so many," said Amina Juma, the harbour master.\n',
        encoding="utf-8",
    )
    command = exec_argv(entry["Exec"], [article])
    assert command[0] == str(LAUNCHER.resolve())
    db = tmp_path / "menu.sqlite3"
    found, stop = tmp_path / "found.txt", tmp_path / "stop"
    env.update(
        QT_QPA_PLATFORM="xcb",
        QUOTEDESK_DB=str(db),
        WM_CLASS=entry["StartupWMClass"],
        FOUND=str(found),
        STOP=str(stop),
    )
    proc = subprocess.Popen(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x900x24", "bash", "-c", FIND_WINDOW, "run"]
        + command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            if found.exists() and analyzed_marker(db):
                break
            time.sleep(0.5)
        window_line = found.read_text() if found.exists() else ""
        analyzed = analyzed_marker(db)
    finally:
        stop.touch()
        output, _ = proc.communicate(timeout=60)
    assert window_line, f"no window of class {entry['StartupWMClass']!r}:\n{output}"
    assert f'"{entry["StartupWMClass"]}")' in window_line
    assert analyzed, f"the file given on the command line was not imported and analyzed:\n{output}"
