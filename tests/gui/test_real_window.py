"""Run real_window_checks.py in a real X window: pytest under xvfb-run with Qt's xcb."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.xvfb, pytest.mark.slow]

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(
    not shutil.which("xvfb-run"), reason="Xvfb is not installed (make test installs it)"
)
def test_real_window_checks_pass_under_xvfb() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    done = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(HERE / "real_window_checks.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=HERE.parents[1],
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout
