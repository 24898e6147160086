"""A stop signal during `quotedesk train` leaves no model, no half-written folder, and a
clean exit status; the models trained before stay as they were (issue 15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.test_cli_training import write_collection

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def quotedesk(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "desktop", *argv]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_signal_mid_training_leaves_nothing_half_written(
    tmp_path: Path, signum: int, status: int
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    env["TMPDIR"] = str(temp)
    db = str(tmp_path / "train.sqlite3")
    data = str(write_collection(tmp_path / "t.jsonl"))
    assert quotedesk(env, "--db", db, "import", data, "--collection", "Tiny").returncode == 0
    models = tmp_path / "data" / "Quotedesk" / "models"
    command = [sys.executable, "-m", "desktop", "--db", db, "train", "--collection", "Tiny"]
    command += ["--labels", "PER,ORG", "--max-minutes", "5", "--name", "never-made"]
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while not list(temp.glob("quotedesk-train-*/dev.spacy")) and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()
            time.sleep(0.2)
        assert list(temp.glob("quotedesk-train-*")), "training never started"
        time.sleep(3)  # into spaCy's training loop
        child.send_signal(signum)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == status, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert not list(models.glob(".partial-*"))
    assert not list(temp.iterdir())  # spaCy's work folder is gone too
    assert not (models / "never-made").exists()
    listed = quotedesk(env, "--db", db, "models")
    assert listed.returncode == 0
    assert "no trained models yet" in listed.stdout
