"""mypy over the package at the strictness of pyproject.toml ([tool.mypy]: strict for domain,
store, services, formats and nlp; check_untyped_defs for the rest), as the suite's check."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_the_package_passes_mypy(tmp_path: Path) -> None:
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    # its own cache: a run of the suite never reads or spoils a cache someone is using
    done = subprocess.run(
        [mypy, "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_the_check_would_see_a_wrong_optional(tmp_path: Path) -> None:
    """The same command with the same config fails on the mistake the issue names."""
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    if mypy is None:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "def first(names: list[str]) -> str | None:\n"
        "    return names[0] if names else None\n\n\n"
        "def shout(names: list[str]) -> str:\n"
        "    return first(names).upper()\n"
    )
    done = subprocess.run(
        [
            mypy,
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "c"),
            str(wrong),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "union-attr" in done.stdout


def test_the_check_is_strict_where_the_contract_says() -> None:
    """The test above passes only at the promised strictness: the config keeps it."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["desktop"]
    assert config["check_untyped_defs"] is True
    assert config.get("ignore_missing_imports", False) is False
    strict = [o for o in config["overrides"] if o.get("strict")]
    modules = {m for o in strict for m in o["module"]}
    layers = ("domain", "store", "services", "formats", "nlp")
    assert {f"desktop.{layer}.*" for layer in layers} <= modules
    for o in config["overrides"]:
        if o.get("ignore_missing_imports"):
            assert not any(m.startswith("desktop") for m in o["module"]), o
