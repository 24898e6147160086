"""How long the window's process lives when nobody needs the language model (issue 16).

    .venv/bin/python benchmarks/exit.py [--repeats 7] [--platform offscreen] [--workdir DIR]

Two measures, each in fresh processes with empty XDG folders and a private bytecode cache
(warmed by runs that are not counted), alternating the two sides of every comparison:

- **Screenshot**: the whole process of ``python -m desktop --db DB --open ID --screenshot
  PNG`` on an analyzed article, from just before launching it until it has exited, against a
  bare PySide6 ``QMainWindow`` of the same size that shows itself, grabs itself into a PNG and
  exits. Target: at most 2.5 times the bare window (medians).
- **CPU time** of the same processes (user + system, from ``RUSAGE_CHILDREN``): on a busy
  machine the wall clock counts the waits for a core, the CPU time much less.
- **Close while loading**: the real entry point (``desktop.cli.main``) on a new database, so
  the sample article goes in and its analysis starts loading the model; 0.5 s after the
  window's first paint it closes all windows (what the close button does) and prints the
  time. The parent takes the time the process has ended. Target: exit within 0.5 s of the
  close, with exit status 0 and nothing on stderr but Qt's own notes. The same on a database
  whose article is analyzed (nothing loads) is shown for comparison.

``--against REV`` adds a third side to the screenshot's alternation: the same command run on
the package as it was at the git revision REV (``git archive`` into the workdir, first on
``PYTHONPATH``), on a database of its own that it made and analyzed itself (an older
revision refuses a newer schema), so that a change is measured against its past in the same
minutes.

The exit status is 1 when a target is missed. The clock is CLOCK_MONOTONIC, shared by all
processes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCREENSHOT_RATIO = 2.5
CLOSE_AFTER_S = 0.5
EXIT_WITHIN_S = 0.5
QT_NOTES = ("This plugin does not support",)  # the offscreen platform's harmless notes


# --- the child processes ------------------------------------------------------------


def child_bare(png: str) -> int:
    """A bare window that shows itself, grabs itself into ``png`` and exits."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1300, 820)

    def grab() -> None:
        window.grab().save(png, "PNG")
        window.close()

    window.show()
    QTimer.singleShot(0, grab)
    app.exec()
    return 0


def child_close(db: str, start: float) -> int:
    """The real entry point; all windows close ``CLOSE_AFTER_S`` after the first paint."""
    # isort: off
    from desktop.cli import main  # first, as the quotedesk command (window_probe.run_app)
    import desktop.ui.app as ui_app
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    # isort: on

    def stamp(event: str, value: object = None) -> None:
        extra = "" if value is None else f" {value}"
        print(f"{event} {time.monotonic() - start:.6f}{extra}", flush=True)

    class Closer(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if (
                not self.seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                self.seen = True
                window = watched.window()
                stamp("paint")
                QTimer.singleShot(int(CLOSE_AFTER_S * 1000), lambda: self.close(window))
            return False

        def close(self, window: QWidget) -> None:
            model = getattr(window, "model", None)
            stamp("close", int(bool(getattr(model, "loading", False))))
            QApplication.closeAllWindows()

    make_application = ui_app.make_application
    closers: list[Closer] = []

    def instrumented(argv: list[str] | None = None) -> QApplication:
        app = make_application(argv)
        closers.append(Closer())
        app.installEventFilter(closers[-1])
        return app

    ui_app.make_application = instrumented
    code = main(["--db", db])
    stamp("returned")
    return code


# --- the parent ---------------------------------------------------------------------


def environment(workdir: Path, platform: str, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = platform
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    if home.exists():
        shutil.rmtree(home)
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    return env


def clean_stderr(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith(QT_NOTES))


def whole_process(command: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    """Seconds from just before launching ``command`` until it has exited (status 0)."""
    t0 = time.monotonic()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - t0
    if done.returncode != 0 or clean_stderr(done.stderr):
        raise RuntimeError(f"{command} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def screenshot_commands(workdir: Path, db: Path) -> tuple[list[str], list[str]]:
    app = [sys.executable, "-m", "desktop", "--db", str(db), "--open", "sample-article"]
    app += ["--screenshot", str(workdir / "app.png")]
    bare = [sys.executable, str(Path(__file__).resolve()), "child-bare", str(workdir / "b.png")]
    return app, bare


def remove_database(db: Path) -> None:
    """Remove ``db`` with its -wal and -shm (a -wal left alone is refused at the next open)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def package_at(rev: str, workdir: Path) -> Path:
    """The ``desktop`` package as it was at ``rev``, in a folder of its own under workdir
    (put first on PYTHONPATH, it is imported instead of the working tree's; its resources
    still come from the installed package)."""
    folder = workdir / f"at-{rev}"
    if not (folder / "desktop").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", rev, "desktop"],  # noqa: S607
            cwd=ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)  # noqa: S607
    return folder


def bench_screenshot(
    workdir: Path, platform: str, repeats: int, against: str | None = None
) -> dict[str, float]:
    db = workdir / "analyzed.db"
    remove_database(db)
    app, bare = screenshot_commands(workdir, db)
    home = workdir / "home"
    sides: dict[str, tuple[list[str], dict[str, str]]] = {
        "bare": (bare, {}),
        "app": (app, {}),
    }
    if against is not None:
        old_db = workdir / "analyzed-against.db"
        remove_database(old_db)
        old_app, _ = screenshot_commands(workdir, old_db)
        old_app[old_app.index("--screenshot") + 1] = str(workdir / "against.png")
        sides["against"] = (old_app, {"PYTHONPATH": str(package_at(against, workdir))})

    cpu: dict[str, list[float]] = {side: [] for side in sides}

    def run(side: str) -> float:
        command, extra = sides[side]
        # from the workdir: ``-m`` puts the current folder first on sys.path
        env = {**environment(workdir, platform, home), **extra}
        before = children_cpu_s()
        elapsed = whole_process(command, env, cwd=workdir)
        cpu[side].append(children_cpu_s() - before)
        return elapsed

    for side in sides:  # the samples go in and are analyzed; the bytecode caches warm
        run(side)
        run(side)
    for values in cpu.values():
        values.clear()
    times: dict[str, list[float]] = {side: [] for side in sides}
    for _ in range(repeats):
        for side in sides:
            times[side].append(run(side))
    median = {side: statistics.median(values) for side, values in times.items()}
    result = {"app_s": median["app"], "bare_s": median["bare"]}
    result["ratio"] = median["app"] / median["bare"]
    for side, values in cpu.items():
        result[f"{side}_cpu_s"] = statistics.median(values)
    if against is not None:
        result["against_s"] = median["against"]
        result["against_ratio"] = median["against"] / median["bare"]
    return result


def children_cpu_s() -> float:
    """User and system CPU seconds of the child processes that have ended so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def close_once(workdir: Path, platform: str, db: Path) -> dict[str, float]:
    env = environment(workdir, platform, workdir / "home")
    start = time.monotonic()
    command = [sys.executable, str(Path(__file__).resolve()), "child-close", str(db), repr(start)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    end = time.monotonic() - start
    stamps = {}
    for line in done.stdout.splitlines():
        name, *values = line.split()
        stamps[name] = [float(v) for v in values]
    if done.returncode != 0 or clean_stderr(done.stderr) or "close" not in stamps:
        raise RuntimeError(f"close run failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    close, loading = stamps["close"]
    return {"exit_s": end - close, "loading": loading, "paint_s": stamps["paint"][0]}


def bench_close(workdir: Path, platform: str, repeats: int) -> dict[str, float]:
    fresh = workdir / "fresh.db"
    analyzed = workdir / "analyzed.db"  # made by bench_screenshot
    loading, idle = [], []
    for _ in range(repeats):
        remove_database(fresh)
        loading.append(close_once(workdir, platform, fresh))
        idle.append(close_once(workdir, platform, analyzed))
    return {
        "exit_loading_s": statistics.median(r["exit_s"] for r in loading),
        "exit_loading_max_s": max(r["exit_s"] for r in loading),
        "loading_runs": sum(r["loading"] for r in loading),
        "exit_idle_s": statistics.median(r["exit_s"] for r in idle),
        "runs": repeats,
    }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "child-bare":
        return child_bare(sys.argv[2])
    if len(sys.argv) > 1 and sys.argv[1] == "child-close":
        sys.path.insert(0, str(ROOT))
        return child_close(sys.argv[2], float(sys.argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--platform", default="offscreen")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--against", metavar="REV", help="also time the package at git REV")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="qd-exit-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    shot = bench_screenshot(workdir, args.platform, args.repeats, args.against)
    close = bench_close(workdir, args.platform, args.repeats)
    load_after = os.getloadavg()[0]
    shot_ok = shot["ratio"] <= SCREENSHOT_RATIO
    close_ok = close["exit_loading_max_s"] <= EXIT_WITHIN_S
    rows = [
        ("bare QMainWindow: launch, show, grab, exit", f"{shot['bare_s'] * 1000:.0f} ms", ""),
        (
            "--open ID --screenshot (analyzed): whole process",
            f"{shot['app_s'] * 1000:.0f} ms ({shot['ratio']:.2f}×)",
            f"≤ {SCREENSHOT_RATIO}× {'PASS' if shot_ok else 'FAIL'}",
        ),
    ]
    if args.against:
        rows.append(
            (
                f"the same at {args.against} (its own analyzed database)",
                f"{shot['against_s'] * 1000:.0f} ms ({shot['against_ratio']:.2f}×)",
                f"now {shot['app_s'] / shot['against_s']:.2f}× of it",
            )
        )
    cpu = shot["app_cpu_s"] / shot["bare_cpu_s"]
    cpu_text = f"{shot['bare_cpu_s'] * 1000:.0f} / {shot['app_cpu_s'] * 1000:.0f} ms ({cpu:.2f}×)"
    if args.against:
        cpu_text += f", at {args.against} {shot['against_cpu_s'] * 1000:.0f} ms"
        cpu_text += f" ({shot['against_cpu_s'] / shot['bare_cpu_s']:.2f}×)"
    rows.append(("CPU time (user + system), bare / --screenshot", cpu_text, "(less load-bound)"))
    rows += [
        (
            f"closed {CLOSE_AFTER_S} s after first paint, model loading: close to exit "
            f"(median / max; {close['loading_runs']:.0f} of {close['runs']} runs loading)",
            f"{close['exit_loading_s'] * 1000:.0f} / {close['exit_loading_max_s'] * 1000:.0f} ms",
            f"≤ {EXIT_WITHIN_S * 1000:.0f} ms {'PASS' if close_ok else 'FAIL'}",
        ),
        ("the same, nothing loading (analyzed)", f"{close['exit_idle_s'] * 1000:.0f} ms", ""),
    ]
    load = f"load {load_before:.1f}→{load_after:.1f}"
    print(f"platform {args.platform}, {args.repeats} runs each, {load}")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    if args.json:
        args.json.write_text(json.dumps({"screenshot": shot, "close": close}, indent=2))
    return 0 if shot_ok and close_ok and close["loading_runs"] == close["runs"] else 1


if __name__ == "__main__":
    sys.exit(main())
