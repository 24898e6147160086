"""SIGTERM, SIGHUP and SIGINT close the window as its close button does (nothing half-written)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.ui.stop_signals import StopSignals

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stop_signal_calls_close_while_the_event_loop_runs(qtbot: QtBot, signum: int) -> None:
    closed: list[bool] = []
    stop = StopSignals(lambda: closed.append(True))
    try:
        os.kill(os.getpid(), signum)
        qtbot.waitUntil(lambda: closed == [True], timeout=2000)
    finally:
        stop.restore()
    assert signal.getsignal(signum) is not stop._on_signal


def test_sigterm_closes_the_real_window_cleanly(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    db = tmp_path / "work.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not db.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # past the first paint
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    # the close ran: it saves the window's geometry in the settings file
    saved = [p for p in (tmp_path / "cfg").rglob("*") if p.is_file()]
    assert any(b"geometry" in p.read_bytes() for p in saved), saved
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sqlite3; print(sqlite3.connect({str(db)!r})"
            ".execute('PRAGMA quick_check').fetchone()[0])",
        ],
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "ok"
