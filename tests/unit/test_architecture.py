"""The layering of DESIGN.md, checked by import-linter, and the package list in pyproject."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed"
    done = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "desktop").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found - {"desktop.resources"} <= listed
    assert "desktop.resources" in listed


def test_spacy_is_not_imported_at_module_level_outside_nlp() -> None:
    code = (
        "import sys, desktop.cli, desktop.services.analysis, desktop.ui.main_window; "
        "print('spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.stdout.strip() == "False", done.stderr


def test_the_ui_has_no_import_cycle_and_the_check_would_see_one() -> None:
    import grimp

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    acyclic = [c for c in contracts["contracts"] if c["type"] == "acyclic_siblings"]
    assert any("desktop.ui" in c["ancestors"] for c in acyclic)
    graph = grimp.build_graph("desktop")  # type-checking imports included, as lint-imports
    assert graph.nominate_cycle_breakers("desktop.ui") == set()
    # a part that imported the window back would be a cycle, and is found
    graph.add_import(importer="desktop.ui.edit_controller", imported="desktop.ui.main_window")
    assert graph.nominate_cycle_breakers("desktop.ui")


def test_no_module_of_desktop_is_over_400_lines() -> None:
    """The house rule: a file past ~400 lines does two jobs (the window was split so)."""
    long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "desktop").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, long
