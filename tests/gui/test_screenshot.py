"""``quotedesk --open ID --screenshot PNG`` in a real process: offscreen and under Xvfb."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "tests" / "screenshots"


def shoot(tmp_path: Path, env: dict[str, str], wrapper: list[str]) -> QImage:
    png = tmp_path / "shot.png"
    done = subprocess.run(
        [
            *wrapper,
            sys.executable,
            "-m",
            "desktop",
            "--db",
            str(tmp_path / "s.db"),
            "--open",
            "sample-article",
            "--screenshot",
            str(png),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert not image.isNull()
    return image


def assert_article_painted(image: QImage) -> None:
    assert image.width() >= 600 and image.height() >= 400
    # entity highlights are coloured; a blank or unpainted window is not
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20


def test_screenshot_offscreen(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    image = shoot(tmp_path, env, [])
    assert_article_painted(image)


@pytest.mark.xvfb
@pytest.mark.skipif(
    not shutil.which("xvfb-run"), reason="Xvfb is not installed (make test installs it)"
)
def test_screenshot_in_a_real_window_under_xvfb(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    image = shoot(tmp_path, env, ["xvfb-run", "-a", "-s", "-screen 0 1280x900x24"])
    assert_article_painted(image)
    SHOTS.mkdir(exist_ok=True)
    image.save(str(SHOTS / "main-window-xvfb.png"))
