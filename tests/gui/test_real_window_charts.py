"""Run real_window_chart_checks.py in a real X window: pytest under xvfb-run with Qt's xcb."""

from __future__ import annotations

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
def test_chart_checks_pass_under_xvfb(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QUOTEDESK_SHOTS=str(tmp_path))
    done = subprocess.run(
        [
            "xvfb-run", "-a", "-s", "-screen 0 1400x900x24",
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            str(HERE / "real_window_chart_checks.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=HERE.parents[1],
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout
    assert (tmp_path / "chart-outlet-xvfb.png").stat().st_size > 20000
